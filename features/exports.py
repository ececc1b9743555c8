"""Exports of submissions (.xlsx, .csv) and the status chart (.png).

The tables are built here so the chat (``/xuat``) and the command line
(``kehoach reports export``) give the same file. Column headings and status labels are part
of the file format and live here; the chat's texts reuse them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from core.clock import VN_TZ
from core.texts import exports as tx
from core.texts.reports import STATUS_LABELS
from features.permissions import Action, Actor, require
from features.rates import OccurrenceRate, occurrence_rates
from features.reports import (
    STATUS_LATE,
    STATUS_MISSING,
    STATUS_ON_TIME,
    STATUS_OVERDUE,
    Board,
    Period,
    ReportView,
    list_reports,
    local_date,
    status_board,
)
from knowledge.base import KnowledgeBase
from storage import audit
from storage.models import Person, Registration, Submission

ADHOC_LABEL = tx.ADHOC_LABEL
STATUS_COLOURS = {
    STATUS_ON_TIME: "#2e7d32", STATUS_LATE: "#ef6c00", STATUS_MISSING: "#9e9e9e",
    STATUS_OVERDUE: "#c62828",
}
HEADERS = tx.HEADERS
HEADERS_ALL = tx.HEADERS_ALL
FORMATS = ("xlsx", "csv")
TIME_FORMAT = "%d/%m/%Y %H:%M"
DATE_FORMAT = "%d/%m/%Y"
# Excel number formats of the time and date cells (the workbook holds real dates).
XLSX_TIME_FORMAT = "dd/mm/yyyy hh:mm"
XLSX_DATE_FORMAT = "dd/mm/yyyy"


@dataclass
class Table:
    """An export: a title, headings and rows of plain values."""

    title: str
    headers: list[str]
    rows: list[list[object]] = field(default_factory=list)
    notes: list[tuple[str, object]] = field(default_factory=list)  # on the information sheet


def _when(moment: dt.datetime | None) -> dt.datetime | str:
    """A local, naive time (spreadsheets have no time zones), or "" when there is none."""
    return moment.astimezone(VN_TZ).replace(tzinfo=None) if moment else ""


def _officer_names(session: Session, plan_id: str) -> dict[int, str]:
    """The registered name of each person registered in a plan, by Telegram id."""
    rows = session.exec(
        select(Person.telegram_id, Person.full_name)
        .join(Registration, col(Registration.telegram_id) == col(Person.telegram_id))
        .where(Registration.plan_id == plan_id)
    ).all()
    return {telegram_id: name for telegram_id, name in rows if name}


def _first_submitted(session: Session, plan_id: str) -> dict[str, dt.datetime]:
    """When each current report (by its receipt number) was first submitted."""
    rows = session.exec(select(Submission).where(Submission.plan_id == plan_id)).all()
    return {s.current_number: s.first_submitted_at for s in rows}


def _status_of(due: dt.date | None, first: dt.datetime | None) -> str:
    if due is None or first is None:
        return ADHOC_LABEL
    return STATUS_LABELS[STATUS_LATE if local_date(first) > due else STATUS_ON_TIME]


def build_table(
    session: Session, kb: KnowledgeBase, plan_id: str, period: Period | None, today: dt.date
) -> Table:
    """The rows of an export: one per submitting unit for a period, or every current report.

    Args:
        session: the session.
        kb: the knowledge base.
        plan_id: the plan.
        period: a dated period (a row per unit, missing ones included), or None for every
            report of the plan (ad-hoc ones included).
        today: the date in Asia/Ho_Chi_Minh.

    Returns:
        The table.
    """
    plan = kb.get(plan_id)
    names = {u.id: u.name for u in plan.units} if plan else {}
    officers = _officer_names(session, plan_id)

    def sender(rep: ReportView) -> str:
        return officers.get(rep.submitted_by) or rep.submitter_name

    if period is not None:
        board = status_board(session, kb, period, today)
        reports = {
            r.unit_id: r
            for r in list_reports(
                session, plan_id=plan_id, deadline_id=period.deadline_id, due_date=period.due_date
            )
        }
        due = tx.TITLE_DUE.format(due=f"{period.due_date:%d/%m/%Y}") if period.due_date else ""
        table = Table(f"{period.title}{due}", list(HEADERS))
        table.notes = rate_notes(occurrence_rates(session, kb, [period], today))
        for row in board.rows:
            rep = reports.get(row.unit_id)
            table.rows.append([
                row.unit_name, STATUS_LABELS[row.status], _when(row.last_submitted_at),
                row.number or "", row.versions or "", sender(rep) if rep else "",
                (rep.text or "") if rep else "", (rep.file_name or "") if rep else "",
            ])
        return table
    table = Table(plan.title if plan else plan_id, list(HEADERS_ALL))
    first = _first_submitted(session, plan_id)
    for rep in list_reports(session, plan_id=plan_id):
        table.rows.append([
            rep.title, rep.due_date or "", names.get(rep.unit_id, rep.unit_id),
            _status_of(rep.due_date, first.get(rep.number)), _when(rep.submitted_at),
            rep.number, rep.version, sender(rep), rep.text or "", rep.file_name or "",
        ])
    return table


def rate_notes(figures: Sequence[OccurrenceRate]) -> list[tuple[str, object]]:
    """The completeness and timeliness of a period, as (label, value) lines of an export."""
    notes: list[tuple[str, object]] = []
    for r in figures:
        notes += [
            (tx.NOTE_EXPECTED, r.expected), (tx.NOTE_RECEIVED, r.received),
            (tx.NOTE_ON_TIME, r.on_time), (tx.NOTE_LATE, r.late), (tx.NOTE_MISSING, r.missing),
            (tx.NOTE_RATE, "" if r.rate is None else r.rate),
            (tx.NOTE_ON_TIME_RATE, "" if r.on_time_rate is None else r.on_time_rate),
        ]
        if r.grace_days:
            notes.append((tx.NOTE_GRACE, r.grace_days))
        if r.exempt:
            notes.append((tx.NOTE_EXEMPT, r.exempt))
    return notes


def export(
    session: Session,
    actor: Actor,
    kb: KnowledgeBase,
    plan_id: str,
    period: Period | None,
    *,
    fmt: str,
    now: dt.datetime,
) -> bytes:
    """Export the submissions of a plan (a period, or all) as ``xlsx`` or ``csv``; audited.

    Raises:
        PermissionDenied: not a coordinator of the plan nor an admin.
        ValueError: an unknown format.

    Returns:
        The file's bytes (CSV in UTF-8 with a BOM, for spreadsheet programs).
    """
    require(actor, Action.EXPORT, plan_id=plan_id)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    table = build_table(session, kb, plan_id, period, now.astimezone(VN_TZ).date())
    audit.record(
        session, actor_id=actor.telegram_id, actor=actor.label, action=audit.EXPORTED,
        target=(period.key or "adhoc") if period else "all", plan_id=plan_id,
        details={"format": fmt, "rows": len(table.rows)}, now=now,
    )
    return to_xlsx(table) if fmt == "xlsx" else to_csv(table).encode("utf-8-sig")


def to_xlsx(table: Table) -> bytes:
    """The table as an .xlsx workbook: headings in row 1, one row per line, title in sheet 2."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = tx.SHEET_REPORTS
    ws.append(table.headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        ws.append(row)
    for cells in ws.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = XLSX_TIME_FORMAT
            elif isinstance(cell.value, dt.date):
                cell.number_format = XLSX_DATE_FORMAT
    widths = {tx.HEADING_UNIT: 45, tx.HEADING_CONTENT: 80, tx.HEADING_PERIOD: 45,
              tx.HEADING_FILE: 30}
    for index, heading in enumerate(table.headers, start=1):
        ws.column_dimensions[ws.cell(1, index).column_letter].width = widths.get(heading, 18)
        if heading == tx.HEADING_CONTENT:
            for cell in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell[0].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    info = wb.create_sheet(tx.SHEET_INFO)
    info.append([tx.INFO_WHAT, table.title])
    info.append([tx.INFO_ROWS, len(table.rows)])
    for label, value in table.notes:
        info.append([label, value])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _text(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.strftime(TIME_FORMAT)
    if isinstance(value, dt.date):
        return value.strftime(DATE_FORMAT)
    return value


def to_csv(table: Table) -> str:
    """The table as CSV text (headings first)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.headers)
    writer.writerows([_text(v) for v in row] for row in table.rows)
    return out.getvalue()


def chart_png(boards: Sequence[Board], *, heading: str = tx.CHART_HEADING) -> bytes:
    """A PNG of the boards: a bar per unit coloured by its status. Names and dates only.

    Args:
        boards: the boards (one panel each).
        heading: the figure's title.

    Returns:
        The PNG bytes.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    heights = [max(len(b.rows), 1) for b in boards] or [1]
    fig = Figure(figsize=(9, 1.2 + 0.38 * sum(heights) + 0.8 * len(heights)), dpi=100)
    FigureCanvasAgg(fig)
    axes = fig.subplots(len(heights), 1, squeeze=False, height_ratios=heights)[:, 0]
    for ax, board in zip(axes, boards, strict=False):
        rows = list(reversed(board.rows))
        ax.barh(
            range(len(rows)), [1] * len(rows),
            color=[STATUS_COLOURS[r.status] for r in rows], height=0.7,
        )
        for y, r in enumerate(rows):
            label = tx.CHART_LABEL.format(unit=r.unit_name, status=STATUS_LABELS[r.status])
            if r.last_submitted_at:
                label += f" ({r.last_submitted_at.astimezone(VN_TZ):%d/%m %H:%M})"
            ax.text(0.01, y, label, va="center", ha="left", color="white", fontsize=9)
        ax.set_yticks([])
        ax.set_xticks([])
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.6, len(rows) - 0.4)
        day = board.period.due_date
        due = tx.TITLE_DUE.format(due=f"{day:%d/%m/%Y}") if day else ""
        title = textwrap.shorten(f"{board.period.title}{due}", width=95, placeholder="…")
        ax.set_title(title, fontsize=10, loc="left")
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
    if not boards:
        axes[0].set_axis_off()
    fig.suptitle(heading, fontsize=12)
    fig.legend(
        handles=[Patch(color=STATUS_COLOURS[s], label=STATUS_LABELS[s]) for s in STATUS_LABELS],
        loc="lower center", ncol=4, fontsize=9, frameon=False,
    )
    fig.tight_layout(rect=(0, 0.05, 1, 0.97))
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
