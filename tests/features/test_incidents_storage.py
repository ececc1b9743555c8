"""Incident services on SQLite and PostgreSQL: encryption at rest, numbers, idempotency,
role checks, audit of every read, retention, exports, counts, keys."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlmodel import select

from bot.app import build_application
from bot.local_api import LocalBotApi, LocalRequest
from core.clock import VN_TZ
from features import incident_drafts, incident_exports, incident_fields, incidents
from features.incident_drafts import Form
from features.incident_fields import IncidentDenied, IncidentInvalid
from storage import audit
from storage.crypto import FieldCipher, IncidentKeyError, check_incident_key, generate_key
from storage.models import Incident
from tests.support.factories import TEST_INCIDENT_KEY, make_settings
from tests.support.incidents_kit import (
    ADMIN_ACTOR,
    COORD_ACTOR,
    OFFICER,
    OFFICER_ACTOR,
    OTHER_COORD_ACTOR,
    OTHER_OFFICER_ACTOR,
    PLAN,
    PLANTED,
    PLANTED_MARK,
    STRANGER_ACTOR,
    cipher,
    draft,
)

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=VN_TZ)


def _create(db, actor=OFFICER_ACTOR, *, message_id: int = 1, now=NOW, **changes):
    return db.call(incidents.create, actor, cipher(), draft(**changes),
                   source_chat_id=actor.telegram_id, source_message_id=message_id, now=now)


# --- storage at rest -------------------------------------------------------------------------


def test_sqlite_file_holds_no_planted_text(sqlite_db) -> None:
    """The raw SQLite files (database, WAL) never contain the description, draft or stored."""
    _create(sqlite_db)
    form = Form(state="actions", draft=draft(description=PLANTED + " (bản nháp)"),
                plan_id=PLAN, unit_id="phong-yte")
    sqlite_db.call(incident_drafts.save, cipher(), OFFICER, OFFICER, form, NOW)
    path = Path(sqlite_db.url.database)
    raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    assert b"SV-2026-0001" in raw  # the dump is readable: plain columns are found
    for needle in (PLANTED, PLANTED_MARK, "thắt lưng", "Phường 5"):
        assert needle.encode("utf-8") not in raw
        assert needle.encode("utf-16-le") not in raw


def test_database_rows_hold_no_planted_text(db) -> None:
    """Every row of every table, as text (PostgreSQL and SQLite), lacks the description."""
    _create(db)
    form = Form(state="actions", draft=draft(), plan_id=PLAN, unit_id="phong-yte")
    db.call(incident_drafts.save, cipher(), OFFICER, OFFICER, form, NOW)
    db.call(incidents.read, COORD_ACTOR, cipher(), "SV-2026-0001", now=NOW)
    dump = []
    with db.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
            dump += [repr(tuple(row)) for row in rows]
    everything = "\n".join(dump)
    assert "SV-2026-0001" in everything
    assert "incident.read" in everything
    for needle in (PLANTED_MARK, "thắt lưng", "Phường 5", "step_parent", "violence"):
        assert needle not in everything


# --- numbers and idempotency -----------------------------------------------------------------


def test_numbers_per_year_and_same_message_once(db) -> None:
    first = _create(db, message_id=10)
    again = _create(db, message_id=10)
    second = _create(db, message_id=11)
    next_year = _create(db, message_id=12, now=dt.datetime(2027, 1, 1, 0, 5, tzinfo=VN_TZ))
    assert (first.number, first.new) == ("SV-2026-0001", True)
    assert (again.number, again.new) == ("SV-2026-0001", False)
    assert second.number == "SV-2026-0002"
    assert next_year.number == "SV-2027-0001"
    assert len(db.call(lambda s: s.exec(select(Incident)).all())) == 3
    logged = db.call(audit.list_entries, action=incidents.LOGGED)
    assert len(logged) == 3  # the repeat is not logged again


def test_incomplete_draft_refused(db) -> None:
    with pytest.raises(IncidentInvalid, match="missing:description"):
        _create(db, description=None)
    with pytest.raises(IncidentInvalid, match="unknown:kind"):
        _create(db, kind="gossip")


# --- who may do what -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [(STRANGER_ACTOR, False), (COORD_ACTOR, False), (ADMIN_ACTOR, False),
     (OTHER_OFFICER_ACTOR, True), (OFFICER_ACTOR, True)],
)
def test_only_officers_log(db, actor, allowed) -> None:
    if not allowed:
        with pytest.raises(IncidentDenied):
            _create(db, actor)
        return
    logged = _create(db, actor)
    assert logged.plan_id == actor.officer_of[0]


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [(STRANGER_ACTOR, False), (OFFICER_ACTOR, False), (OTHER_OFFICER_ACTOR, False),
     (OTHER_COORD_ACTOR, False), (COORD_ACTOR, True), (ADMIN_ACTOR, True)],
)
def test_read_list_status_export_stats_need_the_plan(db, actor, allowed) -> None:
    _create(db)
    c = cipher()
    calls = [
        lambda s: incidents.read(s, actor, c, "SV-2026-0001", now=NOW),
        lambda s: incidents.set_status(s, actor, c, "SV-2026-0001", "handled", now=NOW),
        lambda s: incident_exports.export_xlsx(s, actor, c, now=NOW, plan_id=PLAN),
        lambda s: incident_exports.stats(s, actor, c, now=NOW, plan_id=PLAN),
    ]
    for call in calls:
        if allowed:
            db.call(call)
        else:
            with pytest.raises(IncidentDenied):
                db.call(call)
    listed = None
    try:
        listed = db.call(incidents.list_recent, actor, c, now=NOW)
    except IncidentDenied:
        assert not allowed
    if listed is not None:  # a coordinator of another plan lists only their own plan
        assert [v.number for v in listed] == (["SV-2026-0001"] if allowed else [])


def test_every_read_and_export_is_audited(db) -> None:
    _create(db)
    c = cipher()
    db.call(incidents.list_recent, COORD_ACTOR, c, now=NOW)
    view = db.call(incidents.read, COORD_ACTOR, c, "SV-2026-0001", now=NOW)
    db.call(incidents.set_status, COORD_ACTOR, c, "SV-2026-0001", "referred", now=NOW)
    db.call(incident_exports.export_xlsx, ADMIN_ACTOR, c, now=NOW)
    db.call(incident_exports.stats, ADMIN_ACTOR, c, now=NOW)
    assert view.description == PLANTED
    entries = db.call(audit.list_entries, action="incident.")
    assert [e.action for e in reversed(entries)] == [
        incidents.LOGGED, incidents.LISTED, incidents.READ, incidents.STATUS_CHANGED,
        incidents.EXPORTED, incidents.COUNTED,
    ]
    assert {e.actor_id for e in entries[2:5]} == {COORD_ACTOR.telegram_id}
    assert all(PLANTED_MARK not in repr(e.details) for e in entries)
    status = entries[2]
    assert (status.target, status.details) == ("SV-2026-0001", {"from": "new", "to": "referred"})


# --- retention -------------------------------------------------------------------------------


def test_retention_anonymises_old_incidents_audited(db) -> None:
    _create(db, message_id=1, now=NOW - dt.timedelta(days=800))  # about 26 months ago
    _create(db, message_id=2, now=NOW - dt.timedelta(days=30), kind="drowning")
    result = db.call(incidents.purge, ADMIN_ACTOR, cipher(), months=24, now=NOW)
    assert result.anonymised == ["SV-2024-0001"]
    old = db.call(incidents.read, ADMIN_ACTOR, cipher(), "SV-2024-0001", now=NOW)
    recent = db.call(incidents.read, ADMIN_ACTOR, cipher(), "SV-2026-0001", now=NOW)
    assert old.anonymised
    assert recent.description == PLANTED
    assert (old.kind, old.place, old.occurred_month) == ("violence", "Phường 5", "2026-11")
    assert (old.description, old.perpetrator, old.child_sex, old.occurred_on) == (
        None, None, None, None)
    row = db.call(lambda s: s.exec(select(Incident).where(Incident.number == "SV-2024-0001")
                                   ).one())
    assert (row.reported_by, row.source_chat_id, row.source_message_id) == (None, None, None)
    again = db.call(incidents.purge, ADMIN_ACTOR, cipher(), months=24, now=NOW)
    assert again.anonymised == []  # once is enough
    entries = db.call(audit.list_entries, action=incidents.ANONYMISED)
    assert len(entries) == 1
    assert entries[0].details["numbers"] == ["SV-2024-0001"]
    counts = db.call(incident_exports.stats, ADMIN_ACTOR, cipher(), now=NOW)
    assert counts.total == 2  # anonymised incidents still count


def test_retention_delete_and_only_admins(db) -> None:
    _create(db, message_id=1, now=NOW - dt.timedelta(days=800))
    _create(db, message_id=2)
    with pytest.raises(IncidentDenied):
        db.call(incidents.purge, COORD_ACTOR, cipher(), months=24, now=NOW, delete=True)
    result = db.call(incidents.purge, ADMIN_ACTOR, cipher(), months=24, now=NOW, delete=True)
    assert result.deleted == ["SV-2024-0001"]
    left = db.call(lambda s: [r.number for r in s.exec(select(Incident)).all()])
    assert left == ["SV-2026-0001"]
    assert db.call(audit.list_entries, action=incidents.DELETED)[0].details["count"] == 1


@pytest.mark.parametrize(
    ("now", "months", "cutoff"),
    [(dt.datetime(2026, 11, 22, 9, tzinfo=VN_TZ), 24, dt.date(2024, 11, 22)),
     (dt.datetime(2026, 3, 31, 9, tzinfo=VN_TZ), 1, dt.date(2026, 2, 28)),
     (dt.datetime(2026, 1, 15, 9, tzinfo=VN_TZ), 13, dt.date(2024, 12, 15))],
)
def test_months_before(now, months, cutoff) -> None:
    assert incidents.months_before(now, months).date() == cutoff


# --- exports and counts ----------------------------------------------------------------------


def test_export_leaves_the_description_out_unless_asked(db) -> None:
    from openpyxl import load_workbook

    _create(db)
    data, count = db.call(incident_exports.export_xlsx, ADMIN_ACTOR, cipher(), now=NOW)
    sheet = load_workbook(io.BytesIO(data))["Sự vụ"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert count == 1
    assert rows[0] == incident_exports.HEADERS
    assert rows[1][0] == "SV-2026-0001"
    assert rows[1][6] == "Bạo lực"
    assert PLANTED_MARK not in repr(rows)
    data, _ = db.call(incident_exports.export_xlsx, ADMIN_ACTOR, cipher(), now=NOW,
                      with_description=True)
    rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(data))["Sự vụ"].iter_rows()]
    assert rows[1][-1] == PLANTED


def test_encrypted_export_needs_the_password(db) -> None:
    import msoffcrypto
    from openpyxl import load_workbook

    _create(db)
    data, _ = db.call(incident_exports.export_xlsx, ADMIN_ACTOR, cipher(), now=NOW,
                      with_description=True, password="mật-khẩu-dài")
    assert data[:4] == b"\xd0\xcf\x11\xe0"  # an encrypted Office (OLE) file, not a zip
    assert PLANTED_MARK.encode() not in data
    office = msoffcrypto.OfficeFile(io.BytesIO(data))
    office.load_key(password="mật-khẩu-dài")
    plain = io.BytesIO()
    office.decrypt(plain)
    sheet = load_workbook(plain)["Sự vụ"]
    assert sheet.cell(2, 1).value == "SV-2026-0001"
    entry = db.call(audit.list_entries, action=incidents.EXPORTED)[0]
    assert entry.details["encrypted"] is True
    assert entry.details["description"] is True


def test_stats_count_without_identifying_fields(db) -> None:
    _create(db, message_id=1, place="phường 5")
    _create(db, message_id=2, place="Phường 5", kind="drowning",
            occurred_on=dt.date(2026, 10, 3))
    _create(db, message_id=3, place="Xã Bình Hải", kind="drowning")
    counts = db.call(incident_exports.stats, COORD_ACTOR, cipher(), now=NOW, plan_id=PLAN)
    assert counts.total == 3
    assert counts.by_kind == [("Bạo lực", 1), ("Đuối nước", 2)]
    assert counts.by_month == [("2026-10", 1), ("2026-11", 2)]
    assert counts.by_place == [("Phường 5", 2), ("Xã Bình Hải", 1)]
    as_json = repr(counts.to_json())
    assert "SV-" not in as_json
    assert PLANTED_MARK not in as_json
    hidden = db.call(incident_exports.stats, COORD_ACTOR, cipher(), now=NOW, min_count=2)
    assert hidden.by_place == [("Phường 5", 2), ("Xã Bình Hải", None)]


# --- keys ------------------------------------------------------------------------------------


def test_key_rotation(db) -> None:
    _create(db)
    new = generate_key()
    both = FieldCipher([new, TEST_INCIDENT_KEY])
    assert db.call(incidents.rotate_key, ADMIN_ACTOR, both, now=NOW) == 1
    only_new = FieldCipher([new])
    assert db.call(incidents.read, ADMIN_ACTOR, only_new, "SV-2026-0001",
                   now=NOW).description == PLANTED
    assert check_incident_key(make_settings(incident_key=new), db) is not None
    with pytest.raises(IncidentKeyError, match="không mở được"):
        check_incident_key(make_settings(), db)  # the old key alone no longer opens them


@pytest.mark.parametrize(
    ("key", "message"),
    [(None, "INCIDENT_KEY chưa được đặt"), ("", "INCIDENT_KEY chưa được đặt"),
     ("not-a-key", "không hợp lệ"), (f"{TEST_INCIDENT_KEY},short", "khóa thứ 2")],
)
def test_missing_or_bad_key_stops_start_up(sqlite_db, clock, kb, key, message) -> None:
    settings = make_settings(incident_key=key)
    api = LocalBotApi()
    with pytest.raises(IncidentKeyError, match=message) as caught:
        build_application(settings, kb=kb, db=sqlite_db, clock=clock, request=LocalRequest(api))
    assert "kehoach incidents new-key" in str(caught.value)
    disabled = make_settings(incident_key=key, incidents_enabled=False)
    build_application(disabled, kb=kb, db=sqlite_db, clock=clock, request=LocalRequest(api))


def test_wrong_key_for_stored_incidents_stops_start_up(sqlite_db, clock, kb) -> None:
    _create(sqlite_db)
    settings = make_settings(incident_key=generate_key())
    with pytest.raises(IncidentKeyError, match="không mở được dữ liệu sự vụ"):
        build_application(settings, kb=kb, db=sqlite_db, clock=clock,
                          request=LocalRequest(LocalBotApi()))


def test_command_line_start_up_says_why(capsys) -> None:
    import typer

    from bot.cli.serve import _services

    with pytest.raises(typer.Exit) as caught:
        _services(make_settings(incident_key="nope"))
    assert caught.value.exit_code == 2
    assert "INCIDENT_KEY không hợp lệ" in capsys.readouterr().err


# --- form input ------------------------------------------------------------------------------

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("hôm nay", TODAY), ("Hom qua", dt.date(2026, 11, 21)), ("20/11", dt.date(2026, 11, 20)),
     ("5-11-2026", dt.date(2026, 11, 5)), ("25/12", dt.date(2025, 12, 25)),
     ("01.02.25", dt.date(2025, 2, 1)),
     ("31/02", "bad_date"), ("ngày mai", "bad_date"), ("1/12/2026", "future"),
     ("1/1/2019", "too_old")],
)
def test_parse_date(typed, expected) -> None:
    if isinstance(expected, str):
        with pytest.raises(IncidentInvalid, match=expected):
            incident_fields.parse_date(typed, TODAY)
    else:
        assert incident_fields.parse_date(typed, TODAY) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("p.5", "Phường 5"), ("P5", "Phường 5"), ("phuong ben thanh", "Phường Ben Thanh"),
     ("xã bình hải", "Xã Bình Hải"), ("x. Bình Hải", "Xã Bình Hải"),
     ("tt Châu Ổ", "Thị trấn Châu Ổ"), ("Phường Võ Thị Sáu", "Phường Võ Thị Sáu"),
     ("  Phú Mỹ ", "Phú Mỹ")],
)
def test_normalise_place(typed, expected) -> None:
    assert incident_fields.normalise_place(typed) == expected
