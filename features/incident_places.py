"""The communes and wards of a plan's area, for the /suvu form's place step.

A district plan (Quận 3, thị xã Đức Phổ) knows its communes: those of today (since 1 July
2025) and those before, from the gazetteer of :mod:`knowledge.places`. The form offers them as
buttons when they are few enough, and a name typed loosely ("phuong 5", "vo thi sau") becomes
the commune's proper name ("Phường 5", "Phường Võ Thị Sáu"). A province plan has too many to
offer; its typed names are tidied only (:func:`features.incident_fields.normalise_place`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from features.incident_fields import normalise_place
from knowledge.base import KnowledgeBase
from knowledge.places import gazetteer, plan_place
from knowledge.textnorm import fold

MAX_BUTTONS = 24  # more communes than this: no buttons, the name is typed
_KINDS = ("phuong ", "xa ", "thi tran ", "dac khu ")


def _natural(name: str) -> tuple[str, int, str]:
    """Sort "Phường 2" before "Phường 10"."""
    m = re.match(r"^(.*?)(\d+)$", name)
    return (m.group(1), int(m.group(2)), "") if m else (name, 0, name)


@lru_cache(maxsize=32)
def _communes(locality: str, hints: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    gaz = gazetteer()
    place = plan_place(gaz, locality, hints)
    if place is None or place.level != "district":
        return (), ()
    old = sorted({p.name for p in gaz.places.values()
                  if p.level == "commune" and p.era == "old" and p.province == place.province
                  and p.district == place.district}, key=_natural)
    new = sorted({p.name for p in gaz.new_communes_of(place)}, key=_natural)
    return tuple(new), tuple(old)


def _of_plan(kb: KnowledgeBase, plan_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    plan = kb.get(plan_id)
    if plan is None:
        return (), ()
    return _communes(plan.locality, " ".join([plan.issuer, plan.title, *plan.locality_aliases]))


def communes(kb: KnowledgeBase, plan_id: str) -> tuple[str, ...]:
    """The communes offered as buttons for a plan (today's first, then before 2025).

    Empty when the plan's area is not one district, or has more than :data:`MAX_BUTTONS`.
    """
    new, old = _of_plan(kb, plan_id)
    every = (*new, *(n for n in old if n not in new))
    if len(every) <= MAX_BUTTONS:
        return every
    return new if len(new) <= MAX_BUTTONS else ()


def _bare(folded: str) -> str:
    for kind in _KINDS:
        if folded.startswith(kind):
            return folded.removeprefix(kind)
    return folded


def known_place(kb: KnowledgeBase, plan_id: str, typed: str) -> str:
    """The commune a typed name means in the plan's area, else the name tidied.

    "phuong 5" → "Phường 5", "vo thi sau" → "Phường Võ Thị Sáu" (Quận 3); "p.5" → "Phường 5".

    Raises:
        IncidentInvalid: ``empty`` or ``too_long``.
    """
    tidied = normalise_place(typed)
    new, old = _of_plan(kb, plan_id)
    folded = fold(tidied)
    for name in (*new, *old):
        if fold(name) == folded:
            return name
    bare = _bare(folded)
    matching = {n for n in (*new, *old) if _bare(fold(n)) == bare}
    return matching.pop() if len(matching) == 1 else tidied
