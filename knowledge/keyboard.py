"""Repairing words a phone keyboard left half-typed: unconverted Telex or VNI, doubled letters.

Officers type on phones whose Vietnamese input method is sometimes off or half-on, so a
question arrives as "baos caos", "nhieemj vuj", "ba1o ca1o" or "phapp lyy". Everything here
works on the folded form (no diacritics, lower case, see :func:`knowledge.textnorm.fold`), so
repairing a word means finding the plain syllable under the keystrokes: "baos" → "bao".

A folded Vietnamese syllable has a known shape (onset, one to three vowels, an optional final
consonant), and Telex tone keys (s f r x j), the horn/breve key (w) and the doubled vowels of
Telex (aa ee oo, dd) cannot stand where they do in "baos" or "nhieemj": that is how a leftover
is told from a real word. No input-method package is maintained for this direction (they turn
keystrokes into text as the user types), hence this small module.
"""

from __future__ import annotations

import re
from functools import lru_cache

_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
# the vowel clusters of folded syllables ("ươu" folds to "uou", "yê" to "ye"), longest first
_NUCLEUS = "(?:" + "|".join(
    "uyeu uyet oai oay oeo uay uoi uou uya uye uyu ieu yeu "
    "ai ao au ay eo eu ia ie iu oa oe oi oo ua ue ui uo uu uy ye "
    "a e i o u y".split()
) + ")"
_CODA = r"(?:ch|ng|nh|[cmnpt])?"
_SYLLABLE = re.compile(rf"{_ONSET}{_NUCLEUS}{_CODA}")
_VOWELS = frozenset("aeiouy")
_TELEX_MARKS = re.compile(r"[sfrxjw]")
_DOUBLED_VOWEL = re.compile(r"([aeo])\1")
# "XIX", "IV": Roman numerals of sections, quarters and customs regions are not Telex
_ROMAN = re.compile(r"m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})")
_VNI_DIGIT = re.compile(r"(?<=[a-z])[1-9]{1,2}(?=[a-z]|$)")


def is_syllable(word: str) -> bool:
    """Whether ``word`` (folded) has the shape of a Vietnamese syllable: "nhiem", "y", "thuong"."""
    return bool(_SYLLABLE.fullmatch(word))


def _untelex(word: str) -> str | None:
    """The syllable under Telex keystrokes: "nhieemj" → "nhiem", "ddoongj" → "dong"."""
    word = word.replace("dd", "d")
    first = next((i for i, c in enumerate(word) if c in _VOWELS), None)
    if first is None:
        return None
    # "gi" and "qu" are onsets: their vowel letter is not the nucleus
    if word[:2] in ("gi", "qu") and len(word) > 2 and word[2] in _VOWELS:
        first = 2
    head, rest = word[: first + 1], _TELEX_MARKS.sub("", word[first + 1 :])
    plain = _DOUBLED_VOWEL.sub(r"\1", head + rest)
    return plain if plain != word and is_syllable(plain) else None


def _unvni(word: str) -> str | None:
    """The syllable under VNI keystrokes (tone and vowel marks as digits): "ba1o" → "bao"."""
    if not any(c in _VOWELS for c in word):  # "q3", "bcd138": a name with a number
        return None
    plain = _VNI_DIGIT.sub("", word)
    if plain == word or any(c.isdigit() for c in plain):
        return None
    plain = plain.replace("dd", "d")
    return plain if is_syllable(plain) else None


def _unz(word: str) -> str | None:
    """"z" typed for "d" or "gi" (as southern speech has it): "zuc" → "duc", "zup" → "giup"."""
    if word.startswith("z"):
        for onset in ("d", "gi"):
            plain = onset + word[1:]
            if is_syllable(plain):
                return plain
    return None


def _undouble(word: str) -> str | None:
    """A syllable with one letter typed twice: "lamm" → "lam", "phapp" → "phap"."""
    for i in range(len(word) - 1, 0, -1):
        if word[i] == word[i - 1]:
            plain = word[:i] + word[i + 1 :]
            if is_syllable(plain):
                return plain
    return None


@lru_cache(maxsize=65536)
def repair(word: str) -> str | None:
    """The plain syllable ``word`` was meant to be, or None when it is not a keyboard leftover.

    Args:
        word: one folded word (ASCII letters and digits) that is not a known word.

    Returns:
        The repaired syllable ("baos" → "bao", "ba1o" → "bao", "lamm" → "lam"), or None when no
        repair gives a syllable (the word is then left for abbreviations and typo correction).
        "z" alone at the start gives "d" ("zuc" → "duc"); the caller may prefer "gi" when
        only that is a known word (:func:`alternatives`).
    """
    if not word.isalnum() or not word.isascii() or is_syllable(word) or _ROMAN.fullmatch(word):
        return None
    for fix in (_unvni, _untelex, _undouble, _unz):
        plain = fix(word)
        if plain:
            return plain
    return None


def alternatives(word: str) -> list[str]:
    """Every plain syllable a leftover may stand for, the likeliest first ("zup" → duc… gi…)."""
    out = []
    if word.startswith("z"):
        out += [o + word[1:] for o in ("d", "gi") if is_syllable(o + word[1:])]
    fixed = repair(word)
    if fixed and fixed not in out:
        out.insert(0, fixed)
    return out
