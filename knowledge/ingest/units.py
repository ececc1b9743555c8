"""Units: who a heading or a paragraph names, and who leads or cooperates inside a task.

A unit is named by a numbered heading of the assignment part ("1.2 Công an Quận 3",
"4. Sở Y tế:"), or at the start of a paragraph ("2. Sở Tài chính bố trí kinh phí ...",
"9. Đề nghị Ủy ban MTTQ Việt Nam tỉnh ...: Tăng cường ..."). Inside a task, "X chủ trì, phối hợp
với Y" names a lead and cooperating units.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from knowledge.textnorm import clean, fold

# Folded first words of an organisation's name.
_ORG_HEADS = (
    "so", "phong", "cong an", "uy ban", "toa an", "vien kiem sat", "ban", "trung tam", "hoi",
    "lien doan", "thi doan", "huyen doan", "tinh doan", "thanh doan", "quan doan", "doan",
    "van phong", "bo (?!tri)", "cuc", "chi cuc", "benh vien", "thanh tra", "mat tran",
    "bo chi huy", "ban chi huy", "cac so", "cac phong", "cac co quan", "cac don vi",
    "cac to chuc", "cac doan the", "co quan", "quan uy", "huyen uy", "thi uy", "tinh uy",
    "thanh uy", "dang uy", "cong doan", "ngan hang", "kho bac", "chi nhanh", "luc luong",
    "tram", "cong chuc", "can bo", "truong", "hoi dong", "nha van hoa", "dai", "bao (?!cao)",
    "bao hiem", "cong ty", "tong cong ty", "doanh nghiep", "cac doanh nghiep", "hiep hoi",
    "lien minh", "cong thong tin", "vien", "cac trung tam", "cac hoi", "cac ban", "cac luc luong",
    "tat ca (?:cac )?(?:co quan|don vi|luc luong)", "cac nganh", "nganh", "vu (?!viec|an\\b)",
)
_ORG_HEAD_RE = re.compile(rf"^(?:{'|'.join(sorted(_ORG_HEADS, key=len, reverse=True))})\b")
_LEAD_IN = re.compile(
    r"^(?:đề\s+nghị|đối\s+với|giao\s+cho|giao|phân\s+công|yêu\s+cầu)\s*:?\s+"
    r"(?:(?:đồng\s+chí|đ/c)\s+)?",
    re.IGNORECASE,
)
# A title before the unit: "Thủ trưởng các sở, ban, ngành", "Chủ tịch Ủy ban nhân dân xã".
_TITLE = re.compile(
    r"^(?:Thủ\s+trưởng|Giám\s+đốc|Chủ\s+tịch|Lãnh\s+đạo|Người\s+đứng\s+đầu|Trưởng)\s+"
    r"(?=(?:các\s+)?\S)",
    re.IGNORECASE,
)
_PERSON_LEAD = re.compile(r"^giao\s+(?:cho\s+)?(?:đồng\s+chí|đ/c)\s+", re.IGNORECASE)
_VERBS = (
    "có trách nhiệm", "chịu trách nhiệm", "chủ trì", "phối hợp", "bố trí", "tổng hợp",
    "tăng cường", "xây dựng", "triển khai", "hướng dẫn", "chỉ đạo", "tham gia", "thực hiện",
    "tham mưu", "đẩy mạnh", "nghiên cứu", "là cơ quan", "giúp", "theo dõi", "trong phạm vi",
    "căn cứ", "rà soát", "kiểm tra", "phổ biến", "tuyên truyền", "chủ động", "quản lý",
    "cung cấp", "đôn đốc", "thẩm định", "bảo đảm", "đảm bảo", "nâng cao", "tiếp tục",
    "khẩn trương", "phát động", "vận động", "kiện toàn", "lồng ghép", "ưu tiên", "tập trung",
    "tiến hành", "trên cơ sở", "thường xuyên", "duy trì", "củng cố", "giám sát", "nắm",
    "cập nhật", "biên soạn", "lập", "gửi", "báo cáo", "phát huy", "điều tra", "xử lý",
    "hỗ trợ", "giải quyết", "tập huấn", "thanh tra", "giáo dục", "can thiệp", "đề xuất",
    "tiếp nhận", "phát hiện", "ngăn chặn", "thông báo", "truyền thông", "bồi dưỡng",
    "thu thập", "phê duyệt", "ban hành", "huy động", "phân bổ", "điều phối", "khắc phục",
    "đăng tải", "thành lập", "phải", "quan tâm", "đăng ký", "định hướng", "lựa chọn",
    "kịp thời", "chuẩn bị", "phản ánh", "vận chuyển", "đề nghị", "tiếp tục", "trình",
)
_VERB_ALT = "|".join(re.escape(v) for v in sorted(set(_VERBS), key=len, reverse=True))
VERB_RE = re.compile(
    rf"\s(?:{_VERB_ALT})(?=[\s,:;]|$)"
    r"|(?<!,)\s(?<!các\s)(?<!những\s)tổ\s+chức(?=\s)(?!\s+(?:thành\s+viên|chính\s+trị|xã\s+hội|đoàn))",
)  # case-sensitive: in a name the words are capitalised ("Ban Chỉ đạo", "Trung tâm Hỗ trợ")

# Abbreviations spelled out for display (unit names, recipients).
_DISPLAY = [
    (r"\bUB\s*MTTQ\s*VN\b|\bUBMTTQVN\b", "Ủy ban Mặt trận Tổ quốc Việt Nam"),
    (r"\bUB\s*MTTQ\b|\bUBMTTQ\b", "Ủy ban Mặt trận Tổ quốc"),
    (r"\bMTTQ\s*VN\b|\bMTTQVN\b", "Mặt trận Tổ quốc Việt Nam"),
    (r"\bMTTQ\b", "Mặt trận Tổ quốc"),
    (r"\bUBND\b", "Ủy ban nhân dân"),
    (r"\bHĐND\b", "Hội đồng nhân dân"),
    (r"\bLĐ\s*-?\s*TB\s*(?:&|và)\s*XH\b|\bLĐTBXH\b|\bLĐ-TBXH\b",
     "Lao động - Thương binh và Xã hội"),
    (r"\bGD\s*(?:&|và|-)\s*ĐT\b|\bGDĐT\b", "Giáo dục và Đào tạo"),
    (r"\bVH\s*,?\s*TT\s*(?:&|và)\s*DL\b|\bVHTTDL\b", "Văn hóa, Thể thao và Du lịch"),
    (r"\bTT\s*(?:&|và)\s*TT\b|\bTTTT\b", "Thông tin và Truyền thông"),
    (r"\bKH\s*(?:&|và)\s*ĐT\b", "Kế hoạch và Đầu tư"),
    (r"\bTC\s*-\s*KH\b", "Tài chính - Kế hoạch"),
    (r"\bTAND\b", "Tòa án nhân dân"),
    (r"\bVKSND\b", "Viện kiểm sát nhân dân"),
    (r"\bViện\s+KSND\b", "Viện kiểm sát nhân dân"),
    (r"\bLHPN\b", "Liên hiệp Phụ nữ"),
]
_DISPLAY_RE = [(re.compile(p), r) for p, r in _DISPLAY]
# Short forms a name is kept in as printed, but that name the same unit as the long form.
_SAME_AS = [
    (r"\bKH\s*(?:&|và)\s*CN\b|\bKHCN\b", "Khoa học và Công nghệ"),
    (r"\bNN\s*(?:&|và)\s*MT\b|\bNNMT\b", "Nông nghiệp và Môi trường"),
    (r"\bNN\s*(?:&|và)\s*PTNT\b", "Nông nghiệp và Phát triển nông thôn"),
    (r"\bBCH\s*QS\b|\bBCHQS\b", "Ban Chỉ huy Quân sự"),
    (r"\bBộ\s+CHQS\b", "Bộ Chỉ huy Quân sự"),
    (r"\bCHQS\b", "Chỉ huy Quân sự"),
    (r"\bBCH\b", "Ban Chỉ huy"),
    (r"\bPT\s*-?\s*TH\b|\bPTTH\b", "Phát thanh - Truyền hình"),
    (r"\bTTĐT\b", "Thông tin điện tử"),
    (r"\bDN\b", "doanh nghiệp"),
    (r"\bTP\b", "thành phố"),
]
_SAME_AS_RE = [(re.compile(p), r) for p, r in _SAME_AS]


def long_form(text: str) -> str:
    """:func:`expand`, and the short forms a name keeps as printed, spelled out.

    "Bộ CHQS tỉnh" → "Bộ Chỉ huy Quân sự tỉnh": for telling that two names are one unit.
    """
    text = expand(text)
    for pattern, replacement in _SAME_AS_RE:
        text = pattern.sub(replacement, text)
    return text
# Folded long forms → short forms, for unit ids.
_ID_SHORT = [
    ("lao dong thuong binh va xa hoi", "ldtbxh"), ("giao duc va dao tao", "gddt"),
    ("van hoa the thao va du lich", "vhttdl"), ("thong tin va truyen thong", "tttt"),
    ("ke hoach va dau tu", "khdt"), ("tai chinh ke hoach", "tckh"),
    ("truyen thong van hoa the thao", "tt-vh-tt"), ("van hoa thong tin", "vhtt"),
    ("ban thuong truc uy ban mat tran to quoc viet nam", "mttq"),
    ("uy ban mat tran to quoc viet nam", "mttq"), ("uy ban mat tran to quoc", "mttq"),
    ("mat tran to quoc viet nam", "mttq"), ("mat tran to quoc", "mttq"),
    ("van phong hoi dong nhan dan uy ban nhan dan", "vp-hdnd-ubnd"),
    ("uy ban nhan dan", "ubnd"), ("hoi dong nhan dan", "hdnd"), ("toa an nhan dan", "tand"),
    ("vien kiem sat nhan dan", "vksnd"), ("hoi lien hiep phu nu", "hoi-lhpn"),
    ("lien doan lao dong", "ldld"), ("khoa hoc va cong nghe", "khcn"),
    ("nong nghiep va moi truong", "nnmt"), ("bo chi huy quan su", "bo-chqs"),
    ("phat thanh truyen hinh", "ptth"), ("thanh pho", "tp"), ("thi xa", "thi-xa"),
]
_ID_DROP = {"va", "cac", "cua", "nhung", "to", "chuc", "thanh", "vien", "doan", "the"}
_ABBREVIATE = [
    ("Lao động - Thương binh và Xã hội", ["LĐ-TB&XH", "LĐTBXH"]),
    ("Khoa học và Công nghệ", ["KH&CN"]),
    ("Nông nghiệp và Môi trường", ["NN&MT"]),
    ("Bộ Chỉ huy Quân sự", ["Bộ CHQS"]),
    ("Phát thanh - Truyền hình", ["PTTH"]),
    ("Giáo dục và Đào tạo", ["GD&ĐT"]),
    ("Văn hóa, Thể thao và Du lịch", ["VHTTDL"]),
    ("Thông tin và Truyền thông", ["TT&TT"]),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam", ["UBMTTQVN", "Ủy ban MTTQ"]),
    ("Mặt trận Tổ quốc Việt Nam", ["MTTQVN", "MTTQ"]),
    ("Ủy ban nhân dân", ["UBND"]),
    ("Hội Liên hiệp Phụ nữ", ["Hội LHPN"]),
]


def expand(text: str) -> str:
    """Spell out the usual abbreviations (UBND, MTTQ, LĐ-TB&XH, ...) for display."""
    text = clean(text)
    for pattern, replacement in _DISPLAY_RE:
        text = pattern.sub(replacement, text)
    return text


_INTRO = re.compile(r"^(?:căn\s+cứ|trên\s+cơ\s+sở|bám\s+sát)\b", re.IGNORECASE)


def subject_start(text: str) -> int:
    """Where the subject starts after an opening clause.

    "Căn cứ nội dung Kế hoạch …, các sở …" → the offset of "các sở" (0 when the text has no
    such clause or no unit after it).
    """
    if not _INTRO.match(text):
        return 0
    for m in re.finditer(r",\s+", text):
        if is_org(text[m.end():]) and m.end() < 200:
            return m.end()
    return 0


def strip_title(text: str) -> tuple[str, str]:
    """("Thủ trưởng ", "các sở, ban, ngành ...") — a title in front of a unit's name, if any."""
    m = _TITLE.match(text)
    if m and _ORG_HEAD_RE.match(fold(text[m.end():])):
        return text[: m.end()], text[m.end():]
    return "", text


def is_org(text: str) -> bool:
    """Whether ``text`` starts with an organisation's name.

    After "Đề nghị", "Đối với", or a title such as "Thủ trưởng".
    """
    rest = _LEAD_IN.sub("", clean(text))
    return bool(_ORG_HEAD_RE.match(fold(strip_title(rest)[1])))


def is_person_assignment(text: str) -> bool:
    """"Giao đồng chí Phó Chủ tịch ... chủ trì": a person, by title, is given the task."""
    return bool(_PERSON_LEAD.match(clean(text)))


@dataclass
class NamedUnit:
    """A unit named at the start of a heading or paragraph.

    Attributes:
        name: the name with abbreviations spelled out, without "Đề nghị" and the like.
        written: the name as the plan writes it.
        rest: what follows the name (the task, when the heading carries one), or "".
        rest_offset: where ``rest`` starts in the text given.
        role: a role in brackets after the name ("cơ quan thường trực"), kept apart.
        title: a title before the name ("Thủ trưởng"), left out of the name.
    """

    name: str
    written: str
    rest: str
    rest_offset: int
    role: str | None = None
    title: str = ""


def split_name(text: str) -> NamedUnit:
    """Split a heading or paragraph into the unit's name and the rest.

    "Sở Tài chính bố trí kinh phí ..." → "Sở Tài chính" + "bố trí kinh phí ...";
    "Đề nghị Ủy ban MTTQ Việt Nam tỉnh và các tổ chức thành viên: Tăng cường ..." → the
    name before ":" + "Tăng cường ...".
    """
    text = clean(text)
    lead = _LEAD_IN.match(text)
    start = lead.end() if lead else 0
    title, _ = strip_title(text[start:])
    start += len(title)
    colon = text.find(":", start)
    verb = None
    for m in VERB_RE.finditer(text, start):
        if len(text[start : m.start()].split()) >= 2:  # "Ban Chỉ đạo", "Phòng Quản lý ..."
            verb = m
            break
    if verb is not None and (colon < 0 or verb.start() < colon):
        end, rest_at = verb.start(), verb.start() + 1
    elif colon >= 0:
        end, rest_at = colon, colon + 1
    else:
        end, rest_at = len(text), len(text)
    written = text[start:end].strip(" ,;-–")
    role = None
    bracket = re.search(r"\s*\(([^()]{3,120})\)\s*$", written)
    if bracket and is_org(written[: bracket.start()]):
        role = bracket.group(1).strip()
    rest_at += len(text[rest_at:]) - len(text[rest_at:].lstrip())
    rest = text[rest_at:]
    responsible = re.match(r"(?:có|chịu)\s+trách\s+nhiệm\s*:?\s*", rest, re.IGNORECASE)
    if responsible:
        rest_at += responsible.end()
        rest = rest[responsible.end():]
    name = expand(written[: bracket.start()] if role and bracket else written)
    return NamedUnit(name, written, rest, rest_at, role, title.strip())


_KEEP_TOGETHER = [  # lists that are one unit's name, not several units
    re.compile(r"\b(?:sở|ban|ngành|phòng),\s+(?=(?:ban|ngành|phòng)\b)", re.IGNORECASE),
    re.compile(r"\b(?:xã|phường|thị trấn),\s+(?=(?:xã|phường|thị trấn|đặc khu)\b)", re.IGNORECASE),
    re.compile(r"\b(cơ quan|đơn vị|địa phương|tổ chức),\s+(?=(?:đơn vị|địa phương|tổ chức|cá"
               r"\s+nhân|doanh nghiệp)\b)", re.IGNORECASE),
]
_LIST_HEADS = ("cac ", "to chuc ", "he thong ")
_GLUE = "\u2063"  # an invisible separator that keeps a comma inside a name while splitting


def split_units(text: str) -> list[str]:
    """The units of a list.

    "Sở Tài chính; Sở Y tế", "Bộ CHQS tỉnh và cơ quan, địa phương liên quan", "Ban Chỉ huy ...
    cấp tỉnh, cấp xã" (→ "... cấp tỉnh", "... cấp xã").

    A comma or "và" starts a new unit only before an organisation's name ("Sở, ban, ngành",
    "Sở Văn hóa, Thể thao và Du lịch" and "xã, phường" stay one).
    """
    text = clean(text).strip(" .;:")
    for pattern in _KEEP_TOGETHER:
        text = pattern.sub(lambda m: m.group(0).replace(",", "," + _GLUE), text)
    out: list[str] = []
    for chunk in re.split(r"\s*;\s*", text):
        pieces = re.split(r",(?!\u2063)\s+|\s+và\s+(?=\S)", chunk)
        names: list[str] = []
        for piece in pieces:
            piece = piece.strip(" .,")
            if not piece:
                continue
            level = re.match(r"^cấp\s+\S+$", piece, re.IGNORECASE)
            if level and names and re.search(r"\bcấp\s+\S+$", names[-1], re.IGNORECASE):
                names.append(re.sub(r"\bcấp\s+\S+$", piece, names[-1]))
            elif names and not (is_org(piece) or fold(piece).startswith(_LIST_HEADS)):
                joiner = " và " if f" và {piece}" in chunk else ", "
                names[-1] = f"{names[-1]}{joiner}{piece}"
            else:
                names.append(piece)
        out.extend(names)
    return [n.replace(_GLUE, "") for n in out if n]


def members_of(name: str) -> list[str]:
    """Members of a joint heading: "Tòa án nhân dân tỉnh, Viện kiểm sát nhân dân tỉnh"."""
    members = split_units(name)
    return members if len(members) > 1 else []


def unit_id(name: str, taken: Iterable[str] = ()) -> str:
    """A short kebab-case id for a unit name, unique among ``taken``."""
    folded = f" {fold(name)} "
    for long, short in _ID_SHORT:
        folded = folded.replace(f" {long} ", f" {short} ")
    words = [w for w in folded.split() if w not in _ID_DROP]
    if len(words) < 2:  # "Tỉnh đoàn" is "tinh-doan", not "tinh"
        words = folded.split()
    base = "-".join(words[:4]) or "don-vi"
    base = re.sub(r"[^a-z0-9-]+", "-", base).strip("-") or "don-vi"
    taken = set(taken)
    uid, n = base, 2
    while uid in taken:
        uid, n = f"{base}-{n}", n + 1
    return uid


_COMMUNES = re.compile(r"^(Ủy ban nhân dân|UBND)\s+(?:các\s+)?(?:xã|phường|thị trấn)(?:,\s*"
                       r"(?:xã|phường|thị trấn|đặc khu))+$", re.IGNORECASE)


def aliases_for(name: str, written: str, *, title: str = "", role: str | None = None) -> list[str]:
    """Aliases for a unit: the name as written, and the usual short forms.

    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh" → "Ủy ban MTTQ tỉnh", "Mặt trận Tổ quốc tỉnh";
    "Sở Lao động - Thương binh và Xã hội" → "Sở LĐ-TB&XH", "Sở LĐTBXH"; "Ủy ban nhân dân các
    xã, phường" → "UBND cấp xã"; a title ("Thủ trưởng ...") or a role in brackets gives the
    name as written with it.
    """
    out: list[str] = []
    if clean(written) != name:
        out.append(clean(written))
    if long_form(name) != name:
        out.append(long_form(name))
    if title:
        out.append(f"{title} {name}")
    # the same name folds the same with or without abbreviations; they are kept for people
    for long, shorts in _ABBREVIATE:
        if long.lower() in name.lower():
            at = name.lower().index(long.lower())
            for short in shorts:
                out.append(name[:at] + short + name[at + len(long):])
            break
    m = re.match(r"^Ủy ban (Mặt trận Tổ quốc)(?: Việt Nam)?\s+(.+)$", name)
    if m:
        out += [f"{m.group(1)} {m.group(2)}", f"MTTQ {m.group(2)}"]
    if "Ủy ban nhân dân" in name:
        out.append(name.replace("Ủy ban nhân dân", "UBND"))
    if _COMMUNES.match(name):
        out += ["Ủy ban nhân dân cấp xã", "UBND cấp xã", "UBND các xã, phường"]
    seen = {name.lower()}
    unique = []
    for alias in out:
        if alias.lower() not in seen:
            seen.add(alias.lower())
            unique.append(alias)
    return unique
