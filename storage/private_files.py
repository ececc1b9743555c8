"""Files that hold secrets or personal data: created readable by their owner only.

``.env`` (with ``INCIDENT_KEY``) and the SQLite database are created 0600 in a 0700 folder,
and a warning is given when they are readable by others.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def create_private_sqlite(database: Path) -> None:
    """Create the folder (0700) and an empty database file (0600) unless they exist."""
    folder = database.parent
    if not folder.exists():
        folder.mkdir(parents=True, mode=FOLDER_MODE, exist_ok=True)
    if not database.exists():
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))


def too_open(paths: Iterable[Path]) -> list[tuple[Path, int]]:
    """The existing ``paths`` that others than their owner may read (path, mode)."""
    found = []
    for path in paths:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError:
            continue
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            found.append((path, mode))
    return found


def sensitive_paths(database_url: str, env_file: Path = Path(".env")) -> list[Path]:
    """``.env``, and for SQLite the database file and its folder."""
    paths = [env_file]
    if database_url.startswith("sqlite:///") and database_url != "sqlite:///:memory:":
        db = Path(database_url.removeprefix("sqlite:///")).expanduser()
        paths += [db, db.parent]
    return paths
