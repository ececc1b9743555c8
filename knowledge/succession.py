"""Successor units after the 2025 reorganisation (reviewed data in ``succession.yaml``).

The plans say what they say: an answer keeps the plan's unit name and gets one line when a unit
it names has a successor today (:meth:`Succession.lines`). A question naming today's unit
("Sở Y tế phải làm gì … theo kế hoạch Hải Dương?") also gets the predecessor's tasks in the
moved scope, marked as moved (:meth:`Succession.moved_tasks`); tasks outside that scope
(labour, people with meritorious service) stay where they were.

The file is refused at load, naming the file and line, when an entry names a unit absent from
every plan, a date in the future, or a cycle (A → B → A).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from core.texts import answers as P, format as F
from knowledge.base import DEFAULT_PLANS_DIR, KnowledgeBase
from knowledge.schema import Plan, Task, Unit
from knowledge.textnorm import fold_search

SUCCESSION_FILE = Path(__file__).with_name("succession.yaml")
_PROVINCE_LEVELS = {"tỉnh", "thành phố"}


class SuccessionFileError(ValueError):
    """The successor file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Successor:
    """A unit of today that carries part of a predecessor's tasks."""

    name: str
    aliases: tuple[str, ...] = ()
    of: str = ""  # "các xã, phường": whose unit it is

    @property
    def label(self) -> str:
        """The name with what it belongs to ("Phòng Văn hóa - Xã hội của các xã, phường")."""
        return f"{self.name} của {self.of}" if self.of else self.name

    def folded_names(self) -> list[str]:
        """The folded forms users may type."""
        return [fold_search(n) for n in (self.name, *self.aliases)]


@dataclass(frozen=True)
class Entry:
    """One predecessor unit and where its tasks went."""

    predecessor: str
    level: str  # "province" or "district"
    since: dt.date
    legal: str
    scope: str
    successors: tuple[Successor, ...]
    keywords: tuple[str, ...] = ()
    not_moved: tuple[str, ...] = ()
    text: str = ""
    line_no: int = 0

    @property
    def line(self) -> str:
        """The line users see under an answer naming the predecessor."""
        if self.text:
            return " ".join(self.text.split())
        return P.SUCCESSION_LINE.format(date=F.date(self.since), scope=self.scope,
                           predecessor=self.predecessor,
                           successor=", ".join(s.label for s in self.successors),
                           legal=self.legal)

    def moves(self, task: Task) -> bool:
        """Whether a task is in the moved scope (names it, or names nothing kept behind)."""
        folded = f" {fold_search(task.text)} "
        if any(f" {fold_search(k)} " in folded for k in self.keywords):
            return True
        return not any(f" {fold_search(k)} " in folded for k in self.not_moved)


@dataclass
class Succession:
    """Every entry, by folded predecessor name."""

    entries: list[Entry] = field(default_factory=list)

    def entry_for(self, plan: Plan, unit: Unit) -> Entry | None:
        """The entry of a plan's unit, if it has one at the plan's level."""
        level = "province" if plan.level in _PROVINCE_LEVELS else "district"
        name = fold_search(unit.name)
        return next((e for e in self.entries
                     if e.level == level and fold_search(e.predecessor) == name), None)

    def lines(self, kb: KnowledgeBase, plan_ids: Iterable[str], units: Iterable[str],
              shown: str = "") -> list[str]:
        """One line per unit of the answer that has a successor (not already in ``shown``).

        Args:
            kb: the knowledge base.
            plan_ids: the plans the answer comes from.
            units: the unit names the answer names.
            shown: the answer's text: an entry whose moved tasks it lists gets no line.

        Returns:
            The lines, each once, in the order of ``units``.
        """
        plans = [kb.plans[p] for p in plan_ids if p in kb.plans]
        out: list[str] = []
        for name in units:
            for plan in plans:
                unit = next((u for u in plan.units if u.name == name), None)
                entry = self.entry_for(plan, unit) if unit else None
                moved_shown = unit is not None and entry is not None and (
                    f"của {entry.predecessor} (mục {unit.section}), nay do" in shown)
                if entry and not moved_shown and entry.line not in out:
                    out.append(entry.line)
        return out

    def named_successors(self, folded_question: str) -> list[tuple[Entry, Successor]]:
        """The (entry, successor) pairs whose successor the question names."""
        q = f" {folded_question} "
        return [(e, s) for e in self.entries for s in e.successors
                if any(f" {n} " in q for n in s.folded_names())]

    def moved_tasks(self, kb: KnowledgeBase, plan_ids: Iterable[str],
                    folded_question: str) -> list[tuple[Plan, Unit, Entry, Successor,
                                                        list[Task], int]]:
        """The predecessors' tasks that a question naming their successor reaches.

        Args:
            kb: the knowledge base.
            plan_ids: the plans in scope.
            folded_question: the question, folded.

        Returns:
            For each plan and predecessor unit: the entry, the successor named, the moved
            tasks and how many tasks stayed behind.
        """
        named = self.named_successors(folded_question)
        out = []
        for plan_id in plan_ids:
            plan = kb.plans.get(plan_id)
            if plan is None:
                continue
            for unit in plan.units:
                entry = self.entry_for(plan, unit)
                successor = next((s for e, s in named if e is entry), None)
                if entry is None or successor is None:
                    continue
                moved = [t for t in unit.tasks if entry.moves(t)]
                if moved:
                    out.append((plan, unit, entry, successor, moved,
                                len(unit.tasks) - len(moved)))
        return out


class _LineLoader(yaml.SafeLoader):
    """Keeps the line of each mapping as ``__line__``."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict:  # type: ignore[type-arg]
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def _words(raw: object) -> tuple[str, ...]:
    return tuple(str(x) for x in raw) if isinstance(raw, list) else ()


def bundled_unit_names() -> frozenset[str]:
    """The unit names of the bundled plans (read once)."""
    return _bundled_unit_names()


@lru_cache(maxsize=1)
def _bundled_unit_names() -> frozenset[str]:
    names: set[str] = set()
    for path in sorted(DEFAULT_PLANS_DIR.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        names.update(str(u.get("name", "")) for u in raw.get("units") or [])
    return frozenset(names)


def load_succession(unit_names: Iterable[str], *, today: dt.date,
                    path: Path = SUCCESSION_FILE) -> Succession:
    """Read and check the successor file.

    Args:
        unit_names: the units of the plans; every predecessor must be one of them.
        today: no entry may start after it.
        path: the file.

    Returns:
        The entries.

    Raises:
        SuccessionFileError: naming the file and line of the first problem.
    """
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506
    except (OSError, yaml.YAMLError) as exc:
        raise SuccessionFileError(f"{path}: cannot read YAML: {exc}") from exc
    if raw is None:
        return Succession()
    if not isinstance(raw, list):
        raise SuccessionFileError(f"{path}: expected a list of entries")
    known = {fold_search(n) for n in unit_names}
    entries: list[Entry] = []
    for item in raw:
        line = item.get("__line__", 0) if isinstance(item, dict) else 0
        where = f"{path}:{line}"
        try:
            since = item["from"]
            if not isinstance(since, dt.date):
                raise TypeError("from: expected a date YYYY-MM-DD")
            successors = tuple(
                Successor(str(s["name"]), _words(s.get("aliases")), str(s.get("of") or ""))
                for s in item.get("successors") or []
            )
            entry = Entry(
                predecessor=str(item["predecessor"]), level=str(item["level"]), since=since,
                legal=str(item["legal"]), scope=str(item["scope"]), successors=successors,
                keywords=_words(item.get("keywords")), not_moved=_words(item.get("not_moved")),
                text=str(item.get("line") or ""), line_no=line,
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise SuccessionFileError(f"{where}: malformed entry ({exc})") from exc
        if entry.level not in {"province", "district"}:
            raise SuccessionFileError(f"{where}: level must be province or district")
        if fold_search(entry.predecessor) not in known:
            raise SuccessionFileError(
                f"{where}: {entry.predecessor!r} is not a unit of any plan")
        if entry.since > today:
            raise SuccessionFileError(
                f"{where}: date {entry.since:%d/%m/%Y} is in the future")
        entries.append(entry)
    _check_cycles(entries, path)
    return Succession(entries)


def _check_cycles(entries: list[Entry], path: Path) -> None:
    """Refuse A → B → … → A, naming the line of the entry that closes the cycle."""
    graph: dict[str, set[str]] = {}
    lines: dict[str, int] = {}
    for e in entries:
        key = fold_search(e.predecessor)
        graph.setdefault(key, set()).update(fold_search(s.name) for s in e.successors)
        lines.setdefault(key, e.line_no)
    for start in graph:
        stack, seen = [start], set()
        while stack:
            node = stack.pop()
            for nxt in graph.get(node, ()):
                if nxt == start:
                    raise SuccessionFileError(
                        f"{path}:{lines[start]}: cycle of successors through {start!r}")
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
