"""The plan's own particulars: title, number, date, issuer, level and locality, year, signer."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from knowledge.ingest.dates import make_date
from knowledge.ingest.reader import Document
from knowledge.ingest.structure import Outline
from knowledge.ingest.units import expand
from knowledge.textnorm import clean, fold

_LEVELS = ("thành phố", "thị xã", "thị trấn", "tỉnh", "quận", "huyện", "phường", "xã")
_LEVEL_TO_SCHEMA = {"phường": "xã", "thị trấn": "xã"}
UPPER = "".join(
    c for c in map(chr, range(0x41, 0x1EFA))
    if c.isalpha() and c.isupper() and (c < "\u0250" or c >= "\u1e00")
)
_NAME_WORD = rf"[{UPPER}]\w*"
_LEVEL_ALT = "(?i:" + "|".join(_LEVELS) + ")"
_PLACE_RE = re.compile(
    rf"\b(?P<level>{_LEVEL_ALT})\s+(?P<name>\d{{1,2}}\b|{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})"
)
_DATE_LINE = re.compile(
    r"^(?P<place>[^,\d]{2,40}),\s*ngày\s*(?P<d>\d{1,2})?\s*tháng\s*(?P<m>\d{1,2})?\s*"
    r"năm\s*(?P<y>\d{4})",
    re.IGNORECASE,
)
_NUMBER_LINE = re.compile(r"^Số\s*:?\s*(?P<num>\S*)", re.IGNORECASE)
_ISSUED_BY = re.compile(
    r"(?:^|[,.;]\s+|\bthì\s+)(?P<org>[^,.;]{4,90}?)\s+(?:xây\s+dựng|ban\s+hành)\s+(?:(?:Kế|kế)\s+"
    r"hoạch|(?:Chương|chương)\s+trình)",
)
_PERSON_RE = re.compile(rf"^[{UPPER}][^\W\d_{UPPER}]*(?:\s+[{UPPER}][^\W\d_{UPPER}]*){{1,4}}$")


_KINDS = [("ke hoach", "kế hoạch"), ("chuong trinh", "chương trình"), ("chi thi", "chỉ thị"),
          ("quyet dinh", "quyết định"), ("huong dan", "hướng dẫn"), ("cong dien", "công điện"),
          ("thong bao", "thông báo"), ("cong van", "công văn")]
_NUMBER_KINDS = {"KH": "kế hoạch", "CTr": "chương trình", "CT": "chỉ thị", "QĐ": "quyết định",
                 "HD": "hướng dẫn", "CĐ": "công điện", "TB": "thông báo"}


@dataclass
class Header:
    """What the plan says about itself."""

    title: str = ""
    title_found: bool = False
    kind: str = "kế hoạch"
    document_number: str | None = None
    date_issued: dt.date | None = None
    date_text: str | None = None
    issuer: str = ""
    level: str = ""
    locality: str = ""
    province: str | None = None
    locality_aliases: list[str] = field(default_factory=list)
    year: int | None = None
    year_from: str = ""
    signer: str | None = None
    signer_title: str | None = None
    notes: list[str] = field(default_factory=list)


def sentence_case(text: str) -> str:
    """"MỤC ĐÍCH, YÊU CẦU" → "Mục đích, yêu cầu" (text not all in capitals is kept)."""
    text = clean(text)
    letters = [c for c in text if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters):
        return text
    # a document number keeps its letters as printed ("27/CT-TTG", not "27/ct-ttg")
    lowered = " ".join(w if re.search(r"\d", w) else w.lower() for w in text.split(" "))
    for proper in ("Thủ tướng Chính phủ", "Chính phủ", "Việt Nam", "Đảng", "Nhà nước",
                   "Quốc hội", "Mặt trận Tổ quốc", "Ủy ban nhân dân"):
        lowered = re.sub(re.escape(proper.lower()), proper, lowered)
    return lowered[:1].upper() + lowered[1:]


def read_header(doc: Document, outline: Outline, *, year: int | None, plan_id: str) -> Header:
    """Read title, number, date, issuer, locality, year and signer.

    Args:
        doc: the document.
        outline: its outline.
        year: the year given by the officer (``--year``), if any.
        plan_id: the plan's id (a trailing "-2020" is a hint for the year).

    Returns:
        The header; ``notes`` say what could not be found.
    """
    h = Header()
    head = [(no, t) for no, t in doc.virtual_lines() if t][:40]
    preamble = [i.body for i in outline.preamble]
    for i, (_, text) in enumerate(head):
        folded = fold(text)
        kind = next((k for f, k in _KINDS if folded == f or folded.startswith(f + " ")), None)
        if kind == "kế hoạch" or (kind and not h.title and len(folded) < 80 and text.isupper()):
            h.kind = kind
        elif not h.title and re.match(r"^v/v\b|^về việc\b", text, re.IGNORECASE) and (
            h.kind == "kế hoạch"
        ):
            h.kind = "công văn"  # "V/v tổ chức Tháng hành động …" under the number: a letter
            h.title = sentence_case(re.sub(r"^(?:V/v|về việc)\s*:?\s*", "", text, flags=re.I))
            continue
        if kind and not h.title and (kind == "kế hoạch" or h.kind == kind):
            rest = clean(re.sub(r"^\S+\s+\S+\s*", "", text, count=1)) if len(folded) > 9 else ""
            following = [t for _, t in head[i + 1 : i + 3]]
            subtitle = rest or (following[0] if following else "")
            basis = re.match(r"^(?:Căn cứ|Thực hiện\s+\S+(?:\s+\S+)?\s+số)\b", subtitle)
            if subtitle and not basis:  # "Căn cứ ..." right after KẾ HOẠCH is no title
                h.title = sentence_case(subtitle)
        m = _NUMBER_LINE.match(text)
        if m and h.document_number is None and re.search(r"\d", m.group("num")):
            h.document_number = m.group("num").strip()
        m = _DATE_LINE.match(text)
        if m and h.date_text is None:
            h.date_text = clean(text)
            if m.group("d") and m.group("m"):
                h.date_issued = make_date(int(m.group("d")), int(m.group("m")), int(m.group("y")))
            if h.date_issued is None:
                h.notes.append(f"ngày ban hành chưa đủ: {h.date_text!r}")
    if h.document_number:  # "123/CT-UBND" is a directive, "45/BLĐTBXH-TE" a letter
        code = re.match(r"^[\d.]+/(?:\d{4}/)?([A-ZĐa-zđ]+)", h.document_number)
        by_number = _NUMBER_KINDS.get(code.group(1)) if code else None
        if by_number and h.kind == "kế hoạch" and not h.title:
            h.kind = by_number
        elif code and by_number is None and not h.title:
            h.kind = "công văn"
    h.title_found = bool(h.title)
    if not h.title:
        h.title = h.kind.capitalize()
        h.notes.append(f"không thấy tên văn bản (dòng sau chữ {h.kind.upper()})")
    _issuer(h, doc, head, preamble)
    h.title = proper_names(h.title, [h.locality, h.province or "", *_place_names(doc)])
    _year(h, doc, outline, year, plan_id)
    _signer(h, doc, outline)
    return h


_DOC_WORDS = re.compile(
    r"\b(luật|chỉ thị|quyết định|nghị định|nghị quyết|thông tư|kế hoạch|công văn|chương trình"
    r"|hướng dẫn|công điện|thông báo|kết luận)"
    r"(?=\s+(?:số\s+)?\d)|\b(luật)\s+(\w)",
)


def proper_names(title: str, names: list[str]) -> str:
    """A title put in sentence case, keeping its proper names.

    Its place names ("thành phố Hồ Chí Minh"), a law's name ("Luật Việc làm") and the
    documents it cites ("Chỉ thị số 27/CT-TTg").
    """
    out = title
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        words = name.split()
        bare = " ".join(w for w in words if w.lower() not in _LEVELS and w.lower() != "phố")
        if not bare or not any(c.isupper() for c in bare):
            continue
        out = re.sub(rf"(?<!\w){re.escape(bare.lower())}(?!\w)", bare, out)
    out = _DOC_WORDS.sub(lambda m: (m.group(1) or "").capitalize() if m.group(1) else
                         f"Luật {m.group(3).upper()}", out)
    return out[:1].upper() + out[1:]


def _place_names(doc: Document) -> list[str]:
    return [re.sub(r"\s+(?:Năm|Giai|Đến|Từ)$", "", name)
            for (_, name), n in _places(doc).most_common(6)]


def _title_words(name: str) -> str:
    return " ".join(w if w.isdigit() else w[:1].upper() + w[1:].lower() for w in name.split())


def _places(doc: Document) -> Counter[tuple[str, str]]:
    """How often each "tỉnh Hải Dương", "huyện Bình Sơn", "Quận 3" is named, by (level, name).

    A name printed in capitals ("XÃ TỊNH HÒA") is counted as its ordinary spelling.
    """
    found: Counter[tuple[str, str]] = Counter()
    spelled: dict[tuple[str, ...], str] = {}
    for _, text in doc.virtual_lines():  # line by line: a name does not run on to the next
        for m in _PLACE_RE.finditer(text):
            level, name = m.group("level").lower(), m.group("name")
            key = (level, fold(name))
            found[key] += 1
            if not name.isupper() or name.isdigit():
                spelled.setdefault(key, name)
            else:
                spelled.setdefault(("upper", *key), _title_words(name))
    return Counter({
        (level, spelled.get((level, folded)) or spelled[("upper", level, folded)]): n
        for (level, folded), n in found.items()
    })


def _issuer(h: Header, doc: Document, head: list[tuple[int, str]], preamble: list[str]) -> None:
    issuer = ""
    for i, (no, text) in enumerate(head[:10]):  # "ỦY BAN NHÂN DÂN / QUẬN 3" by "CỘNG HÒA ..."
        if re.match(r"^(?:ỦY|UỶ) BAN|^UBND|^BAN THƯỜNG TRỰC", text) and "CỘNG HÒA" not in text:
            nxt = head[i + 1] if i + 1 < len(head) else (0, "")
            if nxt[0] in (no, no + 1) and is_title_line(nxt[1]) and "CỘNG HÒA" not in nxt[1]:
                text = f"{text} {nxt[1]}"  # "ỦY BAN NHÂN DÂN" / "XÃ TỊNH HÒA"
            issuer = _header_issuer(text)
            break
    if not issuer:
        for text in preamble:
            m = _ISSUED_BY.search(text)
            if m:
                org = re.sub(r"^(?:Nay|nay|thì|Vì vậy|vì vậy)\s+", "", m.group("org")).strip()
                issuer = org
                break
    places = _places(doc)
    issuer = expand(issuer) if issuer else ""
    level = ""
    for candidate in _LEVELS:
        m = re.search(
            rf"\b(?i:{candidate})\b(?:\s+(\d{{1,2}}|{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}))?\s*$",
            issuer,
        )
        if m:
            level = candidate
            name = m.group(1)
            if not name:
                named = [(n, c) for (lv, n), c in places.items() if lv == candidate]
                if named:
                    name = max(named, key=lambda x: x[1])[0]
                    issuer = f"{issuer} {name}"
            break
    if not issuer:
        h.notes.append("không xác định được cơ quan ban hành (issuer)")
    h.issuer = issuer or "(chưa rõ)"
    if level:
        m = re.search(rf"\b({level})\s+(\S.*)$", issuer, re.IGNORECASE)
        name = m.group(2) if m else ""
        h.level = _LEVEL_TO_SCHEMA.get(level, level)
        h.locality = f"{m.group(1)} {name}".strip() if m else level
        if name.isdigit():
            h.locality = f"{level.capitalize()} {name}"
            h.locality_aliases = [f"{level} {name}", f"Q{name}" if level == "quận" else f"P{name}",
                                  f"Q.{name}" if level == "quận" else f"P.{name}"]
        elif name:
            h.locality_aliases = [name]
        higher = [lv for lv in ("tỉnh", "thành phố") if lv != level]
        provinces = [(f"{lv} {n}", c) for (lv, n), c in places.items()
                     if lv in higher and fold(n) != fold(name)]
        if level in ("tỉnh", "thành phố"):
            h.province = name or None
        elif provinces:
            h.province = max(provinces, key=lambda x: x[1])[0]
    else:
        h.level = "tỉnh"
        h.locality = h.issuer
        h.notes.append("không xác định được cấp (tỉnh/huyện/xã...): tạm ghi 'tỉnh', cần sửa")


_KNOWN_ORGS = [
    "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam", "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "Ủy ban nhân dân", "Hội đồng nhân dân", "Ban Chỉ đạo",
]


def _header_issuer(upper: str) -> str:
    """"ỦY BAN NHÂN DÂN QUẬN 3" → "Ủy ban nhân dân Quận 3" ("" without a level word)."""
    text = expand(clean(upper))
    m = re.search(rf"\b(?i:{'|'.join(_LEVELS)})\b", text)
    if not m:
        return ""
    org, level, name = text[: m.start()].strip(), m.group(0).lower(), text[m.end():].strip()
    for known in _KNOWN_ORGS:
        if fold(known) == fold(org):
            org = known
            break
    else:
        org = sentence_case(org)
    name = " ".join(w if w.isdigit() else w[:1].upper() + w[1:].lower() for w in name.split())
    if name.isdigit():
        return f"{org} {level.capitalize()} {name}"
    return f"{org} {level} {name}".strip()


def _year(h: Header, doc: Document, outline: Outline, year: int | None, plan_id: str) -> None:
    if year:
        h.year, h.year_from = year, "--year"
        return
    if h.date_text:
        m = re.search(r"năm\s*(\d{4})", h.date_text)
        if m:
            h.year, h.year_from = int(m.group(1)), "dòng ngày ban hành"
            return
    m = re.search(r"\bnăm\s+(\d{4})\b", h.title)
    if m:
        h.year, h.year_from = int(m.group(1)), "tên kế hoạch"
        return
    m = re.search(r"-((?:19|20)\d{2})$", plan_id)
    if m:
        h.year, h.year_from = int(m.group(1)), "mã kế hoạch"
        return
    text = " ".join(i.body for i in outline.preamble + outline.body)
    deadline_years = re.findall(
        r"\btrước(?:\s+ngày)?\s+\d{1,2}(?:\s*/\s*\d{1,2}\s*/\s*|\s+tháng\s+\d{1,2}\s+năm\s+)"
        r"((?:19|20)\d{2})", text)
    if deadline_years:
        h.year = int(Counter(deadline_years).most_common(1)[0][0])
        h.year_from = "năm của các hạn trong kế hoạch"
        return
    dated = re.findall(r"\bngày\s+\d{1,2}\s*/\s*\d{1,2}\s*/\s*((?:19|20)\d{2})", text)
    if dated:
        h.year = max(int(y) for y in dated)
        h.year_from = "ngày muộn nhất của các văn bản được dẫn"
        return
    h.notes.append("không xác định được năm của kế hoạch: hãy dùng --year")


def _signer(h: Header, doc: Document, outline: Outline) -> None:
    footer = {line.no for line in outline.footer}  # not an appendix printed after it
    tail = [t for no, t in doc.virtual_lines() if no in footer]
    tail = [clean(t.strip("* ")) for t in tail if t.strip("* ")]
    tail = [part for t in tail for part in _split_signature(t)]
    for i in range(len(tail) - 1, max(-1, len(tail) - 8), -1):
        text = tail[i]
        if not _PERSON_RE.match(text):
            continue
        titles: list[str] = []
        for t in reversed(tail[max(0, i - 4) : i]):
            if is_title_line(t):
                titles.insert(0, t)
            elif titles:
                break
        if titles:
            h.signer = text
            main = _title_case(titles[-1])
            h.signer_title = main + (
                f" ({', '.join(_title_case(t) for t in titles[:-1])})" if len(titles) > 1 else ""
            )
        break


_TITLE_BREAK = re.compile(
    r"\s+(?=(?:TM|KT|TL|TUQ|Q)\.\s)|(?:(?<=ỦY BAN NHÂN DÂN)|(?<=CHỦ TỊCH)|(?<=GIÁM ĐỐC)|"
    r"(?<=TRƯỞNG BAN))\s+(?=(?:PHÓ\s+)?(?:CHỦ TỊCH|GIÁM ĐỐC|TRƯỞNG BAN)\b)"
)


def _split_signature(text: str) -> list[str]:
    """A signature written on one line (a table cell): its title lines and the name.

    "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Trần Thị Diệu Thúy".
    """
    words = text.split()
    n = 0
    while n < min(5, len(words)) and re.fullmatch(
        rf"[{UPPER}][^\W\d_{UPPER}]*", words[len(words) - 1 - n]
    ):
        n += 1
    titles = " ".join(words[: len(words) - n])
    if n < 2 or not titles or not is_title_line(titles):
        return [text]
    return [*_TITLE_BREAK.split(titles), " ".join(words[len(words) - n:])]


def _title_case(text: str) -> str:
    """"KT. CHỦ TỊCH" → "KT. Chủ tịch"; "PHÓ CHỦ TỊCH" → "Phó Chủ tịch"."""
    words = []
    for word in clean(text).split():
        if word.endswith(".") and len(word) <= 3:
            words.append(word)
        else:
            words.append(word.lower())
    for i, word in enumerate(words):
        if not word.endswith("."):
            words[i] = word[:1].upper() + word[1:]
            break
    out = " ".join(words).replace("chủ tịch", "Chủ tịch")
    return out[:1].upper() + out[1:]


def is_title_line(text: str) -> bool:
    """A signature block line: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(text) < 60
