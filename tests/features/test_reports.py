"""Report submissions, receipts, boards and exports as plain services (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from core.clock import VN_TZ
from features import exports, reports
from features.permissions import Actor, PermissionDenied
from storage import audit
from storage.files import FileRejected, StoredFile, check_file, path_for, store

# 22/11/2026 09:00 in Asia/Ho_Chi_Minh, as a spreadsheet holds it (no time zone).
LOCAL_NOON = dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC).replace(tzinfo=None)

TODAY = dt.date(2026, 11, 22)
NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=VN_TZ)
YTE = Actor(11, officer_of=("quan3-2020", "phong-yte"))
GDDT = Actor(12, officer_of=("quan3-2020", "phong-gddt"))
COORD = Actor(20, coordinator_of=frozenset({"quan3-2020"}))
YEAR_REPORT = reports.Period("quan3-2020", "bao-cao-nam", dt.date(2026, 12, 10),
                             "Báo cáo năm kết quả thực hiện kế hoạch")


def test_open_periods(kb) -> None:
    got = reports.open_periods(kb, "quan3-2020", "phong-yte", TODAY)
    assert [(p.deadline_id, p.due_date) for p in got] == [("bao-cao-nam", dt.date(2026, 12, 10))]
    ward = reports.open_periods(kb, "quan3-2020", "ubnd-phuong", TODAY)
    assert [(p.deadline_id, p.due_date) for p in ward] == [
        ("bao-cao-phuong-phu-hop-tre-em", dt.date(2026, 11, 15)),  # a week late, still open
        ("bao-cao-nam", dt.date(2026, 12, 10)),
    ]
    assert reports.open_periods(kb, "ducpho-2023", "phong-y-te", TODAY) == []
    adhoc = reports.adhoc_period(kb, "quan3-2020", "phong-yte")
    assert (adhoc.deadline_id, adhoc.adhoc, adhoc.key) == ("bao-cao-dot-xuat", True, None)
    assert reports.adhoc_period(kb, "binhson-2023", "mttq-xa").title == reports.ADHOC_TITLE
    assert reports.Period.from_json(YEAR_REPORT.to_json()) == YEAR_REPORT


def test_submit_replace_keeps_history(db) -> None:
    with db.unit_of_work() as s:
        first = reports.submit(
            s, YTE, plan_id="quan3-2020", unit_id="phong-yte", period=YEAR_REPORT,
            text="Đã tổ chức 3 buổi truyền thông.", file=None, submitter_name="Y", now=NOW,
        )
    assert (first.number, first.version, first.late, first.replaced) == (
        "BC-2026-0001", 1, False, False
    )
    with db.unit_of_work() as s:
        second = reports.submit(
            s, YTE, plan_id="quan3-2020", unit_id="phong-yte", period=YEAR_REPORT,
            text="Bản sửa: 4 buổi.", file=None, submitter_name="Y",
            now=NOW + dt.timedelta(days=30),  # after the due date: the first one counts
        )
    assert (second.number, second.version, second.replaced, second.late) == (
        "BC-2026-0002", 2, True, False
    )
    with db.unit_of_work() as s:
        versions = reports.history(s, "quan3-2020", "phong-yte", YEAR_REPORT)
        assert [(v.number, v.text, v.current) for v in versions] == [
            ("BC-2026-0001", "Đã tổ chức 3 buổi truyền thông.", False),
            ("BC-2026-0002", "Bản sửa: 4 buổi.", True),
        ]
        assert [r.number for r in reports.list_reports(s, plan_id="quan3-2020")] == [
            "BC-2026-0002"
        ]


def test_adhoc_reports_never_replace(db, kb) -> None:
    adhoc = reports.adhoc_period(kb, "quan3-2020", "phong-yte")
    with db.unit_of_work() as s:
        for text in ("Sự việc A", "Sự việc B"):
            reports.submit(s, YTE, plan_id="quan3-2020", unit_id="phong-yte", period=adhoc,
                           text=text, file=None, submitter_name="Y", now=NOW)
        assert len(reports.list_reports(s, plan_id="quan3-2020")) == 2


@pytest.mark.parametrize(
    ("text", "reason"), [("   ", "empty"), (None, "empty"), ("x" * 10_000, "too_long")]
)
def test_bad_content(db, text, reason) -> None:
    with pytest.raises(reports.ReportInvalid) as info, db.unit_of_work() as s:
        reports.submit(s, YTE, plan_id="quan3-2020", unit_id="phong-yte", period=YEAR_REPORT,
                       text=text, file=None, submitter_name="Y", now=NOW)
    assert info.value.reason == reason


def test_submit_needs_the_unit(db) -> None:
    with pytest.raises(PermissionDenied), db.unit_of_work() as s:
        reports.submit(s, GDDT, plan_id="quan3-2020", unit_id="phong-yte", period=YEAR_REPORT,
                       text="x", file=None, submitter_name="G", now=NOW)


async def test_concurrent_submissions_unique_numbers(db) -> None:
    units = ["cong-an-quan", "phong-ldtbxh", "phong-gddt", "phong-vhtt", "phong-tu-phap"]

    def one(session, unit: str, i: int) -> str:
        actor = Actor(100 + i, officer_of=("quan3-2020", unit))
        return reports.submit(session, actor, plan_id="quan3-2020", unit_id=unit,
                              period=YEAR_REPORT, text=f"lần {i}", file=None,
                              submitter_name="x", now=NOW).number

    numbers = await asyncio.gather(
        *(db.run(one, units[i % len(units)], i) for i in range(40))
    )
    assert len(set(numbers)) == 40
    assert sorted(numbers) == [f"BC-2026-{n:04d}" for n in range(1, 41)]
    with db.unit_of_work() as s:
        current = reports.list_reports(s, plan_id="quan3-2020")
        assert len(current) == len(units)
        assert {len(reports.history(s, "quan3-2020", u, YEAR_REPORT)) for u in units} == {8}


def test_board_and_read_audit(db, kb) -> None:
    with db.unit_of_work() as s:
        receipt = reports.submit(
            s, YTE, plan_id="quan3-2020", unit_id="phong-yte", period=YEAR_REPORT,
            text="Nội dung", file=None, submitter_name="Y", now=NOW,
        )
        reports.submit(
            s, GDDT, plan_id="quan3-2020", unit_id="phong-gddt", period=YEAR_REPORT,
            text="Muộn", file=None, submitter_name="G", now=dt.datetime(2026, 12, 11, 8,
                                                                         tzinfo=VN_TZ),
        )
    with db.unit_of_work() as s:
        boards = reports.view_status(s, COORD, kb, "quan3-2020", today=dt.date(2026, 12, 12))
        assert [b.period.deadline_id for b in boards] == [
            "bao-cao-phuong-phu-hop-tre-em", "bao-cao-nam"
        ]
        board = boards[1]
        assert board.period == YEAR_REPORT
        status = {r.unit_id: r.status for r in board.rows}
        assert len(board.rows) == 9
        assert status["phong-yte"] == reports.STATUS_ON_TIME
        assert status["phong-gddt"] == reports.STATUS_LATE
        assert status["cong-an-quan"] == reports.STATUS_OVERDUE
        assert "phong-yte" not in board.missing_unit_ids
        assert len(board.missing_unit_ids) == 7
        with pytest.raises(PermissionDenied):
            reports.view_status(s, YTE, kb, "quan3-2020", today=TODAY)
        # the officer reads their own report: not audited; the coordinator: audited
        reports.read_report(s, YTE, receipt.number, now=NOW)
        with pytest.raises(PermissionDenied):
            reports.read_report(s, GDDT, receipt.number, now=NOW)
        view = reports.read_report(s, COORD, receipt.number.lower(), now=NOW)
        assert view.text == "Nội dung"
        with pytest.raises(reports.UnknownReport):
            reports.read_report(s, COORD, "BC-2026-9999", now=NOW)
        reads = audit.list_entries(s, action=audit.REPORT_READ)
        assert [(e.actor_id, e.target) for e in reads] == [(20, receipt.number)]


def test_export_xlsx_cell_by_cell(db, kb) -> None:
    file = StoredFile("ab" * 32, "bao-cao-gddt.pdf", "application/pdf", 1234)
    with db.unit_of_work() as s:
        reports.submit(s, YTE, plan_id="quan3-2020", unit_id="phong-yte", period=YEAR_REPORT,
                       text="Ba buổi truyền thông", file=None, submitter_name="Trần Y",
                       now=NOW)
        reports.submit(s, GDDT, plan_id="quan3-2020", unit_id="phong-gddt", period=YEAR_REPORT,
                       text=None, file=file, submitter_name="Lê G", now=NOW)
    with db.unit_of_work() as s:
        data = exports.export(s, COORD, kb, "quan3-2020", YEAR_REPORT, fmt="xlsx", now=NOW)
        assert [e.details for e in audit.list_entries(s, action=audit.EXPORTED)] == [
            {"format": "xlsx", "rows": 9}
        ]
        with pytest.raises(PermissionDenied):
            exports.export(s, YTE, kb, "quan3-2020", YEAR_REPORT, fmt="xlsx", now=NOW)
    ws = load_workbook(io.BytesIO(data))["Báo cáo"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == exports.HEADERS
    assert len(rows) == 10
    by_unit = {r[0]: r for r in rows[1:]}
    assert by_unit["Phòng Y tế"] == [
        "Phòng Y tế", "Đúng hạn", LOCAL_NOON, "BC-2026-0001", 1, "Trần Y",
        "Ba buổi truyền thông", None,
    ]
    assert by_unit["Phòng Giáo dục và Đào tạo"] == [
        "Phòng Giáo dục và Đào tạo", "Đúng hạn", LOCAL_NOON, "BC-2026-0002", 1,
        "Lê G", None, "bao-cao-gddt.pdf",
    ]
    assert by_unit["Công an Quận 3"] == ["Công an Quận 3", "Chưa nộp", *[None] * 6]
    assert rows[1][0] == "Công an Quận 3"  # the plan's order


def test_export_csv_all(db, kb) -> None:
    with db.unit_of_work() as s:
        reports.submit(s, YTE, plan_id="quan3-2020", unit_id="phong-yte",
                       period=reports.adhoc_period(kb, "quan3-2020", "phong-yte"),
                       text="Đột xuất", file=None, submitter_name="Y", now=NOW)
        text = exports.export(s, COORD, kb, "quan3-2020", None, fmt="csv", now=NOW)
    lines = text.decode("utf-8-sig").splitlines()
    assert lines[0].split(",") == exports.HEADERS_ALL
    assert lines[1].startswith("Báo cáo đột xuất kết quả thực hiện kế hoạch (khi có yêu cầu),,"
                               "Phòng Y tế,Đột xuất (không có hạn),22/11/2026 09:00,"
                               "BC-2026-0001,1,Y,Đột xuất,")


def test_chart_png(db, kb) -> None:
    with db.unit_of_work() as s:
        boards = reports.view_status(s, COORD, kb, "quan3-2020", today=TODAY)
    png = exports.chart_png(boards)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert exports.chart_png([]).startswith(b"\x89PNG")


def test_files(tmp_path) -> None:
    check_file("bao-cao.docx", None, 1000, 20 * 2**20)
    check_file("anh.JPG", "image/jpeg", 10, 100)
    with pytest.raises(FileRejected) as big:
        check_file("bao-cao.pdf", "application/pdf", 21 * 2**20, 20 * 2**20)
    assert big.value.reason == "too_big"
    bad_files = [("virus.exe", None), ("noext", None), ("a.pdf", "application/x-msdownload")]
    for name, mime in bad_files:
        with pytest.raises(FileRejected) as bad:
            check_file(name, mime, 10, 100)
        assert bad.value.reason == "forbidden_type"
    stored = store(tmp_path, b"%PDF-1.4 noi dung", name="../../x.pdf", mime="application/pdf",
                   max_bytes=100)
    again = store(tmp_path, b"%PDF-1.4 noi dung", name="y.pdf", mime="application/pdf",
                  max_bytes=100)
    assert stored.sha256 == again.sha256
    assert stored.name == "x.pdf"
    assert path_for(tmp_path, stored.sha256).read_bytes() == b"%PDF-1.4 noi dung"
    with pytest.raises(FileRejected):
        store(tmp_path, b"x" * 101, name="a.pdf", mime="application/pdf", max_bytes=100)
