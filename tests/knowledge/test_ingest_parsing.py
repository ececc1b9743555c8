"""The pieces of ``kehoach ingest``: Vietnamese dates and date rules, section numbering, unit
names, lead and cooperating units (knowledge/ingest/)."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge.ingest.dates import find_ranges, find_rules, first_occurrence_year, parse_date
from knowledge.ingest.reader import from_text
from knowledge.ingest.roles import roles, unit_keys
from knowledge.ingest.structure import outline
from knowledge.ingest.units import aliases_for, split_name, unit_id

D = dt.date


def _rules(text: str, year: int) -> list[tuple]:
    rules, _ = find_rules(text, year)
    return [
        (r.kind, r.date if r.kind == "once" else (r.month, r.day), r.period, r.text)
        for r in rules
    ]


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("gửi về Ủy ban nhân dân Quận 3 trước ngày 10 tháng 11 năm 2020.", 2020,
         [("once", D(2020, 11, 10), None, "trước ngày 10 tháng 11 năm 2020")]),
        ("Thực hiện chế độ báo cáo định kỳ 06 tháng (trước 10/6), 01 năm (trước 10/12) và báo "
         "cáo đột xuất (khi có yêu cầu)", 2020,
         [("yearly", (6, 10), "6 tháng", "định kỳ 06 tháng (trước 10/6)"),
          ("yearly", (12, 10), "năm", "01 năm (trước 10/12)")]),
        ("định kỳ 6 tháng (vào ngày 15/6) và hàng năm (vào ngày 15/12) báo cáo kết quả", 2017,
         [("yearly", (6, 15), "6 tháng", "định kỳ 6 tháng (vào ngày 15/6)"),
          ("yearly", (12, 15), "năm", "hàng năm (vào ngày 15/12)")]),
        ("Tổng hợp tình hình gửi về UBND quận trước ngày 15/11 hàng năm để đánh giá.", 2020,
         [("yearly", (11, 15), "năm", "trước ngày 15/11 hàng năm")]),
        ("Gửi báo cáo (sơ kết 6 tháng trước ngày 05/6/2023, 9 tháng trước ngày 05/9/2023 và 01 "
         "năm trước ngày 05/12/2023) về Ban Thường trực", 2023,
         [("once", D(2023, 6, 5), "6 tháng", "sơ kết 6 tháng trước ngày 05/6/2023"),
          ("once", D(2023, 9, 5), "9 tháng", "9 tháng trước ngày 05/9/2023"),
          ("once", D(2023, 12, 5), "năm", "01 năm trước ngày 05/12/2023")]),
        ("định kỳ 6 tháng (trước ngày 31/5/2023), cả năm (trước ngày 30/11/2023) báo cáo", 2023,
         [("once", D(2023, 5, 31), "6 tháng", "định kỳ 6 tháng (trước ngày 31/5/2023)"),
          ("once", D(2023, 11, 30), "năm", "cả năm (trước ngày 30/11/2023)")]),
        # no year: the plan's year (2017 here), never today's
        ("Các huyện gửi báo cáo trước ngày 15/11.", 2017,
         [("once", D(2017, 11, 15), None, "trước ngày 15/11")]),
        ("hoàn thành chậm nhất ngày 20/7/2024", 2024,
         [("once", D(2024, 7, 20), None, "chậm nhất ngày 20/7/2024")]),
    ],
)
def test_date_rules(text: str, year: int, expected: list[tuple]) -> None:
    assert _rules(text, year) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Thời gian thực hiện 06 tháng, định kỳ 6 tháng và 1 năm tổng hợp báo cáo.",  # durations
        "đường dây nóng 24/7 của Trung tâm Công tác xã hội tỉnh",
        "Nghị quyết số 121/2020/QH14 ngày 19/6/2020 của Quốc hội",  # a document's own date
        "khám chữa bệnh cho trẻ em dưới 06 tuổi",
        "giai đoạn 2021-2025 và 2021 - 2030",
    ],
)
def test_not_deadlines(text: str) -> None:
    assert find_rules(text, 2023) == ([], [])


def test_an_impossible_date_is_reported_not_kept() -> None:
    rules, bad = find_rules("báo cáo trước ngày 31/02/2023", 2023)
    assert rules == []
    assert [b.text for b in bad] == ["trước ngày 31/02/2023"]


@pytest.mark.parametrize(
    ("text", "year", "start", "end"),
    [
        ("Tổ chức Tháng hành động vì trẻ em năm 2023 (từ 01/6 đến 30/6)", 2020,
         D(2023, 6, 1), D(2023, 6, 30)),
        ("từ ngày 25/12/2023 đến ngày 05/01/2024", 2023, D(2023, 12, 25), D(2024, 1, 5)),
        ("tổ chức từ 15/5 - 15/6", 2019, D(2019, 5, 15), D(2019, 6, 15)),
    ],
)
def test_periods(text: str, year: int, start: dt.date, end: dt.date) -> None:
    ranges, _ = find_ranges(text, year)
    assert [(r.start_date, r.end_date) for r in ranges] == [(start, end)]
    assert find_rules(text, year)[0] == []  # a period is not a deadline


@pytest.mark.parametrize(
    ("month", "day", "start", "first"),
    [
        (6, 10, D(2020, 9, 8), 2021),  # a plan of September 2020 has no June report in 2020
        (12, 10, D(2020, 9, 8), 2020),
        (6, 15, D(2017, 5, 16), 2017),
        (6, 10, None, 2020),
    ],
)
def test_first_year_of_a_yearly_deadline(
    month: int, day: int, start: dt.date | None, first: int
) -> None:
    assert first_occurrence_year(month, day, 2020 if start is None else start.year, start) == first


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ngày 22 tháng 12 năm 2015", D(2015, 12, 22)),
        ("26/5/2020", D(2020, 5, 26)),
        ("ngày 04/4", D(2023, 4, 4)),
        ("ngày tháng 5 năm 2023", None),
    ],
)
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text, default_year=2023) == expected


def test_sections_as_printed() -> None:
    doc = from_text(
        "KẾ HOẠCH\nThử\nI. MỤC ĐÍCH\n- Một\nII. TỔ CHỨC THỰC HIỆN\n1. Phân công:\n"
        "1.1 Công an quận\n- Tuần tra\nnối dòng\n1.2 Phòng Y tế:\na) Khám\nb) Chữa\n"
        "2. Thời gian\nCác đơn vị báo cáo.\nNơi nhận:\n- Lưu"
    )
    items = outline(doc).body
    got = [(i.line, i.kind, i.section, i.body) for i in items]
    assert got == [
        (3, "roman", "I", "MỤC ĐÍCH"),
        (4, "bullet", "I", "Một"),
        (5, "roman", "II", "TỔ CHỨC THỰC HIỆN"),
        (6, "arabic", "II.1", "Phân công:"),
        (7, "dotted", "II.1.1", "Công an quận"),
        (8, "bullet", "II.1.1", "Tuần tra nối dòng"),
        (10, "dotted", "II.1.2", "Phòng Y tế:"),
        (11, "letter", "II.1.2.a", "Khám"),
        (12, "letter", "II.1.2.b", "Chữa"),
        (13, "arabic", "II.2", "Thời gian"),
        (14, "text", "II.2", "Các đơn vị báo cáo."),
    ]
    assert items[5].line_at(len("Tuần tra ")) == 9  # the joined line is still cited right


@pytest.mark.parametrize(
    ("text", "name", "rest"),
    [
        ("Sở Tài chính bố trí kinh phí thực hiện Chương trình", "Sở Tài chính",
         "bố trí kinh phí thực hiện Chương trình"),
        ("Sở Kế hoạch và Đầu tư tổng hợp, bố trí vốn", "Sở Kế hoạch và Đầu tư",
         "tổng hợp, bố trí vốn"),
        ("Đề nghị Ủy ban MTTQ Việt Nam tỉnh và các tổ chức thành viên: Tăng cường giám sát",
         "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức thành viên",
         "Tăng cường giám sát"),
        ("Sở Lao động - Thương binh và Xã hội có trách nhiệm:",
         "Sở Lao động - Thương binh và Xã hội", ""),
        ("Ủy ban nhân dân các quận, huyện có trách nhiệm chỉ đạo xây dựng",
         "Ủy ban nhân dân các quận, huyện", "chỉ đạo xây dựng"),
        ("Phòng LĐ-TB&XH:", "Phòng Lao động - Thương binh và Xã hội", ""),
        ("Ban Chỉ đạo 138 huyện chủ trì tổng kết", "Ban Chỉ đạo 138 huyện", "chủ trì tổng kết"),
        ("Đề nghị Thị đoàn Đức Phổ", "Thị đoàn Đức Phổ", ""),
    ],
)
def test_unit_names(text: str, name: str, rest: str) -> None:
    named = split_name(text)
    assert (named.name, named.rest) == (name, rest)


def test_aliases_and_ids() -> None:
    name = "Phòng Lao động - Thương binh và Xã hội"
    assert aliases_for(name, "Phòng LĐ-TB&XH") == ["Phòng LĐ-TB&XH", "Phòng LĐTBXH"]
    assert unit_id(name) == "phong-ldtbxh"
    assert unit_id(name, ["phong-ldtbxh"]) == "phong-ldtbxh-2"
    assert unit_id("Ủy ban nhân dân các xã, phường") == "ubnd-xa-phuong"


def test_lead_and_cooperating_units() -> None:
    keys = [
        unit_keys("so-ldtbxh", ["Sở Lao động - Thương binh và Xã hội", "Sở LĐ-TB&XH"]),
        unit_keys("cong-an", ["Công an tỉnh"]),
        unit_keys("so-y-te", ["Sở Y tế"]),
        unit_keys("ubnd-huyen", ["Ủy ban nhân dân các huyện, thị xã, thành phố"]),
    ]
    r = roles("Công an tỉnh chủ trì, phối hợp với Sở Y tế và Hội Liên hiệp Phụ nữ tỉnh điều tra",
              keys, "so-ldtbxh")
    assert (r.lead, r.cooperating, r.partners) == (
        ["cong-an"], ["so-y-te"], ["Hội Liên hiệp Phụ nữ tỉnh"]
    )
    r = roles("Chủ trì phối hợp với các sở, ban, ngành, UBND các huyện, thành phố, thị xã rà soát",
              keys, "so-ldtbxh")
    assert (r.lead, r.cooperating) == ([], ["ubnd-huyen"])  # the unit itself leads: no lead
    r = roles("chủ trì phối hợp Sở LĐ-TB&XH nghiên cứu, đề xuất chính sách", keys, "so-y-te")
    assert r.cooperating == ["so-ldtbxh"]
    assert roles("Chỉ đạo Công an các cấp điều tra", keys, "so-y-te").cooperating == []
