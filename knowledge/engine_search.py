"""Answers from the plans' text itself: the closest passages, or every plan that mentions it."""

from __future__ import annotations

import datetime as dt

from core.texts import answers as P
from knowledge import tuning as T
from knowledge.answers import Answer, Citation
from knowledge.engine_base import EngineBase
from knowledge.search import Entry
from knowledge.understanding import Reading
from knowledge.wording import plan_label, shorten


class SearchAnswers(EngineBase):
    """The search family of answers (the fallback of every question the others do not take)."""

    def _search(self, r: Reading, today: dt.date) -> Answer:
        """The two closest passages or tasks, or "not found" with close questions."""
        hits = self.index.search(r.query, plan_ids=r.plan_ids, limit=3)
        if not hits or hits[0][0] < T.THRESHOLD:
            task_hits = self.index.search(r.query, kinds={"task"}, plan_ids=r.plan_ids, limit=3)
            return self._unknown(r, self._suggestions(task_hits) if task_hits else None)
        if r.asks_plans and len(r.plan_ids) > 1:
            return self._plans_mentioning(r, hits[0][0])
        lines = [P.SEARCH_HEAD]
        citations: list[Citation] = []
        for _score, entry in hits[:2]:
            plan = self.kb.plans[entry.plan_id]
            section = entry.item.section
            lines.append(P.HIT_LINE.format(plan=plan_label(plan), section=section,
                                          text=shorten(entry.text, 350)))
            citations.append(Citation(plan_id=plan.id, section=section,
                                      line=entry.item.line))
        return Answer(intent="search", plan_ids=list(dict.fromkeys(c.plan_id for c in citations)),
                      citations=citations, text="\n".join(lines),
                      confidence=round(hits[0][0], 1))

    def _plans_mentioning(self, r: Reading, best: float) -> Answer:
        """Every plan with a passage or task close to the best ("Kế hoạch nào nhắc đến X?")."""
        hits = self.index.search(r.query, plan_ids=r.plan_ids, limit=60)
        floor = max(T.THRESHOLD, best * 0.7)
        per_plan: dict[str, tuple[float, Entry]] = {}
        for score, entry in hits:
            if score >= floor:
                per_plan.setdefault(entry.plan_id, (score, entry))
        lines = [P.PLANS_MENTIONING.format(n=len(per_plan))]
        citations: list[Citation] = []
        for plan_id, (_, entry) in list(per_plan.items())[:T.MAX_PLANS_LISTED]:
            plan = self.kb.plans[plan_id]
            section = entry.item.section
            lines.append(P.HIT_LINE.format(plan=plan_label(plan), section=section,
                                          text=shorten(entry.text, 200)))
            citations.append(Citation(plan_id=plan_id, section=section,
                                      line=entry.item.line))
        return Answer(intent="search", plan_ids=list(per_plan), citations=citations,
                      text="\n".join(lines), confidence=round(best, 1))
