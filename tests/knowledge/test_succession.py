"""Successor units (issue 14): the line under answers, the moved tasks, the refused files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from knowledge.base import KnowledgeBase, load_knowledge_base
from knowledge.engine import Engine
from knowledge.schema import Task
from knowledge.succession import (
    SUCCESSION_FILE,
    SuccessionFileError,
    bundled_unit_names,
    load_succession,
)

TODAY = dt.date(2026, 12, 1)
LDTBXH_LINE = ("Từ 01/03/2025, nhiệm vụ về trẻ em của Sở Lao động - Thương binh và Xã hội do Sở Y"
               " tế đảm nhận (Thông tư 20/2025/TT-BYT).")
DISTRICT_LDTBXH = "nhiệm vụ về trẻ em của Phòng Lao động - Thương binh và Xã hội do cấp tỉnh"
DISTRICT_HEALTH = "nhiệm vụ về y tế của Phòng Y tế do cấp tỉnh và cấp xã"
NO_DISTRICT = "dữ liệu đã rà soát chưa xác định đơn vị nào nhận"
# (plan, unit id) → the start of its line; every other unit of the five plans has none
EXPECTED = {
    ("haiduong-2017", "so-ldtbxh"): LDTBXH_LINE,
    ("cantho-2017", "so-ldtbxh"): LDTBXH_LINE,
    ("ducpho-2023", "phong-ldtbxh"): DISTRICT_LDTBXH,
    ("quan3-2020", "phong-ldtbxh"): DISTRICT_LDTBXH,
    ("ducpho-2023", "phong-y-te"): DISTRICT_HEALTH,
    ("quan3-2020", "phong-yte"): DISTRICT_HEALTH,
    ("cantho-2017", "ubnd-quan-huyen"): NO_DISTRICT,
    ("haiduong-2017", "ubnd-huyen"): NO_DISTRICT,
}
# the engine answers "<unit> có nhiệm vụ gì?" with another unit (reading, not succession)
MISREAD = {("quan3-2020", "pho-chu-tich-vhxh")}
ALL_LINES = (LDTBXH_LINE, DISTRICT_LDTBXH, DISTRICT_HEALTH, NO_DISTRICT)


def _units() -> list[tuple[str, str]]:
    kb = load_knowledge_base(check_source=False)
    return [(p.id, u.id) for p in kb for u in p.units]


@pytest.fixture(scope="module")
def engine(kb) -> Engine:
    return Engine(kb)


@pytest.mark.parametrize(("plan_id", "unit_id"), _units())
def test_line_appears_exactly_when_the_unit_has_a_successor(engine, kb, plan_id, unit_id):
    plan = kb.plans[plan_id]
    unit = plan.unit(unit_id)
    lines = engine.succession.lines(kb, [plan_id], [unit.name])
    want = EXPECTED.get((plan_id, unit_id))
    if want is None:
        assert lines == []
    else:
        assert len(lines) == 1
        assert want in lines[0]
    # through the engine: an answer naming the unit carries the line, once
    ans = engine.answer(f"{unit.name} có nhiệm vụ gì?", today=TODAY, plan_id=plan_id)
    if (plan_id, unit_id) in MISREAD:
        assert ans.units[0] != unit.name  # when the engine learns it, drop it from MISREAD
        assert not any(line in ans.text for line in ALL_LINES)
        return
    assert ans.units[0] == unit.name
    if want is None:
        assert not any(line in ans.text for line in ALL_LINES)
    else:
        assert ans.text.count(want) == 1
        assert ans.text.index(want) > ans.text.index(unit.name)  # the plan's name stays first


def test_the_issue_sentence_word_for_word(engine):
    ans = engine.answer("Sở LĐ-TB&XH Hải Dương có nhiệm vụ gì?", today=TODAY)
    assert ans.units[0] == "Sở Lao động - Thương binh và Xã hội"
    assert ans.text.endswith(LDTBXH_LINE)


def test_successor_question_finds_moved_tasks_marked(engine, kb):
    ans = engine.answer("Sở Y tế phải làm gì về bảo vệ trẻ em theo kế hoạch Hải Dương?",
                        today=TODAY)
    assert ans.plan_ids == ["haiduong-2017"]
    assert ans.units[0] == "Sở Y tế"
    assert "nhiệm vụ về trẻ em của Sở Lao động - Thương binh và Xã hội (mục IV.1), nay do Sở Y" \
        " tế đảm nhận (Thông tư 20/2025/TT-BYT):" in ans.text
    moved = kb.plans["haiduong-2017"].unit("so-ldtbxh").tasks
    assert ans.text.count("• (chuyển giao) ") == len(moved)
    assert {c.line for c in ans.citations} >= {t.line for t in moved}
    # the Sở Y tế's own tasks come first, unmarked
    own = kb.plans["haiduong-2017"].unit("so-y-te").tasks[0].text[:40]
    assert ans.text.index(own) < ans.text.index("(chuyển giao)")


def test_labour_task_is_not_moved(kb):
    plans = KnowledgeBase()
    for plan in kb:
        copy = plan.model_copy(deep=True)
        if plan.id == "haiduong-2017":
            unit = copy.unit("so-ldtbxh")
            unit.tasks.append(Task(section="IV.1", line=unit.line,
                                   text="Giải quyết việc làm, đào tạo giáo dục nghề nghiệp cho"
                                        " người lao động và chính sách người có công."))
        plans.add(copy, kb.sources[plan.id])
    eng = Engine(plans)
    ans = eng.answer("Sở Y tế phải làm gì về bảo vệ trẻ em theo kế hoạch Hải Dương?", today=TODAY)
    assert "Giải quyết việc làm" not in ans.text
    assert ans.text.count("• (chuyển giao) ") == 4
    assert ("Các nhiệm vụ khác của Sở Lao động - Thương binh và Xã hội trong kế hoạch này (1)"
            " không thuộc phần chuyển sang Sở Y tế.") in ans.text


def test_successor_no_plan_names_reaches_the_district_units(engine):
    ans = engine.answer("Phòng Văn hóa - Xã hội phải làm gì theo kế hoạch Quận 3?", today=TODAY)
    assert ans.intent == "unit_tasks"
    assert ans.plan_ids == ["quan3-2020"]
    assert set(ans.units) == {"Phòng Lao động - Thương binh và Xã hội", "Phòng Y tế"}
    assert "Phòng Văn hóa – Thông tin" not in ans.text  # not the loosely matched unit
    assert "(Nghị định 147/2025/NĐ-CP, Nghị định 150/2025/NĐ-CP)" in ans.text


def test_successor_questions_stay_in_the_plan_asked(engine):
    ans = engine.answer("Sở Y tế có nhiệm vụ gì?", today=TODAY, plan_id="cantho-2017")
    assert ans.plan_ids == ["cantho-2017"]
    assert "Kế hoạch tỉnh Hải Dương" not in ans.text


def test_bundled_file_loads():
    s = load_succession(bundled_unit_names(), today=TODAY)
    assert len(s.entries) == len({v for v in EXPECTED.values()}) + 1  # two district Phòng


BAD = {
    "absent": ("- predecessor: Sở Không Có\n  level: province\n  from: 2025-03-01\n"
               "  legal: X\n  scope: trẻ em\n  successors: [{name: Sở Y tế}]\n",
               ":1: 'Sở Không Có' is not a unit of any plan"),
    "future": ("# c\n- predecessor: Sở Y tế\n  level: province\n  from: 2027-01-01\n"
               "  legal: X\n  scope: trẻ em\n  successors: [{name: Sở Nội vụ}]\n",
               ":2: date 01/01/2027 is in the future"),
    "cycle": ("- predecessor: Sở Y tế\n  level: province\n  from: 2025-03-01\n  legal: X\n"
              "  scope: a\n  successors: [{name: Sở Tư pháp}]\n"
              "- predecessor: Sở Tư pháp\n  level: province\n  from: 2025-03-01\n  legal: X\n"
              "  scope: a\n  successors: [{name: Sở Y tế}]\n",
              ":1: cycle of successors"),
    "malformed": ("- predecessor: Sở Y tế\n  level: province\n", ":1: malformed entry"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_successor_file_is_refused_naming_file_and_line(tmp_path: Path, case):
    text, message = BAD[case]
    path = tmp_path / "succession.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SuccessionFileError) as err:
        load_succession(bundled_unit_names(), today=TODAY, path=path)
    assert str(err.value).startswith(str(path))
    assert message in str(err.value)


def test_bundled_file_is_the_default():
    assert SUCCESSION_FILE.name == "succession.yaml"
    assert SUCCESSION_FILE.exists()
