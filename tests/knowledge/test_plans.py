"""The five curated plan files: they load, validate, and their facts match the source texts."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml

from knowledge.base import (
    DEFAULT_PLANS_DIR,
    KnowledgeBase,
    PlanFileError,
    load_knowledge_base,
    read_plan_file,
)
from knowledge.textnorm import fold

PLAN_IDS = ["binhson-2023", "cantho-2017", "ducpho-2023", "haiduong-2017", "quan3-2020"]


def simple_fold(text: str) -> str:
    """An independent fold (no abbreviation expansion), to compare facts with the source."""
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").lower()
    return " ".join(re.sub(r"[^\w%/]+", " ", text).split())


def source_line(kb: KnowledgeBase, plan_id: str, line: int) -> str:
    return simple_fold(kb.sources[plan_id][line - 1])


def test_all_five_plans_load(kb: KnowledgeBase) -> None:
    assert sorted(kb.plans) == PLAN_IDS
    for plan_id in PLAN_IDS:
        assert kb.files[plan_id].name == f"{plan_id}.yaml"
        assert kb.sources[plan_id], f"{plan_id}: source text not loaded"


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_each_plan_file_validates_against_its_source(plan_id: str) -> None:
    plan, lines = read_plan_file(DEFAULT_PLANS_DIR / f"{plan_id}.yaml")
    assert plan.id == plan_id
    assert plan.source == f"{plan_id}.txt"
    assert len(lines) > 50


@pytest.mark.parametrize(
    ("plan_id", "units"),
    [("quan3-2020", 11), ("haiduong-2017", 9), ("cantho-2017", 12), ("ducpho-2023", 13),
     ("binhson-2023", 2)],
)
def test_units_per_plan(kb: KnowledgeBase, plan_id: str, units: int) -> None:
    plan = kb.get(plan_id)
    assert plan is not None
    assert len(plan.units) == units
    assert all(u.tasks for u in plan.units), "every unit heading has at least one task"


def test_47_units_in_total(kb: KnowledgeBase) -> None:
    assert sum(1 for _ in kb.units()) == 47
    assert len({(p.id, u.id) for p, u in kb.units()}) == 47


@pytest.mark.parametrize(
    ("plan_id", "unit_id", "section", "line", "name"),
    [
        ("quan3-2020", "cong-an-quan", "III.1.2", 45, "Công an Quận 3"),
        ("quan3-2020", "phong-gddt", "III.1.4", 69, "Phòng Giáo dục và Đào tạo"),
        ("quan3-2020", "ubnd-phuong", "III.1.10", 102, "Ủy ban nhân dân 14 phường"),
        ("haiduong-2017", "so-ldtbxh", "IV.1", 25, "Sở Lao động - Thương binh và Xã hội"),
        ("haiduong-2017", "tand-vksnd-tinh", "IV.8", 54,
         "Tòa án nhân dân tỉnh, Viện kiểm sát nhân dân tỉnh"),
        ("cantho-2017", "so-tai-chinh", "V.2", 75, "Sở Tài chính"),
        ("cantho-2017", "mttq-tp", "V.12", 95,
         "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố và các tổ chức thành viên"),
        ("ducpho-2023", "thi-doan", "IV.10", 157, "Thị đoàn Đức Phổ"),
        ("ducpho-2023", "ubnd-xa-phuong", "IV.13", 173, "Ủy ban nhân dân các xã, phường"),
        ("binhson-2023", "mttq-xa", "4.2", 48,
         "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam các xã, thị trấn"),
    ],
)
def test_unit_sample_against_source(
    kb: KnowledgeBase, plan_id: str, unit_id: str, section: str, line: int, name: str
) -> None:
    plan = kb.get(plan_id)
    assert plan is not None
    unit = plan.unit(unit_id)
    assert (unit.section, unit.line, unit.name) == (section, line, name)
    # the heading line names the unit (abbreviations expanded, as the name is)
    heading = fold(kb.sources[plan_id][line - 1]).split()
    assert all(w in heading for w in fold(name).split()), heading


@pytest.mark.parametrize(
    ("plan_id", "unit_id", "line", "start", "lead", "cooperating"),
    [
        ("quan3-2020", "phong-tckh", 97, "Bố trí kinh phí thực hiện các chương trình", [], []),
        ("quan3-2020", "cong-an-quan", 47, "Phối hợp với các Ban, ngành liên quan", [],
         ["phong-ldtbxh", "phong-yte"]),
        ("haiduong-2017", "so-tttt", 47, "Chỉ đạo các cơ quan báo chí đổi mới", [], []),
        ("cantho-2017", "so-vhttdl", 85, "chủ trì phối hợp Sở Lao động", ["so-vhttdl"],
         ["so-ldtbxh"]),
        ("cantho-2017", "so-y-te", 91, "phối hợp Sở Lao động - Thương binh và Xã hội", [],
         ["so-ldtbxh"]),
        ("ducpho-2023", "phong-y-te", 117, "Cung cấp gói dịch vụ điều trị", [], []),
        ("binhson-2023", "mttq-xa", 54, "Hướng dẫn, đôn đốc Trưởng Ban Công tác Mặt trận", [],
         []),
    ],
)
def test_task_sample_against_source(
    kb: KnowledgeBase,
    plan_id: str,
    unit_id: str,
    line: int,
    start: str,
    lead: list[str],
    cooperating: list[str],
) -> None:
    plan = kb.get(plan_id)
    assert plan is not None
    tasks = [t for t in plan.unit(unit_id).tasks if t.line == line]
    assert len(tasks) == 1, f"no task of {unit_id} at line {line}"
    task = tasks[0]
    assert simple_fold(task.text).startswith(simple_fold(start))
    assert simple_fold(start) in source_line(kb, plan_id, line)
    assert task.lead == lead
    assert task.cooperating == cooperating


def test_every_task_and_deadline_starts_on_its_line(kb: KnowledgeBase) -> None:
    missing = []
    for plan in kb:
        items = [(f"task of {u.id}", t.line, t.text) for u in plan.units for t in u.tasks]
        items += [(f"deadline {d.id}", d.line, d.text) for d in plan.deadlines]
        for what, line, text in items:
            head = " ".join(simple_fold(text).split()[:4])
            if head not in source_line(kb, plan.id, line):
                missing.append(f"{plan.id} {what} line {line}: {head!r}")
    assert not missing


DEADLINES = [
    # plan, deadline id, line, rule as written, kind, date (once) or (month, day) (yearly)
    ("quan3-2020", "ke-hoach-don-vi", 120, "trước ngày 10 tháng 11 năm 2020", "once",
     dt.date(2020, 11, 10)),
    ("quan3-2020", "trien-khai-ke-hoach", 116, "trước ngày 01 tháng 11 năm 2020", "once",
     dt.date(2020, 11, 1)),
    ("quan3-2020", "bao-cao-6-thang", 122, "định kỳ 06 tháng (trước 10/6)", "yearly", (6, 10)),
    ("quan3-2020", "bao-cao-nam", 122, "01 năm (trước 10/12)", "yearly", (12, 10)),
    ("quan3-2020", "bao-cao-phuong-phu-hop-tre-em", 108, "trước ngày 15/11 hàng năm", "yearly",
     (11, 15)),
    ("haiduong-2017", "bao-cao-6-thang", 60, "định kỳ 6 tháng (vào ngày 15/6)", "yearly",
     (6, 15)),
    ("haiduong-2017", "bao-cao-nam", 60, "hàng năm (vào ngày 15/12)", "yearly", (12, 15)),
    ("ducpho-2023", "bao-cao-6-thang", 195, "định kỳ 6 tháng (trước ngày 31/5/2023)", "once",
     dt.date(2023, 5, 31)),
    ("ducpho-2023", "ldtbxh-tong-hop-nam", 197, "trước ngày 05/12/2023", "once",
     dt.date(2023, 12, 5)),
    ("binhson-2023", "huyen-so-ket-6-thang", 46, "sơ kết 6 tháng trước ngày 05/6/2023", "once",
     dt.date(2023, 6, 5)),
    ("binhson-2023", "xa-so-ket-9-thang", 60, "9 tháng trước ngày 30/8/2023", "once",
     dt.date(2023, 8, 30)),
]


@pytest.mark.parametrize(("plan_id", "deadline_id", "line", "rule", "kind", "when"), DEADLINES)
def test_deadline_sample_against_source(
    kb: KnowledgeBase, plan_id: str, deadline_id: str, line: int, rule: str, kind: str, when
) -> None:
    plan = kb.get(plan_id)
    assert plan is not None
    d = next(d for d in plan.deadlines if d.id == deadline_id)
    assert d.line == line
    assert d.rule.kind == kind
    assert d.rule.text == rule
    # the rule as written is on the cited line of the source text
    assert simple_fold(rule) in source_line(kb, plan_id, line)
    if kind == "once":
        assert d.rule.date == when
    else:
        assert (d.rule.month, d.rule.day) == when


def test_quan3_unit_plans_go_to_ubnd_via_police(kb: KnowledgeBase) -> None:
    plan = kb.get("quan3-2020")
    assert plan is not None
    d = next(d for d in plan.deadlines if d.id == "ke-hoach-don-vi")
    assert d.recipient == "Ủy ban nhân dân Quận 3"
    assert d.via == "Cơ quan thường trực BCĐ138 - Công an Quận 3"
    assert "cong-an-quan" in d.submitters
    assert "ubnd-phuong" in d.submitters


def _numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def test_dated_rules_agree_with_their_wording(kb: KnowledgeBase) -> None:
    """Every date of a rule is spelt in its wording (no date typed wrong in the YAML)."""
    for plan in kb:
        for d in plan.deadlines:
            nums = _numbers(d.rule.text)
            if d.rule.kind == "once":
                day = d.rule.date
                assert day is not None
                assert [day.day, day.month, day.year] == nums[-3:], (plan.id, d.id)
            elif d.rule.kind == "yearly":
                assert [d.rule.day, d.rule.month] == nums[-2:], (plan.id, d.id)


def test_16_dated_deadlines_and_none_for_cantho(kb: KnowledgeBase) -> None:
    dated = {p.id: sum(d.rule.kind != "none" for d in p.deadlines) for p in kb}
    assert dated == {
        "quan3-2020": 5, "haiduong-2017": 2, "cantho-2017": 0, "ducpho-2023": 3,
        "binhson-2023": 6,
    }
    assert sum(dated.values()) == 16
    cantho = kb.get("cantho-2017")
    assert cantho is not None
    assert cantho.deadlines, "Cần Thơ still lists its undated reports"
    assert all(d.rule.date is None and d.rule.month is None for d in cantho.deadlines)


def test_action_month_event(kb: KnowledgeBase) -> None:
    plan = kb.get("ducpho-2023")
    assert plan is not None
    [event] = plan.events
    assert (event.start, event.end) == (dt.date(2023, 6, 1), dt.date(2023, 6, 30))
    assert "01/6 den 30/6" in source_line(kb, "ducpho-2023", event.line)


@pytest.mark.parametrize(
    ("plan_id", "number"), [("quan3-2020", "111"), ("haiduong-2017", "18001567"),
                            ("ducpho-2023", "111")],
)
def test_hotlines_are_in_the_source(kb: KnowledgeBase, plan_id: str, number: str) -> None:
    plan = kb.get(plan_id)
    assert plan is not None
    contact = next(c for c in plan.contacts if c.number == number)
    assert number in kb.sources[plan_id][contact.line - 1]


def test_cantho_targets_carry_their_numbers(kb: KnowledgeBase) -> None:
    plan = kb.get("cantho-2017")
    assert plan is not None
    values = {t.value for t in plan.objectives}
    assert {"92%", "dưới 1%"} <= values


# --- broken files fail loudly, naming the file --------------------------------------------


@pytest.fixture
def plan_copy(tmp_path: Path) -> Path:
    """A copy of the Quận 3 plan (YAML and source text) in a temporary folder."""
    for suffix in (".yaml", ".txt"):
        shutil.copy(DEFAULT_PLANS_DIR / f"quan3-2020{suffix}", tmp_path / f"quan3-2020{suffix}")
    return tmp_path / "quan3-2020.yaml"


def _edit(path: Path, change) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_copy_is_valid(plan_copy: Path) -> None:
    plan, _ = read_plan_file(plan_copy)
    assert plan.id == "quan3-2020"


def _bad_date(raw: dict) -> None:
    raw["deadlines"][0]["rule"]["date"] = "2020-02-30"


def _bad_yearly_day(raw: dict) -> None:
    rule = next(d["rule"] for d in raw["deadlines"] if d["rule"]["kind"] == "yearly")
    rule["month"], rule["day"] = 2, 31


def _unknown_unit_in_task(raw: dict) -> None:
    raw["units"][1]["tasks"][0]["cooperating"] = ["phong-khong-co"]


def _unknown_submitter(raw: dict) -> None:
    raw["deadlines"][0]["submitters"] = ["don-vi-la"]


def _text_not_in_source(raw: dict) -> None:
    raw["units"][0]["tasks"][0]["text"] = "Tổ chức giải bóng đá thiếu niên toàn quận hằng tháng."


def _text_on_wrong_line(raw: dict) -> None:
    raw["units"][1]["tasks"][0]["line"] = 10


def _missing_source(raw: dict) -> None:
    raw["source"] = "khong-co.txt"


def _missing_field(raw: dict) -> None:
    del raw["issuer"]


def _once_without_date(raw: dict) -> None:
    raw["deadlines"][0]["rule"]["date"] = None


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (_bad_date, "date"),
        (_bad_yearly_day, "yearly"),
        (_unknown_unit_in_task, "phong-khong-co"),
        (_unknown_submitter, "don-vi-la"),
        (_text_not_in_source, "not in source"),
        (_text_on_wrong_line, "line 10"),
        (_missing_source, "khong-co.txt"),
        (_missing_field, "issuer"),
        (_once_without_date, "once"),
    ],
)
def test_broken_plan_file_fails_naming_the_file(plan_copy: Path, change, says: str) -> None:
    _edit(plan_copy, change)
    with pytest.raises(PlanFileError) as err:
        read_plan_file(plan_copy)
    assert str(plan_copy) in str(err.value)
    assert says in str(err.value)
    # loading the folder fails the same way
    with pytest.raises(PlanFileError, match=re.escape(str(plan_copy))):
        load_knowledge_base(plan_copy.parent)


def test_invalid_yaml_fails_naming_the_file(plan_copy: Path) -> None:
    plan_copy.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(PlanFileError, match=re.escape(str(plan_copy))):
        read_plan_file(plan_copy)


def test_duplicate_plan_id_fails(plan_copy: Path) -> None:
    shutil.copy(plan_copy, plan_copy.parent / "zz-copy.yaml")
    with pytest.raises(PlanFileError, match="already loaded"):
        load_knowledge_base(plan_copy.parent)


def test_empty_folder_fails(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="no plan files"):
        load_knowledge_base(tmp_path)
