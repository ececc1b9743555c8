"""The ``kehoach`` command (Typer): one package, one bootstrap, one module per command group.

Each module exposes ``register(app: typer.Typer) -> None``; they are listed in ``_GROUPS`` in
the order their commands appear in ``--help``. The root callback puts one
:class:`bot.cli.bootstrap.Services` in the Typer context, which builds settings, knowledge
base, database and clock once, when a command first asks for them. Exit codes and where the
settings come from: :mod:`bot.cli.bootstrap`.
"""

from __future__ import annotations

import importlib
import sys

import typer

from bot.cli.bootstrap import Services
from bot.cli.typer_vi import VietnameseGroup, group
from core.texts import cli as t

app = group(
    t.APP_HELP,
    name="kehoach",
    cls=VietnameseGroup,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

# order matters: it is the order of --help
_GROUPS = [
    "bot.cli.serve",  # run, shell
    "bot.cli.knowledge",  # ask, plans, deadlines
    "bot.cli.ingest",  # ingest
    "bot.cli.admin",  # db, users, audit
    "bot.cli.reports",  # reports list, export
    "bot.cli.office",  # reports rates, compile, grace, exempt
    "bot.cli.reminders",  # groups, reminders
    "bot.cli.incidents",  # incidents
    "bot.cli.questions",  # questions
]


@app.callback()
def _root(ctx: typer.Context) -> None:
    """Build nothing yet: the services of this run, made when a command first needs them."""
    services = Services()
    ctx.obj = services
    ctx.call_on_close(services.close)


def _register_all() -> None:
    """Add every command group to :data:`app` (once)."""
    if any(c.name == "ask" for c in app.registered_commands):
        return
    for name in _GROUPS:
        importlib.import_module(name).register(app)


def main() -> None:
    """Entry point of the ``kehoach`` console script (and of ``python -m bot``)."""
    if sys.argv[1:2] == ["run"]:  # start-up time: only what ``run`` needs (see bot.startup)
        importlib.import_module(_GROUPS[0]).register(app)
    else:
        _register_all()
    app()
