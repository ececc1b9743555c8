"""Incident exports (.xlsx, optionally password-encrypted) and aggregate counts.

Both are for the coordinating office and both are audited. An export leaves out the free-text
description unless asked (``with_description``); the counts carry no identifying field at all:
numbers of incidents by type, by month and by commune/ward, with small numbers optionally
hidden (``min_count``) so a count of one in a small commune does not point at a child.

A password-encrypted export is a real encrypted Office file (ECMA-376 "agile" encryption,
AES-256, via ``msoffcrypto-tool``): Excel and LibreOffice ask for the password to open it.
Stdlib ``zipfile`` cannot write password-protected zips, and openpyxl's "protection" only locks
editing, so neither is used.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session

from core.clock import VN_TZ
from core.texts import exports as tx
from features.incident_fields import (
    ACTIONS,
    AGE_GROUPS,
    KINDS,
    NO_ACTION,
    PERPETRATORS,
    SETTINGS,
    SEXES,
    STATUS_LABELS,
    URGENCY_SHORT,
    place_key,
)
from features.incidents import COUNTED, EXPORTED, IncidentView, all_views, scope
from features.permissions import Actor, load_actor
from knowledge.base import KnowledgeBase
from storage import audit
from storage.crypto import FieldCipher

HEADERS = tx.INCIDENT_HEADERS
DESCRIPTION_HEADER = tx.DESCRIPTION_HEADER
DATE_FORMAT = "%d/%m/%Y"


XLSX_DATE_FORMAT = "dd/mm/yyyy"


def _names(kb: KnowledgeBase | None, plan_id: str, unit_id: str | None) -> tuple[str, str]:
    """The plan's locality and year and the unit's name (their ids when unknown)."""
    plan = kb.get(plan_id) if kb is not None else None
    if plan is None:
        return plan_id, unit_id or ""
    unit = next((u.name for u in plan.units if u.id == unit_id), unit_id or "")
    return f"{plan.locality} ({plan.year})", unit


def _row(v: IncidentView, kb: KnowledgeBase | None = None) -> list[object]:
    actions = ", ".join(ACTIONS.get(a, a) for a in v.actions) if not v.anonymised else ""
    plan, unit = _names(kb, v.plan_id, v.unit_id)
    return [
        v.number, plan, unit, v.created_at.astimezone(VN_TZ).date(),
        v.occurred_on or "", v.occurred_month or "",
        KINDS.get(v.kind, v.kind), SETTINGS.get(v.setting or "", v.setting or ""), v.place,
        SEXES.get(v.child_sex or "", ""), AGE_GROUPS.get(v.age_group or "", ""),
        PERPETRATORS.get(v.perpetrator or "", ""),
        actions or ("" if v.anonymised else NO_ACTION), URGENCY_SHORT.get(v.urgency, v.urgency),
        STATUS_LABELS.get(v.status, v.status), tx.ANONYMISED if v.anonymised else "",
    ]


def export_xlsx(
    session: Session,
    actor: Actor,
    cipher: FieldCipher,
    *,
    now: dt.datetime,
    plan_id: str | None = None,
    with_description: bool = False,
    password: str | None = None,
    kb: KnowledgeBase | None = None,
) -> tuple[bytes, int]:
    """The incidents the actor may read as an .xlsx workbook; audited.

    Args:
        session: the session.
        actor: an admin, or a coordinator of ``plan_id``.
        cipher: the incident cipher.
        now: when.
        plan_id: only this plan (every plan the actor may read when None).
        with_description: add the description column (left out by default).
        password: encrypt the workbook with this password.
        kb: the knowledge base, for the names of plans and units (their ids without it).

    Raises:
        IncidentDenied: the actor may not read these incidents.

    Returns:
        The file's bytes and the number of incidents in it.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    plans = scope(actor, plan_id)
    views = all_views(session, cipher, plans)
    wb = Workbook()
    ws = wb.active
    ws.title = tx.SHEET_INCIDENTS
    ws.append(HEADERS + ([DESCRIPTION_HEADER] if with_description else []))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for v in views:
        ws.append(_row(v, kb) + ([v.description or ""] if with_description else []))
    for cells in ws.iter_rows(min_row=2, max_col=5):
        for cell in cells:
            if isinstance(cell.value, dt.date):
                cell.number_format = XLSX_DATE_FORMAT
    for index in range(1, ws.max_column + 1):
        ws.column_dimensions[ws.cell(1, index).column_letter].width = 18
    if with_description:
        column = ws.cell(1, ws.max_column).column_letter
        ws.column_dimensions[column].width = 80
        for (cell,) in ws.iter_rows(min_row=2, min_col=ws.max_column, max_col=ws.max_column):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    info = wb.create_sheet(tx.SHEET_INFO)
    info.append([tx.INFO_EXPORTED_AT, now.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")])
    info.append([tx.INFO_PLANS, ", ".join(plans) if plans else tx.INFO_ALL_PLANS])
    info.append([tx.INFO_INCIDENTS, len(views)])
    info.append([tx.INFO_NOTE, tx.INCIDENT_DATA_NOTE])
    out = io.BytesIO()
    wb.save(out)
    data = out.getvalue()
    if password:
        data = encrypt_office_file(data, password)
    audit.record(
        session, actor_id=actor.telegram_id, actor=actor.label, action=EXPORTED,
        target=",".join(plans) if plans else "*", plan_id=plan_id,
        details={"format": "xlsx", "rows": len(views), "description": with_description,
                 "encrypted": bool(password)},
        now=now,
    )
    return data, len(views)


def encrypt_office_file(data: bytes, password: str) -> bytes:
    """An .xlsx encrypted with ``password`` (Excel and LibreOffice ask for it)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


@dataclass
class Stats:
    """Counts of incidents, with no identifying field.

    A count below ``min_count`` is None (shown as "< min_count").
    """

    total: int
    by_kind: list[tuple[str, int | None]] = field(default_factory=list)
    by_month: list[tuple[str, int | None]] = field(default_factory=list)
    by_place: list[tuple[str, int | None]] = field(default_factory=list)
    min_count: int = 1

    def to_json(self) -> dict[str, object]:
        """The counts as plain JSON."""
        return {
            "total": self.total, "min_count": self.min_count,
            "by_kind": dict(self.by_kind), "by_month": dict(self.by_month),
            "by_place": dict(self.by_place),
        }


def stats(
    session: Session,
    actor: Actor,
    cipher: FieldCipher,
    *,
    now: dt.datetime,
    plan_id: str | None = None,
    year: int | None = None,
    min_count: int = 1,
) -> Stats:
    """Counts by type, by month (of the incident) and by commune/ward; audited.

    Args:
        session: the session.
        actor: an admin, or a coordinator of ``plan_id``.
        cipher: the incident cipher.
        now: when.
        plan_id: only this plan.
        year: only incidents that happened in this year.
        min_count: hide counts below this (1: hide nothing).

    Raises:
        IncidentDenied: the actor may not read these incidents.

    Returns:
        The counts: types in the order of :data:`KINDS`, months in order, places by count.
    """
    plans = scope(actor, plan_id)
    views = [v for v in all_views(session, cipher, plans)
             if year is None or (v.occurred_month or "").startswith(f"{year}-")]
    kinds = Counter(v.kind for v in views)
    months = Counter(v.occurred_month or "?" for v in views)
    places: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for v in views:
        key = place_key(v.place)
        shown.setdefault(key, v.place)
        places[key] += 1

    def hide(n: int) -> int | None:
        return n if n >= min_count else None

    result = Stats(
        total=len(views), min_count=min_count,
        by_kind=[(KINDS[k], hide(kinds[k])) for k in KINDS if kinds[k]],
        by_month=[(m, hide(n)) for m, n in sorted(months.items())],
        by_place=[(shown[k], hide(n)) for k, n in sorted(places.items(),
                                                          key=lambda kv: (-kv[1], kv[0]))],
    )
    audit.record(
        session, actor_id=actor.telegram_id, actor=actor.label, action=COUNTED,
        target=",".join(plans) if plans else "*", plan_id=plan_id,
        details={"total": len(views), "year": year, "min_count": min_count}, now=now,
    )
    return result


def stats_for(session: Session, cipher: FieldCipher, user_id: int, admin_ids: Iterable[int],
              *, now: dt.datetime, min_count: int = 1) -> Stats:
    """:func:`stats` for a Telegram user (``/suvu_tk``): the plans they coordinate, or all.

    Raises:
        IncidentDenied: the user reads no incident.
    """
    actor = load_actor(session, user_id, admin_ids)
    return stats(session, actor, cipher, now=now, min_count=min_count)
