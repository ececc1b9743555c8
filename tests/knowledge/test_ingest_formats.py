"""The files offices have (PDF with a text layer, legacy .doc, .docx, .txt), the bad input they
send (a scanned or password-protected PDF, a zip renamed .docx, an empty document, another
language, a file name with Vietnamese letters and spaces), and the review of a draft
(its summary, ``kehoach plans validate``, the warning when a draft is loaded)."""

from __future__ import annotations

import io
import logging
import stat
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from bot import cli
from knowledge.base import read_plan_file
from knowledge.ingest import IngestError, ingest_bytes, ingest_file, write_draft
from knowledge.ingest.reader import read_bytes

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
PLAN_LINES = [
    "ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH AN",
    "Số: 21/KH-UBND",
    "Hòa Bình An, ngày 03 tháng 12 năm 2025",
    "KẾ HOẠCH",
    "Phòng, chống xâm hại trẻ em năm 2026",
    "Căn cứ Quyết định số 45/QĐ-UBND ngày 02/10/2025 của Ủy ban nhân dân tỉnh;",
    "I. TỔ CHỨC THỰC HIỆN",
    "1. Sở Y tế",
    "- Chủ trì tổng hợp, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12/2026.",
    "2. Công an tỉnh",
    "- Điều tra, xử lý nghiêm các vụ việc xâm hại trẻ em.",
    "Nơi nhận:",
    "- Lưu: VT.",
]


def _pdf(lines: list[str], *, password: str | None = None, text: bool = True) -> bytes:
    fpdf = pytest.importorskip("fpdf")
    if text and not FONT.exists():
        pytest.skip("no TrueType font with Vietnamese letters on this machine")
    pdf = fpdf.FPDF()
    pdf.add_page()
    if text:
        pdf.add_font("dejavu", fname=str(FONT))
        pdf.set_font("dejavu", size=11)
        for line in lines:
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    else:  # a scan: only a picture, no text layer
        pdf.set_fill_color(40, 40, 40)
        for y in range(20, 250, 12):
            pdf.rect(20, y, 160, 6, style="F")
    if password:
        pdf.set_encryption(owner_password="chu-so-huu", user_password=password)
    return bytes(pdf.output())


def test_a_pdf_with_a_text_layer(tmp_path: Path) -> None:
    draft = ingest_bytes(_pdf(PLAN_LINES), "Kế hoạch 21.pdf", plan_id="hoabinhan-2026")
    plan, _ = read_plan_file(write_draft(draft, tmp_path))
    assert plan.document_number == "21/KH-UBND"
    assert [u.name for u in plan.units] == ["Sở Y tế", "Công an tỉnh"]
    assert [(d.rule.kind, str(d.rule.date)) for d in plan.deadlines] == [("once", "2026-12-15")]


def test_a_scanned_pdf_says_so() -> None:
    with pytest.raises(IngestError, match="PDF scan"):
        read_bytes(_pdf([], text=False), "scan.pdf")


def test_a_password_protected_pdf_says_so() -> None:
    with pytest.raises(IngestError, match="mật khẩu"):
        read_bytes(_pdf(PLAN_LINES, password="bi-mat"), "khoa.pdf")


def test_a_password_protected_docx_says_so() -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    word = docx.Document()
    word.add_paragraph("KẾ HOẠCH")
    plain, locked = io.BytesIO(), io.BytesIO()
    word.save(plain)
    plain.seek(0)
    OOXMLFile(plain).encrypt("bi-mat", locked)
    with pytest.raises(IngestError, match="có mật khẩu"):
        read_bytes(locked.getvalue(), "khoa.docx")


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512


def test_a_legacy_doc_without_libreoffice_names_what_to_install() -> None:
    with pytest.raises(IngestError, match="LibreOffice") as caught:
        read_bytes(OLE, "cu.doc", office="")
    assert "libreoffice-writer" in str(caught.value)
    assert "Lưu thành .docx" in str(caught.value)


def test_a_legacy_doc_is_converted_by_libreoffice(tmp_path: Path) -> None:
    word = docx.Document()
    for line in PLAN_LINES:
        word.add_paragraph(line)
    converted = tmp_path / "converted.docx"
    word.save(str(converted))
    # a stand-in for soffice: "--headless --convert-to docx --outdir DIR FILE.doc"
    office = tmp_path / "soffice"
    office.write_text(
        "#!/bin/sh\nfor a; do last=$a; done\nout=$(dirname \"$last\")\n"
        f"cp '{converted}' \"$out/van-ban.docx\"\n", encoding="utf-8")
    office.chmod(office.stat().st_mode | stat.S_IEXEC)
    doc = read_bytes(OLE, "cu.doc", office=str(office))
    assert [line.raw for line in doc.lines][:4] == PLAN_LINES[:4]


def test_a_legacy_doc_that_libreoffice_cannot_open(tmp_path: Path) -> None:
    office = tmp_path / "soffice"
    office.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    office.chmod(office.stat().st_mode | stat.S_IEXEC)
    with pytest.raises(IngestError, match="Không chuyển được"):
        read_bytes(OLE, "hong.doc", office=str(office))


def test_an_empty_word_document() -> None:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with pytest.raises(IngestError, match="không có chữ nào"):
        read_bytes(buffer.getvalue(), "trong.docx")


ENGLISH = """PEOPLE'S COMMITTEE OF HOA BINH AN PROVINCE
No: 21/KH-UBND
PLAN
Child protection in 2026
I. IMPLEMENTATION
1. Department of Health
- Lead the reporting to the provincial People's Committee before 15/12/2026 and coordinate
  with the police to investigate cases of abuse against children in every commune and ward.
2. Provincial Police
- Investigate and handle cases of abuse against children strictly and promptly in all areas.
"""


def test_a_document_in_another_language() -> None:
    with pytest.raises(IngestError, match="không phải văn bản tiếng Việt"):
        ingest_bytes(ENGLISH.encode(), "plan-en.txt")


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch):
    app = cli.app
    if not any(c.name == "ingest" for c in app.registered_commands):
        cli._register_all()
    from core.settings import get_settings

    get_settings.cache_clear()

    def invoke(*args: str, env: dict[str, str] | None = None):
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        get_settings.cache_clear()
        return CliRunner().invoke(app, list(args))

    yield invoke
    get_settings.cache_clear()


def test_a_file_name_with_vietnamese_letters_and_spaces(run, tmp_path: Path) -> None:
    path = tmp_path / "Kế hoạch số 21 năm 2026 (bản cuối).txt"
    path.write_text("\n".join(PLAN_LINES) + "\n", encoding="utf-8")
    result = run("ingest", str(path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "ke-hoach-so-21-nam-2026-ban-cuoi.txt", "ke-hoach-so-21-nam-2026-ban-cuoi.yaml"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan-en.txt", ENGLISH.encode(), "không phải văn bản tiếng Việt"),
        ("Kế hoạch mới.docx", b"PK\x03\x04 not really a zip", "bị hỏng"),
        ("cũ.doc", OLE, ".doc"),
    ],
)
def test_bad_input_leaves_nothing_in_the_plans_folder(run, tmp_path: Path, name: str,
                                                      content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    plans = tmp_path / "plans"
    result = run("ingest", str(path), "-o", str(plans), env={"PATH": str(tmp_path)})
    assert result.exit_code == 1
    assert result.stderr.startswith("Lỗi: ")
    assert message in result.stderr
    assert not plans.exists()


# --- review -------------------------------------------------------------------------------------


def _draft_in(folder: Path) -> Path:
    path = folder / "src.txt"
    path.write_text("\n".join(PLAN_LINES) + "\n", encoding="utf-8")
    return write_draft(ingest_file(path, plan_id="hoabinhan-2026"), folder / "plans")


def test_plans_validate_takes_a_bare_file_name_and_warns_on_review_lines(
    run, tmp_path: Path
) -> None:
    written = _draft_in(tmp_path)
    env = {"PLANS_DIR": str(written.parent)}
    for name in ("hoabinhan-2026.yaml", "hoabinhan-2026"):
        result = run("plans", "validate", name, env=env)
        assert result.exit_code == 0, result.stderr
        assert "OK   hoabinhan-2026.yaml: 2 đơn vị" in result.stdout
        assert "còn " in result.stderr
        assert "mục 'review: true' chưa rà soát" in result.stderr
    reviewed = "\n".join(line for line in written.read_text(encoding="utf-8").splitlines()
                         if line.strip() != "review: true")
    written.write_text(reviewed + "\n", encoding="utf-8")
    result = run("plans", "validate", "hoabinhan-2026.yaml", env=env)
    assert result.exit_code == 0
    assert "review" not in result.stderr
    result = run("plans", "validate", "khong-co.yaml", env=env)
    assert result.exit_code == 1


def test_loading_a_draft_logs_how_many_items_are_unchecked(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    written = _draft_in(tmp_path)
    with caplog.at_level(logging.WARNING, logger="knowledge.base"):
        plan, _ = read_plan_file(written)
    count = plan.review_count()
    assert count > 5
    assert f"{count} items still marked review: true" in caplog.text


def test_the_summary_counts_and_lists_everything_uncertain(tmp_path: Path) -> None:
    lines = PLAN_LINES[:8] + [
        "- Gửi báo cáo kết quả về Ủy ban nhân dân tỉnh trong thời hạn 10 ngày kể từ ngày nhận "
        "Kế hoạch này.",
        "2. Công an tỉnh",
        "- Phối hợp với Sở Y tế; Sở Tư pháp và Tỉnh đoàn hỗ trợ.",
        "II. NỘI DUNG",
        "1. Truyền thông",
        "- Cơ quan chủ trì: Sở Y tế.",
        "- Cơ quan phối hợp: Hội Liên hiệp Phụ nữ tỉnh.",
        "Nơi nhận:",
    ]
    path = tmp_path / "nghi-van.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    draft = ingest_file(path, plan_id="nghivan-2026")
    doubts = draft.uncertain()
    summary = draft.summary()
    assert f"Cần kiểm tra ({len(doubts)}):" in summary
    assert "Cần kiểm tra: không có." not in summary
    assert any("tính từ một sự kiện" in d for d in doubts)
    assert any("Hội Liên hiệp Phụ nữ tỉnh" in d and "phối hợp" in d for d in doubts)
    assert f"({draft.plan.review_count()} mục)" in summary
