"""``kehoach incidents``: export, counts, retention and keys of the incident records.

The operator at the command line acts as an admin (:meth:`Actor.command_line`); every export,
count and retention run is written to the audit log. Exports leave the description out unless
``--with-description`` is given, and can be encrypted with a password (``--encrypt``: a real
encrypted .xlsx that Excel and LibreOffice open after asking for the password).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from core.clock import VN_TZ, SystemClock
from core.settings import get_settings
from features import incident_drafts, incident_exports, incidents
from features.incident_fields import IncidentError
from features.permissions import Actor
from knowledge.base import load_knowledge_base
from storage.crypto import (
    FieldCipher,
    IncidentKeyError,
    Undecryptable,
    check_incident_key,
    generate_key,
)
from storage.db import Database

incidents_app = typer.Typer(
    help="Sự vụ về trẻ em: xuất, thống kê, thời hạn lưu trữ, khóa mã hóa.", no_args_is_help=True
)
CLI_ACTOR = Actor.command_line("cli")
PlanOption = Annotated[str | None, typer.Option("--plan", help="Chỉ kế hoạch này.")]


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code=1)


WRONG_KEY = (
    "INCIDENT_KEY không mở được một số sự vụ đã lưu (sai khóa, hoặc thiếu khóa cũ sau khi đổi "
    "khóa). Hãy đặt lại đúng khóa; khi đổi khóa, để khóa mới đứng đầu và giữ khóa cũ phía sau "
    "cho tới khi chạy `kehoach incidents rotate-key`."
)


def _open() -> tuple[Database, FieldCipher]:
    settings = get_settings()
    if not settings.incidents_enabled:
        raise _fail("Tính năng sự vụ đang tắt (INCIDENTS_ENABLED=false).")
    database = Database.from_settings(settings)
    try:  # the bot's own check: a wrong key after a rotation is said, not a traceback
        cipher = check_incident_key(settings, database)
    except IncidentKeyError as exc:
        database.dispose()
        raise _fail(str(exc)) from exc
    assert cipher is not None
    return database, cipher


@incidents_app.command("export")
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="Tệp .xlsx ghi ra.")],
    plan: PlanOption = None,
    with_description: Annotated[bool, typer.Option(
        "--with-description", help="Kèm cột mô tả (mặc định không kèm).")] = False,
    encrypt: Annotated[bool, typer.Option(
        "--encrypt", help="Mã hóa tệp bằng mật khẩu (hỏi khi chạy).")] = False,
) -> None:
    """Xuất sự vụ ra .xlsx (chỉ quản trị viên; được ghi vào nhật ký)."""
    password = None
    if encrypt:
        password = typer.prompt("Mật khẩu cho tệp", hide_input=True,
                                confirmation_prompt="Nhập lại mật khẩu")
        if len(password) < 8:
            raise _fail("Mật khẩu cần ít nhất 8 ký tự.")
    database, cipher = _open()
    try:
        data, count = database.call(
            incident_exports.export_xlsx, CLI_ACTOR, cipher, now=SystemClock().now(),
            plan_id=plan, with_description=with_description, password=password,
            kb=load_knowledge_base(get_settings().plans_dir),
        )
    except IncidentError as exc:
        raise _fail(f"Không xuất được: {exc.reason}") from exc
    except Undecryptable as exc:
        raise _fail(WRONG_KEY) from exc
    finally:
        database.dispose()
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # owner only
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    typer.echo(f"{output}: {count} sự vụ" + (" (đã mã hóa)" if password else ""))


@incidents_app.command("stats")
def stats(
    plan: PlanOption = None,
    year: Annotated[int | None, typer.Option("--year", help="Chỉ năm này.")] = None,
    min_count: Annotated[int, typer.Option(
        "--min-count", help="Ẩn các số nhỏ hơn số này (vd. 3).")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="In JSON.")] = False,
) -> None:
    """Số sự vụ theo loại, theo tháng và theo xã/phường — không có thông tin nhận dạng."""
    database, cipher = _open()
    try:
        result = database.call(incident_exports.stats, CLI_ACTOR, cipher,
                               now=SystemClock().now(), plan_id=plan, year=year,
                               min_count=min_count)
    except Undecryptable as exc:
        raise _fail(WRONG_KEY) from exc
    finally:
        database.dispose()
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    hidden = f"<{min_count}"
    typer.echo(f"Tổng số sự vụ: {result.total}")
    for title, rows in (("Theo loại", result.by_kind), ("Theo tháng", result.by_month),
                        ("Theo xã/phường", result.by_place)):
        typer.echo(f"\n{title}:")
        for label, count in rows:
            typer.echo(f"  {label}\t{hidden if count is None else count}")


@incidents_app.command("purge")
def purge(
    months: Annotated[int | None, typer.Option(
        "--months", help="Thời hạn lưu (tháng); mặc định INCIDENT_RETENTION_MONTHS.")] = None,
    delete: Annotated[bool, typer.Option(
        "--delete", help="Xóa hẳn thay vì ẩn danh.")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Không hỏi lại.")] = False,
) -> None:
    """Ẩn danh (hoặc xóa) các sự vụ quá thời hạn lưu trữ; được ghi vào nhật ký."""
    months = months if months is not None else get_settings().incident_retention_months
    if delete and not yes:
        typer.confirm(f"Xóa hẳn các sự vụ ghi trước đây hơn {months} tháng?", abort=True)
    database, cipher = _open()
    now = SystemClock().now()
    try:
        result = database.call(incidents.purge, CLI_ACTOR, cipher, months=months, now=now,
                               delete=delete)
        from bot.handlers.conversation import IDLE_TIMEOUT

        dropped = database.call(incident_drafts.drop_stale, now, IDLE_TIMEOUT)
    except IncidentError as exc:
        raise _fail(f"Không thực hiện được: {exc.reason}") from exc
    finally:
        database.dispose()
    cutoff = result.cutoff.astimezone(VN_TZ).strftime("%d/%m/%Y")
    if delete:
        typer.echo(f"Đã xóa {len(result.deleted)} sự vụ ghi trước {cutoff}.")
    else:
        typer.echo(f"Đã ẩn danh {len(result.anonymised)} sự vụ ghi trước {cutoff}.")
    if dropped:
        typer.echo(f"Đã xóa {dropped} phiếu ghi dở quá hạn.")


@incidents_app.command("new-key")
def new_key() -> None:
    """In một khóa mới cho INCIDENT_KEY (giữ ở nơi an toàn: mất khóa là mất dữ liệu)."""
    typer.echo(generate_key())


@incidents_app.command("rotate-key")
def rotate_key() -> None:
    """Mã hóa lại mọi sự vụ bằng khóa đầu tiên của INCIDENT_KEY (sau khi thêm khóa mới)."""
    database, cipher = _open()
    try:
        count = database.call(incidents.rotate_key, CLI_ACTOR, cipher, now=SystemClock().now())
    except IncidentError as exc:
        raise _fail(f"Không thực hiện được: {exc.reason}") from exc
    except Undecryptable as exc:
        raise _fail("Có sự vụ không khóa nào mở được: chưa đổi gì.") from exc
    finally:
        database.dispose()
    typer.echo(f"Đã mã hóa lại {count} sự vụ bằng khóa mới.")


def register(app: typer.Typer) -> None:
    """Add ``kehoach incidents`` to the ``kehoach`` app."""
    app.add_typer(incidents_app, name="incidents")
