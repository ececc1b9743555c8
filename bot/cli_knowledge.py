"""``kehoach ask``, ``kehoach plans ...`` and ``kehoach deadlines``: the knowledge base from
the command line (contract: ``../shared/contract.md``)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from core.clock import SystemClock
from knowledge.answers import Answer
from knowledge.base import KnowledgeBase, PlanFileError, load_knowledge_base, read_plan_file
from knowledge.deadlines import to_out, window
from knowledge.engine import answer, plan_label
from knowledge.followup import Context
from knowledge.place_plans import plans_for_place

BAD_LINE = "Dòng này không phải một đối tượng JSON {\"q\", \"plan\", \"today\"}."
BAD_TODAY = "Ngày tính hạn {value!r} không hợp lệ (cần dạng YYYY-MM-DD)."

plans_app = typer.Typer(help="Các kế hoạch trong cơ sở tri thức.", no_args_is_help=True)


def _kb(plans_dir: Path | None = None) -> KnowledgeBase:
    from core.settings import get_settings

    try:
        return load_knowledge_base(plans_dir or get_settings().plans_dir)
    except PlanFileError as exc:
        typer.echo(f"Lỗi tệp kế hoạch: {exc}", err=True)
        raise typer.Exit(2) from exc


def _date(value: str | None, name: str) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        typer.echo(f"Ngày {name} không hợp lệ: {value!r} (cần dạng YYYY-MM-DD).", err=True)
        raise typer.Exit(2) from None


def _today(value: str | None) -> dt.date:
    return _date(value, "--today") or SystemClock().now().date()


def _check_plan(kb: KnowledgeBase, plan: str | None) -> str | None:
    if plan and plan not in kb.plans:
        named = plans_for_place(kb, plan)  # "Hải Phòng": the plan of Hải Dương (merged 2025)
        if len(named) == 1:
            return named[0].plan_id
    if plan and plan not in kb.plans:
        typer.echo(
            f"Không có kế hoạch {plan!r}. Các mã có: {', '.join(sorted(kb.plans))}.", err=True
        )
        raise typer.Exit(2)
    return plan or None


def ask(
    question: Annotated[str | None, typer.Argument(help="Câu hỏi.")] = None,
    plan: Annotated[str | None, typer.Option("--plan", help="Mã kế hoạch.")] = None,
    today: Annotated[
        str | None, typer.Option("--today", help="Ngày tính hạn, YYYY-MM-DD.")
    ] = None,
    batch: Annotated[Path | None, typer.Option("--batch", help="Tệp JSONL câu hỏi.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In đối tượng JSON.")] = False,
) -> None:
    """Hỏi trợ lý một câu (hoặc cả tệp --batch)."""
    kb = _kb()
    if batch is not None:
        _ask_batch(kb, batch, as_json)
        return
    if question is None:
        typer.echo("Hãy nhập câu hỏi, ví dụ: kehoach ask \"Hạn báo cáo tiếp theo?\"", err=True)
        raise typer.Exit(2)
    ans = answer(kb, question, today=_today(today), plan_id=_check_plan(kb, plan))
    if as_json:
        typer.echo(json.dumps(ans.to_contract(), ensure_ascii=False))
    else:
        typer.echo(ans.text)


def _context(item: dict) -> Context | None:  # type: ignore[type-arg]
    """A line's ``context``: the previous question, as text or {"q": …, "plan": …}."""
    ctx = item.get("context")
    if isinstance(ctx, str) and ctx.strip():
        return Context(question=ctx)
    if isinstance(ctx, dict) and str(ctx.get("q") or "").strip():
        return Context(question=str(ctx["q"]), plan_id=ctx.get("plan") or None)
    return None


def _ask_batch(kb: KnowledgeBase, path: Path, as_json: bool) -> None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        typer.echo(f"Không đọc được tệp {path}: {exc}", err=True)
        raise typer.Exit(2) from exc
    for line in lines:
        q, plan, day, problem = "", None, SystemClock().now().date(), ""
        try:
            item = json.loads(line) if line.strip() else {}
            q = str(item.get("q") or "")
            plan = item.get("plan") or None
            if plan is not None and plan not in kb.plans:
                plan = None
            if item.get("today"):
                day = dt.date.fromisoformat(str(item["today"]).strip())
        except (json.JSONDecodeError, AttributeError):
            problem = BAD_LINE
        except ValueError:
            problem = BAD_TODAY.format(value=item.get("today"))
        # a malformed line still gets its answer line, so the output stays aligned
        ans = Answer(intent="unknown", text=problem) if problem else answer(
            kb, q, today=day, plan_id=plan, context=_context(item)
        )
        out = ans.to_contract() if as_json else {"text": ans.text}
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")


@plans_app.command("list")
def plans_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Liệt kê các kế hoạch."""
    kb = _kb()
    rows = [
        {"id": p.id, "title": p.title, "issuer": p.issuer, "year": p.year,
         "units": len(p.units), "deadlines": len(p.deadlines)}
        for p in kb
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        typer.echo(f"{r['id']:<16} {r['year']}  {r['issuer']} — {r['title']} "
                   f"({r['units']} đơn vị, {r['deadlines']} hạn)")


@plans_app.command("show")
def plans_show(
    plan_id: str, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """Xem một kế hoạch."""
    kb = _kb()
    plan = kb.get(_check_plan(kb, plan_id) or "")
    assert plan is not None
    if as_json:
        typer.echo(plan.model_dump_json(indent=2))
        return
    typer.echo(f"{plan_label(plan)}: {plan.title}\nBan hành: {plan.issuer}")
    for u in plan.units:
        typer.echo(f"  {u.section:<8} {u.name} ({len(u.tasks)} nhiệm vụ)")
    for d in plan.deadlines:
        typer.echo(f"  hạn {d.section:<6} {d.title}: {d.rule.text}")


@plans_app.command("validate")
def plans_validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Tệp .yaml (đường dẫn, hoặc chỉ tên tệp trong thư mục kế hoạch); "
                            "mặc định: tất cả."),
    ] = None,
) -> None:
    """Kiểm tra tệp kế hoạch (lược đồ và trích dẫn so với văn bản gốc).

    Một tệp còn dòng 'review: true' (bản nháp chưa rà soát hết) vẫn hợp lệ: lệnh chỉ cảnh báo.
    """
    from core.settings import get_settings

    folder = get_settings().plans_dir or _default_dir()
    if files:
        paths = [_in_plans_folder(f, folder) for f in files]
    else:
        paths = sorted(folder.glob("*.yaml"))
    bad = 0
    for path in paths:
        try:
            plan, _ = read_plan_file(path)
        except PlanFileError as exc:
            bad += 1
            typer.echo(f"LỖI  {exc}", err=True)
            continue
        tasks = sum(len(u.tasks) for u in plan.units)
        typer.echo(f"OK   {path.name}: {len(plan.units)} đơn vị, {tasks} nhiệm vụ, "
                   f"{len(plan.deadlines)} hạn")
        unchecked = plan.review_count()
        if unchecked:
            typer.echo(f"CHÚ Ý {path.name}: còn {unchecked} mục 'review: true' chưa rà soát — "
                       "kiểm tra với văn bản rồi xóa dòng đó.", err=True)
    if bad:
        raise typer.Exit(1)


def _in_plans_folder(path: Path, folder: Path) -> Path:
    """A bare name ("tinhhoa-2024.yaml" or "tinhhoa-2024") names a file of the plans folder."""
    if path.exists() or path.parent != Path("."):
        return path
    name = path.name if path.suffix in (".yaml", ".yml") else f"{path.name}.yaml"
    return folder / name if (folder / name).exists() else path


def _default_dir() -> Path:
    from knowledge.base import DEFAULT_PLANS_DIR

    return DEFAULT_PLANS_DIR


def deadlines(
    plan: Annotated[str | None, typer.Option("--plan")] = None,
    start: Annotated[str | None, typer.Option("--from", help="Từ ngày (YYYY-MM-DD).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Đến ngày (YYYY-MM-DD).")] = None,
    today: Annotated[str | None, typer.Option("--today")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    ics: Annotated[Path | None, typer.Option("--ics", help="Ghi tệp lịch .ics.")] = None,
) -> None:
    """Liệt kê các hạn trong một khoảng thời gian (và xuất lịch .ics)."""
    kb = _kb()
    day = _today(today)
    first = _date(start, "--from") or day
    last = _date(end, "--to") or first.replace(year=first.year + 1)
    if last < first:
        typer.echo("--to phải sau --from.", err=True)
        raise typer.Exit(2)
    plan_id = _check_plan(kb, plan)
    occs = window(kb, first, last, [plan_id] if plan_id else None)
    if ics is not None:
        from knowledge.calendar import write_ics

        write_ics(occs, ics)
        typer.echo(f"Đã ghi {len(occs)} hạn vào {ics}", err=True)
    if as_json:
        typer.echo(json.dumps([to_out(o, day).model_dump(mode="json") for o in occs],
                              ensure_ascii=False, indent=2))
        return
    for o in occs:
        d = o.deadline
        typer.echo(f"{o.date:%d/%m/%Y}  {o.plan.id:<14} {d.title} → {d.recipient}")


def register(app: typer.Typer) -> None:
    """Add ask, plans and deadlines to the ``kehoach`` command."""
    app.command("ask")(ask)
    app.add_typer(plans_app, name="plans")
    app.command("deadlines")(deadlines)
