"""Typer's own help and errors in Vietnamese, as far as Typer lets them be changed.

Typer formats its help panels and error box from module settings (``typer.rich_utils``:
panel titles, "[default: …]", "Try … for help"), which :func:`install` sets to the texts of
:mod:`core.texts.cli`. Its usage errors are exceptions whose message is built in English;
:class:`VietnameseGroup`, the root command's class, rewords them before Typer prints them.
Bool flags show no ``<bool>`` type and ``--help`` is described in Vietnamese. Anything this
Typer version does not have is left as it is (English), never an error.
"""

from __future__ import annotations

import re
from typing import Any

import typer
from typer._click.exceptions import ClickException
from typer.core import TyperGroup

from core.texts import cli as t

_installed = False


def group(help_text: str, **settings: Any) -> typer.Typer:
    """A command group whose usage line names its parts in Vietnamese."""
    return typer.Typer(help=help_text, no_args_is_help=True, options_metavar=t.OPTIONS_METAVAR,
                       subcommand_metavar=t.SUBCOMMAND_METAVAR, **settings)


def install() -> None:
    """Set Typer's help and error texts to Vietnamese (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True
    from typer import rich_utils

    for name, text in t.TYPER_TEXTS.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)
    _describe_help_option()
    _hide_flag_types()
    _usage_prefix()


def _usage_prefix() -> None:
    """The usage line starts "Cách dùng:" instead of "Usage:"."""
    from typer._click.formatting import HelpFormatter

    original = getattr(HelpFormatter, "write_usage", None)
    if original is None:
        return

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        original(self, prog, args, t.USAGE_PREFIX if prefix is None else prefix)

    HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]


def _describe_help_option() -> None:
    """``--help`` says "Xem hướng dẫn này rồi thoát." instead of Click's English."""
    from typer._click.core import Command

    original = getattr(Command, "get_help_option", None)
    if original is None:
        return

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original(self, ctx)
        if option is not None:
            option.help = t.HELP_OPTION
        return option

    Command.get_help_option = get_help_option  # type: ignore[method-assign]


def _hide_flag_types() -> None:
    """A flag (``--json``, ``--force``) takes no value: its help shows no ``<bool>``."""
    from typer.core import TyperOption

    original = getattr(TyperOption, "display_type_rich", None)
    if original is None:
        return

    def display_type_rich(self: Any, ctx: Any) -> str | None:
        if getattr(self, "is_flag", False) and self.metavar is None:
            return None
        shown: str | None = original(self, ctx)
        return shown

    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


# Click/Typer's English messages → Vietnamese (the class of the error, then its message)
_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(pattern), text) for pattern, text in t.USAGE_ERRORS
]


def vietnamese(message: str) -> str:
    """A usage error's English message in Vietnamese (unchanged when not known)."""
    for pattern, text in _MESSAGES:
        found = pattern.fullmatch(message.strip())
        if found:
            return text.format(*(vietnamese(g) if g else "" for g in found.groups()))
    return message


class VietnameseGroup(TyperGroup):
    """The root ``kehoach`` group: its usage errors (and its sub-commands') in Vietnamese."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command line, rewording a usage error before Typer prints it."""
        install()
        return super().main(*args, **kwargs)

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        """Parse the root options, rewording a usage error."""
        try:
            return super().make_context(*args, **kwargs)
        except ClickException as exc:
            _reword(exc)
            raise

    def invoke(self, ctx: Any) -> Any:
        """Run the sub-command, rewording a usage error raised while parsing it.

        A refusal of the feature layer (:class:`features.permissions.PermissionDenied`) is
        said here, the one place of the command line, and exits 1.
        """
        try:
            return super().invoke(ctx)
        except ClickException as exc:
            _reword(exc)
            raise
        except Exception as exc:
            from features.permissions import PermissionDenied

            if isinstance(exc, PermissionDenied):
                from bot.cli.bootstrap import fail

                raise fail(t.DENIED) from exc
            raise


def _reword(exc: Exception) -> None:
    """Make ``exc.format_message()`` say its message in Vietnamese."""
    english = exc.format_message()  # type: ignore[attr-defined]
    worded = vietnamese(english)
    exc.format_message = lambda: worded  # type: ignore[attr-defined]
