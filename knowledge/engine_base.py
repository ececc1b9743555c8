"""What the engine's answer families share: the knowledge base, the index, the scope."""

from __future__ import annotations

from core.texts import answers as P
from knowledge.answers import Answer
from knowledge.base import KnowledgeBase
from knowledge.schema import Plan
from knowledge.search import Entry, Index
from knowledge.understanding import Reader, Reading
from knowledge.wording import plan_label, suggested_question


class EngineBase:
    """The state every family of answers reads (set by :class:`knowledge.engine.Engine`)."""

    kb: KnowledgeBase
    index: Index
    reader: Reader

    def _plans(self, r: Reading) -> list[Plan]:
        return [self.kb.plans[p] for p in r.plan_ids]

    def _scope(self, r: Reading) -> str:
        plans = self._plans(r)
        return plan_label(plans[0]) if len(plans) == 1 else P.PLANS_WORD

    def _suggestions(self, hits: list[tuple[float, Entry]]) -> list[str]:
        """Whole questions for "Có phải bạn muốn hỏi…", one per close task, at most three."""
        out: list[str] = []
        for _, entry in hits:
            plan = self.kb.plans[entry.plan_id]
            q = suggested_question(entry.task.text, plan.unit(entry.unit_id).name, plan.locality)
            if q not in out:
                out.append(q)
            if len(out) == 3:
                break
        return out

    def _unknown(self, r: Reading, suggestions: list[str] | None = None) -> Answer:
        """The answer when nothing fits: where it looked, and close questions if any."""
        text = P.NOT_FOUND.format(scope=self._scope(r))
        if suggestions:
            text += "\n" + "\n".join([P.DID_YOU_MEAN,
                                      *(P.BULLET.format(text=s) for s in suggestions)])
        return Answer(intent="unknown", plan_ids=[], text=text, suggestions=suggestions or [])
