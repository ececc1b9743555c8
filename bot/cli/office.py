"""``kehoach reports rates | compile | grace | exempt``: the coordinating office, offline.

Added to the ``reports`` group of :mod:`bot.cli.reports`. The operator acts as an admin; every
rates export, compile, grace and exemption is in the audit log. Files with report content are
written readable by their owner only.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.bootstrap import cli_actor, fail, invalid, parse_date, plan_id, services
from bot.cli.reports import (
    DeadlineOption,
    DueOption,
    PlanOption,
    deadline_of,
    period_of,
    reports_app,
)
from core.texts import cli as t

FromOption = Annotated[str | None, typer.Option("--from", help=t.HELP_FROM_DUE)]
ToOption = Annotated[str | None, typer.Option("--to", help=t.HELP_TO_DUE)]


@reports_app.command("rates", help=t.CMD_REPORTS_RATES)
def reports_rates(
    ctx: typer.Context,
    plan: PlanOption,
    start: FromOption = None,
    end: ToOption = None,
    last: Annotated[int | None, typer.Option("--last", help=t.HELP_LAST)] = None,
    as_json: Annotated[bool, typer.Option("--json", help=t.HELP_JSON)] = False,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help=t.HELP_XLSX)] = None,
    png: Annotated[Path | None, typer.Option("--png", help=t.HELP_PNG)] = None,
) -> None:
    """Submission and on-time rates by period and unit (the trend)."""
    from bot.render_office import rate_line
    from features import rate_exports, rates

    found = services(ctx)
    chosen = plan_id(found.kb, plan)
    first, until = parse_date(start, "--from"), parse_date(end, "--to")
    fmt = "json" if as_json else "xlsx" if xlsx else "png" if png else "text"
    try:
        trend = found.database().call(rates.export_trend, cli_actor(), found.kb, chosen,
                                      now=found.now(), fmt=fmt, start=first, end=until,
                                      last=last)
    except rates.NoDatedDeadline:
        raise fail(t.NO_DATED_DEADLINE.format(plan=chosen)) from None
    p = found.kb.get(chosen)
    title = t.RATES_TITLE.format(locality=p.locality, year=p.year) if p else chosen
    if xlsx:
        xlsx.write_bytes(rate_exports.trend_xlsx(trend, title=title))
        typer.echo(str(xlsx))
    if png:
        png.write_bytes(rate_exports.trend_png(trend, heading=title))
        typer.echo(str(png))
    if as_json:
        typer.echo(rate_exports.trend_json(trend))
    elif not (xlsx or png):
        if not trend.occurrences:
            typer.echo(t.NO_OCCURRENCE)
        for occ in trend.occurrences:
            typer.echo(f"{occ.due_date}\t{occ.deadline_id}\t{rate_line(occ)}")
        for u in trend.regularly_late:
            typer.echo(t.REGULARLY_LATE.format(unit=u.unit_id, on_time=u.on_time,
                                               expected=u.expected, late=u.late,
                                               missing=u.missing))


@reports_app.command("compile", help=t.CMD_REPORTS_COMPILE)
def reports_compile(
    ctx: typer.Context,
    plan: PlanOption,
    deadline: DeadlineOption = None,
    due: DueOption = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=t.HELP_COMPILE_OUTPUT)
                      ] = None,
    office: Annotated[str | None, typer.Option("--office", help=t.HELP_OFFICE)] = None,
) -> None:
    """Compile the Word summary report of a period from the units' reports."""
    from bot.render_office import rate_line
    from features import compiled, compiled_docx, rates
    from storage.crypto import cipher_from_settings

    found = services(ctx)
    chosen = plan_id(found.kb, plan)
    if deadline is None:
        raise invalid(t.COMPILE_NEEDS_DEADLINE)
    period = period_of(found, chosen, deadline, due)
    assert period is not None
    settings = found.settings
    cipher = cipher_from_settings(settings) if settings.incidents_enabled else None
    try:
        content = found.database().call(compiled.compile_report, cli_actor(), found.kb, period,
                                        now=found.now(), cipher=cipher, office=office)
    except rates.NoDatedDeadline:
        raise fail(t.NO_DATED_PERIOD.format(plan=chosen)) from None
    target = output or Path(f"tong-hop-{chosen}-{period.deadline_id}-{period.due_date}.docx")
    compiled_docx.write_private(target, compiled_docx.render_docx(content))
    typer.echo(f"{target}\t{rate_line(content.rate)}")


@reports_app.command("grace", help=t.CMD_REPORTS_GRACE)
def reports_grace(
    ctx: typer.Context,
    plan: PlanOption,
    deadline: Annotated[str, typer.Option("--deadline", help=t.HELP_DEADLINE)],
    days: Annotated[int, typer.Option("--days", help=t.HELP_GRACE_DAYS)],
) -> None:
    """Set a deadline's grace days: submitted within them still counts as on time."""
    from features import rates

    found = services(ctx)
    chosen = plan_id(found.kb, plan)
    deadline_of(found, chosen, deadline)
    try:
        found.database(writes=True).call(rates.set_grace, cli_actor(), found.kb, chosen,
                                         deadline, days, now=found.now())
    except rates.RulesError as exc:
        raise invalid(_rules_error(exc.reason, chosen, deadline=deadline)) from None
    typer.echo(t.GRACE_SET.format(plan=chosen, deadline=deadline, days=days))


def _rules_error(reason: str, plan: str, *, deadline: str | None = None, unit: str = "") -> str:
    """The message of a :class:`features.rates.RulesError` reason."""
    from features import rates

    return t.RULES_ERRORS.get(reason, t.RULES_ERROR_OTHER).format(
        plan=plan, deadline=deadline, unit=unit, max_days=rates.MAX_GRACE_DAYS)


@reports_app.command("exempt", help=t.CMD_REPORTS_EXEMPT)
def reports_exempt(
    ctx: typer.Context,
    plan: PlanOption,
    unit: Annotated[str, typer.Option("--unit", help=t.HELP_UNIT)],
    deadline: DeadlineOption = None,
    start: FromOption = None,
    end: ToOption = None,
    since: Annotated[str | None, typer.Option("--added", help=t.HELP_ADDED)] = None,
    note: Annotated[str, typer.Option("--note", help=t.HELP_NOTE)] = "",
) -> None:
    """Exempt a unit from periods, or record the date a unit was assigned."""
    from features import rates

    found = services(ctx)
    chosen = plan_id(found.kb, plan)
    if deadline is not None:
        deadline_of(found, chosen, deadline)
    first, until = parse_date(start, "--from"), parse_date(end, "--to")
    reason = "exempt"
    added = parse_date(since, "--added")
    if added is not None:
        first, until, reason = None, added - dt.timedelta(days=1), "added_later"
    try:
        found.database(writes=True).call(
            rates.add_exemption, cli_actor(), found.kb, chosen, unit, now=found.now(),
            deadline_id=deadline, from_date=first, to_date=until, reason=reason, note=note)
    except rates.RulesError as exc:
        raise invalid(_rules_error(exc.reason, chosen, deadline=deadline, unit=unit)) from None
    typer.echo(t.EXEMPTED.format(plan=chosen, unit=unit, reason=t.EXEMPT_REASONS[reason],
                                 start=first or "…", end=until or "…"))


def register(app: typer.Typer) -> None:
    """The commands are added to ``kehoach reports`` (registered by :mod:`bot.cli.reports`)."""
