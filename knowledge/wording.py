"""How the engine names things in its sentences: plans, places, quoted tasks."""

from __future__ import annotations

import datetime as dt
import re

from core.texts import answers as P, format as F
from knowledge.schema import Plan
from knowledge.textnorm import clean
from knowledge.tuning import TASK_CHARS

_KIND_WORDS = ("Tỉnh ", "Thành phố ", "Huyện ", "Thị xã ", "Xã ", "Phường ", "Thị trấn ",
               "Đặc khu ", "Quận ")


def shorten(text: str, limit: int = TASK_CHARS) -> str:
    """``text`` cut at a word to at most ``limit`` characters, with "…" when cut."""
    text = clean(text)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def plan_label(plan: Plan) -> str:
    """How answers name a plan: "Kế hoạch <locality> <year>" (:func:`.format.plan_name`)."""
    return F.plan_name(plan.locality, plan.year)


def in_sentence(name: str) -> str:
    """A place's name inside a sentence: "tỉnh Nghệ An", "phường Xuân Hòa", but "Quận 3"."""
    for kind in _KIND_WORDS:
        if name.startswith(kind) and not name[len(kind):].split()[0].isdigit():
            return name[0].lower() + name[1:]
    return name


def whole_month(start: dt.date, end: dt.date) -> bool:
    """Whether [start, end] is one whole calendar month."""
    nxt = end + dt.timedelta(days=1)
    return start.day == 1 and nxt.day == 1 and (start.year, start.month) == (end.year, end.month)


_CLAUSE_END = re.compile(r"[;.:!?(]")
SUGGESTION_WORDS = 16


def suggested_question(task: str, unit: str, locality: str) -> str:
    """A whole question a close task answers: "Ai tập huấn cho cộng tác viên (Hải Dương)?".

    The task's first clause when it is short enough to read as a question (cut at a comma when
    longer), else "<unit> có nhiệm vụ gì (<place>)?" — never a fragment ending in "…".
    """
    clause = _CLAUSE_END.split(clean(task), 1)[0].strip(" ,")
    words = clause.split()
    if len(words) > SUGGESTION_WORDS:
        head = " ".join(words[:SUGGESTION_WORDS])
        clause = head.rsplit(",", 1)[0] if "," in head else ""
    if len(clause.split()) < 3:
        return P.ASK_UNIT_TASKS.format(unit=unit, place=locality)
    return P.ASK_WHO.format(clause=clause[0].lower() + clause[1:], place=locality)
