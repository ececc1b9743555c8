"""Typed schema of a plan file (``knowledge/plans/<id>.yaml``).

Every fact carries the section number as printed in the plan (``section``) and the line of
the source text where it starts (``line``, 1-based, in ``knowledge/plans/<id>.txt``), so an
answer can cite it and a test can check it against the source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Cited(_Model):
    """Something that can be cited: a section as printed and the source line."""

    section: str = Field(description='Section number as printed, e.g. "III.1.4" or "V.1".')
    line: int = Field(ge=1, description="1-based line in the plan's source text.")
    review: bool = Field(default=False, description="Set by `kehoach ingest` on drafts.")


class LegalBasis(Cited):
    """A document the plan is based on (căn cứ / thực hiện)."""

    number: str = Field(description='Document number, e.g. "23/CT-TTg" or "75/KH-UBND".')
    date: dt.date | None = None
    issuer: str | None = None
    title: str = Field(description="The reference as written in the plan.")


class Target(Cited):
    """An objective or a target (chỉ tiêu / mục tiêu)."""

    kind: Literal["general", "specific"] = "specific"
    text: str
    value: str | None = Field(default=None, description='The number, e.g. "92%" or "dưới 1%".')


class Funding(Cited):
    """A funding source (kinh phí)."""

    text: str


class Contact(Cited):
    """A hotline or focal point."""

    name: str
    number: str | None = Field(default=None, description="Phone number; None when not given.")
    text: str


class Event(Cited):
    """An event with a period, e.g. Tháng hành động vì trẻ em (01/6–30/6/2023)."""

    name: str
    start: dt.date
    end: dt.date
    text: str


class Passage(Cited):
    """A passage of the plan outside the task assignment, for best-effort search."""

    heading: str = ""
    text: str


class Task(Cited):
    """One task a unit is given (usually one bullet of its heading)."""

    text: str
    lead: list[str] = Field(
        default_factory=list,
        description="Unit ids that lead (chủ trì) this task when it names another lead.",
    )
    cooperating: list[str] = Field(
        default_factory=list, description="Unit ids named as cooperating (phối hợp)."
    )
    partners: list[str] = Field(
        default_factory=list,
        description="Other organisations named in the task that are not units of the plan.",
    )


class Unit(Cited):
    """A unit with a task-assignment heading in the plan."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(description="Full name as the heading writes it, abbreviations expanded.")
    aliases: list[str] = Field(default_factory=list)
    role: str | None = Field(
        default=None, description='A role the plan gives it in brackets ("cơ quan thường trực").'
    )
    members: list[str] = Field(
        default_factory=list,
        description="For a joint heading (TAND tỉnh, VKSND tỉnh): the names of its members.",
    )
    tasks: list[Task] = Field(default_factory=list)


RuleKind = Literal["once", "yearly", "monthly", "quarterly", "daily", "period", "relative",
                   "none"]


class DateRule(_Model):
    """When something is due.

    - ``once``: one date (``date``), for example "trước ngày 10 tháng 11 năm 2020";
    - ``yearly``: every year on ``month``/``day`` from ``first_year`` on (and up to
      ``last_year`` when the plan's validity ends), e.g. "định kỳ 06 tháng (trước 10/6)";
    - ``monthly``: every month on ``day`` ("trước ngày 10 hằng tháng");
    - ``quarterly``: every quarter on ``day`` of its ``month`` (1–3, the month within the
      quarter; 3 = its last month), e.g. "trước ngày 20 tháng cuối quý";
    - ``daily``: every day, before ``time`` when given ("trước 19h00 hằng ngày");
    - ``period``: a span, due at its ``date`` (its end) when the plan gives one, from ``start``
      ("từ ngày 08 đến ngày 10 tháng 12 năm 2025", "Quý IV/2025", "Năm 2025 và các năm tiếp
      theo" — open-ended: no date);
    - ``relative``: counted from an event the plan cannot date ("trong thời hạn 10 ngày kể từ
      ngày nhận Kế hoạch": ``days`` = 10, ``after`` = "ngày nhận Kế hoạch");
    - ``none``: the plan sets no date ("khi có yêu cầu", "định kỳ báo cáo", "theo quy định").

    Any rule may carry ``time`` ("19:00"), the time of day it is due.
    """

    kind: RuleKind
    date: dt.date | None = None
    start: dt.date | None = Field(default=None, description="For a period: its first day.")
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)
    first_year: int | None = None
    last_year: int | None = None
    time: str | None = Field(default=None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$",
                             description='Time of day, "HH:MM".')
    days: int | None = Field(default=None, ge=0, description="For a relative rule: how many.")
    after: str | None = Field(default=None, description="For a relative rule: counted from.")
    text: str = Field(description='The rule as the plan writes it, e.g. "trước 10/6".')

    @model_validator(mode="after")
    def _consistent(self) -> DateRule:
        if self.kind == "once" and self.date is None:
            raise ValueError("a 'once' rule needs a date")
        if self.kind == "yearly":
            if self.month is None or self.day is None:
                raise ValueError("a 'yearly' rule needs month and day")
            dt.date(2024, self.month, self.day)  # raises on 31/2 and the like
        if self.kind in ("monthly", "quarterly") and self.day is None:
            raise ValueError(f"a '{self.kind}' rule needs a day")
        if self.kind == "monthly" and self.month is not None:
            raise ValueError("a 'monthly' rule has no month")
        if self.kind == "quarterly" and self.month is not None and self.month > 3:
            raise ValueError("a 'quarterly' rule's month is 1, 2 or 3 (within the quarter)")
        if self.kind == "period" and self.start and self.date and self.date < self.start:
            raise ValueError("a period ends before it starts")
        if self.kind in ("daily", "relative", "none") and (self.date or self.month or self.day):
            raise ValueError(f"a '{self.kind}' rule carries no date")
        if self.kind != "period" and self.start is not None:
            raise ValueError("only a 'period' rule has a start")
        if self.kind != "relative" and (self.days is not None or self.after):
            raise ValueError("only a 'relative' rule counts days from an event")
        return self

    @property
    def dated(self) -> bool:
        """Whether the rule gives dates (a reminder can be set for it)."""
        return self.kind in ("once", "yearly", "monthly", "quarterly", "daily") or (
            self.kind == "period" and self.date is not None
        )


class Deadline(Cited):
    """A reporting or submission deadline."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(description='Short title, e.g. "Báo cáo 6 tháng kết quả thực hiện".')
    kind: Literal["report", "plan", "task"] = "report"
    period: Literal["ngày", "tháng", "quý", "6 tháng", "9 tháng", "năm", "đột xuất"] | None = None
    rule: DateRule
    submitters: list[str] = Field(
        default_factory=list, description="Unit ids that must submit (for reminders)."
    )
    submitters_text: str = Field(description="Who submits, as the plan writes it.")
    recipient: str = Field(description="To whom, full name.")
    via: str | None = Field(default=None, description="Through whom (qua ...), if said.")
    text: str = Field(description="The sentence of the plan that sets the deadline.")


DocumentKind = Literal["kế hoạch", "chương trình", "công văn", "chỉ thị", "quyết định",
                       "hướng dẫn", "công điện", "thông báo", "khác"]


class Plan(_Model):
    """One plan (kế hoạch) and everything the assistant knows of it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    kind: DocumentKind = Field(
        default="kế hoạch", description="What the document is: a plan, or a letter, directive…"
    )
    document_number: str | None = None
    issuer: str
    level: Literal["tỉnh", "thành phố", "quận", "huyện", "thị xã", "xã"]
    locality: str = Field(description='e.g. "Quận 3", "tỉnh Hải Dương".')
    province: str | None = None
    locality_aliases: list[str] = Field(default_factory=list)
    year: int
    date_issued: dt.date | None = None
    date_text: str | None = Field(default=None, description="The date line as printed.")
    signer: str | None = None
    signer_title: str | None = None
    scope: str | None = None
    source: str = Field(description="File name of the source text beside this file.")
    legal_bases: list[LegalBasis] = Field(default_factory=list)
    objectives: list[Target] = Field(default_factory=list)
    funding: list[Funding] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    units: list[Unit] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    passages: list[Passage] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self) -> Plan:
        ids = [u.id for u in self.units]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"duplicate unit ids: {sorted(dupes)}")
        known = set(ids)
        for unit in self.units:
            for task in unit.tasks:
                bad = [u for u in task.lead + task.cooperating if u not in known]
                if bad:
                    raise ValueError(f"task at line {task.line} names unknown unit ids {bad}")
        for d in self.deadlines:
            bad = [u for u in d.submitters if u not in known]
            if bad:
                raise ValueError(f"deadline {d.id} names unknown unit ids {bad}")
        dl = [d.id for d in self.deadlines]
        if len(dl) != len(set(dl)):
            raise ValueError("duplicate deadline ids")
        return self

    def review_count(self) -> int:
        """How many items still carry ``review: true`` (a draft not yet checked)."""
        tasks = [t for u in self.units for t in u.tasks]
        groups: list[Sequence[Any]] = [
            self.legal_bases, self.objectives, self.funding, self.contacts, self.events,
            self.units, self.deadlines, self.passages, tasks,
        ]
        return sum(1 for group in groups for item in group if item.review)

    def unit(self, unit_id: str) -> Unit:
        """Return the unit with this id (KeyError if none)."""
        for u in self.units:
            if u.id == unit_id:
                return u
        raise KeyError(unit_id)
