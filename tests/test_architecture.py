"""The house checks of tools/check_house.py find what they are for, and say where."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tools import check_house

ROOT = Path(__file__).resolve().parent.parent


def _write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_module_over_the_limit_is_named_with_its_length(tmp_path: Path) -> None:
    _write(tmp_path, "features/short.py", "x = 1\n" * 400)
    _write(tmp_path, "storage/long.py", "x = 1\n" * 401)
    _write(tmp_path, "tests/long_test.py", "x = 1\n" * 900)  # tests are not product code

    assert check_house.long_modules(tmp_path) == ["storage/long.py:1: 401 lines (limit 400)"]


def test_sqlmodel_or_session_in_the_surfaces_is_named_by_line(tmp_path: Path) -> None:
    _write(tmp_path, "bot/handlers/x.py", '"""Thin."""\n\nfrom sqlmodel import select\n')
    _write(tmp_path, "bot/y.py", "# runs in one Session\nok = 1\n")
    _write(tmp_path, "features/z.py", "from sqlmodel import Session\n")  # allowed below bot

    assert check_house.database_in_surfaces(tmp_path) == [
        "bot/handlers/x.py:3: from sqlmodel import select",
        "bot/y.py:1: # runs in one Session",
    ]


def test_vietnamese_literals_outside_core_texts_are_named_but_not_docstrings(
    tmp_path: Path,
) -> None:
    _write(tmp_path, "bot/x.py", '"""Báo cáo."""\n\nREPLY = "Đã nhận báo cáo"\nKEY = "ok"\n')
    _write(tmp_path, "core/texts/reports.py", 'RECEIVED = "Đã nhận báo cáo"\n')

    assert check_house.texts_outside_core(tmp_path) == ["bot/x.py:3: 'Đã nhận báo cáo'"]


def test_the_command_fails_on_a_violation_and_passes_on_a_clean_house(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, "bot/app.py", '"""The app."""\n')
    assert check_house.main(["--root", str(tmp_path), "--texts"]) == 0

    _write(tmp_path, "bot/app.py", "from sqlmodel import Session\n")
    assert check_house.main(["--root", str(tmp_path)]) == 1
    assert "bot/app.py:1: from sqlmodel import Session" in capsys.readouterr().out


def test_the_layer_contract_names_the_five_layers_top_down() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = [c for c in contracts if c["type"] == "layers"]

    assert [c["layers"] for c in layers] == [["bot", "features", "storage", "knowledge", "core"]]
    assert {c["type"] for c in contracts} >= {"layers", "forbidden", "acyclic_siblings"}
