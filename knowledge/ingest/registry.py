"""The units of a plan being read, found by any of their names (:class:`Registry`).

One unit is one entry however often it is named: "UBND cấp xã" and "Ủy ban nhân dân các xã,
phường", "Thủ trưởng các sở, ban, ngành" and "Các sở, ban, ngành" are the same unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from knowledge.ingest.structure import Item
from knowledge.ingest.units import (
    aliases_for,
    expand,
    long_form,
    members_of,
    split_name,
    strip_title,
    unit_id,
)
from knowledge.schema import Unit
from knowledge.textnorm import clean, fold


class Anchor(Protocol):
    """Where a unit is first named: an item of the plan, or a joint heading's place."""

    @property
    def section(self) -> str:
        """The section as printed ("III.1.4")."""
        ...

    @property
    def line(self) -> int:
        """The source line."""
        ...


@dataclass
class TaskRef:
    """A task found for a unit: its item, text, line and the cooperating units named with it."""

    item: Item
    text: str
    line: int
    cooperating: list[str] = field(default_factory=list)
    section: str | None = None
    lead: list[str] = field(default_factory=list)


@dataclass
class UnitDraft:
    """A unit being read, with its tasks."""

    unit: Unit
    head: int  # index of its heading item in the body (-1: not a heading)
    written: str
    tasks: list[TaskRef] = field(default_factory=list)
    person: bool = False

    def add(self, ref: TaskRef) -> None:
        """Add a task, once."""
        for old in self.tasks:
            if old.item is ref.item and old.line == ref.line:
                for c in ref.cooperating:
                    if c not in old.cooperating:
                        old.cooperating.append(c)
                return
        self.tasks.append(ref)


_LEVEL_END = re.compile(r"\s+(?:tinh|thanh pho|tp|huyen|quan|thi xa)$")


def unit_key(name: str) -> str:
    """What two spellings of one unit have in common.

    Folded, abbreviations spelled out, no title, no "các"/"cấp"/"có", no final level word,
    words in any order ("xã, phường" is "phường, xã").
    """
    folded = fold(long_form(strip_title(clean(name))[1]))
    folded = re.sub(r"\s+thuoc\s+(?:uy ban nhan dan|ubnd)\b.*$", "", folded)
    folded = re.sub(r"\s+(?:co\s+)?lien\s+quan\b", "", folded)
    folded = _LEVEL_END.sub("", folded)
    words = {w for w in folded.split() if w not in ("cac", "cap", "co", "toan", "tat", "ca",
                                                     "nhung", "va")}
    return " ".join(sorted(words))


# "Các cơ quan, đơn vị được giao chủ trì": the units of the plan, not one more unit.
_ASSIGNED = re.compile(r"^(?:các\s+)?(?:cơ\s+quan|đơn\s+vị|sở,?\s+ngành)[^.;:]{0,30}?\s+được"
                       r"\s+(?:giao|phân\s+công)", re.IGNORECASE)


class Registry:
    """The plan's units, found by any of their names."""

    def __init__(self, issuer: str = "") -> None:
        """An empty registry; a unit named like ``issuer`` (the plan's issuer) is never added."""
        self.drafts: list[UnitDraft] = []
        # "- Thời gian thực hiện: …" lines: item id → (the time, unit ids it concerns)
        self.times: dict[int, tuple[str, list[str]]] = {}
        self._by_key: dict[str, UnitDraft] = {}
        self.issuer_key = unit_key(issuer) if issuer else ""

    def dissolve_joint(self) -> None:
        """Give a joint heading's tasks to its members when each is a unit of its own.

        "Sở Tài chính và UBND các xã, phường".
        """
        kept = []
        for draft in self.drafts:
            found = [self.get(m) for m in draft.unit.members]
            if any(m is not None and m is not draft for m in found):
                members = [m if m is not None and m is not draft else
                           self.add(name, _UnitAnchor(draft.unit)) for m, name in
                           zip(found, draft.unit.members, strict=True)]
                for m in (m for m in members if m is not None):
                    for ref in draft.tasks:
                        m.add(ref)
                    alias = draft.unit.name
                    if alias not in m.unit.aliases:
                        m.unit.aliases.append(alias)
                continue
            kept.append(draft)
        self.drafts = kept

    def get(self, name: str) -> UnitDraft | None:
        """The unit with this name or alias."""
        return self._by_key.get(unit_key(name))

    def add(self, written: str, item: Anchor, *, head: int = -1, joint: bool = True,
            person: bool = False) -> UnitDraft | None:
        """The unit named ``written`` (found, or added at ``item``); None for the issuer."""
        title, bare = strip_title(clean(written).strip(" ,;:-–"))
        named = split_name(bare)
        role = named.role
        name = expand(named.name if role else bare)
        name = re.sub(r"\s*\((?:sau\s+đây|gọi\s+tắt)[^)]*\)", "", name).strip(" ,.;:")
        if not name or (self.issuer_key and unit_key(name) == self.issuer_key):
            return None
        name = name[:1].upper() + name[1:]
        if _ASSIGNED.match(clean(written)) or _ASSIGNED.match(name):
            return None
        found = self.get(name)
        if found is not None:
            for alias in aliases_for(found.unit.name, clean(written), title=title.strip()):
                if alias not in found.unit.aliases and alias != found.unit.name:
                    found.unit.aliases.append(alias)
                    self._by_key.setdefault(unit_key(alias), found)
            return found
        uid = unit_id(name, [d.unit.id for d in self.drafts])
        unit = Unit(id=uid, section=item.section, line=item.line, name=name,
                    aliases=aliases_for(name, clean(written), title=title.strip(), role=role),
                    members=members_of(name) if joint else [], review=True)
        if role:
            unit.role = role
        draft = UnitDraft(unit, head, clean(written), person=person)
        self.drafts.append(draft)
        for n in (name, *unit.aliases):
            self._by_key.setdefault(unit_key(n), draft)
        return draft


@dataclass
class _UnitAnchor:
    """Where a unit split off a joint heading is first named: the heading's place."""

    unit: Unit

    @property
    def section(self) -> str:
        """The section of the joint heading."""
        return self.unit.section

    @property
    def line(self) -> int:
        """The line of the joint heading."""
        return self.unit.line
