"""``kehoach groups list | subscribe | unsubscribe`` and ``kehoach reminders preview``.

The operator at the command line acts as an admin; every subscription change is audited.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.cli.bootstrap import cli_actor, invalid, parse_date, plan_id, services
from bot.cli.typer_vi import group
from core.texts import cli as t

if TYPE_CHECKING:
    from features.reminder_delivery import Planned
    from features.reminders import Schedule

groups_app = group(t.GROUPS_HELP)
reminders_app = group(t.REMINDERS_HELP)

ChatId = Annotated[int, typer.Argument(help=t.HELP_CHAT_ID, metavar=t.CHAT_ID_METAVAR)]
JsonOption = Annotated[bool, typer.Option("--json", help=t.HELP_JSON)]
# A group id is negative: "-100123" must reach the argument, not be read as options.
_NEGATIVE_IDS = {"ignore_unknown_options": True}


def _leads(sub: Any, schedule: Schedule) -> str:
    return ",".join(str(n) for n in schedule.leads_of(sub))


def _schedule(ctx: typer.Context) -> Schedule:
    from features.reminders import Schedule

    return Schedule.from_settings(services(ctx).settings)


@groups_app.command("list", help=t.CMD_GROUPS_LIST)
def groups_list(
    ctx: typer.Context,
    everything: Annotated[bool, typer.Option("--all", help=t.HELP_ALL_GROUPS)] = False,
    as_json: JsonOption = False,
) -> None:
    """List the groups subscribed to deadline reminders."""
    from features import reminders as rem

    schedule = _schedule(ctx)
    subs = services(ctx).database().call(rem.list_subscriptions,
                                         active=None if everything else True)
    rows = [{
        "chat_id": s.chat_id, "title": s.title, "plan_id": s.plan_id, "active": s.active,
        "deadline_ids": s.deadline_ids, "unit_ids": s.unit_ids,
        "lead_days": list(schedule.leads_of(s)), "since": s.active_since.isoformat(),
        "reason": s.deactivated_reason,
    } for s in subs]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo(t.NO_GROUPS)
    for s in subs:
        reason = s.deactivated_reason or ""
        state = t.GROUP_ON if s.active else t.GROUP_OFF.format(
            reason=t.OFF_REASONS.get(reason, reason))
        filters = ", ".join([*s.deadline_ids, *s.unit_ids]) or t.ALL_FILTERS
        typer.echo(f"{s.chat_id}\t{s.plan_id}\t{state}\t"
                   + t.LEADS.format(days=_leads(s, schedule))
                   + f"\t{filters}\t{s.title or ''}")


@groups_app.command("subscribe", help=t.CMD_GROUPS_SUBSCRIBE, context_settings=_NEGATIVE_IDS)
def groups_subscribe(
    ctx: typer.Context,
    chat_id: ChatId,
    plan: Annotated[str, typer.Option("--plan", help=t.HELP_PLAN)],
    deadline: Annotated[list[str] | None, typer.Option("--deadline", help=t.HELP_ONLY_DEADLINE)
                        ] = None,
    unit: Annotated[list[str] | None, typer.Option("--unit", help=t.HELP_ONLY_UNIT)] = None,
    lead: Annotated[list[int] | None, typer.Option("--lead", help=t.HELP_LEAD)] = None,
) -> None:
    """Subscribe a group to the deadline reminders of a plan."""
    from features import reminders as rem

    if chat_id > 0:
        raise invalid(t.USER_NOT_GROUP.format(chat_id=chat_id))
    found = services(ctx)
    kb = found.kb
    known = plan_id(kb, plan)
    try:
        sub = found.database(writes=True).call(
            rem.subscribe, kb, cli_actor(), chat_id, known, now=found.now(),
            deadline_ids=deadline or [], unit_ids=unit or [], lead_days=lead or None,
        )
    except rem.ReminderError as exc:
        target = kb.get(known)
        why = t.SUBSCRIBE_ERRORS.get(exc.reason, t.SUBSCRIBE_ERROR_OTHER).format(
            plan=known, items=", ".join(exc.items), max_days=rem.MAX_LEAD_DAYS,
            deadlines=", ".join(d.id for d in target.deadlines) if target else "",
            units=", ".join(u.id for u in target.units) if target else "")
        raise invalid(t.NOT_SUBSCRIBED.format(why=why)) from exc
    typer.echo(t.SUBSCRIBED.format(chat_id=sub.chat_id, plan=sub.plan_id,
                                   days=_leads(sub, _schedule(ctx))))


@groups_app.command("unsubscribe", help=t.CMD_GROUPS_UNSUBSCRIBE, context_settings=_NEGATIVE_IDS)
def groups_unsubscribe(
    ctx: typer.Context,
    chat_id: ChatId,
    plan: Annotated[str | None, typer.Option("--plan", help=t.HELP_PLAN_ONLY)] = None,
) -> None:
    """Stop a group's deadline reminders."""
    from features import reminders as rem

    found = services(ctx)
    chosen = plan_id(found.kb, plan) if plan else None
    subs = found.database(writes=True).call(rem.unsubscribe, cli_actor(), chat_id,
                                            now=found.now(), plan_id=chosen)
    if not subs:
        raise invalid(t.GROUP_NOT_SUBSCRIBED.format(chat_id=chat_id))
    typer.echo(t.UNSUBSCRIBED.format(chat_id=chat_id, plans=", ".join(s.plan_id for s in subs)))


def _planned_json(item: Planned) -> dict[str, Any]:
    from bot.reminders import render_reminder
    from bot.render import plain_text

    r = item.reminder
    return {
        "fire_at": item.fire_at.isoformat(), "kind": r.kind, "chat_id": r.chat_id,
        "to": item.chat_title, "plan_id": r.plan_id, "deadline_id": r.deadline_id,
        "title": r.title, "date": r.date.isoformat(), "lead_days": r.lead_days,
        "days_left": r.days_left,
        "missing": [{"unit_id": u.unit_id, "name": u.name,
                     "officers": [o.telegram_id for o in u.officers]} for u in r.missing],
        "status": item.status, "text": plain_text(render_reminder(r)),
    }


@reminders_app.command("preview", help=t.CMD_REMINDERS_PREVIEW)
def reminders_preview(
    ctx: typer.Context,
    today: Annotated[str | None, typer.Option("--today", help=t.HELP_PREVIEW_TODAY)] = None,
    days: Annotated[int, typer.Option("--days", min=1, help=t.HELP_PREVIEW_DAYS)] = 7,
    as_json: Annotated[bool, typer.Option("--json", help=t.HELP_JSON_LINES)] = False,
) -> None:
    """Preview the reminders to be sent, and to whom."""
    from bot.reminders import render_reminder
    from bot.render import plain_text
    from features import reminder_delivery as rd, reminders as rem

    found = services(ctx)
    start = parse_date(today, "--today") or found.today()
    planned = found.database().call(rd.preview, found.kb, start, days, _schedule(ctx))
    if as_json:
        for item in planned:
            typer.echo(json.dumps(_planned_json(item), ensure_ascii=False))
        return
    if not planned:
        typer.echo(t.NO_REMINDERS.format(start=start, days=days))
    for item in planned:
        r = item.reminder
        to = (t.TO_PRIVATE if r.kind == rem.KIND_PRIVATE else t.TO_GROUP).format(chat=r.chat_id)
        to += f" ({item.chat_title})" if item.chat_title else ""
        status = (f" [{t.DELIVERY_STATUSES.get(item.status, item.status)}]"
                  if item.status else "")
        first_line = plain_text(render_reminder(r)).split("\n")[0]
        typer.echo(f"{item.fire_at:%Y-%m-%d %H:%M}  {to}{status}: {first_line}")
        if r.missing and r.kind != rem.KIND_PRIVATE:
            typer.echo(t.NOT_SENT_YET.format(units=", ".join(u.name for u in r.missing)))


def register(app: typer.Typer) -> None:
    """Add ``groups`` and ``reminders`` to the ``kehoach`` app."""
    app.add_typer(groups_app, name="groups")
    app.add_typer(reminders_app, name="reminders")
