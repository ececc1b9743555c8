"""Files in the in-memory Bot API: what users upload (and the bot downloads), what the bot sends.

:class:`LocalFiles` is mixed into :class:`bot.local_api.LocalBotApi`: a user's document or
photo (:meth:`LocalFiles.user_document`), ``getFile`` and the download behind it
(:meth:`LocalFiles.download`), and the bot's ``sendDocument``/``sendPhoto``.
:func:`save_files` writes what the bot sent to a folder under its real name and extension,
never over an earlier file (``bao-cao.xlsx``, ``bao-cao-1.xlsx``…).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.local_types import JSON, BotApiError, Call

# The first bytes of the files this bot sends, and their extension (a photo sent as bare
# bytes reaches the Bot API named "application.octet-stream").
_MAGIC = ((b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpg"), (b"%PDF", ".pdf"),
          (b"GIF8", ".gif"), (b"PK\x03\x04", ".zip"))
_NAMELESS = {"", "application.octet-stream", "file", "photo", "document"}
_SLUG_CHARS = 40


class LocalFiles:
    """The files part of the in-memory Bot API (a mixin of ``LocalBotApi``)."""

    uploads: dict[str, bytes]
    calls: list[Call]

    def _init_files(self) -> None:
        self.uploads = {}

    if TYPE_CHECKING:  # defined by LocalBotApi
        def user_message(self, chat: JSON, user: JSON, text: str, **kwargs: Any) -> JSON:
            """A user writes ``text`` in ``chat``."""

        def _bot_message(self, params: JSON, fields: JSON) -> JSON: ...

    def user_document(self, chat: JSON, user: JSON, *, name: str, data: bytes,
                      mime: str | None = None, caption: str | None = None) -> JSON:
        """A user sends the file ``name`` (a Telegram document) in ``chat``; return the update.

        Args:
            chat: the chat it is sent in.
            user: who sends it.
            name: the file's name, shown by Telegram and given to the bot.
            data: its content (the bot downloads it with ``getFile``).
            mime: its MIME type, if known.
            caption: the caption typed with it.

        Returns:
            The update the bot receives.
        """
        file_id = f"upload-{len(self.uploads) + 1}"
        self.uploads[file_id] = data
        update = self.user_message(chat, user, "")
        message = update["message"]
        message.pop("text")
        message.pop("entities", None)
        document: JSON = {"file_id": file_id, "file_unique_id": f"u{file_id}",
                          "file_name": name, "file_size": len(data)}
        if mime:
            document["mime_type"] = mime
        message["document"] = document
        if caption:
            message["caption"] = caption
        return update

    def download(self, file_path: str) -> bytes | None:
        """The content behind a ``getFile`` path (``documents/<file_id>``), None if unknown."""
        return self.uploads.get(file_path.rsplit("/", 1)[-1])

    def _m_getfile(self, params: JSON, files: dict[str, Any]) -> JSON:
        file_id = str(params.get("file_id", ""))
        if file_id not in self.uploads:
            raise BotApiError(400, "Bad Request: invalid file_id")
        return {"file_id": file_id, "file_unique_id": f"u{file_id}",
                "file_size": len(self.uploads[file_id]), "file_path": f"documents/{file_id}"}

    def _file_message(self, params: JSON, files: dict[str, tuple[str, bytes]],
                      kind: str) -> JSON:
        name, data = next(iter(files.values()), (str(params.get(kind, "file")), b""))
        fields: JSON = {}
        if params.get("caption"):
            fields["caption"] = str(params["caption"])
        uid = f"{kind}-{len(self.calls) + 1}"
        if kind == "document":
            fields["document"] = {"file_id": uid, "file_unique_id": uid, "file_name": name,
                                  "file_size": len(data)}
        else:
            fields["photo"] = [{"file_id": uid, "file_unique_id": uid, "width": 1, "height": 1,
                                "file_size": len(data)}]
        return self._bot_message(params, fields)

    def _m_senddocument(self, params: JSON, files: dict[str, tuple[str, bytes]]) -> JSON:
        return self._file_message(params, files, "document")

    def _m_sendphoto(self, params: JSON, files: dict[str, tuple[str, bytes]]) -> JSON:
        return self._file_message(params, files, "photo")


def real_name(name: str, data: bytes, *, fallback: str = "tep") -> str:
    """The name to save a sent file under.

    Its own, with an extension read from its first bytes when it has none (``fallback`` with
    that extension when it has no name of its own).
    """
    base = Path(name).name
    if base.lower() in _NAMELESS:
        base = fallback
    if Path(base).suffix:
        return base
    extension = next((ext for magic, ext in _MAGIC if data.startswith(magic)), "")
    return base + extension


def slug(text: str, *, default: str = "anh") -> str:
    """``text`` as a file name.

    ASCII, lower case, words joined by ``-`` (Vietnamese letters without their marks), at most
    40 characters; ``default`` when nothing is left.
    """
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = plain.encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return words[:_SLUG_CHARS].rstrip("-") or default


def unique_path(directory: Path, name: str) -> Path:
    """``directory / name``, or ``name-1``, ``name-2``… before the extension if it exists."""
    path = directory / name
    stem, suffix = Path(name).stem, Path(name).suffix
    number = 0
    while path.exists():
        number += 1
        path = directory / f"{stem}-{number}{suffix}"
    return path


def save_files(call: Call, directory: Path) -> list[Path]:
    """Write the files of a sendDocument/sendPhoto call to ``directory``; return their paths.

    Each is saved under its real name and extension (a photo with no name of its own is named
    from its caption), never over an earlier file.
    """
    directory.mkdir(parents=True, exist_ok=True)
    fallback = slug(str(call.params.get("caption") or "").split("\n")[0])
    paths = []
    for name, data in call.files.values():
        path = unique_path(directory, real_name(name, data, fallback=fallback))
        path.write_bytes(data)
        paths.append(path)
    return paths
