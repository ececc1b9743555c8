"""``kehoach reports rates | compile | grace | exempt``: the coordinating office, offline.

Added to the ``reports`` group of :mod:`bot.cli_storage`. The operator acts as an admin; every
rates export, compile, grace and exemption is in the audit log. Files with report content are
written readable by their owner only.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from bot.cli_storage import (
    CLI_ACTOR,
    DeadlineOption,
    DueOption,
    PlanOption,
    _database,
    _fail,
    _kb,
    _now,
    _period,
    reports_app,
)
from bot.render_office import rate_line
from core.settings import get_settings
from features import compiled, compiled_docx, rate_exports, rates
from storage.crypto import cipher_from_settings

DateOption = Annotated[str | None, typer.Option(help="Ngày, YYYY-MM-DD.")]


def _date(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _fail(f"{name}: ngày không hợp lệ «{value}» (cần YYYY-MM-DD).") from None


@reports_app.command("rates")
def reports_rates(
    plan: PlanOption,
    start: Annotated[str | None, typer.Option("--from", help="Từ hạn, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Đến hạn, YYYY-MM-DD.")] = None,
    last: Annotated[int | None, typer.Option(
        "--last", help="Chỉ N kỳ gần nhất (mặc định: mọi kỳ trong khoảng).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In JSON.")] = False,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Ghi tệp Excel.")] = None,
    png: Annotated[Path | None, typer.Option("--png", help="Ghi biểu đồ xu hướng (PNG).")] = None,
) -> None:
    """Tỷ lệ nộp và tỷ lệ đúng hạn theo từng kỳ và từng đơn vị (xu hướng)."""
    kb = _kb()
    if kb.get(plan) is None:
        raise _fail(f"Không có kế hoạch {plan}.")
    first, until = _date(start, "--from"), _date(end, "--to")
    fmt = "json" if as_json else "xlsx" if xlsx else "png" if png else "text"
    database = _database()
    try:
        trend = database.call(rates.export_trend, CLI_ACTOR, kb, plan, now=_now(), fmt=fmt,
                              start=first, end=until, last=last)
    except rates.NoDatedDeadline:
        raise _fail(f"Kế hoạch {plan} không đặt hạn báo cáo có ngày cụ thể "
                    "(kế hoạch không đặt hạn).") from None
    finally:
        database.dispose()
    p = kb.get(plan)
    title = f"Tỷ lệ nộp báo cáo — {p.locality} ({p.year})" if p else plan
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
            typer.echo("(không có kỳ nào đến hạn trong khoảng này)")
        for occ in trend.occurrences:
            typer.echo(f"{occ.due_date}\t{occ.deadline_id}\t{rate_line(occ)}")
        for u in trend.regularly_late:
            typer.echo(f"thường muộn\t{u.unit_id}\t{u.on_time}/{u.expected} đúng hạn, "
                       f"{u.late} muộn, {u.missing} không nộp")


@reports_app.command("compile")
def reports_compile(
    plan: PlanOption,
    deadline: DeadlineOption = None,
    due: DueOption = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Tệp .docx ghi ra (mặc định: tong-hop-<kế hoạch>-….docx).")
    ] = None,
    office: Annotated[str | None, typer.Option(
        "--office", help="Cơ quan tổng hợp ghi ở đầu báo cáo.")] = None,
) -> None:
    """Soạn báo cáo tổng hợp (Word) của một kỳ từ các báo cáo đơn vị đã nộp."""
    kb = _kb()
    if kb.get(plan) is None:
        raise _fail(f"Không có kế hoạch {plan}.")
    if deadline is None:
        raise _fail("Cần --deadline (mã hạn báo cáo) và --due YYYY-MM-DD.")
    period = _period(kb, plan, deadline, due)
    assert period is not None
    settings = get_settings()
    cipher = cipher_from_settings(settings) if settings.incidents_enabled else None
    database = _database()
    try:
        content = database.call(compiled.compile_report, CLI_ACTOR, kb, period, now=_now(),
                                cipher=cipher, office=office)
    except rates.NoDatedDeadline:
        raise _fail(f"Kế hoạch {plan} không đặt hạn (kỳ không có ngày).") from None
    finally:
        database.dispose()
    target = output or Path(f"tong-hop-{plan}-{period.deadline_id}-{period.due_date}.docx")
    compiled_docx.write_private(target, compiled_docx.render_docx(content))
    typer.echo(f"{target}\t{rate_line(content.rate)}")


@reports_app.command("grace")
def reports_grace(
    plan: PlanOption,
    deadline: Annotated[str, typer.Option("--deadline", help="Mã hạn báo cáo.")],
    days: Annotated[int, typer.Option("--days", help="Số ngày gia hạn (0: bỏ).")],
) -> None:
    """Đặt số ngày gia hạn của một hạn báo cáo: nộp trong số ngày đó sau hạn vẫn tính đúng hạn."""
    kb = _kb()
    database = _database()
    try:
        database.call(rates.set_grace, CLI_ACTOR, kb, plan, deadline, days, now=_now())
    except rates.RulesError as exc:
        raise _fail({"unknown_deadline": f"Kế hoạch {plan} không có hạn {deadline}.",
                     "bad_days": f"--days phải từ 0 đến {rates.MAX_GRACE_DAYS}."}[exc.reason]
                    ) from None
    finally:
        database.dispose()
    typer.echo(f"{plan}:{deadline}\t{days} ngày gia hạn")


@reports_app.command("exempt")
def reports_exempt(
    plan: PlanOption,
    unit: Annotated[str, typer.Option("--unit", help="Mã đơn vị.")],
    deadline: DeadlineOption = None,
    start: Annotated[str | None, typer.Option("--from", help="Từ hạn, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Đến hạn, YYYY-MM-DD.")] = None,
    since: Annotated[str | None, typer.Option(
        "--added", help="Đơn vị được giao từ ngày này (không tính các kỳ trước).")] = None,
    note: Annotated[str, typer.Option("--note", help="Ghi chú (lý do).")] = "",
) -> None:
    """Miễn một đơn vị khỏi các kỳ (không tính là phải nộp), hoặc ghi ngày đơn vị được giao."""
    kb = _kb()
    first, until = _date(start, "--from"), _date(end, "--to")
    reason = "exempt"
    added = _date(since, "--added")
    if added is not None:
        first, until, reason = None, added - dt.timedelta(days=1), "added_later"
    database = _database()
    try:
        database.call(rates.add_exemption, CLI_ACTOR, kb, plan, unit, now=_now(),
                      deadline_id=deadline, from_date=first, to_date=until, reason=reason,
                      note=note)
    except rates.RulesError as exc:
        raise _fail({"unknown_unit": f"Kế hoạch {plan} không có đơn vị {unit}.",
                     "unknown_deadline": f"Kế hoạch {plan} không có hạn {deadline}.",
                     "bad_range": "--from phải trước --to.",
                     "bad_reason": "lý do không hợp lệ."}[exc.reason]) from None
    finally:
        database.dispose()
    typer.echo(f"{plan}:{unit}\t{reason}\t{first or '…'} → {until or '…'}")


def register(app: typer.Typer) -> None:
    """The commands are added to ``kehoach reports`` (registered by :mod:`bot.cli_storage`)."""
