"""Answers to questions naming a successor unit: the predecessor's moved tasks, marked as such.

Kept apart from the engine: :func:`successor_tasks` takes the engine's answer and returns it
with the moved tasks appended (or, when the successor is a unit no plan names, in its place).
"""

from __future__ import annotations

from core.texts import answers as P
from knowledge import tuning as T
from knowledge.answers import Answer, Citation
from knowledge.base import KnowledgeBase
from knowledge.succession import Succession
from knowledge.textnorm import fold_search
from knowledge.understanding import Reading
from knowledge.wording import plan_label, shorten


def successor_tasks(succession: Succession, kb: KnowledgeBase, r: Reading,
                    found: Answer) -> Answer:
    """``found`` with the tasks that moved to a unit the question names.

    Args:
        succession: the successor data.
        kb: the knowledge base.
        r: the reading of the question.
        found: the engine's answer.

    Returns:
        ``found`` extended (a unit-tasks answer), replaced (an answer that did not know the
        unit), or unchanged (any other answer, or no successor named).
    """
    named = succession.named_successors(r.folded)
    if not named or found.intent not in {"unit_tasks", "unknown"}:
        return found
    if r.unknown_places and not r.place_named:  # "Sở Y tế Lâm Đồng": no plan of that place
        return found
    successor_names = {n for _, s in named for n in s.folded_names()}
    # the engine answered for the successor itself (a unit of the plan): extend; for another
    # unit it matched loosely ("Phòng Văn hóa – Thông tin"), or for none: replace
    replacing = not any(fold_search(u) in successor_names for u in found.units)
    if found.intent == "unknown" and not (r.unknown_agencies or r.units):
        return found
    plan_ids = (found.plan_ids if not replacing else []) or r.plan_ids
    blocks = succession.moved_tasks(kb, plan_ids, r.folded)
    if not blocks:
        return found
    lines: list[str] = []
    citations: list[Citation] = []
    for plan, unit, entry, successor, moved, kept in blocks[:T.MAX_PLANS_LISTED]:
        lines.append(P.MOVED_HEAD.format(plan=plan_label(plan), scope=entry.scope,
                                       predecessor=unit.name, section=unit.section,
                                       successor=successor.label, legal=entry.legal))
        lines += [P.BULLET.format(text=P.MOVED_MARK + shorten(t.text, T.TASK_CHARS))
                  for t in moved]
        if kept:
            lines.append(P.NOT_MOVED.format(predecessor=unit.name, n=kept,
                                          successor=successor.name))
        citations += [Citation(plan_id=plan.id, section=t.section, line=t.line) for t in moved]
    if replacing:
        return Answer(intent="unit_tasks", plan_ids=list(dict.fromkeys(b[0].id for b in blocks)),
                      units=list(dict.fromkeys(b[1].name for b in blocks)), citations=citations,
                      text="\n".join(lines), confidence=found.confidence or 60.0)
    found.text = "\n".join([found.text, *lines])
    found.citations = [*found.citations, *citations]
    found.plan_ids = list(dict.fromkeys([*found.plan_ids, *(b[0].id for b in blocks)]))
    return found
