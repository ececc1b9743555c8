"""Personal data in free text: find it before it is stored.

:func:`screen` looks through an incident description (Vietnamese, with or without diacritics)
for what identifies a child or a family, and returns :class:`Finding` objects the officer is
warned about and can act on (edit, or let :func:`redact` put placeholders in their place):

- full names: a family name (Nguyễn, Trần, Lê… — also written "Nguyen", "TRAN") followed by
  one to three given names, and given names after a kinship word ("bé Na", "cháu Minh",
  "tên là Hoa"); names of streets, schools and places ("đường Lê Lợi", "trường THCS Nguyễn Du",
  "phường Võ Thị Sáu", "Hà Nội") are not names;
- phone numbers: mobiles 03x/05x/07x/08x/09x (10 digits), landlines 02x (11 digits), with
  ``+84``/``84`` and with spaces, dots or dashes inside;
- identity numbers: 12-digit CCCD numbers, 9-digit CMND numbers (a bare 9-digit number only
  when it is not an amount of money);
- street addresses: "số 12 đường Lê Lợi", "12 phố Huế", "ngõ 45", "hẻm 123/4", "kiệt 20",
  "ngách 5/12", "tổ 3", "thôn Đông Hòa", "ấp 2", "xóm 4";
- dates of birth ("sinh ngày 12/03/2015", "sinh năm 2014") and e-mail addresses.

It is a screen, not a guarantee: it warns; the officer decides.

Keeping message content out of the logs is :mod:`features.log_guard` (re-exported here).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from knowledge.textnorm import strip_diacritics

NAME = "name"
PHONE = "phone"
ID_NUMBER = "id_number"
ADDRESS = "address"
BIRTH_DATE = "birth_date"
EMAIL = "email"
KINDS = (NAME, PHONE, ID_NUMBER, ADDRESS, BIRTH_DATE, EMAIL)

# What :func:`redact` puts in place of a finding (it becomes part of the stored text).
PLACEHOLDERS = {
    NAME: "[tên]", PHONE: "[số điện thoại]", ID_NUMBER: "[số giấy tờ]", ADDRESS: "[địa chỉ]",
    BIRTH_DATE: "[ngày sinh]", EMAIL: "[email]",
}

# Vietnamese family names, folded (no diacritics, lower case). Covers the large majority of
# the population (Nguyễn alone ~38%); "Văn", "Thị" are middle names, not here.
SURNAMES = frozenset("""
nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dao doan dinh lam mai
trinh truong cao luong ta ha to chu quach thai chau phung la luu trieu kieu tang tu lai giang
khuc mac than vuong hua diep au nong lo hau kha khong cu ong tong thach quan dam vi mong son
lieu nghiem bach dieu tieu kim
""".split())
# Middle names that make a lower-case "nguyen van an" a name too.
MIDDLE_NAMES = frozenset("van thi huu duc minh ngoc thanh quang xuan kim dinh cong gia".split())
# Words after which capitalised words name a place, street or institution, not a person
# ("phường Võ Thị Sáu", "đường Lê Lợi", "trường THCS Nguyễn Du"). Matched with diacritics; also
# without them, except where the bare form is another common word ("bạn"/"bản", "phở"/"phố").
PLACE_PHRASES = frozenset("""
đường|phố|ngõ|hẻm|kiệt|ngách|phường|xã|quận|huyện|tỉnh|thành phố|thị xã|thị trấn|thôn|ấp|xóm
|bản|buôn|khóm|trường|thcs|thpt|tiểu học|mầm non|trung học|cầu|chợ|bệnh viện|bv|trạm y tế
|công viên|chùa|nhà thờ|đền|khu|khu phố|kp|tổ dân phố|làng|sông|núi|đảo|đại lộ|quảng trường
|bến xe|cảng|liên đội|chi đoàn|hội|cụm|tp|tx|tp.|tx.|q.|p.
""".replace("\n", "").split("|"))
_AMBIGUOUS_BARE = frozenset(
    "ban ap to ho song den cho cau khu hoi lang dao xa quan pho chua cum nui tinh thon".split()
)
# Place names that start with a family name (folded).
NAME_LIKE_PLACES = frozenset("""
ha noi|ha giang|ha tinh|ha nam|ha long|ha tien|ha dong|cao bang|cao lanh|lam dong|thai binh
|thai nguyen|ho chi minh|chau doc|ly son|phan thiet|phan rang|vu ban|ha trung|to lich
|hoang mai|mai chau|lai chau|dinh quan|tu son|tam ky|lao cai|le chan|ngo quyen|hong bang
|ha hoa|thai hoa|chau thanh|hoang sa|truong sa|ha tay|vo nhai|phan dinh phung
""".replace("\n", "").split("|"))
# Words after which a capitalised word is a given name ("bé Na", "cháu Minh", "mẹ Lan").
KINSHIP_WORDS = frozenset("""
em be chau con anh chi ong ba co chu bac di cau mo thim ban ten me bo cha
""".split())

_PLACE_BARE = frozenset(
    " ".join(strip_diacritics(w) for w in p.split()) for p in PLACE_PHRASES
)
_WORD = re.compile(r"[^\W\d_][\w'’]*", re.UNICODE)
_MONEY_AFTER = re.compile(r"\s*(?:d\b|dong\b|vnd\b|vnđ\b|đ\b|đồng\b|trieu|nghin|ngan|usd|\$)",
                          re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """Something in the text that may identify a person.

    Attributes:
        kind: one of :data:`KINDS`.
        start: where it starts in the (NFC) text.
        end: where it ends.
        text: the matched text itself (shown only to the officer, in the private chat).
    """

    kind: str
    start: int
    end: int
    text: str


def _fold_chars(text: str) -> str:
    """``text`` folded character by character (same length): no diacritics, lower case."""
    out = []
    for ch in text:
        folded = strip_diacritics(ch).lower()
        out.append(folded if len(folded) == 1 else ch.lower()[:1] or " ")
    return "".join(out)


# --- phones, identity numbers, e-mail, dates of birth (on the folded text) -------------------

_SEP = r"[\s.\-]?"
_PHONE = re.compile(
    rf"(?<![\w+])(?:\(?\+?84\)?{_SEP}|0)(?:\d{_SEP}){{8,9}}\d(?!\d)"
)
_ID12 = re.compile(r"(?<!\d)\d{3}[\s.]?\d{3}[\s.]?\d{3}[\s.]?\d{3}(?![\d/])")
_ID9 = re.compile(r"(?<!\d)\d{9}(?![\d/])")
_ID_CONTEXT = re.compile(
    r"(?:cccd|cmnd|cmt|can cuoc|chung minh|dinh danh|ho chieu|so giay to)\D{0,20}$"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_BIRTH = re.compile(
    r"(?:sinh ngay|sinh nam|ngay sinh|nam sinh|sn)\s*:?\s*"
    r"(?:\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}|\d{4})"
)


def _phone_ok(digits: str) -> bool:
    if digits.startswith("84"):
        digits = "0" + digits[2:]
    if len(digits) == 10:
        return digits[1] in "35789"
    return len(digits) == 11 and digits[1] == "2"


def _numbers(text: str, folded: str) -> list[Finding]:
    found: list[Finding] = []
    for m in _EMAIL.finditer(folded):
        found.append(Finding(EMAIL, m.start(), m.end(), text[m.start():m.end()]))
    for m in _BIRTH.finditer(folded):
        found.append(Finding(BIRTH_DATE, m.start(), m.end(), text[m.start():m.end()]))
    for m in _ID12.finditer(folded):
        digits = re.sub(r"\D", "", m.group())
        context = bool(_ID_CONTEXT.search(folded[max(0, m.start() - 40):m.start()]))
        if context or not (digits.startswith("0") and _phone_ok(digits[:11])):
            found.append(Finding(ID_NUMBER, m.start(), m.end(), text[m.start():m.end()]))
    for m in _PHONE.finditer(folded):
        digits = re.sub(r"\D", "", m.group())
        if _phone_ok(digits):
            found.append(Finding(PHONE, m.start(), m.end(), text[m.start():m.end()]))
    for m in _ID9.finditer(folded):
        context = bool(_ID_CONTEXT.search(folded[max(0, m.start() - 40):m.start()]))
        money = bool(_MONEY_AFTER.match(folded, m.end()))
        if context or not money:
            found.append(Finding(ID_NUMBER, m.start(), m.end(), text[m.start():m.end()]))
    return found


# --- addresses -------------------------------------------------------------------------------

_HOUSE_NO = r"\d+[a-z]?(?:\s*/\s*\d+[a-z]?)*"
_STREET_WORD = r"(?:duong|pho|ngo|hem|kiet|ngach|d\.)"
_ADDRESSES = [
    # "số 12 đường Lê Lợi", "nhà số 5, phố Huế", "12 đường Lê Lợi", "45/3 phố Huế"
    re.compile(rf"\b(?:(?:so nha|nha so|so)\s*)?{_HOUSE_NO}\s*,?\s+{_STREET_WORD}\s*"),
    # "ngõ 45", "hẻm 123/4", "kiệt 20", "ngách 5/12", "hẻm số 7"
    re.compile(rf"\b(?:ngo|hem|kiet|ngach)\s+(?:so\s+)?{_HOUSE_NO}\b"),
    # "số nhà 15"
    re.compile(rf"\b(?:so nha|nha so)\s+{_HOUSE_NO}\b"),
    # "tổ 3", "tổ dân phố 4", "khu phố 2", "ấp 3", "xóm 4", "thôn 2", "khóm 1", "bản 5"
    re.compile(r"\b(?:to dan pho|to|khu pho|kp|ap|xom|thon|khom|khoi|ban|buon)\s+(?:so\s+)?\d+\b"),
]
# Village words followed by a capitalised name ("thôn Đông Hòa"); checked on the original text,
# with diacritics, since "ấp"/"áp", "bản"/"bạn" fold to the same word.
_VILLAGE = re.compile(r"(?<!\w)(?:thôn|xóm|ấp|bản|buôn|khóm|tổ dân phố|khu phố)\s+(?=[A-ZĐÀ-Ỹ])",
                      re.IGNORECASE)


def _extend_capitalised(text: str, end: int, limit: int = 4) -> int:
    """Extend a span over the capitalised words (or numbers) right after ``end``."""
    pos = end
    for _ in range(limit):
        m = re.match(r"\s*([^\W_][\w'’]*)", text[pos:], re.UNICODE)
        if not m or not (m.group(1)[0].isupper() or m.group(1)[0].isdigit()):
            break
        pos += m.end()
    return pos


def _addresses(text: str, folded: str) -> list[Finding]:
    found: list[Finding] = []
    for pattern in _ADDRESSES:
        for m in pattern.finditer(folded):
            end = _extend_capitalised(text, m.end())
            if end == m.end() and folded[m.start():m.end()].rstrip().endswith(
                ("duong", "pho", "d.")
            ):
                continue  # "12 đường" with no street name: not an address
            found.append(Finding(ADDRESS, m.start(), end, text[m.start():end].rstrip(" ,")))
    for m in _VILLAGE.finditer(text):
        end = _extend_capitalised(text, m.end())
        if end > m.end():
            found.append(Finding(ADDRESS, m.start(), end, text[m.start():end]))
    return found


# --- names -----------------------------------------------------------------------------------


def _words(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _WORD.finditer(text)]


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _place_at(text: str, folded: str, words: list[tuple[int, int]], i: int) -> int:
    """How many words starting at ``i`` form a place word ("phường", "thành phố"), or 0."""
    for n in (3, 2, 1):
        if i + n > len(words):
            continue
        e = words[i + n - 1][1]
        original = " ".join(text[a:b].lower() for a, b in words[i:i + n])
        bare = " ".join(folded[a:b] for a, b in words[i:i + n])
        dotted = original + "." if text[e:e + 1] == "." else None
        if original in PLACE_PHRASES or (dotted and dotted in PLACE_PHRASES):
            return n
        if original == bare and bare not in _AMBIGUOUS_BARE and bare in _PLACE_BARE:
            if bare == "duong" and i and folded[words[i - 1][0]:words[i - 1][1]] in ("cha", "bo"):
                return 0  # "cha duong": a stepfather
            return n
    return 0


def _place_spans(text: str, folded: str, words: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of place names introduced by a place word ("phường Võ Thị Sáu")."""
    spans = []
    for i in range(len(words)):
        n = _place_at(text, folded, words, i)
        if n:
            end = words[i + n - 1][1]
            if text[end:end + 1] == ".":
                end += 1
            stop = _extend_capitalised(text, end, limit=5)
            if stop > end:
                spans.append((words[i][0], stop))
    return spans


def _surname_name(text: str, folded: str, words: list[tuple[int, int]], i: int) -> int:
    """How many words from ``i`` make a full name ("Nguyễn Văn An", "nguyen thi lan"), or 0."""
    first = text[words[i][0]:words[i][1]]
    ffirst = folded[words[i][0]:words[i][1]]
    if ffirst not in SURNAMES:
        return 0
    if (ffirst in KINSHIP_WORDS and i + 1 < len(words)
            and folded[words[i + 1][0]:words[i + 1][1]] in SURNAMES):
        return 0  # "Cháu Nguyễn Văn An": "cháu" is the kinship word, not the family name Châu
    j = i + 1
    if _capitalised(first):
        while j < len(words) and j - i < 4 and text[words[j - 1][1]:words[j][0]] == " ":
            if not _capitalised(text[words[j][0]:words[j][1]]):
                break
            j += 1
    elif (i + 2 < len(words) and folded[words[i + 1][0]:words[i + 1][1]] in MIDDLE_NAMES
          and text[words[i + 2][0]:words[i + 2][1]].islower()
          and text[words[i][1]:words[i + 2][0]].count(" ") == 2):
        j = i + 3  # lower case: family, middle and given name only
    if j - i < 2:
        return 0
    phrase = " ".join(folded[s:e] for s, e in words[i:j])
    if any(p == phrase or p.startswith(phrase + " ") or phrase.startswith(p + " ")
           for p in NAME_LIKE_PLACES):
        return 0
    return j - i


def _names(text: str, folded: str, words: list[tuple[int, int]]) -> list[Finding]:
    found: list[Finding] = []
    i = 0
    while i < len(words):
        n = _surname_name(text, folded, words, i)
        if n:
            s, e = words[i][0], words[i + n - 1][1]
            found.append(Finding(NAME, s, e, text[s:e]))
            i += n
            continue
        # a kinship word then capitalised given names: "bé Na", "cháu Minh Anh", "tên là Hoa"
        fword = folded[words[i][0]:words[i][1]]
        prev = folded[words[i - 1][0]:words[i - 1][1]] if i else ""
        if fword in KINSHIP_WORDS or (fword == "la" and prev == "ten"):
            j = i + 1
            while (j < len(words) and j - i <= 3 and _capitalised(text[words[j][0]:words[j][1]])
                   and text[words[j - 1][1]:words[j][0]] == " "
                   and not _place_at(text, folded, words, j)):
                j += 1
            if j > i + 1:
                s, e = words[i + 1][0], words[j - 1][1]
                found.append(Finding(NAME, s, e, text[s:e]))
                i = j
                continue
        i += 1
    return found


def screen(text: str) -> list[Finding]:
    """Find what may identify a person in ``text``: names, phones, ID numbers, addresses.

    Args:
        text: a description as the officer typed it (any Unicode normal form).

    Returns:
        The findings in text order, without overlaps (positions refer to the NFC text, which is
        what :func:`normalise` returns and what should be stored).
    """
    text = normalise(text)
    folded = _fold_chars(text)
    words = _words(text)
    found = _numbers(text, folded) + _addresses(text, folded)
    places = _place_spans(text, folded, words)
    for name in _names(text, folded, words):
        if not any(s <= name.start < e for s, e in places):
            found.append(name)
    return _without_overlaps(_merged(text, found))


def _merged(text: str, found: list[Finding]) -> list[Finding]:
    """Overlapping findings of the same kind as one ("ngõ 45" + "45 phố Huế")."""
    out: list[Finding] = []
    for f in sorted(found, key=lambda f: (f.kind, f.start)):
        last = out[-1] if out else None
        if last is not None and last.kind == f.kind and f.start < last.end:
            end = max(last.end, f.end)
            out[-1] = Finding(f.kind, last.start, end, text[last.start:end])
        else:
            out.append(f)
    return out


def _without_overlaps(found: list[Finding]) -> list[Finding]:
    priority = {k: i for i, k in enumerate((EMAIL, BIRTH_DATE, ID_NUMBER, PHONE, ADDRESS, NAME))}
    chosen: list[Finding] = []
    for f in sorted(found, key=lambda f: (priority[f.kind], -(f.end - f.start), f.start)):
        if all(f.end <= c.start or f.start >= c.end for c in chosen):
            chosen.append(f)
    return sorted(chosen, key=lambda f: f.start)


def normalise(text: str) -> str:
    """``text`` in NFC with its outer spaces removed (what is screened and stored)."""
    return unicodedata.normalize("NFC", text).strip()


def redact(text: str, findings: list[Finding] | None = None) -> str:
    """``text`` with every finding replaced by its placeholder ("[tên]", "[số điện thoại]"…).

    Args:
        text: the text.
        findings: from :func:`screen` on the same text (screened again when None).

    Returns:
        The redacted text (NFC).
    """
    text = normalise(text)
    findings = screen(text) if findings is None else findings
    for f in sorted(findings, key=lambda f: f.start, reverse=True):
        text = text[:f.start] + PLACEHOLDERS[f.kind] + text[f.end:]
    return text
