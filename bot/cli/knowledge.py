"""``kehoach ask``, ``kehoach plans ...`` and ``kehoach deadlines``: the knowledge base.

The answers follow the contract of ``../shared/contract.md``. None of them opens the database.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.cli.bootstrap import EXIT_REFUSED, invalid, parse_date, plan_id, services
from bot.cli.typer_vi import group
from core.texts import cli as t

if TYPE_CHECKING:
    from knowledge.base import KnowledgeBase
    from knowledge.followup import Context

plans_app = group(t.PLANS_HELP)
JsonOption = Annotated[bool, typer.Option("--json", help=t.HELP_JSON)]
TodayOption = Annotated[str | None, typer.Option("--today", help=t.HELP_TODAY)]


def _check_plan(kb: KnowledgeBase, plan: str | None) -> str | None:
    """The plan named by ``--plan`` (an id or a place), None when not given."""
    return plan_id(kb, plan) if plan else None


def ask(
    ctx: typer.Context,
    question: Annotated[str | None, typer.Argument(help=t.HELP_QUESTION,
                                                   metavar=t.METAVAR_QUESTION)] = None,
    plan: Annotated[str | None, typer.Option("--plan", help=t.HELP_PLAN)] = None,
    today: TodayOption = None,
    batch: Annotated[Path | None, typer.Option("--batch", help=t.HELP_BATCH)] = None,
    as_json: Annotated[bool, typer.Option("--json", help=t.HELP_JSON_ANSWER)] = False,
) -> None:
    """Answer one question (or a whole --batch file)."""
    from knowledge.engine import answer

    found = services(ctx)
    kb = found.kb
    if batch is not None:
        _ask_batch(kb, batch, as_json, found.today())
        return
    if question is None:
        raise invalid(t.ASK_USAGE)
    day = parse_date(today, "--today") or found.today()
    ans = answer(kb, question, today=day, plan_id=_check_plan(kb, plan))
    if as_json:
        typer.echo(json.dumps(ans.to_contract(), ensure_ascii=False))
    else:
        typer.echo(ans.text)


def _context(item: dict[str, Any]) -> Context | None:
    """A line's ``context``: the previous question, as text or {"q": …, "plan": …}."""
    from knowledge.followup import Context

    ctx = item.get("context")
    if isinstance(ctx, str) and ctx.strip():
        return Context(question=ctx)
    if isinstance(ctx, dict) and str(ctx.get("q") or "").strip():
        return Context(question=str(ctx["q"]), plan_id=ctx.get("plan") or None)
    return None


def _ask_batch(kb: KnowledgeBase, path: Path, as_json: bool, today: dt.date) -> None:
    from knowledge.answers import Answer
    from knowledge.engine import answer

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise invalid(t.CANNOT_READ.format(path=path, error=exc.strerror or exc)) from exc
    for line in lines:
        q, plan, day, problem = "", None, today, ""
        item: Any = {}
        try:
            item = json.loads(line) if line.strip() else {}
            q = str(item.get("q") or "")
            plan = item.get("plan") or None
            if plan is not None and plan not in kb.plans:
                plan = None
            if item.get("today"):
                day = dt.date.fromisoformat(str(item["today"]).strip())
        except (json.JSONDecodeError, AttributeError):
            problem = t.BAD_LINE
        except ValueError:
            problem = t.BAD_TODAY.format(value=item.get("today"))
        # a malformed line still gets its answer line, so the output stays aligned
        ans = Answer(intent="unknown", text=problem) if problem else answer(
            kb, q, today=day, plan_id=plan, context=_context(item)
        )
        out = ans.to_contract() if as_json else {"text": ans.text}
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")


@plans_app.command("list", help=t.CMD_PLANS_LIST)
def plans_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the plans."""
    kb = services(ctx).kb
    rows = [
        {"id": p.id, "title": p.title, "issuer": p.issuer, "year": p.year,
         "units": len(p.units), "deadlines": len(p.deadlines)}
        for p in kb
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        typer.echo(t.PLAN_ROW.format(**r))


@plans_app.command("show", help=t.CMD_PLANS_SHOW)
def plans_show(
    ctx: typer.Context,
    plan: Annotated[str, typer.Argument(help=t.HELP_PLAN, metavar=t.METAVAR_PLAN)],
    as_json: JsonOption = False,
) -> None:
    """Show one plan."""
    from knowledge.wording import plan_label

    kb = services(ctx).kb
    found = kb.get(plan_id(kb, plan))
    assert found is not None
    if as_json:
        typer.echo(found.model_dump_json(indent=2))
        return
    typer.echo(t.PLAN_HEAD.format(label=plan_label(found), title=found.title,
                                  issuer=found.issuer))
    for u in found.units:
        typer.echo(t.PLAN_UNIT.format(section=u.section, name=u.name, tasks=len(u.tasks)))
    for d in found.deadlines:
        typer.echo(t.PLAN_DEADLINE.format(section=d.section, title=d.title, rule=d.rule.text))


@plans_app.command("validate", help=t.CMD_PLANS_VALIDATE)
def plans_validate(
    ctx: typer.Context,
    files: Annotated[list[Path] | None, typer.Argument(help=t.HELP_VALIDATE_FILES,
                                                          metavar=t.METAVAR_FILES)] = None,
) -> None:
    """Validate plan files (schema, and citations against the source text).

    A file with 'review: true' lines left (a draft not fully reviewed) is still valid: only a
    warning.
    """
    from knowledge.base import PlanFileError, read_plan_file

    folder = services(ctx).settings.plans_dir or _default_dir()
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
            typer.echo(t.VALIDATE_BAD.format(error=exc), err=True)
            continue
        tasks = sum(len(u.tasks) for u in plan.units)
        typer.echo(t.VALIDATE_OK.format(name=path.name, units=len(plan.units), tasks=tasks,
                                        deadlines=len(plan.deadlines)))
        unchecked = plan.review_count()
        if unchecked:
            typer.echo(t.VALIDATE_REVIEW.format(name=path.name, count=unchecked), err=True)
    if bad:
        raise typer.Exit(EXIT_REFUSED)


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
    ctx: typer.Context,
    plan: Annotated[str | None, typer.Option("--plan", help=t.HELP_PLAN)] = None,
    start: Annotated[str | None, typer.Option("--from", help=t.HELP_FROM)] = None,
    end: Annotated[str | None, typer.Option("--to", help=t.HELP_TO)] = None,
    today: TodayOption = None,
    as_json: JsonOption = False,
    ics: Annotated[Path | None, typer.Option("--ics", help=t.HELP_ICS)] = None,
) -> None:
    """List the deadlines in a window (and write an .ics calendar)."""
    from knowledge.deadlines import to_out, window

    found = services(ctx)
    kb = found.kb
    day = parse_date(today, "--today") or found.today()
    first = parse_date(start, "--from") or day
    last = parse_date(end, "--to") or first.replace(year=first.year + 1)
    if last < first:
        raise invalid(t.TO_BEFORE_FROM)
    chosen = _check_plan(kb, plan)
    occs = window(kb, first, last, [chosen] if chosen else None)
    if ics is not None:
        from knowledge.calendar import write_ics

        write_ics(occs, ics)
        typer.echo(t.ICS_WRITTEN.format(count=len(occs), path=ics), err=True)
    if as_json:
        typer.echo(json.dumps([to_out(o, day).model_dump(mode="json") for o in occs],
                              ensure_ascii=False, indent=2))
        return
    for o in occs:
        d = o.deadline
        typer.echo(t.DEADLINE_ROW.format(date=o.date, plan=o.plan.id, title=d.title,
                                         recipient=d.recipient))


def register(app: typer.Typer) -> None:
    """Add ask, plans and deadlines to the ``kehoach`` command."""
    app.command("ask", help=t.CMD_ASK)(ask)
    app.add_typer(plans_app, name="plans")
    app.command("deadlines", help=t.CMD_DEADLINES)(deadlines)
