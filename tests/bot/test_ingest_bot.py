"""An admin sends a plan .docx to the bot and gets the draft file back; /reload loads the plans
folder again (bot/handlers/ingest.py), through the real application."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.context import services_of
from bot.handlers.ingest import caption_options
from core.texts import ingest as t
from knowledge.base import DEFAULT_PLANS_DIR, load_knowledge_base
from tests.support.factories import make_settings, text_of
from tests.support.ingest_docs import text_to_docx
from tests.support.reports_kit import ADMIN, OFFICER, person, reports_bot

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def plans_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    for pid in ("quan3-2020", "cantho-2017"):
        for ext in ("yaml", "txt"):
            shutil.copy(DEFAULT_PLANS_DIR / f"{pid}.{ext}", folder)
    return folder


@pytest.fixture
async def bot(sqlite_db, clock, tmp_path: Path, plans_dir: Path):
    settings = make_settings(admin_ids=[ADMIN], files_dir=tmp_path / "files", max_file_mb=1,
                             plans_dir=plans_dir)
    kb = load_knowledge_base(plans_dir)
    async with reports_bot(settings, kb=kb, db=sqlite_db, clock=clock) as b:
        yield b


def _docx(tmp_path: Path, plan_id: str) -> bytes:
    text = (DEFAULT_PLANS_DIR / f"{plan_id}.txt").read_text(encoding="utf-8")
    return text_to_docx(text, tmp_path / f"{plan_id}.docx").read_bytes()


async def test_admin_gets_the_draft_back(bot, tmp_path: Path) -> None:
    admin = person(ADMIN, "Quản trị")
    update = bot.update(bot.api.user_file(admin, name="KH Bình Sơn.docx", mime=DOCX,
                                          data=_docx(tmp_path, "binhson-2023"),
                                          caption="binhson-2023"))
    calls = await bot.process(update)
    assert "getFile" in [c.method for c in calls]
    sent = bot.sent(ADMIN)
    assert text_of(sent[0]) == t.READING.format(name="KH Bình Sơn.docx")
    summary = text_of(sent[1])
    assert summary.startswith("Bản nháp kế hoạch “binhson-2023” (Ban Thường trực Ủy ban Mặt trận")
    assert "2 đơn vị, 8 nhiệm vụ" in summary
    assert "6 hạn có ngày" in summary
    docs = [c for c in calls if c.method == "sendDocument"]
    files = {name: data for c in docs for name, data in c.files.values()}
    assert set(files) == {"binhson-2023.yaml", "binhson-2023.txt"}
    # the file sent back is the draft: it validates against the source sent with it
    (tmp_path / "back").mkdir()
    for name, data in files.items():
        (tmp_path / "back" / name).write_bytes(data)
    kb = load_knowledge_base(tmp_path / "back")
    plan = kb.get("binhson-2023")
    assert [d.rule.date.isoformat() for d in plan.deadlines][:3] == [
        "2023-06-05", "2023-09-05", "2023-12-05"]
    assert yaml.safe_load(files["binhson-2023.yaml"])["units"][0]["review"] is True


async def test_a_document_that_is_not_a_plan(bot) -> None:
    admin = person(ADMIN, "Quản trị")
    update = bot.update(bot.api.user_file(admin, name="giay-moi.txt", mime="text/plain",
                                          data="Giấy mời họp lúc 15 giờ.".encode()))
    calls = await bot.process(update)
    assert "sendDocument" not in [c.method for c in calls]
    assert "không giống một kế hoạch" in text_of(bot.last(ADMIN))


async def test_a_file_too_big_is_not_downloaded(bot) -> None:
    admin = person(ADMIN, "Quản trị")
    update = bot.update(bot.api.user_file(admin, name="to.docx", mime=DOCX, data=b"PK",
                                          declared_size=5 * 1024 * 1024))
    calls = await bot.process(update)
    assert "getFile" not in [c.method for c in calls]
    assert text_of(bot.last(ADMIN)).startswith("Tệp “to.docx” nặng 5.0 MB, quá giới hạn 1 MB")


async def test_an_officer_document_is_not_ingested(bot, tmp_path: Path) -> None:
    officer = person(OFFICER)
    update = bot.update(bot.api.user_file(officer, name="kh.docx", mime=DOCX,
                                          data=_docx(tmp_path, "binhson-2023")))
    calls = await bot.process(update)
    assert "getFile" not in [c.method for c in calls]
    assert "sendDocument" not in [c.method for c in calls]


async def test_reload_picks_up_a_new_plan_and_keeps_the_old_on_error(
    bot, plans_dir: Path
) -> None:
    admin = person(ADMIN, "Quản trị")
    question = "Thị đoàn Đức Phổ có nhiệm vụ gì?"
    await bot.process(bot.private(question, who=admin))
    assert "mục IV.10" not in text_of(bot.last(ADMIN))  # not loaded yet
    for ext in ("yaml", "txt"):
        shutil.copy(DEFAULT_PLANS_DIR / f"ducpho-2023.{ext}", plans_dir)
    await bot.process(bot.private("/reload", who=admin))
    assert text_of(bot.last(ADMIN)) == (
        "Đã nạp lại 3 kế hoạch: cantho-2017, ducpho-2023, quan3-2020.\n"
        "Mới: ducpho-2023. Bỏ: —.")
    # the new plan answers questions at once
    await bot.process(bot.private(question, who=admin))
    assert "nhiệm vụ của Thị đoàn Đức Phổ (mục IV.10)" in text_of(bot.last(ADMIN))
    assert set(services_of(bot.app).kb.plans) == {"quan3-2020", "cantho-2017", "ducpho-2023"}
    # a broken file: named, and the plans in use stay
    (plans_dir / "hong.yaml").write_text("id: hong\n", encoding="utf-8")
    await bot.process(bot.private("/reload", who=admin))
    reply = text_of(bot.last(ADMIN))
    assert reply.startswith("Chưa nạp lại được, bot vẫn dùng các kế hoạch cũ.")
    assert "hong.yaml" in reply
    await bot.process(bot.private(question, who=admin))
    assert "nhiệm vụ của Thị đoàn Đức Phổ (mục IV.10)" in text_of(bot.last(ADMIN))


async def test_reload_is_for_admins(bot) -> None:
    await bot.process(bot.private("/reload", who=person(OFFICER)))
    assert text_of(bot.last(OFFICER)) == t.NOT_ADMIN


@pytest.mark.parametrize(
    ("caption", "expected"),
    [(None, (None, None)), ("quan3-2024 2024", ("quan3-2024", 2024)),
     ("2019", (None, 2019)), ("Kế hoạch mới", (None, None))],
)
def test_caption_options(caption: str | None, expected: tuple) -> None:
    assert caption_options(caption) == expected


async def test_reload_error_is_in_vietnamese_without_the_server_path(
    bot, plans_dir: Path
) -> None:
    admin = person(ADMIN, "Quản trị")
    (plans_dir / "hong.yaml").write_text("id: hong\n", encoding="utf-8")
    await bot.process(bot.private("/reload", who=admin))
    reply = text_of(bot.last(ADMIN))
    assert str(plans_dir) not in reply
    assert "Tệp “hong.yaml”: 6 trường chưa đúng: thiếu “title”; thiếu “issuer”" in reply
    assert "validation error" not in reply
    assert "Field required" not in reply
    (plans_dir / "hong.yaml").write_text("id: [hong\n", encoding="utf-8")
    await bot.process(bot.private("/reload", who=admin))
    reply = text_of(bot.last(ADMIN))
    assert "Tệp “hong.yaml”: sai cú pháp YAML (dòng 2, cột 1)." in reply
    assert str(plans_dir) not in reply


def test_reload_error_texts_of_each_kind(tmp_path: Path) -> None:
    from bot.reload_errors import reload_error
    from knowledge.base import PlanFileError

    def said(message: str) -> str:
        return reload_error(PlanFileError(message))

    assert said(f"{tmp_path}: no plan files (*.yaml)") == (
        "Thư mục kế hoạch không có tệp .yaml nào.")
    assert said(f"{tmp_path}/a.yaml: expected a mapping at the top level").startswith(
        "Tệp “a.yaml”: nội dung phải là")
    assert said(f"{tmp_path}/a.yaml: source text a.txt not found beside it") == (
        "Tệp “a.yaml”: không thấy tệp văn bản gốc “a.txt” bên cạnh.")
    cited = (f"{tmp_path}/a.yaml: cited text not found in a.txt:\n"
             "  task of x (line 12): text not in source: 'abc'\n"
             "  deadline y: line 99 is past the end (40 lines)")
    assert said(cited) == "Tệp “a.yaml”: 2 trích dẫn không khớp văn bản gốc “a.txt” (dòng 12, 99)."
    assert said(f"{tmp_path}/b.yaml: plan id a already loaded from {tmp_path}/a.yaml") == (
        "Tệp “b.yaml”: mã kế hoạch “a” trùng với tệp “a.yaml”.")
    assert str(tmp_path) not in said(f"{tmp_path}/c.yaml: something new")
