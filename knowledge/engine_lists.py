"""List answers: an event's period, targets, funding, contacts, the plan's own information."""

from __future__ import annotations

import datetime as dt

from core.texts import answers as P, format as F
from knowledge import tuning as T
from knowledge.answers import Answer, Citation
from knowledge.engine_base import EngineBase
from knowledge.textnorm import fold_search
from knowledge.understanding import Reading
from knowledge.wording import plan_label, shorten, whole_month


class ListAnswers(EngineBase):
    """The ``targets``, ``funding``, ``contacts`` and ``plan_info`` intents, and events."""

    def _event(self, r: Reading) -> Answer | None:
        """An event named in the question (Tháng hành động ...): its period."""
        found = []
        for plan in self._plans(r):
            for ev in plan.events:
                core = " ".join(fold_search(ev.name).split()[:4])
                if core and core in r.folded:
                    found.append((plan, ev))
        if not found:
            return None
        lines = [
            P.EVENT.format(name=ev.name, start=F.date(ev.start), end=F.date(ev.end),
                           plan=plan_label(plan), section=ev.section,
                           month=P.EVENT_MONTH.format(month=F.month(ev.start))
                           if whole_month(ev.start, ev.end) else "")
            for plan, ev in found
        ]
        return Answer(
            intent="plan_info",
            plan_ids=list(dict.fromkeys(p.id for p, _ in found)),
            citations=[Citation(plan_id=p.id, section=e.section, line=e.line) for p, e in found],
            text="\n".join(lines),
            confidence=80.0,
        )

    def _targets(self, r: Reading, today: dt.date) -> Answer:
        lines: list[str] = []
        citations: list[Citation] = []
        specific = "cu the" in r.folded or "chi tieu" in r.folded
        # with a topic ("tỷ lệ trẻ em có hoàn cảnh đặc biệt"), the best-matching targets first,
        # and only the plans that have one
        score: dict[int, float] = {}
        plans = self._plans(r)
        if r.residual:
            hits = self.index.search(r.query, kinds={"target"}, plan_ids=r.plan_ids, limit=30)
            if hits and hits[0][0] >= T.THRESHOLD:
                score = {id(e.item): s for s, e in hits}
                best = hits[0][0]
                order = list(dict.fromkeys(e.plan_id for s, e in hits if s >= best * 0.6))
                plans = [self.kb.plans[p] for p in order]
        for plan in plans:
            items = [t for t in plan.objectives if not specific or t.kind == "specific"] or list(
                plan.objectives
            )
            items.sort(key=lambda t: -score.get(id(t), 0.0))
            if not items:
                lines.append(P.NO_TARGETS.format(plan=plan_label(plan)))
                continue
            lines.append(P.TARGETS_HEAD.format(plan=plan_label(plan)))
            for t in items[:6]:
                lines.append(P.TARGET_LINE.format(text=shorten(t.text, 300), section=t.section))
                citations.append(Citation(plan_id=plan.id, section=t.section, line=t.line))
        return Answer(intent="targets", plan_ids=[p.id for p in plans], citations=citations,
                      text="\n".join(lines), confidence=70.0)

    def _funding(self, r: Reading, today: dt.date) -> Answer:
        lines: list[str] = []
        citations: list[Citation] = []
        for plan in self._plans(r):
            if plan.funding:
                lines.append(P.FUNDING_HEAD.format(plan=plan_label(plan)))
                for f in plan.funding:
                    lines.append(P.BULLET.format(text=shorten(f.text, 300)))
                    citations.append(Citation(plan_id=plan.id, section=f.section, line=f.line))
                continue
            # no funding section: what the plan says of budgets elsewhere, if anything
            hits = self.index.search(P.FUNDING_WORDS, kinds={"passage", "task"},
                                     plan_ids=[plan.id], limit=2)
            hits = [(s, e) for s, e in hits if s >= T.THRESHOLD]
            lines.append(P.NO_FUNDING.format(plan=plan_label(plan)))
            for _, entry in hits:
                item = entry.item
                lines.append(P.FUNDING_ELSEWHERE.format(section=item.section,
                                                        text=shorten(item.text, 300)))
                citations.append(Citation(plan_id=plan.id, section=item.section,
                                          line=item.line))
        return Answer(intent="funding", plan_ids=r.plan_ids, citations=citations,
                      text="\n".join(lines), confidence=70.0)

    def _contacts(self, r: Reading, today: dt.date) -> Answer:
        lines: list[str] = []
        citations: list[Citation] = []
        for plan in self._plans(r):
            if not plan.contacts:
                if len(r.plan_ids) == 1:
                    lines.append(P.NO_CONTACTS.format(plan=plan_label(plan)))
                continue
            lines.append(P.CONTACTS_HEAD.format(plan=plan_label(plan)))
            for c in plan.contacts:
                lines.append(P.CONTACT_LINE.format(name=c.name, number=c.number or P.NO_NUMBER,
                                                   section=c.section, text=shorten(c.text, 220)))
                citations.append(Citation(plan_id=plan.id, section=c.section, line=c.line))
        if not lines:
            lines.append(P.NO_CONTACTS.format(plan=self._scope(r)))
        plan_ids = list(dict.fromkeys(c.plan_id for c in citations)) or r.plan_ids
        return Answer(intent="contacts", plan_ids=plan_ids,
                      citations=citations, text="\n".join(lines), confidence=70.0)

    def _plan_info(self, r: Reading, today: dt.date) -> Answer:
        plans = self._plans(r)
        if len(plans) > 1 and not r.place_named:
            hits = self.index.search(r.query, plan_ids=r.plan_ids, limit=1)
            plans = [self.kb.plans[hits[0][1].plan_id]] if hits else plans[:1]
        blocks: list[str] = []
        citations: list[Citation] = []
        for plan in plans:
            bases = [
                P.BULLET.format(text=b.title if b.number in b.title
                                else P.BASIS.format(number=b.number, title=b.title))
                for b in plan.legal_bases[:8]
            ] or [P.NO_BASES]
            block = P.PLAN_INFO.format(
                title=P.PLAN_TITLE.format(plan=plan_label(plan), title=plan.title),
                issuer=plan.issuer,
                number=P.PLAN_NUMBER.format(number=plan.document_number)
                if plan.document_number else "",
                date=P.PLAN_DATE.format(date=F.date(plan.date_issued)) if plan.date_issued
                else (P.PLAN_DATE_TEXT.format(date=plan.date_text) if plan.date_text else ""),
                signer=P.PLAN_SIGNER.format(signer=plan.signer) + (
                    P.PLAN_SIGNER_TITLE.format(title=plan.signer_title)
                    if plan.signer_title else "")
                if plan.signer else "",
                bases="\n".join(shorten(b, 220) for b in bases),
            )
            if plan.scope:
                block += "\n" + P.SCOPE.format(scope=shorten(plan.scope, 300))
            blocks.append(block)
            for b in plan.legal_bases[:8]:
                citations.append(Citation(plan_id=plan.id, section=b.section or P.PREAMBLE,
                                          line=b.line))
        return Answer(intent="plan_info", plan_ids=[p.id for p in plans], citations=citations,
                      text="\n\n".join(blocks), confidence=70.0)
