"""``kehoach ingest FILE``: read a new plan (.docx, .doc, PDF, text) into a draft to review.

The draft is ``<id>.yaml`` (schema of :mod:`knowledge.schema`, every item ``review: true``, a
comment block on top saying what was found and what could not be classified) and its source
text ``<id>.txt`` beside it. It is checked with :func:`knowledge.base.read_plan_file` before the
command says it is done.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from knowledge.base import PlanFileError, read_plan_file
from knowledge.ingest import IngestError, ingest_file, write_draft


def ingest(
    file: Annotated[Path, typer.Argument(help="Tệp kế hoạch .docx, .doc, .pdf hoặc .txt.")],
    plan_id: Annotated[
        str | None, typer.Option("--id", help="Mã kế hoạch, ví dụ quan3-2024 (mặc định: tên tệp).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("-o", "--out", help="Thư mục (hoặc tệp .yaml) để ghi bản nháp; mặc định: ./"),
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Năm của kế hoạch, khi văn bản không ghi rõ.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Ghi đè tệp đã có.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Không in tóm tắt.")] = False,
) -> None:
    """Đọc một kế hoạch mới (.docx, .doc, .pdf, .txt) thành bản nháp để cán bộ rà soát."""
    from core.settings import get_settings

    max_bytes = get_settings().max_file_mb * 1024 * 1024
    try:
        draft = ingest_file(file, plan_id=plan_id, year=year, max_bytes=max_bytes)
        path = write_draft(draft, out or Path("."), force=force)
    except IngestError as exc:
        typer.echo(f"Lỗi: {exc}", err=True)
        raise typer.Exit(1) from exc
    if not quiet:
        typer.echo(draft.summary())
    try:
        read_plan_file(path)
    except PlanFileError as exc:
        typer.echo(f"Bản nháp đã ghi nhưng chưa hợp lệ, cần sửa tay:\n{exc}", err=True)
        raise typer.Exit(1) from exc
    text_path = path.parent / draft.plan.source
    typer.echo(f"Đã ghi bản nháp: {path} (văn bản gốc: {text_path}).")
    typer.echo(
        f"Tiếp theo: rà soát các mục 'review: true', chép hai tệp vào thư mục kế hoạch, rồi chạy "
        f"`kehoach plans validate {path.name}` và /reload trong bot."
    )


def register(app: typer.Typer) -> None:
    """Add ``ingest`` to the ``kehoach`` command."""
    app.command("ingest")(ingest)
