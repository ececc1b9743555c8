"""Encryption at rest of incident content, with the key of ``INCIDENT_KEY``.

Incident fields (and the drafts of the ``/suvu`` form) are stored as Fernet tokens
(AES-128-CBC + HMAC-SHA256, from the ``cryptography`` package): a JSON object of the fields,
encrypted and authenticated as one value, so a database dump, a backup or a copied SQLite file
shows none of it.

``INCIDENT_KEY`` holds one or more Fernet keys separated by commas. The **first** encrypts; all
of them decrypt (:class:`~cryptography.fernet.MultiFernet`), so a key is rotated by putting the
new key first, running ``kehoach incidents rotate-key`` (which re-encrypts every row with it),
then removing the old key. ``kehoach incidents new-key`` prints a fresh key.

With incidents enabled and no valid key the assistant refuses to start
(:func:`check_incident_key`, called by :func:`bot.app.build_application`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlmodel import Session

from core.texts import incidents as texts


class IncidentKeyError(RuntimeError):
    """``INCIDENT_KEY`` is missing, malformed, or does not open the stored incidents."""


class Undecryptable(Exception):  # noqa: N818 - reads better at the call sites
    """A stored token that none of the keys opens (wrong key, or altered data)."""


KEY_HELP = texts.KEY_HELP


def generate_key() -> str:
    """A new random Fernet key (URL-safe base64 of 32 bytes) for ``INCIDENT_KEY``."""
    return Fernet.generate_key().decode("ascii")


def split_keys(raw: str) -> list[str]:
    """The keys of an ``INCIDENT_KEY`` value: separated by commas, semicolons or spaces."""
    return [k for k in raw.replace(";", ",").replace(" ", ",").split(",") if k.strip()]


class FieldCipher:
    """Encrypts and decrypts JSON objects with the first key; decrypts with any.

    Args:
        keys: Fernet keys, the one that encrypts first.

    Raises:
        IncidentKeyError: no key, or a key that is not a Fernet key.
    """

    def __init__(self, keys: Sequence[str | bytes]) -> None:
        """Build the cipher of ``keys`` (see the class)."""
        if not keys:
            raise IncidentKeyError(texts.KEY_MISSING)
        fernets = []
        for position, key in enumerate(keys, start=1):
            try:
                fernets.append(Fernet(key.strip() if isinstance(key, str) else key))
            except (ValueError, TypeError) as exc:
                raise IncidentKeyError(texts.KEY_MALFORMED.format(position=position)) from exc
        self._primary = fernets[0]
        self._all = MultiFernet(fernets)
        self.key_count = len(fernets)

    def seal(self, fields: dict[str, Any]) -> str:
        """Encrypt ``fields`` (JSON-serialisable) into a token string."""
        data = json.dumps(fields, ensure_ascii=False, separators=(",", ":"), default=str)
        return self._primary.encrypt(data.encode("utf-8")).decode("ascii")

    def open(self, token: str) -> dict[str, Any]:
        """Decrypt a token made by :meth:`seal` (with any of the keys).

        Raises:
            Undecryptable: no key opens it, or it was altered.
        """
        try:
            data = self._all.decrypt(token.encode("ascii"))
        except (InvalidToken, ValueError, UnicodeError):
            raise Undecryptable("incident token not decryptable with INCIDENT_KEY") from None
        opened: dict[str, Any] = json.loads(data.decode("utf-8"))
        return opened

    def rotate(self, token: str) -> str:
        """The same content encrypted with the first key (for key rotation).

        Raises:
            Undecryptable: no key opens it.
        """
        try:
            return self._all.rotate(token.encode("ascii")).decode("ascii")
        except (InvalidToken, ValueError):
            raise Undecryptable("incident token not decryptable with INCIDENT_KEY") from None

    def opens(self, token: str) -> bool:
        """Whether one of the keys opens ``token``."""
        try:
            self._all.decrypt(token.encode("ascii"))
        except (InvalidToken, ValueError):
            return False
        return True


@lru_cache(maxsize=4)
def _cipher(raw: str) -> FieldCipher:
    return FieldCipher(split_keys(raw))


def cipher_from_settings(settings: Any) -> FieldCipher:
    """The cipher of ``settings.incident_key`` (built once per key value).

    Raises:
        IncidentKeyError: the key is missing or malformed.
    """
    secret = settings.incident_key
    raw = secret.get_secret_value() if secret is not None else ""
    if not split_keys(raw):
        raise IncidentKeyError(texts.KEY_MISSING)
    return _cipher(raw)


def check_incident_key(settings: Any, db: Any = None) -> FieldCipher | None:
    """Refuse to start with incidents enabled and no usable key; say why.

    The key must be present and well formed; when ``db`` is given and already holds incidents,
    the key must also open the latest of them (a wrong key would make every stored incident
    unreadable and mix two keys in the table).

    Args:
        settings: the settings (``incidents_enabled``, ``incident_key``).
        db: the database (:class:`storage.db.Database`), optional.

    Returns:
        The cipher, or None when incidents are disabled.

    Raises:
        IncidentKeyError: with a message for the operator (Vietnamese, names the setting).
    """
    if not settings.incidents_enabled:
        return None
    cipher = cipher_from_settings(settings)
    if db is not None and hasattr(db, "call"):
        token = db.call(latest_token)
        if token is not None and not cipher.opens(token):
            raise IncidentKeyError(texts.KEY_WRONG)
    return cipher


def latest_token(session: Session) -> str | None:
    """The content of the latest incident (to check the key at start-up), None when none.

    Returns None too when the table does not exist yet (a database not yet migrated).
    """
    from sqlalchemy import inspect
    from sqlmodel import col, select

    from storage.models import Incident

    if not inspect(session.get_bind()).has_table(Incident.__tablename__):
        return None
    return session.exec(
        select(Incident.content).order_by(col(Incident.id).desc()).limit(1)
    ).first()
