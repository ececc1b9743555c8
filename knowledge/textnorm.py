"""Vietnamese text normalisation, in one place.

- :func:`clean` — what we store and show: NFC, one tone-mark placement, no NBSP/tabs, single
  spaces.
- :func:`fold` — what we match on: :func:`clean`, then diacritics removed, đ→d, lower case,
  punctuation to spaces (``&`` kept), the usual abbreviations expanded (LĐ-TB&XH,
  GD&ĐT, UBND, MTTQ, ...).
- :func:`fold_search` — :func:`fold` with the two spellings of a final i/y made one ("ký"/"kí"
  → "ki", "tỷ"/"tỉ" → "ti"): what the answering engine matches questions and plans on.
- :func:`tokens` — the folded words, for scoring.

rapidfuzz's default processor does none of this, so every fuzzy comparison passes
``processor=None`` on strings already folded here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")

# Old-style ("hoà") to the placement the plans mostly use ("hòa"): for the rhymes oa, oe, uy
# at the end of a syllable, the mark goes on the first vowel.
_TONES = {
    "\u0300": "grave", "\u0301": "acute", "\u0303": "tilde", "\u0309": "hook", "\u0323": "dot",
}


def _move_tone(match: re.Match[str]) -> str:
    first, second = match.group(1), match.group(2)
    decomposed = unicodedata.normalize("NFD", second)
    marks = [c for c in decomposed if c in _TONES]
    if not marks:
        return match.group(0)
    base = "".join(c for c in decomposed if c not in _TONES)
    moved = unicodedata.normalize("NFC", first + marks[0])
    return moved + unicodedata.normalize("NFC", base)


_TONE_RHYME = re.compile(
    r"(?<![qQ])([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?![a-zA-Zà-ỹÀ-Ỹđ])"
)


def clean(text: str) -> str:
    """Return ``text`` in NFC with one tone placement and single plain spaces."""
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", text).strip()
    return _TONE_RHYME.sub(_move_tone, text)


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics (đ→d), keeping case."""
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", text)


# Abbreviations, on folded text (no diacritics, lower case, & kept). Order matters: longer first.
_ABBREVIATIONS: list[tuple[str, str]] = [
    (r"ld\s*-?\s*tb\s*(?:&|va)?\s*xh|ldtbxh|lao dong\s*-?\s*tb\s*(?:&|va)?\s*xh|ldxh",
     "lao dong thuong binh va xa hoi"),
    (r"ldld", "lien doan lao dong"),
    (r"gd\s*(?:&|va)?\s*dt|gddt", "giao duc va dao tao"),
    (r"vh\s*-?\s*tt\s*(?:&|va)?\s*dl|vhttdl", "van hoa the thao va du lich"),
    (r"tt\s*-\s*vh\s*-\s*tt", "truyen thong van hoa the thao"),
    (r"vh\s*-\s*tt|vhtt", "van hoa thong tin"),
    (r"tt\s*(?:&|va)\s*tt|tttt", "thong tin va truyen thong"),
    (r"tc\s*-?\s*kh|tckh", "tai chinh ke hoach"),
    (r"kh\s*(?:&|va)\s*dt|khdt", "ke hoach va dau tu"),
    (r"ub\s*mttqvn|ubmttqvn|ubmttq", "uy ban mat tran to quoc viet nam"),
    (r"mttqvn|mttq", "mat tran to quoc viet nam"),
    (r"ubnd", "uy ban nhan dan"),
    (r"ld", "lao dong"),
    (r"hdnd", "hoi dong nhan dan"),
    (r"tand", "toa an nhan dan"),
    (r"vksnd|vks", "vien kiem sat nhan dan"),
    (r"hoi lhpn|hlhpn|lhpn", "hoi lien hiep phu nu"),
    (r"bcd\s*138", "ban chi dao 138"),
    (r"ctxh", "cong tac xa hoi"),
    (r"bvte|bvcste", "bao ve tre em"),
    (r"tx", "thi xa"),
    (r"tp", "thanh pho"),
    (r"q\s*\.?\s*3|quan3", "quan 3"),
    (r"ub", "uy ban"),
]
_ABBR_RE = [(re.compile(rf"(?<![\w&])(?:{pat})(?![\w&])"), rep) for pat, rep in _ABBREVIATIONS]
_PUNCT = re.compile(r"[^\w&%/]+")
# "kí"/"ký", "lí"/"lý", "mĩ"/"mỹ", "tỉ"/"tỷ", "qui"/"quy": one spelling, the i
_FINAL_Y = re.compile(r"(?<![a-z])([bdhklmnrstv]|qu)y(?![a-z])")
_SLASH_WORD = re.compile(r"(?<![0-9])/|/(?![0-9a-z])")


def expand_abbreviations(folded: str) -> str:
    """Expand the usual abbreviations in already-folded text."""
    for pattern, replacement in _ABBR_RE:
        folded = pattern.sub(replacement, folded)
    return folded


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Return the matching form of ``text``: no diacritics, lower case, abbreviations expanded.

    Args:
        text: any text, in NFC or NFD, with or without diacritics.

    Returns:
        Lower-case ASCII-ish words separated by single spaces.
    """
    text = strip_diacritics(clean(text)).lower()
    # join "LĐ-TB&XH"-like tokens before punctuation goes
    text = expand_abbreviations(_SPACES.sub(" ", text))
    text = _PUNCT.sub(" ", text)
    text = _SLASH_WORD.sub(" ", text)
    text = text.replace("&", " va ")
    return " ".join(text.split())


def unify_iy(folded: str) -> str:
    """One spelling of a final i/y in folded text: "ky"/"ki" → "ki", "ty le" → "ti le"."""
    return _FINAL_Y.sub(r"\1i", folded)


@lru_cache(maxsize=65536)
def fold_search(text: str) -> str:
    """:func:`fold` with one final i/y spelling: the form the answering engine matches on."""
    return unify_iy(fold(text))


def tokens(text: str) -> list[str]:
    """Folded words of ``text``."""
    return fold(text).split()
