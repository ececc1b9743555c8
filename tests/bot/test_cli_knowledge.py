"""``kehoach ask``, ``kehoach plans ...`` and ``kehoach deadlines`` (bot/cli/knowledge.py)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from icalendar import Calendar
from typer.testing import CliRunner

from bot import cli
from knowledge.base import DEFAULT_PLANS_DIR

PLAN_IDS = {"quan3-2020", "haiduong-2017", "cantho-2017", "ducpho-2023", "binhson-2023"}
CONTRACT_FIELDS = {"intent", "plan_ids", "units", "deadlines", "citations", "text"}
REPO = Path(__file__).resolve().parents[2]

# Every dated deadline of the five plans between 2020-01-01 and 2027-12-31, by plan: the
# deadline ids and how many occurrences each has in the window.
WINDOW = {
    "quan3-2020": {"trien-khai-ke-hoach": 1, "ke-hoach-don-vi": 1, "bao-cao-6-thang": 7,
                   "bao-cao-nam": 8, "bao-cao-phuong-phu-hop-tre-em": 8},
    "haiduong-2017": {"bao-cao-6-thang": 8, "bao-cao-nam": 8},
    "ducpho-2023": {"bao-cao-6-thang": 1, "bao-cao-nam": 1, "ldtbxh-tong-hop-nam": 1},
    "binhson-2023": {"huyen-so-ket-6-thang": 1, "huyen-so-ket-9-thang": 1,
                     "huyen-bao-cao-nam": 1, "xa-so-ket-6-thang": 1, "xa-so-ket-9-thang": 1,
                     "xa-bao-cao-nam": 1},
}
WINDOW_TOTAL = sum(sum(v.values()) for v in WINDOW.values())


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    """The ``kehoach`` app with every feature registered (once per process)."""
    if not any(c.name == "ask" for c in cli.app.registered_commands):
        cli._register_all()
    return cli.app


@pytest.fixture
def run(app: typer.Typer):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, list(args))

    return invoke


def no_traceback(result) -> None:
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


# --- ask -----------------------------------------------------------------------------------


def test_ask_json_prints_one_object(run) -> None:
    r = run("ask", "Ai chỉ đạo xây dựng trường học an toàn ở Hải Dương?", "--today", "2026-11-22",
            "--json")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert CONTRACT_FIELDS <= set(data)
    assert data["intent"] == "responsible"
    assert data["units"][0] == "Sở Giáo dục và Đào tạo"
    assert data["plan_ids"] == ["haiduong-2017"]


def test_ask_text_prints_the_reply(run) -> None:
    r = run("ask", "Khi nào hạn báo cáo năm của Hải Dương?", "--today", "2026-11-22")
    assert r.exit_code == 0
    assert "15/12/2026" in r.stdout
    assert not r.stdout.lstrip().startswith("{")


def test_ask_today_moves_the_next_deadline(run) -> None:
    dates = []
    for today in ("2026-11-22", "2026-12-11"):
        r = run("ask", "Hạn báo cáo tiếp theo?", "--today", today, "--json")
        dates.append(json.loads(r.stdout)["deadlines"][0]["date"])
    assert dates == ["2026-12-10", "2026-12-15"]


def test_ask_plan_narrows(run) -> None:
    r = run("ask", "Hạn báo cáo tiếp theo?", "--plan", "haiduong-2017", "--today", "2026-11-22",
            "--json")
    data = json.loads(r.stdout)
    assert {d["plan_id"] for d in data["deadlines"]} == {"haiduong-2017"}


@pytest.mark.parametrize("bad", ["2026-13-01", "22/11/2026", "hôm nay", "2026-02-30", "x"])
def test_ask_malformed_today(run, bad: str) -> None:
    r = run("ask", "Hạn báo cáo tiếp theo?", "--today", bad, "--json")
    assert r.exit_code == 2
    no_traceback(r)
    assert "không hợp lệ" in r.stderr
    assert "YYYY-MM-DD" in r.stderr
    assert r.stdout == ""


def test_ask_unknown_plan(run) -> None:
    r = run("ask", "Hạn báo cáo tiếp theo?", "--plan", "khong-co-2099")
    assert r.exit_code == 2
    no_traceback(r)
    assert "khong-co-2099" in r.stderr
    assert "quan3-2020" in r.stderr  # says which ids exist


def test_ask_without_question(run) -> None:
    r = run("ask", "--json")
    assert r.exit_code == 2
    no_traceback(r)
    assert "câu hỏi" in r.stderr


@pytest.mark.parametrize("q", ["", "   ", "x" * 5000, "🙂"])
def test_ask_empty_or_huge_question_answers_unknown(run, q: str) -> None:
    r = run("ask", q, "--today", "2026-11-22", "--json")
    assert r.exit_code == 0
    no_traceback(r)
    data = json.loads(r.stdout)
    assert data["intent"] == "unknown"
    assert data["text"].strip()


def _batch(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _q(q: str, plan: str | None = None, today: str | None = "2026-11-22") -> str:
    return json.dumps({"q": q, "plan": plan, "today": today}, ensure_ascii=False)


def test_batch_answers_in_order(run, tmp_path: Path) -> None:
    questions = [
        _q("Thị đoàn có nhiệm vụ gì?", "ducpho-2023"),
        _q("Khi nào hạn báo cáo năm của Hải Dương?"),
        _q("Hạn báo cáo tiếp theo?", "quan3-2020", "2027-06-01"),
        _q("Giá vàng hôm nay?"),
        _q("Ai ký kế hoạch Đức Phổ?"),
    ]
    r = run("ask", "--batch", str(_batch(tmp_path, questions)), "--json")
    assert r.exit_code == 0, r.stderr
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [a["intent"] for a in out] == ["unit_tasks", "deadline", "deadline", "unknown",
                                          "plan_info"]
    assert out[0]["units"] == ["Thị đoàn Đức Phổ"]
    assert out[1]["deadlines"][0]["date"] == "2026-12-15"
    assert out[2]["deadlines"][0]["date"] == "2027-06-10"  # each line's own today
    assert all(CONTRACT_FIELDS <= set(a) for a in out)


def test_batch_malformed_lines_are_answered_in_place(run, tmp_path: Path) -> None:
    lines = [
        _q("Thị đoàn có nhiệm vụ gì?", "ducpho-2023"),
        "{not json",
        "[1, 2]",
        '"chỉ một chuỗi"',
        _q("Ai ký kế hoạch Đức Phổ?", "khong-co-2099"),  # unknown plan: ignored
        json.dumps({"q": "Ai ký kế hoạch Đức Phổ?"}),  # no plan, no today
        _q("Sở Thông tin và Truyền thông Hải Dương làm gì?"),
    ]
    r = run("ask", "--batch", str(_batch(tmp_path, lines)), "--json")
    assert r.exit_code == 0, r.stderr
    no_traceback(r)
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(out) == len(lines)
    assert out[0]["units"] == ["Thị đoàn Đức Phổ"]
    assert [a["intent"] for a in out[1:4]] == ["unknown"] * 3
    assert all(a["text"].strip() for a in out)
    assert out[4]["intent"] == "plan_info"
    assert "Võ Thanh Hùng" in out[4]["text"]
    assert out[5]["intent"] == "plan_info"
    assert out[6]["units"] == ["Sở Thông tin và Truyền thông"]


def test_batch_line_with_malformed_today_does_not_stop_the_batch(run, tmp_path: Path) -> None:
    lines = [
        _q("Thị đoàn có nhiệm vụ gì?", "ducpho-2023"),
        _q("Hạn báo cáo tiếp theo?", None, "2026-02-30"),
        _q("Ai ký kế hoạch Đức Phổ?"),
    ]
    r = run("ask", "--batch", str(_batch(tmp_path, lines)), "--json")
    no_traceback(r)
    assert r.exit_code == 0
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(out) == 3
    assert out[0]["units"] == ["Thị đoàn Đức Phổ"]
    assert out[1]["intent"] == "unknown"
    assert out[1]["deadlines"] == []
    assert out[2]["intent"] == "plan_info"


def test_batch_blank_line_keeps_lines_aligned(run, tmp_path: Path) -> None:
    lines = [_q("Thị đoàn có nhiệm vụ gì?", "ducpho-2023"), "", "   ",
             _q("Ai ký kế hoạch Đức Phổ?")]
    r = run("ask", "--batch", str(_batch(tmp_path, lines)), "--json")
    assert r.exit_code == 0
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(out) == 4
    assert [a["intent"] for a in out] == ["unit_tasks", "unknown", "unknown", "plan_info"]


def test_batch_missing_file(run, tmp_path: Path) -> None:
    r = run("ask", "--batch", str(tmp_path / "khong-co.jsonl"), "--json")
    assert r.exit_code == 2
    no_traceback(r)
    assert "Không đọc được" in r.stderr


def test_batch_without_json_prints_text_objects(run, tmp_path: Path) -> None:
    r = run("ask", "--batch", str(_batch(tmp_path, [_q("Ai ký kế hoạch Đức Phổ?")])))
    [line] = r.stdout.splitlines()
    assert "Võ Thanh Hùng" in json.loads(line)["text"]


# --- plans -------------------------------------------------------------------------------


def test_plans_list(run) -> None:
    r = run("plans", "list")
    assert r.exit_code == 0
    for plan_id in PLAN_IDS:
        assert plan_id in r.stdout
    rows = json.loads(run("plans", "list", "--json").stdout)
    assert {row["id"]: row["units"] for row in rows} == {
        "quan3-2020": 11, "haiduong-2017": 9, "cantho-2017": 12, "ducpho-2023": 13,
        "binhson-2023": 2,
    }


def test_plans_show_json(run) -> None:
    r = run("plans", "show", "quan3-2020", "--json")
    assert r.exit_code == 0
    plan = json.loads(r.stdout)
    assert plan["id"] == "quan3-2020"
    assert plan["locality"] == "Quận 3"
    assert len(plan["units"]) == 11
    d = next(d for d in plan["deadlines"] if d["id"] == "ke-hoach-don-vi")
    assert d["rule"]["date"] == "2020-11-10"


def test_plans_show_text_and_unknown(run) -> None:
    r = run("plans", "show", "haiduong-2017")
    assert r.exit_code == 0
    assert "Sở Lao động - Thương binh và Xã hội" in r.stdout
    bad = run("plans", "show", "khong-co")
    assert bad.exit_code == 2
    no_traceback(bad)


def test_plans_validate_all(run) -> None:
    r = run("plans", "validate")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.count("OK") == 5


def test_plans_validate_broken_file(run, tmp_path: Path) -> None:
    for suffix in (".yaml", ".txt"):
        shutil.copy(DEFAULT_PLANS_DIR / f"cantho-2017{suffix}", tmp_path / f"cantho-2017{suffix}")
    broken = tmp_path / "cantho-2017.yaml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("source: cantho-2017.txt", "source: mat.txt"),
        encoding="utf-8",
    )
    good = DEFAULT_PLANS_DIR / "quan3-2020.yaml"
    r = run("plans", "validate", str(good), str(broken))
    assert r.exit_code == 1
    no_traceback(r)
    assert "OK" in r.stdout
    assert "quan3-2020.yaml" in r.stdout
    assert str(broken) in r.stderr
    assert "mat.txt" in r.stderr


# --- deadlines -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def window_json(app: typer.Typer) -> list[dict]:
    r = CliRunner().invoke(app, ["deadlines", "--from", "2020-01-01", "--to", "2027-12-31",
                                 "--today", "2026-11-22", "--json"])
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_deadlines_window_lists_every_dated_deadline(window_json: list[dict]) -> None:
    found: dict[str, dict[str, int]] = {}
    for d in window_json:
        per = found.setdefault(d["plan_id"], {})
        per[d["deadline_id"]] = per.get(d["deadline_id"], 0) + 1
    assert found == WINDOW
    assert "cantho-2017" not in found
    assert len(window_json) == WINDOW_TOTAL == 50


def test_deadlines_window_objects(window_json: list[dict]) -> None:
    today = dt.date(2026, 11, 22)
    dates = [d["date"] for d in window_json]
    assert dates == sorted(dates)
    assert dates[0] == "2020-06-15"
    assert dates[-1] == "2027-12-15"
    for d in window_json:
        day = dt.date.fromisoformat(d["date"])
        assert d["days_left"] == (day - today).days
        assert d["passed"] is (day < today)
        assert d["title"]
        assert d["recipient"]
        assert d["submitters"]
    quan3 = [d for d in window_json if d["plan_id"] == "quan3-2020"]
    assert {d["date"] for d in quan3 if d["deadline_id"] == "ke-hoach-don-vi"} == {"2020-11-10"}
    haiduong = {d["date"] for d in window_json if d["plan_id"] == "haiduong-2017"}
    assert {"2020-06-15", "2026-12-15", "2027-06-15"} <= haiduong


def test_deadlines_one_plan(run) -> None:
    r = run("deadlines", "--plan", "haiduong-2017", "--from", "2026-01-01", "--to",
            "2026-12-31", "--json")
    data = json.loads(r.stdout)
    assert [(d["date"], d["deadline_id"]) for d in data] == [
        ("2026-06-15", "bao-cao-6-thang"), ("2026-12-15", "bao-cao-nam")]
    none = run("deadlines", "--plan", "cantho-2017", "--from", "2017-01-01", "--to",
               "2027-12-31", "--json")
    assert json.loads(none.stdout) == []


def test_deadlines_text(run) -> None:
    r = run("deadlines", "--from", "2026-12-01", "--to", "2026-12-31")
    assert r.exit_code == 0
    assert "10/12/2026" in r.stdout
    assert "15/12/2026" in r.stdout


@pytest.mark.parametrize(
    "args",
    [["--from", "2026-02-30"], ["--to", "31/12/2027"], ["--from", "2027-01-01", "--to",
                                                          "2026-01-01"], ["--plan", "khong-co"]],
)
def test_deadlines_bad_arguments(run, args: list[str]) -> None:
    r = run("deadlines", *args)
    assert r.exit_code == 2
    no_traceback(r)
    assert r.stderr.strip()


def test_deadlines_ics(run, tmp_path: Path, window_json: list[dict]) -> None:
    path = tmp_path / "han.ics"
    r = run("deadlines", "--from", "2020-01-01", "--to", "2027-12-31", "--ics", str(path))
    assert r.exit_code == 0
    cal = Calendar.from_ical(path.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == WINDOW_TOTAL
    got = sorted(ev.decoded("dtstart").isoformat() for ev in events)
    assert got == sorted(d["date"] for d in window_json)
    uids = {str(ev["uid"]) for ev in events}
    assert len(uids) == len(events)
    for ev in events:
        start, end = ev.decoded("dtstart"), ev.decoded("dtend")
        assert isinstance(start, dt.date)
        assert not isinstance(start, dt.datetime)
        assert end - start == dt.timedelta(days=1)
        assert str(ev["summary"]).startswith("Hạn: ")
        assert list(ev.walk("VALARM"))
    assert any("cantho-2017" in u for u in uids) is False


def test_deadlines_ics_one_plan(run, tmp_path: Path) -> None:
    path = tmp_path / "haiduong.ics"
    run("deadlines", "--plan", "haiduong-2017", "--from", "2026-01-01", "--to", "2027-12-31",
        "--ics", str(path))
    events = list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))
    assert sorted(ev.decoded("dtstart") for ev in events) == [
        dt.date(2026, 6, 15), dt.date(2026, 12, 15), dt.date(2027, 6, 15), dt.date(2027, 12, 15)]


# --- the real entry points ----------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [[str(REPO / ".venv" / "bin" / "kehoach")], [sys.executable, "-m", "bot"]],
    ids=["kehoach", "python-m-bot"],
)
def test_entry_points(command: list[str]) -> None:
    if not Path(command[0]).exists():
        pytest.skip(f"{command[0]} not installed")
    ok = subprocess.run(
        [*command, "ask", "Khi nào hạn báo cáo năm của Hải Dương?", "--today", "2026-11-22",
         "--json"],
        capture_output=True, text=True, cwd=REPO, timeout=120, check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["deadlines"][0]["date"] == "2026-12-15"
    bad = subprocess.run([*command, "ask", "x", "--today", "2026-99-01"], capture_output=True,
                         text=True, cwd=REPO, timeout=120, check=False)
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    assert "không hợp lệ" in bad.stderr
