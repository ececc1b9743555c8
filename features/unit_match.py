"""Finding a unit from what an officer types ("phong y te q3"), fuzzily, over every plan."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from knowledge.base import KnowledgeBase
from knowledge.place_plans import today_names
from knowledge.textnorm import fold

# A typed unit name must score at least this (rapidfuzz, 0–100) to be offered.
UNIT_MATCH_THRESHOLD = 70.0
# Above this, and clearly ahead of the second, a match is taken without asking.
UNIT_MATCH_SURE = 90.0


@dataclass(frozen=True)
class UnitMatch:
    """A unit that matches typed text."""

    plan_id: str
    unit_id: str
    name: str
    score: float


def _score(query: str, candidate: str) -> float:
    # token_set_ratio forgives extra words ("phong y te" in "phong y te quan 3"); the plain
    # ratio breaks its ties in favour of the candidate closest to the whole query.
    return 0.8 * fuzz.token_set_ratio(query, candidate, processor=None) + 0.2 * fuzz.ratio(
        query, candidate, processor=None
    )


def find_units(
    kb: KnowledgeBase, text: str, *, plan_ids: Iterable[str] | None = None, limit: int = 5
) -> list[UnitMatch]:
    """Units of the knowledge base whose name or alias matches ``text``, best first.

    Each unit is scored on its name and aliases, alone and followed by the plan's locality or
    the province it is in today (so "phong y te q3" finds Phòng Y tế of Quận 3 rather than of
    Đức Phổ, and "Sở Y tế Hải Phòng" that of Hải Dương).

    Args:
        kb: the knowledge base.
        text: what the officer typed, with or without diacritics.
        plan_ids: only units of these plans (all plans when None).
        limit: at most this many.

    Returns:
        Matches scoring at least :data:`UNIT_MATCH_THRESHOLD`.
    """
    query = fold(text)
    if not query:
        return []
    scored: list[UnitMatch] = []
    today = today_names(kb)  # "Sở Y tế Hải Phòng": the plan of Hải Dương, merged in 2025
    for plan, unit in kb.units(plan_ids):
        places = [plan.locality, *plan.locality_aliases, *today.get(plan.id, ())]
        best = 0.0
        for name in (unit.name, *unit.aliases):
            folded = fold(name)
            best = max(best, _score(query, folded))
            best = max(best, *(_score(query, f"{folded} {fold(p)}") for p in places))
        if best >= UNIT_MATCH_THRESHOLD:
            scored.append(UnitMatch(plan.id, unit.id, unit.name, round(best, 1)))
    return heapq.nlargest(limit, scored, key=lambda m: (m.score, -len(m.name)))


def sure_match(matches: Sequence[UnitMatch]) -> UnitMatch | None:
    """The first match when it is sure and clearly ahead of the next one."""
    if not matches or matches[0].score < UNIT_MATCH_SURE:
        return None
    if len(matches) > 1 and matches[1].score >= matches[0].score - 3:
        return None
    return matches[0]
