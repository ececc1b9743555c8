"""The knowledge base: plan files loaded, validated against their source text, and indexed.

A plan lives in two files side by side under the plans folder: ``<id>.yaml`` (the structured,
human-editable facts, see :mod:`knowledge.schema`) and its source text (``source:`` in the
YAML, normally ``<id>.txt``). Loading fails loudly, naming the file, when the YAML does not
match the schema or a cited text is not found at its line in the source.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from knowledge.schema import Plan, Unit
from knowledge.textnorm import clean, fold

logger = logging.getLogger(__name__)

DEFAULT_PLANS_DIR = Path(__file__).resolve().parent / "plans"
# How many source lines after ``line`` a cited text may start on (page breaks, blank lines).
_LINE_SLACK = 3


class PlanFileError(ValueError):
    """A plan file that cannot be loaded; the message names the file and what is wrong."""


@dataclass(eq=False)
class KnowledgeBase:
    """All plans, by id, with their source lines."""

    plans: dict[str, Plan] = field(default_factory=dict)
    sources: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Plan]:
        """The plans, in load order."""
        return iter(self.plans.values())

    def __len__(self) -> int:
        """How many plans."""
        return len(self.plans)

    def get(self, plan_id: str) -> Plan | None:
        """Return the plan with this id, or None."""
        return self.plans.get(plan_id)

    def units(self, plan_ids: Iterable[str] | None = None) -> Iterator[tuple[Plan, Unit]]:
        """Every (plan, unit) pair, optionally only of some plans."""
        wanted = None if plan_ids is None else set(plan_ids)
        for plan in self.plans.values():
            if wanted is None or plan.id in wanted:
                for unit in plan.units:
                    yield plan, unit

    def add(self, plan: Plan, source_lines: list[str], path: Path | None = None) -> None:
        """Add a plan (replacing one with the same id)."""
        self.plans[plan.id] = plan
        self.sources[plan.id] = source_lines
        if path is not None:
            self.files[plan.id] = path


def read_plan_file(path: Path, *, check_source: bool = True) -> tuple[Plan, list[str]]:
    """Read and validate one plan file.

    Args:
        path: the ``.yaml`` file.
        check_source: also check every cited text against the source text.

    Returns:
        The plan and the lines of its source text (empty when there is none).

    Raises:
        PlanFileError: naming the file and the problem.
    """
    try:
        # libyaml when built in: ~10× faster, the same data (part of start-up)
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - safe
    except (OSError, yaml.YAMLError) as exc:
        raise PlanFileError(f"{path}: cannot read YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise PlanFileError(f"{path}: expected a mapping at the top level")
    try:
        plan = Plan.model_validate(raw)
    except ValidationError as exc:
        raise PlanFileError(f"{path}: {exc}") from exc
    source_path = path.parent / plan.source
    lines: list[str] = []
    if source_path.exists():
        lines = source_path.read_text(encoding="utf-8").splitlines()
    elif check_source:
        raise PlanFileError(f"{path}: source text {plan.source} not found beside it")
    if check_source:
        problems = list(check_citations(plan, lines))
        if problems:
            shown = "\n  ".join(problems[:10])
            more = f"\n  ... and {len(problems) - 10} more" if len(problems) > 10 else ""
            raise PlanFileError(f"{path}: cited text not found in {plan.source}:\n  {shown}{more}")
    unchecked = plan.review_count()
    if unchecked:
        logger.warning("%s: %d items still marked review: true (draft not fully checked)",
                       path, unchecked)
    return plan, lines


def _cited_items(plan: Plan) -> Iterator[tuple[str, int, str]]:
    for unit in plan.units:
        yield f"unit {unit.id}", unit.line, unit.name
        for task in unit.tasks:
            yield f"task of {unit.id}", task.line, task.text
    for d in plan.deadlines:
        yield f"deadline {d.id}", d.line, d.text
    for group in (plan.objectives, plan.funding, plan.contacts, plan.events, plan.passages):
        for item in group:
            yield type(item).__name__.lower(), item.line, item.text
    for lb in plan.legal_bases:
        yield "legal basis", lb.line, lb.title


def _head(text: str, words: int = 6) -> str:
    return " ".join(fold(text).split()[:words])


def check_citations(plan: Plan, lines: list[str]) -> Iterator[str]:
    """Yield a message for every cited text that is not found in the source.

    A task or deadline text must appear (folded, whitespace collapsed) in the source text, and
    its first words must be on its ``line`` or within a few lines after it. A unit's name is
    not checked word for word (abbreviations are expanded), only its line's existence.
    """
    if not lines:
        return
    folded_lines = [fold(x) for x in lines]
    whole = " ".join(x for x in folded_lines if x)
    for what, line, text in _cited_items(plan):
        if line > len(lines):
            yield f"{what}: line {line} is past the end ({len(lines)} lines)"
            continue
        if what.startswith("unit "):
            continue
        body = fold(text)
        if body and body not in whole:
            yield f"{what} (line {line}): text not in source: {clean(text)[:80]!r}"
            continue
        head = _head(text)
        window = " ".join(folded_lines[line - 1 : line + _LINE_SLACK])
        if head and head not in window:
            yield f"{what}: {clean(text)[:50]!r} does not start near line {line}"


def load_knowledge_base(
    directory: Path | None = None, *, check_source: bool = True
) -> KnowledgeBase:
    """Load every ``*.yaml`` plan file in ``directory`` (default: the bundled plans).

    Raises:
        PlanFileError: for the first file that fails, naming it.
    """
    directory = directory or DEFAULT_PLANS_DIR
    kb = KnowledgeBase()
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise PlanFileError(f"{directory}: no plan files (*.yaml)")
    for path in paths:
        plan, lines = read_plan_file(path, check_source=check_source)
        if plan.id in kb.plans:
            first = kb.files[plan.id]
            raise PlanFileError(f"{path}: plan id {plan.id} already loaded from {first}")
        kb.add(plan, lines, path)
    logger.info("loaded %d plans from %s", len(kb), directory)
    return kb
