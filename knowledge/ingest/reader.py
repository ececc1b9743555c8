"""Reading a plan document into numbered lines.

A text file as is, a .docx paragraph by paragraph, a PDF page by page (its text layer), a
legacy .doc through LibreOffice.

For a .docx the source text the draft cites is the extracted text (:mod:`.docx_reader`); a text
file written that way reads back the same (:mod:`.document`).
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from knowledge.ingest.document import Document, IngestError, Line, from_text
from knowledge.ingest.docx_reader import read_docx

__all__ = ["MAX_BYTES", "SUPPORTED", "Document", "IngestError", "Line", "from_text", "read_bytes",
           "read_document"]

logger = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
SUPPORTED = (".docx", ".txt", ".text", ".md", ".pdf", ".doc")


def read_document(path: Path, *, max_bytes: int = MAX_BYTES) -> Document:
    """Read ``path`` (.docx or text) into a :class:`Document`.

    Args:
        path: the file.
        max_bytes: larger files are refused.

    Returns:
        The document's lines.

    Raises:
        IngestError: the file is missing, empty, too large, corrupt or of another type.
    """
    try:
        if not path.is_file():
            raise IsADirectoryError(21, "không phải một tệp") if path.exists() else (
                FileNotFoundError(2, "không có tệp này")
            )
        _check_size(path.stat().st_size, path.name, max_bytes)
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(
            f"Không mở được {path}: {exc.strerror or exc}. (Cannot open {path.name}.)"
        ) from exc
    return read_bytes(data, path.name, max_bytes=max_bytes)


def _check_size(size: int, name: str, max_bytes: int) -> None:
    if size >= max_bytes:
        raise IngestError(
            f"Tệp {name} quá lớn ({size / 1024 / 1024:.1f} MB); chỉ nhận tệp dưới "
            f"{max_bytes / 1024 / 1024:.0f} MB. (File too large.)"
        )


def read_bytes(
    data: bytes, name: str, *, max_bytes: int = MAX_BYTES, office: str | None = None
) -> Document:
    """Read a document's bytes; ``name`` (its file name) tells the type.

    Args:
        data: the file's bytes.
        name: its file name.
        max_bytes: larger files are refused.
        office: the LibreOffice program that converts a legacy .doc (default: ``soffice`` or
            ``libreoffice`` on the PATH; "" for none).

    Raises:
        IngestError: see :func:`read_document`.
    """
    _check_size(len(data), name, max_bytes)
    suffix = Path(name).suffix.lower()
    if not data.strip():
        raise IngestError(f"Tệp {name} rỗng, không có nội dung. (The file is empty.)")
    if suffix == ".doc" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return _read_doc(data, name, office)
    if suffix == ".pdf" or data[:5] == b"%PDF-":
        return _read_pdf(data, name)
    if suffix == ".docx" or data[:4] == b"PK\x03\x04":
        return read_docx(data, name)
    if suffix and suffix not in SUPPORTED:
        raise IngestError(
            f"Không đọc được loại tệp {suffix}: chỉ nhận .docx, .doc, .pdf hoặc .txt. "
            "(Unsupported file type.)"
        )
    if b"\x00" in data[:4096]:
        raise IngestError(
            f"Tệp {name} không phải văn bản (có byte nhị phân). (Not a text file.)"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"Tệp {name} không phải văn bản UTF-8 (byte {exc.start}). Hãy lưu lại với mã "
            "UTF-8. (Not UTF-8 text.)"
        ) from exc
    if not text.strip():
        raise IngestError(f"Tệp {name} rỗng, không có nội dung. (The file is empty.)")
    return from_text(text, name)


# --- PDF and legacy .doc ----------------------------------------------------------------------

_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?(?:trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*-)?\s*$",
                          re.IGNORECASE)


def _read_pdf(data: bytes, name: str) -> Document:
    """A PDF's text layer, page by page, one printed line a line (page numbers dropped)."""
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        pdf = pypdf.PdfReader(io.BytesIO(data))
        if pdf.is_encrypted and not pdf.decrypt(""):
            raise IngestError(
                f"Tệp {name} là PDF có mật khẩu: hãy gỡ mật khẩu (hoặc gửi tệp Word gốc) rồi gửi "
                "lại. (Password-protected PDF.)"
            )
        pages = [page.extract_text() or "" for page in pdf.pages]
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise IngestError(
            f"Tệp {name} bị hỏng hoặc không phải PDF, không đọc được. (Corrupt PDF: "
            f"{type(exc).__name__}.)"
        ) from exc
    except Exception as exc:  # pypdf raises many kinds on damaged files
        logger.warning("cannot read %s as PDF", name, exc_info=True)
        raise IngestError(
            f"Tệp {name} bị hỏng, không đọc được nội dung PDF. (Corrupt PDF: "
            f"{type(exc).__name__}.)"
        ) from exc
    lines: list[str] = []
    for page in pages:
        for raw in page.splitlines():
            raw = raw.rstrip()
            if raw.strip() and not _PAGE_NUMBER.match(raw):
                lines.append(raw.strip())
    letters = sum(1 for line in lines for c in line if c.isalpha())
    if letters < 40 * max(1, len(pages)) // 4:
        raise IngestError(
            f"Tệp {name} là PDF scan (ảnh chụp), không có lớp chữ để đọc. Hãy gửi tệp Word gốc, "
            "hoặc chạy nhận dạng chữ (OCR) để có PDF có chữ rồi gửi lại. (Scanned PDF with no "
            "text layer.)"
        )
    return from_text("\n".join(lines) + "\n", name)


def _encrypted_office(data: bytes) -> bool:
    try:
        import msoffcrypto

        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except Exception:  # not an OLE file msoffcrypto knows: let the converter decide
        return False


def office_program() -> str | None:
    """The LibreOffice program on the PATH (``soffice`` or ``libreoffice``), if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _read_doc(data: bytes, name: str, office: str | None) -> Document:
    """A legacy Word .doc, converted to .docx by LibreOffice when it is installed."""
    if _encrypted_office(data):
        raise IngestError(
            f"Tệp {name} có mật khẩu: hãy mở bằng Word, gỡ mật khẩu, lưu lại thành .docx rồi "
            "gửi lại. (Password-protected Office file.)"
        )
    program = office_program() if office is None else office
    if not program:
        raise IngestError(
            f"Tệp {name} là định dạng Word cũ (.doc). Để trợ lý tự chuyển đổi, cần cài "
            "LibreOffice (ví dụ: apt-get install libreoffice-writer); hoặc mở tệp bằng Word, "
            "chọn Lưu thành .docx rồi gửi lại. (Legacy .doc: install LibreOffice or save as "
            ".docx.)"
        )
    with tempfile.TemporaryDirectory(prefix="kehoach-doc-") as tmp:
        source = Path(tmp) / "van-ban.doc"
        source.write_bytes(data)
        try:
            subprocess.run(
                [program, "--headless", "--convert-to", "docx", "--outdir", tmp, str(source)],
                check=True, capture_output=True, timeout=180,
            )
            converted = (Path(tmp) / "van-ban.docx").read_bytes()
        except (OSError, subprocess.SubprocessError) as exc:
            logger.warning("LibreOffice could not convert %s", name, exc_info=True)
            raise IngestError(
                f"Không chuyển được tệp {name} (.doc) sang .docx bằng LibreOffice: tệp có thể "
                "bị hỏng hoặc có mật khẩu. Hãy mở bằng Word và lưu lại thành .docx. (Cannot "
                "convert the .doc file.)"
            ) from exc
    return read_docx(converted, name)
