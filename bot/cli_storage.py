"""``kehoach db | users | reports | audit``: the database and the coordinator's tools offline.

The operator at the command line acts as an admin (:meth:`Actor.command_line`); what they do
is written to the audit log like any privileged action in the chat.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from bot import notices
from core.clock import VN_TZ, SystemClock
from core.settings import get_settings
from core.texts import registration as t_registration
from features import exports, registry, reports
from features.permissions import Actor
from knowledge.base import KnowledgeBase, load_knowledge_base
from storage import audit
from storage.db import Database
from storage.models import ROLES, STATUSES

db_app = typer.Typer(help="Cơ sở dữ liệu (migrations).", no_args_is_help=True)
users_app = typer.Typer(help="Cán bộ, người điều phối và quyền.", no_args_is_help=True)
reports_app = typer.Typer(help="Báo cáo các đơn vị đã gửi.", no_args_is_help=True)
audit_app = typer.Typer(help="Nhật ký các thao tác có đặc quyền.", no_args_is_help=True)

CLI_ACTOR = Actor.command_line("cli")
PlanOption = Annotated[str, typer.Option("--plan", help="Mã kế hoạch, ví dụ quan3-2020.")]


def _database() -> Database:
    return Database.from_settings(get_settings())


def _kb() -> KnowledgeBase:
    return load_knowledge_base(get_settings().plans_dir)


def _now() -> dt.datetime:
    return SystemClock().now()


def _when(moment: dt.datetime | None) -> str:
    return f"{moment.astimezone(VN_TZ):%Y-%m-%d %H:%M}" if moment else "-"


def _tell(telegram_id: int, text: str) -> None:
    """Tell the person concerned, as the bot does in chat, and say whether it went."""
    typer.echo(t_registration.CLI_TOLD[notices.tell_from_cli(get_settings(), telegram_id, text)])


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code=1)


# --- db --------------------------------------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Phiên bản đích.")) -> None:
    """Áp dụng các migration Alembic (tạo bảng nếu cơ sở dữ liệu còn trống)."""
    database = _database()
    try:
        database.upgrade(revision)
        typer.echo(f"{database.safe_url}: {database.current_revision()}")
    finally:
        database.dispose()


# --- users -----------------------------------------------------------------------------------


@users_app.command("list")
def users_list(
    plan: Annotated[str | None, typer.Option("--plan", help="Chỉ kế hoạch này.")] = None,
    status: Annotated[str | None, typer.Option(
        "--status", help=f"Chỉ trạng thái này: {', '.join(STATUSES)}.")] = None,
    role: Annotated[str | None, typer.Option(
        "--role", help=f"Chỉ vai trò này: {', '.join(ROLES)}.")] = None,
) -> None:
    """Liệt kê các đăng ký (mới nhất trước)."""
    if status is not None and status not in STATUSES:
        raise _fail(f"Không có trạng thái «{status}». Các trạng thái: {', '.join(STATUSES)}.")
    if role is not None and role not in ROLES:
        raise _fail(f"Không có vai trò «{role}». Các vai trò: {', '.join(ROLES)}.")
    database = _database()
    try:
        rows = database.call(registry.list_registrations, plan_id=plan, status=status, role=role)
    finally:
        database.dispose()
    if not rows:
        typer.echo("(không có)")
    for r in rows:
        typer.echo(f"#{r.id}\t{r.telegram_id}\t{r.full_name or '-'}\t{r.plan_id}\t"
                   f"{r.unit_id or '-'}\t{r.role}\t{r.status}\t{_when(r.requested_at)}")


@users_app.command("approve")
def users_approve(
    registration_id: Annotated[int, typer.Argument(help="Số đăng ký (#) trong users list.")],
    refuse: Annotated[bool, typer.Option("--refuse", help="Từ chối thay vì duyệt.")] = False,
    reason: Annotated[str | None, typer.Option(
        "--reason", help="Lý do từ chối, gửi cho người đăng ký.")] = None,
) -> None:
    """Duyệt (hoặc từ chối) một đăng ký đang chờ; người đăng ký được nhắn như trong chat."""
    database = _database()
    try:
        reg = database.call(registry.decide, CLI_ACTOR, registration_id, approve=not refuse,
                            now=_now(), reason=reason if refuse else None)
    except registry.UnknownRegistration:
        raise _fail(f"Không có đăng ký #{registration_id}.") from None
    except registry.NotPending as exc:
        raise _fail(f"Đăng ký #{registration_id} đã được xử lý ({exc.status}).") from None
    finally:
        database.dispose()
    typer.echo(f"#{reg.id}: {reg.status}")
    _tell(reg.telegram_id, notices.decided(_kb(), reg.plan_id, reg.unit_id, approve=not refuse,
                                           reason=reason))


@users_app.command("grant")
def users_grant(
    telegram_id: Annotated[int, typer.Argument(help="Mã người dùng Telegram.")],
    plan: PlanOption,
    name: Annotated[str | None, typer.Option("--name", help="Họ tên.")] = None,
) -> None:
    """Cấp quyền điều phối một kế hoạch."""
    if _kb().get(plan) is None:
        raise _fail(f"Không có kế hoạch {plan}.")
    database = _database()
    try:
        reg = database.call(registry.grant_coordinator, CLI_ACTOR, telegram_id, plan,
                            now=_now(), full_name=name)
    finally:
        database.dispose()
    typer.echo(f"#{reg.id}: {telegram_id} điều phối {plan}")
    _tell(telegram_id, notices.granted(_kb(), plan))


@users_app.command("revoke")
def users_revoke(
    telegram_id: Annotated[int, typer.Argument(help="Mã người dùng Telegram.")],
    plan: PlanOption,
    role: Annotated[str | None, typer.Option(
        "--role", help="Chỉ vai trò này (officer, coordinator); mặc định: cả hai.")] = None,
) -> None:
    """Thu hồi các quyền của một người trong một kế hoạch."""
    database = _database()
    try:
        revoked = database.call(registry.revoke, CLI_ACTOR, telegram_id, plan, now=_now(),
                                role=role)
    finally:
        database.dispose()
    typer.echo(f"Đã thu hồi {len(revoked)} quyền.")
    if revoked:
        _tell(telegram_id, notices.revoked(_kb(), plan, [r.role for r in revoked]))


# --- reports ---------------------------------------------------------------------------------


def _period(kb: KnowledgeBase, plan: str, deadline: str | None, due: str | None
            ) -> reports.Period | None:
    """The period of ``--deadline`` (and ``--due``, default: the current occurrence)."""
    if deadline is None:
        return None
    if due:
        period = reports.find_period(kb, plan, deadline, dt.date.fromisoformat(due))
    else:
        today = _now().date()
        period = next((p for p in reports.board_periods(kb, plan, today)
                       if p.deadline_id == deadline), None)
    if period is None:
        raise _fail(f"Kế hoạch {plan} không có kỳ {deadline}" + (f" ngày {due}." if due else
                    " đang mở; thêm --due YYYY-MM-DD."))
    return period


DeadlineOption = Annotated[str | None, typer.Option(
    "--deadline", help="Mã hạn báo cáo (kehoach deadlines), ví dụ bao-cao-nam.")]
DueOption = Annotated[str | None, typer.Option("--due", help="Ngày đến hạn của kỳ, YYYY-MM-DD.")]


@reports_app.command("list")
def reports_list(plan: PlanOption, deadline: DeadlineOption = None, due: DueOption = None
                 ) -> None:
    """Liệt kê báo cáo hiện hành (bản mới nhất của mỗi đơn vị mỗi kỳ)."""
    kb = _kb()
    period = _period(kb, plan, deadline, due)
    database = _database()
    try:
        rows = database.call(
            reports.list_reports, plan_id=plan, deadline_id=period.deadline_id if period else None,
            due_date=period.due_date if period else None,
        )
    finally:
        database.dispose()
    if not rows:
        typer.echo("(không có)")
    for r in rows:
        attachment = r.file_name or "-"
        typer.echo(f"{r.number}\t{_when(r.submitted_at)}\t{r.unit_id}\t{r.deadline_id or '-'}\t"
                   f"{r.due_date or '-'}\tv{r.version}\t{attachment}")


@reports_app.command("export")
def reports_export(
    plan: PlanOption,
    deadline: DeadlineOption = None,
    due: DueOption = None,
    fmt: Annotated[str, typer.Option("--format", help="xlsx hoặc csv.")] = "xlsx",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Tệp ghi ra (mặc định: bao-cao-<kế hoạch>….<định dạng>).")] = None,
) -> None:
    """Xuất báo cáo của một kỳ (một dòng mỗi đơn vị) hoặc của mọi kỳ ra .xlsx / .csv."""
    if fmt not in exports.FORMATS:
        raise _fail("--format phải là xlsx hoặc csv.")
    kb = _kb()
    if kb.get(plan) is None:
        raise _fail(f"Không có kế hoạch {plan}.")
    period = _period(kb, plan, deadline, due)
    database = _database()
    try:
        data = database.call(exports.export, CLI_ACTOR, kb, plan, period, fmt=fmt, now=_now())
    finally:
        database.dispose()
    stem = f"{plan}-{period.deadline_id}-{period.due_date}" if period else f"{plan}-tat-ca"
    target = output or Path(f"bao-cao-{stem}.{fmt}")
    target.write_bytes(data)
    typer.echo(str(target))


# --- audit -----------------------------------------------------------------------------------


@audit_app.command("list")
def audit_list(
    action: Annotated[str | None, typer.Option(
        "--action", help="Chỉ thao tác này (hoặc tiền tố kết thúc bằng dấu chấm: role.).")] = None,
    plan: Annotated[str | None, typer.Option("--plan", help="Chỉ kế hoạch này.")] = None,
    actor: Annotated[int | None, typer.Option("--actor", help="Chỉ người này (mã).")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Số dòng tối đa.")] = 100,
) -> None:
    """Nhật ký các thao tác có đặc quyền, mới nhất trước."""
    database = _database()
    try:
        rows = database.call(audit.list_entries, action=action, plan_id=plan, actor_id=actor,
                             limit=limit)
    finally:
        database.dispose()
    if not rows:
        typer.echo("(không có)")
    for e in rows:
        who = e.actor_id if e.actor_id is not None else e.actor
        details = json.dumps(e.details, ensure_ascii=False, sort_keys=True)
        typer.echo(f"{_when(e.at)}\t{who}\t{e.action}\t{e.target}\t{e.plan_id or '-'}\t{details}")


def register(app: typer.Typer) -> None:
    """Add the storage commands to the ``kehoach`` app."""
    app.add_typer(db_app, name="db")
    app.add_typer(users_app, name="users")
    app.add_typer(reports_app, name="reports")
    app.add_typer(audit_app, name="audit")
