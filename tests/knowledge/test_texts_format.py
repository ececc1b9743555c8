"""One date format, one number format, one quote style and one plan label (core.texts.format)."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from core.clock import VN_TZ
from core.texts import answers as P, format as F
from knowledge.base import KnowledgeBase
from knowledge.engine import answer
from knowledge.understanding import MAX_QUESTION_CHARS

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


@pytest.mark.parametrize(("value", "words"), [
    (0, "0"), (999, "999"), (1000, "1.000"), (4000, "4.000"), (12500, "12.500"),
    (-12500, "-12.500"), (1234567, "1.234.567"),
])
def test_number_has_vietnamese_thousands_separators(value: int, words: str) -> None:
    assert F.number(value) == words


def test_dates_are_day_month_year() -> None:
    assert F.date(dt.date(2026, 1, 5)) == "05/01/2026"
    assert F.iso_date("2026-12-01") == "01/12/2026"
    assert F.iso_date("—") == "—"
    assert F.month(dt.date(2025, 6, 1)) == "6/2025"
    assert F.month(dt.date(2025, 11, 1)) == "11/2025"
    assert F.date_time(dt.datetime(2026, 12, 1, 13, 12, tzinfo=VN_TZ)) == "13:12 ngày 01/12/2026"


def test_quote_is_the_curly_style_of_the_plans() -> None:
    assert F.quote("Phòng Y tế") == "“Phòng Y tế”"


def test_plan_label_and_name() -> None:
    assert F.plan_label("Quận 3", 2020) == "Quận 3 (2020)"
    assert F.plan_label("tỉnh Hải Dương", 2017) == "Tỉnh Hải Dương (2017)"
    assert F.plan_name("tỉnh Hải Dương", 2017) == "Kế hoạch tỉnh Hải Dương 2017"


@pytest.mark.parametrize(("raw", "notes", "shown"), [
    ("Báo cáo Báo cáo năm 2025", (), "Báo cáo năm 2025"),
    ("báo cáo Báo cáo quý", (), "Báo cáo quý"),
    ("Báo cáo kết quả (khi có yêu cầu)", ("đột xuất",), "Báo cáo kết quả (khi có yêu cầu)"),
    ("Báo cáo đột xuất kết quả", ("đột xuất",), "Báo cáo đột xuất kết quả"),
    ("Báo cáo kết quả", ("đột xuất",), "Báo cáo kết quả (đột xuất)"),
    ("Báo cáo năm", (), "Báo cáo năm"),
])
def test_title_says_each_word_and_qualifier_once(raw: str, notes: tuple[str, ...],
                                                 shown: str) -> None:
    assert F.title(raw, *notes) == shown


def test_too_long_question_counts_with_thousands_separators(kb: KnowledgeBase) -> None:
    a = answer(kb, "trẻ em " * 700, today=dt.date(2026, 12, 1))
    assert f"({F.number(len(('trẻ em ' * 700).strip()))} ký tự)" in a.text
    assert f"dưới {F.number(MAX_QUESTION_CHARS)} ký tự" in a.text
    assert not re.search(r"\d{4} ký tự", a.text)


def test_answers_quote_in_one_style() -> None:
    texts = [v for v in vars(P).values() if isinstance(v, str)]
    texts += [v for d in vars(P).values() if isinstance(d, dict) for v in d.values()
              if isinstance(v, str)]
    assert not [s for s in texts if "«" in s or '"' in s]


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string constant of a module but its docstrings, with its line."""
    docs = {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body and isinstance(node.body[0], ast.Expr)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def test_engine_sentences_live_in_the_text_layer() -> None:
    """No Vietnamese sentence the engine writes is left in its modules (ingest aside)."""
    letters = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")
    found = []
    for name in ("engine.py", "engine_base.py", "engine_deadlines.py", "engine_lists.py",
                 "engine_places.py", "followup.py", "wording.py", "succession_answers.py",
                 "place_plans.py", "calendar.py", "deadlines.py", "workdays.py"):
        tree = ast.parse((KNOWLEDGE / name).read_text("utf-8"))
        # a sentence: words with diacritics, not a name prefix ("Thành phố ") nor a log line
        found += [f"{name}:{no}: {text}" for no, text in _strings(tree)
                  if set(text.lower()) & letters and " " in text.strip()
                  and not text.endswith(" ") and "%s" not in text]
    assert found == []


def test_every_text_quotes_in_one_style() -> None:
    """Issue 13 (wording): one quotation style, “…”, in every module of core/texts."""
    import importlib
    import pkgutil

    import core.texts

    found = []
    for info in pkgutil.iter_modules(core.texts.__path__):
        module = importlib.import_module(f"core.texts.{info.name}")
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        found += [f"{info.name}:{n}" for n, line in enumerate(source.splitlines(), 1)
                  if "«" in line or "»" in line]
    assert not found
