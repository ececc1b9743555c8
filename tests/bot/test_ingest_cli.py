"""``kehoach ingest`` from the command line, and what it says about input it cannot use: an
empty file, a document that is not a plan, a corrupt .docx, a 20 MB file (bot/cli/ingest.py)."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
import typer
from typer.testing import CliRunner

from bot import cli
from knowledge.base import DEFAULT_PLANS_DIR, load_knowledge_base
from knowledge.ingest import IngestError, ingest_bytes, ingest_file
from tests.support.ingest_docs import text_to_docx

MB = 1024 * 1024
NOT_A_PLAN = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nGIẤY MỜI\n\nKính mời đồng chí đến dự buổi gặp mặt "
    "nhân dịp Tết Trung thu.\nThời gian: 15 giờ ngày 20/9/2023.\nĐịa điểm: Hội trường.\n"
)


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    if not any(c.name == "ingest" for c in cli.app.registered_commands):
        cli._register_all()
    return cli.app


@pytest.fixture
def run(app: typer.Typer, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("MAX_FILE_MB", raising=False)
    from core.settings import get_settings

    get_settings.cache_clear()
    runner = CliRunner()

    def invoke(*args: str):
        result = runner.invoke(app, list(args))
        assert "Traceback" not in result.stdout + result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit)
        return result

    yield invoke
    get_settings.cache_clear()


def test_ingest_writes_a_draft_that_validates_and_loads(run, tmp_path: Path) -> None:
    source = tmp_path / "Kế hoạch Quận 3.txt"
    shutil.copy(DEFAULT_PLANS_DIR / "quan3-2020.txt", source)
    out = tmp_path / "plans"
    result = run("ingest", str(source), "--id", "quan3-2020", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "11 đơn vị" in result.stdout
    assert "Cần kiểm tra (" in result.stdout
    assert (out / "quan3-2020.yaml").exists()
    assert (out / "quan3-2020.txt").exists()
    result = run("plans", "validate", str(out / "quan3-2020.yaml"))
    assert result.exit_code == 0, result.stderr
    kb = load_knowledge_base(out)  # a new file in a plans folder is picked up as it is
    assert kb.get("quan3-2020") is not None
    assert len(kb.get("quan3-2020").units) == 11
    # a second run does not overwrite the officer's reviewed file without --force
    result = run("ingest", str(source), "--id", "quan3-2020", "-o", str(out))
    assert result.exit_code == 1
    assert "--force" in result.stderr
    result = run("ingest", str(source), "--id", "quan3-2020", "-o", str(out), "--force", "-q")
    assert result.exit_code == 0
    assert "BẢN NHÁP" not in result.stdout


def test_ingest_docx_with_default_id(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (DEFAULT_PLANS_DIR / "binhson-2023.txt").read_text(encoding="utf-8")
    source = text_to_docx(text, tmp_path / "Bình Sơn 2023.docx")
    monkeypatch.chdir(tmp_path)
    result = run("ingest", str(source))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "binh-son-2023.yaml").exists()
    assert "2 đơn vị" in result.stdout


def _corrupt_docx(tmp_path: Path) -> bytes:
    path = tmp_path / "good.docx"
    word = docx.Document()
    word.add_paragraph("KẾ HOẠCH")
    word.save(str(path))
    data = path.read_bytes()
    return data[: len(data) // 2]  # a download cut in the middle


def _docx_without_document_part() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "not word")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "rỗng"),
        ("empty.docx", b"", "rỗng"),
        ("blank.txt", b" \n\n \t\n", "rỗng"),
        ("not-a-plan.txt", NOT_A_PLAN.encode(), "không giống một kế hoạch"),
        ("random.docx", b"this is not a zip file at all", "bị hỏng"),
        ("zip.docx", _docx_without_document_part(), "tệp nén (.zip)"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Word cũ (.doc)"),
        ("scan.pdf", b"%PDF-1.4 ...", "PDF"),
        ("latin1.txt", "KẾ HOẠCH".encode("utf-16-le"), "không phải văn bản"),
        ("cp1258.txt", b"K\xca\xcd HO\xc0CH\n", "UTF-8"),
    ],
)
def test_input_that_cannot_be_used(run, tmp_path: Path, name: str, content: bytes,
                                    message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # without LibreOffice, whether or not this machine has it (the .doc case's message)
    monkeypatch.setattr("knowledge.ingest.reader.office_program", lambda: None)
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError, match=re.escape(message)):
        ingest_file(path)
    result = run("ingest", str(path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Lỗi: ")
    assert message in result.stderr
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_corrupt_docx(run, tmp_path: Path) -> None:
    path = tmp_path / "cut.docx"
    path.write_bytes(_corrupt_docx(tmp_path))
    result = run("ingest", str(path))
    assert result.exit_code == 1
    assert "bị hỏng" in result.stderr


def test_not_a_plan_docx(tmp_path: Path) -> None:
    word = docx.Document()
    for line in NOT_A_PLAN.splitlines():
        word.add_paragraph(line)
    path = tmp_path / "giay-moi.docx"
    word.save(str(path))
    with pytest.raises(IngestError, match="không giống một kế hoạch"):
        ingest_file(path)


def test_a_plan_with_no_unit_gives_a_draft_that_says_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "rong.txt"
    path.write_text("KẾ HOẠCH\nLàm gì đó năm 2024\nI. MỤC ĐÍCH\n- Tốt hơn.\n", encoding="utf-8")
    draft = ingest_file(path)
    assert draft.plan.units == []
    assert any("phần phân công nhiệm vụ" in m for m in draft.missing)
    assert "CÒN THIẾU (" in draft.summary()


@pytest.mark.parametrize("name", ["big.docx", "big.txt"])
def test_a_20_mb_file(run, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    with path.open("wb") as f:
        f.truncate(20 * MB)
    with pytest.raises(IngestError, match="quá lớn"):
        ingest_file(path)
    result = run("ingest", str(path))
    assert result.exit_code == 1
    assert "quá lớn" in result.stderr
    assert "20 MB" in result.stderr
    with pytest.raises(IngestError, match="quá lớn"):
        ingest_bytes(b"x" * (2 * MB), "big.txt", max_bytes=MB)


def test_the_year_comes_from_the_plan_or_is_asked_for(run, tmp_path: Path) -> None:
    text = ("KẾ HOẠCH\nPhòng chống đuối nước\nII. TỔ CHỨC THỰC HIỆN\n1. Phòng Y tế: Báo cáo "
            "kết quả về UBND huyện trước ngày 15/11 hằng năm.\n")
    path = tmp_path / "khong-nam.txt"
    path.write_text(text, encoding="utf-8")
    result = run("ingest", str(path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "--year" in result.stderr
    result = run("ingest", str(path), "-o", str(tmp_path / "out"), "--year", "2019")
    assert result.exit_code == 0, result.stderr
    assert "15/11 hằng năm từ 2019" in result.stdout


@pytest.mark.parametrize("name", ["khong-co.docx", "."])
def test_missing_file_or_a_folder(run, tmp_path: Path, name: str) -> None:
    result = run("ingest", str(tmp_path / name))
    assert result.exit_code == 1
    assert result.stderr.startswith("Lỗi: Không mở được")


def test_invalid_id(run, tmp_path: Path) -> None:
    result = run("ingest", str(DEFAULT_PLANS_DIR / "cantho-2017.txt"), "--id", "Cần Thơ")
    assert result.exit_code == 1
    assert "không hợp lệ" in result.stderr
