"""Which known units a task's text names, and their roles ("X chủ trì, phối hợp với Y")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from knowledge.ingest.units import VERB_RE, is_org
from knowledge.textnorm import clean, fold

_CORE_DROP = {"cac", "nhung", "toan", "bo", "tat", "ca"}


def _core(folded: str) -> str:
    return " ".join(w for w in folded.split() if w not in _CORE_DROP and not w.isdigit())


@dataclass
class UnitKeys:
    """The folded forms a unit is recognised by in a task's text."""

    uid: str
    keys: list[str] = field(default_factory=list)


def unit_keys(uid: str, names: Iterable[str]) -> UnitKeys:
    """Keys for a unit: each name's core words, and its first five when it is longer."""
    keys: list[str] = []
    for name in names:
        core = _core(fold(name))
        words = core.split()
        if len(words) >= 2:
            keys.append(core)
        if len(words) > 5:
            keys.append(" ".join(words[:5]))
    return UnitKeys(uid, sorted(set(keys), key=len, reverse=True))


def find_mentions(text: str, units: list[UnitKeys]) -> list[tuple[int, str]]:
    """Units of the plan named in ``text``: (position in its core form, unit id), in order."""
    core = f" {_core(fold(text))} "
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for unit in units:
        for key in unit.keys:
            for m in re.finditer(rf"(?<= ){re.escape(key)}(?= )", core):
                a, b = m.start(), m.end()
                if any(a < y and x < b for x, y in taken):
                    continue
                taken.append((a, b))
                found.append((a, unit.uid))
    found.sort()
    out: list[tuple[int, str]] = []
    for pos, uid in found:
        if uid not in (u for _, u in out):
            out.append((pos, uid))
    return out


_PARTNER_SPLIT = re.compile(r",\s*|;\s*|\s+và\s+|\s*\(\s*|\s*\)\s*|\.\.\.|…")


@dataclass
class Roles:
    """Who leads, who cooperates and which outside bodies a task names."""

    lead: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)


def roles(text: str, units: list[UnitKeys], own: str | None) -> Roles:
    """Read "X chủ trì, phối hợp với Y" in a task.

    Args:
        text: the task's text.
        units: every unit of the plan with its keys.
        own: the id of the unit whose task it is (never its own cooperating unit; the lead
            only when the task names another unit as leading).

    Returns:
        Lead and cooperating unit ids, and partners (other bodies named after "phối hợp").
    """
    result = Roles()
    for clause in re.split(r"[;.](?:\s|$)", clean(text)):
        lower = clause.lower()
        lead_at = lower.find("chủ trì")
        coop = re.search(r"phối\s+hợp(?:\s+chặt\s+chẽ)?(?:\s+với)?\s+", clause, re.IGNORECASE)
        if lead_at > 0:
            before = find_mentions(clause[:lead_at], units)
            if before and before[-1][1] != own and before[-1][1] not in result.lead:
                result.lead.append(before[-1][1])
        if coop is None:
            continue
        after = clause[coop.end():]
        stop = VERB_RE.search(" " + after)
        listed = after[: stop.start()] if stop else after
        for _, uid in find_mentions(listed, units):
            if uid != own and uid not in result.cooperating and uid not in result.lead:
                result.cooperating.append(uid)
        for piece in _PARTNER_SPLIT.split(listed):
            piece = piece.strip(" ,.;:")
            if not piece or len(piece.split()) > 12 or not is_org(piece):
                continue
            if find_mentions(piece, units):
                continue
            if piece not in result.partners:
                result.partners.append(piece)
    return result
