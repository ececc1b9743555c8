"""What the engine's answer families share: the knowledge base, the index, the scope."""

from __future__ import annotations

from core.texts import answers as P
from knowledge.base import KnowledgeBase
from knowledge.schema import Plan
from knowledge.search import Index
from knowledge.understanding import Reader, Reading
from knowledge.wording import plan_label


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
