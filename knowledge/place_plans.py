"""Plans named by a place, of before or after the 2025 reorganisation, outside questions.

Registration (``/dangky Sở Y tế Hải Phòng``), ``/kehoach Hải Phòng`` and typed plan arguments
(``--plan "Quảng Ngãi"``) accept today's names: :func:`plans_for_place` says which plans cover
a place named in a text, and how; :func:`today_names` gives each plan's place names of today.
The data is the gazetteer's (:mod:`knowledge.places`, the ``vietnamadminunits`` package).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from core.texts import answers as P
from knowledge.base import KnowledgeBase
from knowledge.places import (
    Gazetteer,
    Place,
    covers,
    gazetteer,
    plan_place,
)
from knowledge.textnorm import fold_search
from knowledge.wording import in_sentence, plan_label


@dataclass(frozen=True)
class PlaceMatch:
    """A plan covering a place named in a text."""

    plan_id: str
    place: Place  # the place named
    own: Place  # the plan's place
    how: str  # "own", "inside", "merged", "contains" (see knowledge.places.covers)


def _plan_places(kb: KnowledgeBase, gaz: Gazetteer) -> dict[str, Place]:
    out = {}
    for plan in kb:
        hints = " ".join([plan.issuer, plan.title, *plan.locality_aliases])
        place = plan_place(gaz, plan.locality, hints)
        if place is not None:
            out[plan.id] = place
    return out


def plans_for_place(kb: KnowledgeBase, text: str) -> list[PlaceMatch]:
    """The plans covering a place the text names (each plan once, its closest cover first).

    Args:
        kb: the knowledge base.
        text: what the user typed ("Hải Phòng", "tp hcm", "phường Đức Phổ").

    Returns:
        The matches, in plan order; empty when the text names no place a plan covers.
    """
    gaz = gazetteer()
    places = _plan_places(kb, gaz)
    rank = {"own": 0, "merged": 1, "contains": 2, "inside": 3}
    found: dict[str, PlaceMatch] = {}
    for _span, named in gaz.find(fold_search(text)):
        for place in named:
            for plan_id, own in places.items():
                how = covers(gaz, own, place)
                if how and (plan_id not in found or rank[how] < rank[found[plan_id].how]):
                    found[plan_id] = PlaceMatch(plan_id, place, own, how)
    return [found[p] for p in kb.plans if p in found]


def note(kb: KnowledgeBase, match: PlaceMatch) -> str:
    """One line when the plan was reached through a place of today (else "")."""
    plan = kb.plans[match.plan_id]
    label = plan_label(plan)
    gaz = gazetteer()
    if match.how == "merged" and match.place.level == "province":
        return P.MERGED_NOTE.format(asked=match.place.name, own=in_sentence(
            gaz.province_of(match.own).name), source=P.MERGER_SOURCE, plan=label)
    if match.how == "merged":
        return P.MERGED_COMMUNE_NOTE.format(asked=match.place.name, own=in_sentence(
            match.own.name), source=P.COMMUNE_SOURCE, plan=label)
    if match.how == "contains" and match.place.era == "new":
        return P.INSIDE_NOTE.format(asked=match.own.name, own=in_sentence(match.place.name),
                                  plan=label)
    return ""


def today_names(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    """Each plan's place names of today: the province it is in now (name and short name)."""
    return _today_names(tuple((p.id, p.locality, p.issuer, p.title, *p.locality_aliases)
                              for p in kb))


@lru_cache(maxsize=8)
def _today_names(plans: tuple[tuple[str, ...], ...]) -> dict[str, tuple[str, ...]]:
    gaz = gazetteer()
    out: dict[str, tuple[str, ...]] = {}
    for plan_id, locality, *hints in plans:
        place = plan_place(gaz, locality, " ".join(hints))
        successor = gaz.successor_province(place) if place else None
        if successor is None:
            continue
        short = successor.name.removeprefix("Thành phố ").removeprefix("Tỉnh ")
        out[plan_id] = (successor.name, short)
    return out
