"""One way to write a date, a number, a quotation and a plan's name, for every layer.

- dates: ``dd/mm/yyyy`` (:func:`date`), with the time "13:12 ngày 01/12/2026" (:func:`date_time`);
- numbers: Vietnamese thousands separators, "4.000" (:func:`number`);
- quotations: curly double quotes, “…” (:func:`quote`), as the plans themselves print them;
- a plan: its short label "Quận 3 (2020)" (:func:`plan_label`, buttons and sentences that say
  "kế hoạch …" before it) and its name "Kế hoạch Quận 3 2020" (:func:`plan_name`, where an
  answer or a source line opens with the plan).

The term for the person who runs a plan is "người điều phối" (:data:`COORDINATOR`).
"""

from __future__ import annotations

import datetime as dt
import re

COORDINATOR = "người điều phối"
OPEN_QUOTE, CLOSE_QUOTE = "“", "”"


def date(day: dt.date) -> str:
    """A date as ``dd/mm/yyyy``: "01/12/2026"."""
    return f"{day:%d/%m/%Y}"


def month(day: dt.date) -> str:
    """A month as ``m/yyyy``: "6/2025"."""
    return f"{day.month}/{day.year}"


def date_time(moment: dt.datetime) -> str:
    """A moment in a sentence: "13:12 ngày 01/12/2026" ("nhận lúc 13:12 ngày 01/12/2026")."""
    return f"{moment:%H:%M} ngày {moment:%d/%m/%Y}"


def iso_date(iso: str) -> str:
    """An ISO date ("2026-12-01") as ``dd/mm/yyyy``; anything else is returned as it is."""
    try:
        return date(dt.date.fromisoformat(iso))
    except ValueError:
        return iso


def number(value: int) -> str:
    """An integer with Vietnamese thousands separators: 4000 → "4.000", -12500 → "-12.500"."""
    return f"{value:,}".replace(",", ".")


def quote(text: str) -> str:
    """``text`` in the one quotation style of the texts: “text”."""
    return f"{OPEN_QUOTE}{text}{CLOSE_QUOTE}"


def _capitalised(locality: str) -> str:
    return locality[:1].upper() + locality[1:]


def plan_label(locality: str, year: int) -> str:
    """A plan's short label: "Quận 3 (2020)", "Tỉnh Hải Dương (2017)"."""
    return f"{_capitalised(locality)} ({year})"


def plan_name(locality: str, year: int) -> str:
    """A plan's name where a sentence opens with it: "Kế hoạch Quận 3 2020"."""
    return f"Kế hoạch {locality} {year}"


_REPEAT = re.compile(r"(?<!\w)(\w+(?:\s+\w+){1,2})\s+(?=\1(?!\w))", re.IGNORECASE)
_NOTE = re.compile(r"\s*\(([^()]*)\)")


def title(text: str, *notes: str) -> str:
    """A title said once, with each of ``notes`` in brackets when it does not say it yet.

    A run of two or three words said twice in a row is dropped ("Báo cáo Báo cáo năm" →
    "Báo cáo năm"); a note is not added to a title that already has a bracketed note or the
    note's words ("… (khi có yêu cầu)" or "Báo cáo đột xuất" gets no "(đột xuất)").
    """
    out = _REPEAT.sub("", " ".join(text.split()))
    for note in notes:
        if note and not _NOTE.search(out) and note.lower() not in out.lower():
            out = f"{out} ({note})"
    return out
