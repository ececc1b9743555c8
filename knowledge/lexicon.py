"""The officers' chat language, read from reviewed data (``knowledge/lexicon/*.yaml``).

:class:`Lexicon` holds the chat abbreviations and their senses; :class:`QueryReader` turns a
question as typed on a phone into the folded form the engine matches on:

1. NFC, diacritics folded, zero-width characters and emoji gone (:mod:`knowledge.textnorm`);
2. abbreviations expanded — an ambiguous one ("hd": hoạt động / hành động / Hải Dương) by its
   neighbours and by the pairs of words the plans contain;
3. keyboard leftovers repaired ("baos caos" → "bao cao", :mod:`knowledge.keyboard`);
4. words run together split ("hanbc" → "han bc" → "han bao cao", "ytế" → "y te");
5. the words that only address someone ("a/c", "ad", "mn", "e") dropped;
6. the domain abbreviations of the plans expanded (:func:`knowledge.textnorm.fold`).

Typos of known words (one edit, a swap) are left to the search index, which knows the words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge import keyboard
from knowledge.textnorm import clean, fold_search, strip_diacritics

LEXICON_DIR = Path(__file__).with_name("lexicon")
# Zero-width and joiner characters that phones insert (the spaces among them are in textnorm).
_INVISIBLE = re.compile(r"[\u200c\u200d\u2060\u00ad\ufe0f]")
_EDGE = re.compile(r"^[^\w/&]+|[^\w/&]+$")
_OFFICE = {"p": "phong", "s": "so"}
_DIGITS_WORD = re.compile(r"^(\d+)([a-z]{2,})$|^([a-z]{2,})(\d+)$")


@dataclass(frozen=True)
class Sense:
    """One meaning of an abbreviation, with the neighbours that favour it."""

    expand: str
    prev: tuple[str, ...] = ()
    next: tuple[str, ...] = ()
    end: bool = False
    filler: bool = False


@dataclass(frozen=True)
class Lexicon:
    """Abbreviations (folded key → senses, the default first)."""

    abbreviations: dict[str, tuple[Sense, ...]] = field(default_factory=dict)

    @property
    def words(self) -> frozenset[str]:
        """Every word the expansions use (known words for the repairs)."""
        return frozenset(w for senses in self.abbreviations.values() for s in senses
                         for w in s.expand.split())

    @classmethod
    def load(cls, folder: Path = LEXICON_DIR) -> Lexicon:
        """Read ``abbreviations.yaml`` of ``folder``.

        Raises:
            ValueError: an entry without a key or a sense, naming the file.
        """
        path = folder / "abbreviations.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        table: dict[str, tuple[Sense, ...]] = {}
        for i, entry in enumerate(data.get("abbreviations") or [], 1):
            keys, senses = entry.get("key") or [], entry.get("senses") or []
            if not keys or not senses:
                raise ValueError(f"{path.name}: mục {i} thiếu key hoặc senses")
            parsed = tuple(
                Sense(expand=str(s["expand"]), prev=tuple(map(str, s.get("prev") or ())),
                      next=tuple(map(str, s.get("next") or ())), end=bool(s.get("end")),
                      filler=bool(s.get("filler")))
                for s in senses
            )
            for key in keys:
                table[_fold_word(str(key))] = parsed
        return cls(abbreviations=table)


def _fold_word(text: str) -> str:
    return strip_diacritics(clean(text)).lower()


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon shipped with the package (read once)."""
    return Lexicon.load()


@lru_cache(maxsize=1)
def default_agencies() -> tuple[str, ...]:
    """The agency names of ``agencies.yaml`` (to recognise one no plan gives a task to)."""
    data = yaml.safe_load((LEXICON_DIR / "agencies.yaml").read_text(encoding="utf-8")) or {}
    return tuple(str(a) for a in data.get("agencies") or [])


class QueryReader:
    """Normalises questions against one vocabulary (the plans' words and pairs of words)."""

    def __init__(self, lexicon: Lexicon, words: Iterable[str], pairs: Iterable[str]) -> None:
        """Learn the vocabulary: its words and its pairs of words."""
        self.lexicon = lexicon
        self.abbr = lexicon.abbreviations
        self.pairs = frozenset(pairs)
        self.known = frozenset(words) | lexicon.words
        self._cache: dict[str, str] = {}

    # -- one word ---------------------------------------------------------------------------

    def _is_word(self, w: str) -> bool:
        return w in self.known

    def _repair(self, w: str) -> str | None:
        """A keyboard leftover's plain word, a known one preferred; None when ``w`` is fine."""
        if self._is_word(w) or keyboard.is_syllable(w):
            return None
        options = keyboard.alternatives(w)
        for o in options:
            if self._is_word(o):
                return o
        return options[0] if options else None

    def _split(self, w: str) -> list[str] | None:
        """Words run together: "hanbc" → ["han", "bc"], "baocao" → ["bao", "cao"]."""
        m = _DIGITS_WORD.match(w)
        if m:
            return [p for p in m.groups() if p]
        # "pldtbxh", "syt": phòng/sở glued to an abbreviation of the plans or of the chat
        rest = w[1:]
        if w[0] in _OFFICE and len(rest) >= 2 and (rest in self.abbr or fold_search(rest) != rest):
            return [_OFFICE[w[0]], rest]
        best: tuple[int, list[str]] | None = None
        for i in range(1, len(w)):
            a, b = w[:i], w[i:]
            score = 0
            for part in (a, b):
                if (part in self.abbr or fold_search(part) != part) and len(part) >= 2:
                    # a chat abbreviation, or one of the plans' ("ubnd", "mttq")
                    score += 2
                elif self._is_word(part) and (len(part) > 1 or part == "y"):
                    score += 2
                elif keyboard.is_syllable(part) and len(part) > 1:
                    score += 1
                else:
                    score = -1
                    break
            if score < 0:
                continue
            if f"{a}_{b}" in self.pairs:
                score += 3
            if score >= 4 and (best is None or score > best[0]):
                best = (score, [a, b])
        return best[1] if best else None

    # -- abbreviations ------------------------------------------------------------------------

    def _sense(self, senses: tuple[Sense, ...], before: list[str], after: list[str]) -> Sense:
        """The sense its neighbours and the plans' pairs of words favour (the first on a tie)."""
        if len(senses) == 1:
            return senses[0]
        prev1 = before[-1] if before else ""
        prev2 = " ".join(before[-2:])
        next1 = after[0] if after else ""
        next2 = " ".join(after[:2])

        def score(s: Sense) -> int:
            words = s.expand.split()
            n = 0
            if prev1 and f"{prev1}_{words[0]}" in self.pairs:
                n += 2
            if next1 and f"{words[-1]}_{next1}" in self.pairs:
                n += 2
            if prev1 in s.prev or prev2 in s.prev:
                n += 3
            if next1 in s.next or next2 in s.next:
                n += 3
            if s.end and not after:
                n += 2
            return n

        return max(senses, key=lambda s: (score(s), -senses.index(s)))

    # -- the question -------------------------------------------------------------------------

    def normalise(self, question: str) -> str:
        """The folded, repaired and expanded form of ``question`` (what the engine matches on)."""
        hit = self._cache.get(question)
        if hit is not None:
            return hit
        text = _INVISIBLE.sub("", _fold_word(question))
        raw = [w for w in (_EDGE.sub("", t) for t in text.split()) if w]
        # words first: repairs and splits, so the abbreviation step sees "han bc"
        words: list[str] = []
        for w in raw:
            if w in self.abbr or not w.isalnum():
                words.append(w)
                continue
            fixed = self._repair(w)
            if fixed:
                words.append(fixed)
                continue
            if len(w) > 2 and w[-1] == w[-2] and w[:-1] in self.abbr:  # "bhh" → "bh"
                words.append(w[:-1])
                continue
            plain = self._is_word(w) or keyboard.is_syllable(w) or fold_search(w) != w
            parts = None if plain else self._split(w)  # "ubnd" is the plans' abbreviation
            words.extend(parts or [w])
        out: list[str] = []
        i = 0
        while i < len(words):
            pair = " ".join(words[i : i + 2])
            if i + 1 < len(words) and pair in self.abbr:
                key, step = pair, 2
            elif words[i] in self.abbr:
                key, step = words[i], 1
            else:
                out.append(words[i])
                i += 1
                continue
            sense = self._sense(self.abbr[key], out, words[i + step :])
            if not sense.filler:
                out.extend(sense.expand.split())
            i += step
        result = fold_search(" ".join(out))
        if len(self._cache) < 65536:
            self._cache[question] = result
        return result
