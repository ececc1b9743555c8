"""``kehoach groups list | subscribe | unsubscribe`` and ``kehoach reminders preview``.

The operator at the command line acts as an admin; every subscription change is audited.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from bot.reminders import render_reminder
from bot.render import plain_text
from core.clock import SystemClock
from core.settings import get_settings
from features import reminder_delivery as rd
from features import reminders as rem
from features.permissions import Actor
from knowledge.base import KnowledgeBase, load_knowledge_base
from storage.db import Database

groups_app = typer.Typer(help="Nhóm nhận nhắc hạn báo cáo.", no_args_is_help=True)
reminders_app = typer.Typer(help="Nhắc hạn báo cáo.", no_args_is_help=True)

ChatId = Annotated[int, typer.Argument(help="Mã nhóm Telegram (số âm, vd. -1001234567890).")]
# A group id is negative: "-100123" must reach the argument, not be read as options.
_NEGATIVE_IDS = {"ignore_unknown_options": True}


@contextmanager
def _database() -> Iterator[Database]:
    database = Database.from_settings(get_settings())
    try:
        database.upgrade()
        yield database
    finally:
        database.dispose()


def _kb() -> KnowledgeBase:
    return load_knowledge_base(get_settings().plans_dir)


def _now() -> dt.datetime:
    return SystemClock().now()


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(2)


def _leads(sub: Any, schedule: rem.Schedule) -> str:
    return ",".join(str(n) for n in schedule.leads_of(sub))


@groups_app.command("list")
def groups_list(
    everything: Annotated[bool, typer.Option("--all", help="Cả nhóm đã tắt.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="In JSON.")] = False,
) -> None:
    """Liệt kê các nhóm đăng ký nhắc hạn."""
    schedule = rem.Schedule.from_settings(get_settings())
    with _database() as database:
        subs = database.call(rem.list_subscriptions, active=None if everything else True)
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
        typer.echo("Chưa có nhóm nào đăng ký nhắc hạn.")
    for s in subs:
        state = "bật" if s.active else f"tắt ({s.deactivated_reason})"
        filters = ", ".join([*s.deadline_ids, *s.unit_ids]) or "tất cả"
        typer.echo(f"{s.chat_id}\t{s.plan_id}\t{state}\tnhắc trước {_leads(s, schedule)} ngày"
                   f"\t{filters}\t{s.title or ''}")


@groups_app.command("subscribe", context_settings=_NEGATIVE_IDS)
def groups_subscribe(
    chat_id: ChatId,
    plan: Annotated[str, typer.Option("--plan", help="Mã kế hoạch.")],
    deadline: Annotated[list[str] | None, typer.Option(
        "--deadline", help="Chỉ hạn này (mã hạn; lặp lại được).")] = None,
    unit: Annotated[list[str] | None, typer.Option(
        "--unit", help="Chỉ đơn vị này (mã đơn vị; lặp lại được).")] = None,
    lead: Annotated[list[int] | None, typer.Option(
        "--lead", help="Nhắc trước N ngày (0 = đúng ngày; lặp lại được).")] = None,
) -> None:
    """Đăng ký một nhóm nhận nhắc hạn của một kế hoạch."""
    if chat_id > 0:
        raise _fail(f"{chat_id} là mã một người dùng, không phải nhóm: mã nhóm là số âm "
                    "(ví dụ -1001234567890; xem bằng `kehoach groups list` hoặc trong nhóm).")
    kb = _kb()
    with _database() as database:
        try:
            sub = database.call(
                rem.subscribe, kb, Actor.command_line("cli"), chat_id, plan, now=_now(),
                deadline_ids=deadline or [], unit_ids=unit or [], lead_days=lead or None,
            )
        except rem.ReminderError as exc:
            reasons = {
                "unknown_plan": f"không có kế hoạch {plan}",
                "unknown_target": f"kế hoạch {plan} không có hạn hay đơn vị "
                                  f"{', '.join(exc.items)}",
                "bad_leads": f"số ngày nhắc trước phải từ 0 đến {rem.MAX_LEAD_DAYS}",
            }
            raise _fail(f"Không đăng ký được: {reasons.get(exc.reason, str(exc))}.") from exc
    schedule = rem.Schedule.from_settings(get_settings())
    typer.echo(f"Đã bật nhắc hạn cho nhóm {sub.chat_id}, kế hoạch {sub.plan_id}, "
               f"nhắc trước {_leads(sub, schedule)} ngày.")


@groups_app.command("unsubscribe", context_settings=_NEGATIVE_IDS)
def groups_unsubscribe(
    chat_id: ChatId,
    plan: Annotated[str | None, typer.Option("--plan", help="Chỉ kế hoạch này.")] = None,
) -> None:
    """Tắt nhắc hạn của một nhóm."""
    with _database() as database:
        subs = database.call(rem.unsubscribe, Actor.command_line("cli"), chat_id, now=_now(),
                             plan_id=plan)
    if not subs:
        raise _fail(f"Nhóm {chat_id} chưa đăng ký nhắc hạn.")
    typer.echo(f"Đã tắt nhắc hạn cho nhóm {chat_id}: {', '.join(s.plan_id for s in subs)}.")


def _planned_json(item: rd.Planned) -> dict[str, Any]:
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


@reminders_app.command("preview")
def reminders_preview(
    today: Annotated[str | None, typer.Option(
        "--today", help="Ngày bắt đầu, YYYY-MM-DD (mặc định: hôm nay).")] = None,
    days: Annotated[int, typer.Option("--days", min=1, help="Số ngày xem trước.")] = 7,
    as_json: Annotated[bool, typer.Option("--json", help="In JSON, một đối tượng mỗi dòng.")
                       ] = False,
) -> None:
    """Xem trước các tin nhắc sẽ gửi, gửi cho ai."""
    try:
        start = dt.date.fromisoformat(today) if today else _now().date()
    except ValueError as exc:
        raise _fail(f"Ngày --today không hợp lệ: {today!r} (cần dạng YYYY-MM-DD).") from exc
    kb = _kb()
    schedule = rem.Schedule.from_settings(get_settings())
    with _database() as database:
        planned = database.call(rd.preview, kb, start, days, schedule)
    if as_json:
        for item in planned:
            typer.echo(json.dumps(_planned_json(item), ensure_ascii=False))
        return
    if not planned:
        typer.echo(f"Không có tin nhắc nào từ {start:%d/%m/%Y} trong {days} ngày.")
    for item in planned:
        r = item.reminder
        to = ("riêng" if r.kind == rem.KIND_PRIVATE else "nhóm") + f" {r.chat_id}"
        to += f" ({item.chat_title})" if item.chat_title else ""
        status = f" [{item.status}]" if item.status else ""
        first_line = plain_text(render_reminder(r)).split("\n")[0]
        typer.echo(f"{item.fire_at:%Y-%m-%d %H:%M}  {to}{status}: {first_line}")
        if r.missing and r.kind != rem.KIND_PRIVATE:
            typer.echo("    Chưa nộp: " + ", ".join(u.name for u in r.missing))


def register(app: typer.Typer) -> None:
    """Add ``groups`` and ``reminders`` to the ``kehoach`` app."""
    app.add_typer(groups_app, name="groups")
    app.add_typer(reminders_app, name="reminders")
