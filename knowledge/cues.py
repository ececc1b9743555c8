"""The cues of a question: folded patterns of what is asked, and the ordered intent table.

Everything here matches the folded form (:func:`knowledge.textnorm.fold_search`). The intent of a
question is the first row of :data:`INTENT_RULES` whose test its :class:`Cues` pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_FINAL_Y = re.compile(r"(?<![a-z])([bdhklmnrstv]|qu)y(?![a-z])")


def _rx(*patterns: str) -> re.Pattern[str]:
    """One pattern of folded alternatives, whole words (a final y written i, as fold does)."""
    body = _FINAL_Y.sub(r"\1i", "|".join(patterns))
    return re.compile(r"(?<!\w)(?:" + body + r")(?!\w)")


# Intent cues, on folded text.
WHO = _rx(r"(?<!cho )(?<!gui )(?<!nop )(?<!voi )(?<!ve )ai", r"don vi nao", r"phong ban nao",
          r"co quan don vi nao", r"ai lo", r"nao lo", r"lo viec", r"ai phu trach",
          r"co quan nao", r"nganh nao", r"phong nao", r"so nao",
          r"ben nao", r"to chuc nao", r"cap nao", r"chiu trach nhiem", r"phu trach",
          r"chu tri", r"dam nhiem", r"giao cho", r"nguoi nao")
TASKS = _rx(r"nhiem vu", r"lam gi", r"phai (?:\w+ ){1,4}gi",
            r"thuc hien (?:\w+ ){0,2}gi", r"lam nhung gi", r"phai lam", r"trach nhiem gi",
            r"duoc giao", r"duoc phan cong", r"cong viec", r"viec gi", r"nhung viec",
            r"phan viec", r"giao viec")
DEADLINE = _rx(r"han(?! che)", r"thoi han", r"ngay nao", r"khi nao", r"bao gio", r"luc nao",
               r"truoc ngay", r"bao nhieu ngay", r"may ngay", r"sap toi", r"sap den",
               r"tiep theo", r"da qua", r"qua han", r"het han", r"den han", r"lich nop",
               r"lich bao cao", r"ky bao cao", r"thang may", r"deadline", r"nop cho ai",
               r"gui cho ai", r"gui ai", r"nop ai", r"gui ve dau", r"nop o dau", r"gui ve ai",
               r"gui len ai", r"bao cao ai", r"bao cao ve dau", r"moc", r"cac han",
               r"nhung han")
# "liệt kê hết các hạn", "có những hạn nào": every deadline of the plans in scope
ALL_DEADLINES = _rx(r"nhung han", r"cac han", r"tat ca (?:cac )?(?:han|moc)", r"liet ke",
                    r"het cac (?:han|moc)", r"nhung moc", r"cac moc", r"moc thoi gian",
                    r"han (?:\w+ ){0,3}nao (?:\w+ )?(?:nua|khac)", r"bao nhieu han", r"may han",
                    r"lich (?:nop|bao cao)")
NEXT = _rx(r"tiep theo", r"(?<!thai )lan toi", r"ky toi", r"dot toi", r"lan sau", r"ky sau",
           r"dot sau", r"sap toi", r"sap den", r"gan nhat", r"ke tiep", r"con bao nhieu ngay",
           r"con (?:dot|han|ky|lan)", r"trong nam nay",
           r"con may ngay", r"sap", r"upcoming", r"next")
CONTACTS = _rx(r"duong day nong", r"tong dai", r"so dien thoai", r"dien thoai", r"hotline",
               r"so may", r"lien he", r"goi so", r"goi dau", r"dau moi", r"111", r"18001567")
TARGETS = _rx(r"muc tieu", r"chi tieu", r"ty le", r"bao nhieu phan tram", r"phan tram",
              r"dat bao nhieu", r"muc dich", r"yeu cau (?:gi|la gi|doi voi|cua ke hoach|nao)")
FUNDING = _rx(r"kinh phi", r"ngan sach", r"nguon von", r"von", r"tai tro", r"(?<!uu )tien",
              r"vien tro", r"nguon tai chinh", r"du toan",
              r"nguon luc tai chinh", r"chi phi", r"kinh phi thuc hien")
PLAN_INFO = _rx(r"can cu", r"cong van nao", r"van ban nao", r"chi thi nao", r"quyet dinh nao",
                r"ke hoach nao cua", r"thuc hien theo", r"trien khai theo", r"ai ky", r"nguoi ky",
                r"ky ke hoach", r"ban hanh", r"ngay ban hanh", r"co quan ban hanh",
                r"pham vi", r"doi tuong nao", r"so hieu", r"ten ke hoach", r"ke hoach gi",
                r"chi thi so", r"trien khai chi thi", r"thuc hien chi thi", r"theo chi thi")
# "ai ban hành quy chế …": a document the plan asks someone to issue (a task), not the plan
OTHER_DOCUMENT = _rx(r"ban hanh (?:quy che|quy dinh|huong dan|quyet dinh|van ban|ke hoach rieng|"
                     r"ke hoach cu the|ke hoach trien khai|phuong an|chuong trinh)")
ISSUED = _rx(r"ban hanh", r"ngay ky", r"ky ngay", r"ky khi nao", r"so hieu")
SIGNER = _rx(r"ai ky", r"nguoi ky", r"ky ke hoach", r"ai ban hanh")
PLANS_LIST = _rx(r"nhung ke hoach nao", r"ke hoach nao", r"cac ke hoach", r"bao nhieu ke hoach")
JUST_DONE = _rx(r"vua het han", r"vua qua", r"vua nop", r"da nop xong", r"nop xong", r"vua xong",
                r"da qua han", r"sau khi nop")
REPORT = _rx(r"bao cao", r"nop", r"gui", r"so ket", r"tong ket")
PLAN_SUBMISSION = _rx(r"gui ke hoach", r"nop ke hoach", r"xay dung ke hoach", r"ke hoach cua",
                      r"ke hoach trien khai", r"ke hoach rieng", r"ke hoach cu the")
# "còn phòng y tế thì sao?", "thế còn Hải Dương?": the previous question about something else
FOLLOW_UP = _rx(r"thi sao", r"the con", r"con (?:\w+ ){1,8}thi sao", r"thi the nao", r"sao a",
                r"con (?:\w+ ){1,8}nua")
# small talk, by kind (checked in this order)
SMALL_TALK = (
    ("who", _rx(r"ban la ai", r"ten ban la gi", r"ban ten gi", r"ban lam duoc gi",
                r"ban giup duoc gi", r"bot la gi", r"may la ai", r"ai tao ra ban")),
    ("thanks", _rx(r"cam on", r"thanks", r"thank you", r"thank", r"tks", r"camon")),
    ("hello", _rx(r"xin chao", r"chao ban", r"chao", r"hello", r"hi", r"alo", r"helo",
                  r"chao buoi sang", r"chao moi nguoi")),
)
GREETING = _rx(r"xin chao", r"chao ban", r"chao", r"hello", r"hi", r"alo", r"cam on", r"thanks",
               r"ban khoe khong", r"khoe khong", r"ban la ai", r"ten ban la gi")
# Topics people ask chat bots about that no child-protection plan covers.
OFF_TOPIC = _rx(r"hoc phi", r"hoc bong", r"tuyen dung", r"xin viec",
                r"(?<!luc )(?<!chat )(?<!so )(?<!khoi )(?<!nang )(?<!trong )(?<!dung )(?<!lieu )"
                r"luong(?! thuc)", r"phu cap", r"thu nhap", r"thue", r"gia vang", r"vang",
                r"ty gia", r"do la", r"usd", r"chung khoan",
                r"co phieu", r"bong da", r"thoi tiet", r"gia xang", r"xang",
                r"xo so", r"lo de", r"nau", r"mon an", r"cong thuc nau", r"phim", r"bai hat",
                r"tong thong", r"ca si", r"bitcoin", r"crypto", r"lai suat",
                r"vay tien", r"ngan hang", r"ve may bay", r"khach san", r"du bao")
# Topic words of the domain: a question with none of them (and no unit or place) is not ours.
DOMAIN = _rx(r"tre em", r"tre", r"bao ve", r"xam hai", r"bao luc", r"bao cao", r"ke hoach",
             r"chuong trinh", r"han", r"nhiem vu", r"don vi", r"phong", r"so", r"uy ban",
             r"cong an", r"hoc sinh", r"truong", r"tuyen truyen", r"hoc", r"gia dinh",
             r"chi thi", r"duoi nuoc", r"tai nan", r"thuong tich", r"lao dong", r"y te",
             r"giao duc", r"phap", r"mat tran", r"doan", r"phu nu", r"dich vu", r"tong dai",
             r"111", r"18001567", r"duong day", r"kinh phi", r"muc tieu", r"chi tieu",
             r"nguoi chua thanh nien", r"ma tuy",
             r"toi pham", r"dieu tra", r"tam ly", r"hoa nhap", r"nuoi", r"cham soc",
             r"phong chong")

# Words that only say what kind of question it is; what is left is the topic.
CUE_WORDS = frozenset(
    """han thoi ngay nao khi bao gio luc truoc nhieu may sap toi den tiep theo da qua chua het
    nua oi giup biet xem hien hom roi thi la gio
    lich nop gui bao cao ky thang nam gan nhat ke con ai dau len cho so dien thoai duong day
    nong tong dai goi hotline lien he moi muc tieu chi le phan tram dat kinh phi ngan sach
    nguon von tai tro tien chi gom nhung lay tu co the la cua hoi xin cho biet vay a nhe
    nhiem vu lam gi phai duoc giao phan cong viec chiu trach nhiem phu trach don vi nao
    can cu cong van ban chi thi quyet dinh thuc hien theo trien khai ky ban hanh ke hoach
    so hieu ten pham vi doi tuong 1 01 6 06 9 09 mot sau chin ca hang dot xuat yeu cau
    o tai ve va cac voi trong khong duoc mot do day nay kia hay hoac minh toi ban sao""".split()
)
CUE_WORDS = frozenset(_FINAL_Y.sub(r"\1i", w) for w in CUE_WORDS) | frozenset(
    "liet moc dum tat lan dot ki".split())

PERIODS: list[tuple[str, re.Pattern[str]]] = [
    ("6 tháng", _rx(r"0?6 thang", r"sau thang", r"nua nam", r"giua nam", r"so ket 6 thang")),
    ("9 tháng", _rx(r"0?9 thang", r"chin thang")),
    ("năm", _rx(r"0?1 nam", r"mot nam", r"ca nam", r"hang nam", r"bao cao nam", r"cuoi nam",
                r"tong ket nam", r"nam(?= (?:cua|nop|gui|len|ve|truoc|la|thi))")),
    ("đột xuất", _rx(r"dot xuat", r"khi co yeu cau", r"bat thuong")),
]

@dataclass(frozen=True)
class Cues:
    """Which cues a question has (each from the patterns above)."""

    who: bool  # "ai", "đơn vị nào", "phòng ban nào"…
    tasks: bool  # "nhiệm vụ", "làm gì"…
    deadline: bool  # "hạn", "khi nào", "ngày nào"…
    contacts: bool  # "đường dây nóng", "số điện thoại"…
    targets: bool  # "chỉ tiêu", "mục tiêu"…
    funding: bool  # "kinh phí", "ngân sách"…
    plan_info: bool  # "căn cứ", "ai ký", "ban hành"…
    issued: bool  # "ban hành", "ngày ký"
    signer: bool  # "ai ký", "người ký"
    report: bool  # "báo cáo", "nộp", "gửi"
    next: bool  # "tiếp theo", "sắp tới"
    period: bool  # "6 tháng", "năm"
    han: bool  # the word "hạn" itself
    units: bool  # a unit of the plans is named
    follow_up: bool  # "còn … thì sao", "thế còn …"
    plans_list: bool  # "những kế hoạch nào"


@dataclass(frozen=True)
class IntentRule:
    """One row of the intent table: the first row whose test holds gives the intent."""

    intent: str
    test: Callable[[Cues], bool]
    why: str


# The intent table, in order (the contract's intents; "search" when no row holds).
INTENT_RULES: tuple[IntentRule, ...] = (
    IntentRule("plan_info", lambda c: c.plan_info and c.issued and not c.report and not c.who,
               "when/by whom the plan was issued (not a report, not who does something)"),
    IntentRule("deadline", lambda c: c.deadline and (c.report or c.next or c.period or c.han
                                                     or not c.who),
               "a deadline cue with a report, 'next', a period or 'hạn' — or no 'who'"),
    IntentRule("deadline", lambda c: (c.period or c.next) and c.report,
               "'báo cáo 6 tháng', 'báo cáo tiếp theo' without a deadline word"),
    IntentRule("contacts", lambda c: c.contacts and not c.who and not c.plan_info
               and not (c.units and c.tasks), "hotlines and focal points"),
    IntentRule("funding", lambda c: c.funding and not c.who, "money"),
    IntentRule("targets", lambda c: c.targets and not c.who, "targets"),
    IntentRule("plan_info", lambda c: c.plan_info and not c.tasks and not (c.who and not c.signer),
               "legal basis, issuer, signer, scope"),
    IntentRule("unit_tasks", lambda c: c.units and c.tasks and not c.who,
               "what a named unit has to do"),
    IntentRule("unit_tasks", lambda c: c.units and c.follow_up and not c.who,
               "'còn phòng y tế thì sao?'"),
    IntentRule("unit_tasks", lambda c: c.units and c.plans_list and not c.who,
               "which plans give the unit a task: the unit in every plan"),
    IntentRule("responsible", lambda c: c.who or c.tasks, "who does something"),
)


def classify(cues: Cues) -> str:
    """The intent of the first row of :data:`INTENT_RULES` that holds, else ``search``."""
    return next((rule.intent for rule in INTENT_RULES if rule.test(cues)), "search")
