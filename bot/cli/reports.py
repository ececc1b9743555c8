"""``kehoach reports list | export``: the reports the units sent, offline.

The options shared with the coordinating office's commands (:mod:`bot.cli.office`) and the
one reading of ``--plan``, ``--deadline`` and ``--due`` (:func:`period_of`) live here.
Exports are in the audit log.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.admin import when
from bot.cli.bootstrap import Services, cli_actor, invalid, parse_date, plan_id, services
from bot.cli.typer_vi import group
from core.texts import cli as t

if TYPE_CHECKING:
    from features.reports import Period

reports_app = group(t.REPORTS_HELP)

PlanOption = Annotated[str, typer.Option("--plan", help=t.HELP_PLAN)]
DeadlineOption = Annotated[str | None, typer.Option("--deadline", help=t.HELP_DEADLINE)]
DueOption = Annotated[str | None, typer.Option("--due", help=t.HELP_DUE)]


def deadline_of(found: Services, plan: str, deadline: str) -> str:
    """``deadline`` if the plan has it; refused (2) with the plan's deadlines otherwise."""
    known = found.kb.get(plan)
    ids = [d.id for d in known.deadlines] if known else []
    if deadline not in ids:
        raise invalid(t.UNKNOWN_DEADLINE.format(plan=plan, deadline=deadline,
                                                deadlines=", ".join(ids) or t.NONE))
    return deadline


def period_of(found: Services, plan: str, deadline: str | None, due: str | None
              ) -> Period | None:
    """The period of ``--deadline`` (and ``--due``, default: the current occurrence).

    Refused (2) when the plan has no such deadline, or no occurrence on ``--due`` (or none
    open now).
    """
    if deadline is None:
        return None
    from features import reports

    deadline_of(found, plan, deadline)
    due_date = parse_date(due, "--due")
    if due_date is not None:
        period = reports.find_period(found.kb, plan, deadline, due_date)
    else:
        period = next((p for p in reports.board_periods(found.kb, plan, found.today())
                       if p.deadline_id == deadline), None)
    if period is None:
        raise invalid((t.NO_PERIOD_ON if due_date else t.NO_OPEN_PERIOD).format(
            plan=plan, deadline=deadline, due=due))
    return period


@reports_app.command("list", help=t.CMD_REPORTS_LIST)
def reports_list(ctx: typer.Context, plan: PlanOption, deadline: DeadlineOption = None,
                 due: DueOption = None) -> None:
    """List the current reports (the latest version per unit and period)."""
    from features import reports

    found = services(ctx)
    chosen = plan_id(found.kb, plan)
    period = period_of(found, chosen, deadline, due)
    rows = found.database().call(
        reports.list_reports, plan_id=chosen, deadline_id=period.deadline_id if period else None,
        due_date=period.due_date if period else None,
    )
    if not rows:
        typer.echo(t.NONE)
    for r in rows:
        attachment = r.file_name or "-"
        typer.echo(f"{r.number}\t{when(r.submitted_at)}\t{r.unit_id}\t{r.deadline_id or '-'}\t"
                   f"{r.due_date or '-'}\tv{r.version}\t{attachment}")


@reports_app.command("export", help=t.CMD_REPORTS_EXPORT)
def reports_export(
    ctx: typer.Context,
    plan: PlanOption,
    deadline: DeadlineOption = None,
    due: DueOption = None,
    fmt: Annotated[str, typer.Option("--format", help=t.HELP_FORMAT)] = "xlsx",
    output: Annotated[Path | None, typer.Option("--output", "-o", help=t.HELP_EXPORT_OUTPUT)
                      ] = None,
) -> None:
    """Export one period's reports (a row per unit), or every period's, to .xlsx/.csv."""
    from features import exports

    if fmt not in exports.FORMATS:
        raise invalid(t.BAD_FORMAT)
    found = services(ctx)
    chosen = plan_id(found.kb, plan)
    period = period_of(found, chosen, deadline, due)
    data = found.database().call(exports.export, cli_actor(), found.kb, chosen, period,
                                 fmt=fmt, now=found.now())
    stem = f"{chosen}-{period.deadline_id}-{period.due_date}" if period else f"{chosen}-tat-ca"
    target = output or Path(f"bao-cao-{stem}.{fmt}")
    target.write_bytes(data)
    typer.echo(str(target))


def register(app: typer.Typer) -> None:
    """Add ``reports`` to the ``kehoach`` app (:mod:`bot.cli.office` adds to it)."""
    app.add_typer(reports_app, name="reports")
