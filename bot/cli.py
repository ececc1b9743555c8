"""The ``kehoach`` command (Typer). Each feature adds its commands from its own module.

Feature modules expose ``register(app: typer.Typer) -> None``; they are listed in
``_FEATURES`` in the order their commands appear in ``--help``.
"""

from __future__ import annotations

import importlib
import sys

import typer

app = typer.Typer(
    name="kehoach",
    help="Trợ lý kế hoạch bảo vệ trẻ em — hỏi đáp, hạn báo cáo, nhắc việc, báo cáo, sự vụ.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# order matters: it is the order of --help
_FEATURES = [
    "bot.cli_bot",  # run, shell
    "bot.cli_knowledge",  # ask, plans, deadlines
    "bot.cli_ingest",  # ingest
    "bot.cli_storage",  # db, users, reports, audit
    "bot.cli_office",  # reports rates, compile, grace, exempt
    "bot.cli_reminders",  # groups, reminders
    "bot.cli_incidents",  # incidents
    "bot.cli_questions",  # questions
]


def _register_all() -> None:
    for name in _FEATURES:
        importlib.import_module(name).register(app)


def main() -> None:
    """Entry point of the ``kehoach`` console script."""
    if sys.argv[1:2] == ["run"]:  # start-up time: only what ``run`` needs (see bot.startup)
        importlib.import_module(_FEATURES[0]).register(app)
    else:
        _register_all()
    app()
