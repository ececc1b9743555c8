"""Deadline answers: the asked deadline, the next ones, every one of a plan, each plan's."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from core.texts import answers as P, format as F
from knowledge import tuning as T
from knowledge.answers import Answer, Citation, DeadlineOut
from knowledge.deadlines import Occurrence, next_occurrences, to_out, upcoming
from knowledge.engine_base import EngineBase
from knowledge.schema import Deadline
from knowledge.textnorm import fold_search
from knowledge.understanding import Reading
from knowledge.wording import plan_label

_RECIPIENT_LEVEL = re.compile(r"(?:gui|nop|ve|len|bao cao) uy ban nhan dan "
                              r"(tinh|thanh pho|quan|huyen|thi xa|xa|phuong)(?!\w)")


def _soonest_first(occ: Occurrence, today: dt.date) -> tuple[int, int]:
    """Order of a list of deadlines.

    Upcoming ones by date, then passed ones, latest first, then the ones without a date.
    """
    if occ.date is None:
        return (2, 0)
    days = (occ.date - today).days
    return (0, days) if days >= 0 else (1, -days)


class DeadlineAnswers(EngineBase):
    """The ``deadline`` intent."""

    def _deadline_score(self, r: Reading, occ: Occurrence, unit_ids: set[tuple[str, str]],
                        text_scores: dict[int, float]) -> float:
        d = occ.deadline
        score = text_scores.get(id(d), 0.0) / T.DEADLINE_TEXT_DIVISOR
        if r.period:
            score += (T.DEADLINE_PERIOD_MATCH if d.period == r.period
                      else -T.DEADLINE_PERIOD_MATCH)
        if r.wants_plan_submission:
            score += T.DEADLINE_PLAN_SUBMISSION if d.kind == "plan" else 0
        elif d.kind == "report":
            score += T.DEADLINE_REPORT
        if unit_ids:
            mine = {u for p, u in unit_ids if p == occ.plan.id}
            if mine & set(d.submitters):
                score += T.DEADLINE_UNIT_SUBMITS + (
                    T.DEADLINE_FEW_SUBMITTERS if len(d.submitters) <= 2 else 0)
        # "gửi UBND thị xã": the deadline whose recipient is a People's Committee of that level
        for level in _RECIPIENT_LEVEL.findall(r.folded):
            if fold_search(d.recipient).startswith(f"uy ban nhan dan {level}"):
                score += T.DEADLINE_RECIPIENT_LEVEL
                break
        if occ.date is None:
            score -= T.DEADLINE_UNDATED
        score += min(len(d.submitters), 10) / 10  # the general report regime first
        return score

    def _deadline(self, r: Reading, today: dt.date) -> Answer:
        occs = list(next_occurrences(self.kb, today, r.plan_ids))
        if not occs:
            return Answer(intent="deadline", plan_ids=r.plan_ids,
                          text=P.NO_UPCOMING.format(scope=self._scope(r),
                                                    today=F.date(today)))
        # the units the question names best ("MTTQ huyện Bình Sơn": the huyện's, not the xã's)
        # a unit named after "qua" is whom the report goes through, not who submits it
        named = [m for m in r.units if m.span not in r.via_spans]
        top = named[0].score if named else 0
        unit_ids = {(m.plan.id, m.unit.id) for m in named
                    if m.score >= top - T.UNIT_MENTION_WINDOW}
        specific = bool(r.period or r.wants_plan_submission or unit_ids)
        ordered: list[Occurrence]
        if r.wants_next and not specific:
            ordered = upcoming(self.kb, today, r.plan_ids)
            if not ordered:
                dated = sorted((o for o in occs if o.date), key=lambda o: o.date or dt.date.min,
                               reverse=True)
                undated = [o for o in occs if not o.date]
                head = P.NO_UPCOMING.format(scope=self._scope(r), today=F.date(today))
                return self._deadline_answer(r, today, dated[:5] + undated[:2], head)
            return self._deadline_answer(
                r, today, ordered[:6], P.UPCOMING_HEAD.format(today=F.date(today))
            )
        if r.all_deadlines:
            return self._all_deadlines(r, today, occs, unit_ids)
        hits = self.index.search(r.query, kinds={"deadline"}, plan_ids=r.plan_ids, limit=50)
        text_scores = {id(e.item): s for s, e in hits}
        score = {id(o): self._deadline_score(r, o, unit_ids, text_scores) for o in occs}
        scored = sorted(
            occs, key=lambda o: (-score[id(o)], o.date is None, o.date or dt.date.max)
        )
        best = scored[0]
        if len(r.plan_ids) > 1 and (r.asks_plans or (
            r.period and not unit_ids and self._undecided(scored, score)
        )):
            # "which plans ask for a 6-month report?", "hạn báo cáo 6 tháng?" across plans:
            # each plan's occurrence of that kind
            return self._deadline_per_plan(r, today, scored)
        if r.wants_next:  # "next 6-month report": the soonest among the best-matching kind
            top = score[id(best)]
            # the same deadline of another plan, or the asked one's next date: not another
            # deadline of the same plan that happens to come sooner
            same = [o for o in scored
                    if score[id(o)] >= top - T.DEADLINE_NEXT_WINDOW and o.date and o.date >= today
                    and (o.plan.id != best.plan.id or o.deadline.id == best.deadline.id)]
            if same:
                best = min(same, key=lambda o: o.date or dt.date.max)
        rest = [o for o in scored if o is not best]
        # keep the answer short: the asked one, then same-plan deadlines of the same period
        # (an undated deadline is answered alone: "no date" must not sit beside others' dates)
        related = [o for o in rest if o.plan.id == best.plan.id and o.date
                   and o.deadline.period == best.deadline.period][:2] if best.date else []
        head = P.DEADLINE_HEAD.format(scope=self._scope(r) if len(r.plan_ids) == 1
                                      else plan_label(best.plan))
        if all(o.date is None for o in occs if o.plan.id == best.plan.id):
            head = P.NO_DATE_IN_PLAN.format(plan=plan_label(best.plan))
        return self._deadline_answer(r, today, [best, *related], head)

    @staticmethod
    def _undecided(scored: list[Occurrence], score: dict[int, float]) -> bool:
        """Whether the best deadlines of two plans or more score alike.

        The question does not say which plan: each plan's is given.
        """
        top = score[id(scored[0])]
        plans = {o.plan.id for o in scored if score[id(o)] >= top - T.DEADLINE_NEXT_WINDOW}
        return len(plans) > 1

    def _all_deadlines(self, r: Reading, today: dt.date, occs: list[Occurrence],
                       unit_ids: set[tuple[str, str]]) -> Answer:
        """Every deadline of the plans in scope, soonest first ("Các hạn báo cáo của Quận 3")."""
        chosen = [o for o in occs if not r.period or o.deadline.period == r.period] or occs
        mine = [o for o in chosen
                if {u for p, u in unit_ids if p == o.plan.id} & set(o.deadline.submitters)]
        chosen = sorted(mine or chosen, key=lambda o: _soonest_first(o, today))
        head = P.ALL_DEADLINES_HEAD.format(scope=self._scope(r), n=len(chosen))
        return self._deadline_answer(r, today, chosen, head)

    def _deadline_per_plan(self, r: Reading, today: dt.date,
                           scored: list[Occurrence]) -> Answer:
        """The best-matching deadline of each plan that has one of the asked kind."""
        per_plan: dict[str, Occurrence] = {}
        for occ in scored:  # best first
            if r.period and occ.deadline.period != r.period:
                continue
            per_plan.setdefault(occ.plan.id, occ)
        chosen = sorted(per_plan.values(), key=lambda o: _soonest_first(o, today))
        if not chosen:
            return self._deadline_answer(r, today, scored[:1], P.DEADLINE_HEAD.format(
                scope=self._scope(r)))
        head = P.PLANS_WITH_DEADLINE.format(n=len(chosen))
        return self._deadline_answer(r, today, chosen[:T.MAX_PLANS_LISTED * 2], head)

    def _deadline_answer(self, r: Reading, today: dt.date, occs: Iterable[Occurrence],
                         head: str) -> Answer:
        outs: list[DeadlineOut] = []
        lines = [head]
        citations: list[Citation] = []
        plan_ids: list[str] = []
        for occ in occs:
            out = to_out(occ, today)
            outs.append(out)
            lines.append(self._deadline_line(occ, out))
            d = occ.deadline
            cit = Citation(plan_id=occ.plan.id, section=d.section, line=d.line)
            if cit not in citations:
                citations.append(cit)
            if occ.plan.id not in plan_ids:
                plan_ids.append(occ.plan.id)
        return Answer(
            intent="deadline",
            plan_ids=plan_ids or r.plan_ids,
            units=[],
            deadlines=[o for o in outs if o.date] + [o for o in outs if not o.date],
            citations=citations,
            text="\n".join(lines),
            confidence=80.0,
        )

    @staticmethod
    def _deadline_line(occ: Occurrence, out: DeadlineOut) -> str:
        d: Deadline = occ.deadline
        who = ", ".join(out.submitters) if len(out.submitters) <= 3 else d.submitters_text
        via = P.VIA.format(via=d.via) if d.via else ""
        if occ.date is None:
            return P.DEADLINE_NO_DATE.format(title=F.title(d.title), who=who,
                                             recipient=d.recipient, via=via, rule=d.rule.text,
                                             plan=plan_label(occ.plan), section=d.section)
        if out.passed:
            tail = P.PASSED.format(date=F.date(occ.date))
        elif out.days_left == 0:
            tail = P.TODAY
        else:
            tail = P.DAYS_LEFT.format(n=out.days_left)
        return P.DEADLINE_LINE.format(date=F.date(occ.date), title=F.title(d.title), who=who,
                                      recipient=d.recipient, via=via, plan=plan_label(occ.plan),
                                      section=d.section, tail=tail)
