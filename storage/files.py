"""Report attachments: what is accepted, and where it is kept (by content hash).

A file is stored once under ``<files_dir>/<first two hex digits>/<sha256>`` whatever its
name; submissions refer to it by hash and keep the name the officer gave it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath

# Documents officers send as reports: office documents, PDF, plain text and pictures.
ALLOWED_EXTENSIONS = {
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".rtf", ".txt", ".csv",
    ".jpg", ".jpeg", ".png",
}
ALLOWED_MIME_PREFIXES = (
    "application/pdf", "application/msword", "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.", "application/vnd.oasis.opendocument.",
    "application/rtf", "text/plain", "text/csv", "image/jpeg", "image/png",
)


class FileRejected(ValueError):  # noqa: N818
    """A file that is not accepted; ``reason`` is ``too_big`` or ``forbidden_type``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        """A refusal for ``reason``; ``detail`` says what was seen (size, extension or type)."""
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class StoredFile:
    """A stored attachment."""

    sha256: str
    name: str
    mime: str
    size: int


MAX_MIME = 128  # submission_version.file_mime
MAX_NAME = 255  # submission_version.file_name


def clean_mime(mime: str) -> str:
    """The MIME type as stored: without parameters, at most :data:`MAX_MIME` characters."""
    return mime.split(";", 1)[0].strip()[:MAX_MIME] or "application/octet-stream"


def check_file(name: str | None, mime: str | None, size: int | None, max_bytes: int) -> None:
    """Refuse a file before downloading it: too big, or not a document type we accept.

    Raises:
        FileRejected: with ``reason`` ``too_big`` or ``forbidden_type``.
    """
    if size is not None and size > max_bytes:
        raise FileRejected("too_big", f"{size} > {max_bytes}")
    extension = PurePath(name or "").suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise FileRejected("forbidden_type", extension or "(no extension)")
    if mime and not mime.startswith(ALLOWED_MIME_PREFIXES) and mime != "application/octet-stream":
        raise FileRejected("forbidden_type", mime)


def path_for(files_dir: Path, sha256: str) -> Path:
    """Where the file with this hash is kept."""
    return files_dir / sha256[:2] / sha256


def store(files_dir: Path, data: bytes, *, name: str, mime: str, max_bytes: int) -> StoredFile:
    """Keep ``data`` under its hash (written once, atomically).

    Raises:
        FileRejected: the data is larger than ``max_bytes`` (whatever was declared).

    Returns:
        The stored file.
    """
    if len(data) > max_bytes:
        raise FileRejected("too_big", f"{len(data)} > {max_bytes}")
    digest = hashlib.sha256(data).hexdigest()
    target = path_for(files_dir, digest)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return StoredFile(sha256=digest, name=PurePath(name).name[:MAX_NAME], mime=clean_mime(mime),
                      size=len(data))
