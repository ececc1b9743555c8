"""The one set-up of the ``kehoach`` command: settings, knowledge base, database and clock.

The root callback (:mod:`bot.cli`) puts one :class:`Services` in the Typer context; every
command takes it with :func:`services`. Nothing is built before a command asks for it:
``kehoach --help`` reads no settings and ``kehoach ask`` opens no database.

Exit codes (README, "The command line"), one convention for every command:

* ``0`` (:data:`EXIT_OK`) — done;
* ``1`` (:data:`EXIT_REFUSED`) — understood, but refused by the data or a file: no database
  yet (for a command that only reads), a registration already decided, a plan file that does
  not validate, a document that cannot be read into a draft, a plan without dated deadlines;
* ``2`` (:data:`EXIT_INVALID`) — what was given is wrong: Typer's own usage errors, a value
  that is malformed or names nothing (a date, a plan, a deadline, a unit, a status, a role, a
  registration number, a group), or a setting that stops the command (``INCIDENT_KEY``
  missing or not the key of the stored incidents, a plan folder that does not load).

Every message goes to standard error in Vietnamese (:mod:`core.texts.cli`) through
:func:`fail`, the one error helper.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from core.texts import cli as t

if TYPE_CHECKING:
    from core.clock import Clock
    from core.settings import Settings
    from features.permissions import Actor
    from knowledge.base import KnowledgeBase
    from storage.crypto import FieldCipher
    from storage.db import Database

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_INVALID = 2



def cli_actor() -> Actor:
    """The operator at the command line: an admin, ``cli`` in the audit log."""
    from features.permissions import Actor

    return Actor.command_line("cli")


def fail(message: str, code: int = EXIT_REFUSED) -> typer.Exit:
    """Say ``message`` on standard error and return the exit to raise with ``code``."""
    typer.echo(message, err=True)
    return typer.Exit(code)


def invalid(message: str) -> typer.Exit:
    """Say ``message`` and return the exit :data:`EXIT_INVALID`: what was given is wrong."""
    return fail(message, EXIT_INVALID)


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL, None for another database or an in-memory one."""
    if not url.startswith("sqlite") or ":///" not in url:
        return None
    path = url.split(":///", 1)[1].split("?", 1)[0]
    return Path(path).expanduser() if path not in ("", ":memory:") else None


def warn_if_readable(settings: Settings, env_file: Path = Path(".env")) -> None:
    """Warn when ``.env`` or the SQLite database can be read by other users of the machine."""
    from storage.private_files import sensitive_paths, too_open

    for path, mode in too_open(sensitive_paths(settings.database_url, env_file)):
        typer.echo(t.TOO_OPEN.format(path=path, mode=f"{mode:o}",
                                     wanted="700" if path.is_dir() else "600"), err=True)


class Services:
    """What the commands share, each built once per run and only when first asked for."""

    def __init__(self, settings: Settings | None = None) -> None:
        """Services over ``settings`` (default: the home folder's, read when first needed)."""
        self._settings = settings
        self._kb: KnowledgeBase | None = None
        self._db: Database | None = None
        self._clock: Clock | None = None

    @property
    def settings(self) -> Settings:
        """The settings of the home folder (:func:`core.settings.get_settings`)."""
        if self._settings is None:
            from core.settings import get_settings

            self._settings = get_settings()
        return self._settings

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base of ``PLANS_DIR`` (the bundled plans by default)."""
        if self._kb is None:
            from knowledge.base import PlanFileError, load_knowledge_base

            try:
                self._kb = load_knowledge_base(self.settings.plans_dir)
            except PlanFileError as exc:
                raise invalid(t.PLAN_FILE_ERROR.format(error=exc)) from exc
        return self._kb

    @property
    def clock(self) -> Clock:
        """The real clock, in ``TIMEZONE`` (Asia/Ho_Chi_Minh)."""
        if self._clock is None:
            from zoneinfo import ZoneInfo

            from core.clock import SystemClock

            self._clock = SystemClock(ZoneInfo(self.settings.timezone))
        return self._clock

    def now(self) -> dt.datetime:
        """The time now, from :attr:`clock`."""
        return self.clock.now()

    def today(self) -> dt.date:
        """Today's date, from :attr:`clock`."""
        return self.now().date()

    def database(self, *, writes: bool = False, migrate: bool = True) -> Database:
        """The database of ``DATABASE_URL``, migrated to the latest schema.

        A database without tables (or a SQLite file that does not exist) is created and
        migrated when the command writes (``writes=True``) and refused otherwise, without
        creating anything, with a message naming the database and ``kehoach db upgrade``.
        ``migrate=False`` only opens it (the bot migrates it when it starts).
        """
        if self._db is not None:
            return self._db
        from storage.db import Database

        url = self.settings.database_url
        where = _safe(url)
        missing = sqlite_file(url)
        if not writes and missing is not None and not missing.exists():
            raise fail(t.NO_DATABASE.format(where=where))
        database = Database.from_settings(self.settings)
        if not migrate:
            self._db = database
            return database
        try:
            empty = database.current_revision() is None
        except Exception as exc:  # unreachable server, bad credentials: said, not a traceback
            database.dispose()
            raise fail(t.DATABASE_UNREACHABLE.format(where=where,
                                                     error=type(exc).__name__)) from exc
        if empty and not writes:
            database.dispose()
            raise fail(t.NO_DATABASE.format(where=where))
        database.upgrade()
        self._db = database
        return database

    def cipher(self) -> FieldCipher:
        """The incident key, checked against the stored incidents (as the bot does at start).

        Raises:
            typer.Exit: incidents turned off (1), or ``INCIDENT_KEY`` missing, malformed or
                not the key of the stored incidents (2), with the bot's own message.
        """
        from storage.crypto import IncidentKeyError, check_incident_key, cipher_from_settings

        if not self.settings.incidents_enabled:
            raise fail(t.INCIDENTS_OFF)
        try:
            cipher_from_settings(self.settings)  # missing or malformed: said before the database
            cipher = check_incident_key(self.settings, self.database())
        except IncidentKeyError as exc:
            raise invalid(str(exc)) from exc
        assert cipher is not None  # incidents are enabled
        return cipher

    def close(self) -> None:
        """Close the database connections, if a database was opened."""
        if self._db is not None:
            self._db.dispose()
            self._db = None


def _safe(url: str) -> str:
    """``url`` with its password hidden."""
    from storage.db import normalise_url

    return normalise_url(url).render_as_string(hide_password=True)


def services(ctx: typer.Context) -> Services:
    """The :class:`Services` of this run (made here when no root callback made one)."""
    found = ctx.find_object(Services)
    if found is None:
        found = Services()
        ctx.obj = found
        ctx.call_on_close(found.close)
    return found


def plan_id(kb: KnowledgeBase, typed: str) -> str:
    """The plan a typed id or place names ("quan3-2020", "Hải Phòng"); refused otherwise."""
    if typed in kb.plans:
        return typed
    from knowledge.place_plans import plans_for_place

    named = plans_for_place(kb, typed)  # "Hải Phòng": the plan of Hải Dương (merged 2025)
    if len(named) == 1:
        return named[0].plan_id
    raise invalid(t.UNKNOWN_PLAN.format(plan=typed, plans=", ".join(sorted(kb.plans))))


def parse_date(value: str | None, option: str) -> dt.date | None:
    """A ``YYYY-MM-DD`` option (None when not given); a malformed one is refused (2)."""
    if value is None or value.strip() == "":
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise invalid(t.BAD_DATE.format(option=option, value=value)) from None
