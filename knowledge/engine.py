"""The answering engine: question → :class:`~knowledge.answers.Answer` (the contract object).

One :class:`Engine` per knowledge base holds the search index and the question reader; the
module-level :func:`answer` keeps one engine per knowledge base for callers that only have
the knowledge base.
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from knowledge import phrases as P
from knowledge.answers import Answer, Citation, DeadlineOut
from knowledge.base import KnowledgeBase
from knowledge.deadlines import Occurrence, next_occurrences, to_out, upcoming
from knowledge.lexicon import QueryReader, default_lexicon
from knowledge.places import COMMUNE_SOURCE, MERGER_SOURCE
from knowledge.schema import Deadline, Plan, Task, Unit
from knowledge.search import Entry, Index
from knowledge.textnorm import clean, fold_search
from knowledge.understanding import MAX_QUESTION_CHARS, Reader, Reading, read

# A task must score at least this (0–100) to be given as an answer at all; below CONFIDENT the
# answer comes with "Có phải bạn muốn hỏi…" suggestions.
THRESHOLD = 30.0
CONFIDENT = 50.0
# Intents whose topic words must be found in the plans (else: out of scope).
_TOPICAL = {"deadline"}
# Other plans' answers are listed when they score this close to the best one.
CROSS_PLAN_RATIO = 0.8
TASK_CHARS = 500
# A cross-plan answer details at most this many plans (the rest are counted).
MAX_PLANS_LISTED = 5


def _short(text: str, limit: int = TASK_CHARS) -> str:
    text = clean(text)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


_RECIPIENT_LEVEL = re.compile(r"(?:gui|nop|ve|len|bao cao) uy ban nhan dan "
                              r"(tinh|thanh pho|quan|huyen|thi xa|xa|phuong)(?!\w)")
_KIND_WORDS = ("Tỉnh ", "Thành phố ", "Huyện ", "Thị xã ", "Xã ", "Phường ", "Thị trấn ",
               "Đặc khu ", "Quận ")


def _in_sentence(name: str) -> str:
    """A place's name inside a sentence: "tỉnh Nghệ An", "phường Xuân Hòa", but "Quận 3"."""
    for kind in _KIND_WORDS:
        if name.startswith(kind) and not name[len(kind):].split()[0].isdigit():
            return name[0].lower() + name[1:]
    return name


def _whole_month(start: dt.date, end: dt.date) -> bool:
    """Whether [start, end] is one whole calendar month."""
    nxt = (end + dt.timedelta(days=1))
    return start.day == 1 and nxt.day == 1 and (start.year, start.month) == (end.year, end.month)


def _soonest_first(occ: Occurrence, today: dt.date) -> tuple[int, int]:
    """Order of a list of deadlines: upcoming ones by date, then passed ones, latest first,
    then the ones without a date."""
    if occ.date is None:
        return (2, 0)
    days = (occ.date - today).days
    return (0, days) if days >= 0 else (1, -days)


def plan_label(plan: Plan) -> str:
    """How answers name a plan: "Kế hoạch <locality> <year>"."""
    return f"Kế hoạch {plan.locality} {plan.year}"


class Engine:
    """Answers questions from one knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.reader = Reader(kb)
        self.index = Index()
        for plan in kb:
            for unit in plan.units:
                for task in unit.tasks:
                    self.index.add(Entry("task", plan.id, (unit.id, task), task.text))
            for d in plan.deadlines:
                self.index.add(Entry("deadline", plan.id, d, f"{d.title}. {d.text}"))
            for group, kind in ((plan.passages, "passage"), (plan.objectives, "target")):
                for item in group:
                    heading = getattr(item, "heading", "")
                    self.index.add(Entry(kind, plan.id, item, f"{heading} {item.text}"))
        self.index.freeze()
        from knowledge.understanding import CUE_WORDS

        self.query_reader = QueryReader(
            default_lexicon(), words=[*self.index.vocabulary, *CUE_WORDS],
            pairs=[t for t in self.index.postings if "_" in t],
        )

    # -- entry point ------------------------------------------------------------------------

    def answer(self, question: str, *, today: dt.date, plan_id: str | None = None) -> Answer:
        """Answer ``question`` as of ``today``, narrowed to ``plan_id`` if given.

        Args:
            question: the user's text, any Unicode form, with or without diacritics.
            today: the date "next" and "days left" are computed from.
            plan_id: the plan the chat selected, if any.

        Returns:
            The contract's answer object; ``text`` is never empty.
        """
        text = clean(question or "")
        if not fold_search(text):
            return Answer(intent="unknown", text=P.EMPTY)
        if len(text) > MAX_QUESTION_CHARS:
            return Answer(
                intent="unknown", text=P.TOO_LONG.format(n=len(text), limit=MAX_QUESTION_CHARS)
            )
        r = read(self.reader, text, plan_id=plan_id, folded=self.query_reader.normalise(text))
        found = self._route(r, today)
        notes = self._place_notes(r, found)
        if notes:
            found.text = "\n".join([*notes, found.text])
        return found

    def _route(self, r: Reading, today: dt.date) -> Answer:
        """The answer for a question read in scope (before place notes)."""
        if r.greeting or (r.off_topic and (r.off_plans or not (r.units or r.place_named))) or (
            not r.in_domain and not (r.has_cue and self._strong_match(r))
        ):
            return Answer(intent="unknown", text=P.OUT_OF_SCOPE)
        if r.unknown_places and not r.place_named:
            return self._unknown_place(r)
        if r.unknown_agencies and not r.units:
            return self._unknown_agency(r)
        if r.intent in _TOPICAL and len(r.residual.split()) > 1 and not self._residual_matches(r):
            return Answer(intent="unknown", text=P.OUT_OF_SCOPE)
        event = None if r.asks_who else self._event(r)
        if event is not None:
            return event
        if r.doc_plans and r.asks_plans and r.intent in {"search", "responsible", "plan_info"}:
            return self._plan_info(r, today)  # "kế hoạch nào thực hiện Chỉ thị 23?"
        handler = {
            "deadline": self._deadline,
            "unit_tasks": self._unit_tasks,
            "contacts": self._contacts,
            "targets": self._targets,
            "funding": self._funding,
            "plan_info": self._plan_info,
            "responsible": self._responsible,
            "search": self._search,
        }[r.intent]
        return handler(r, today)

    # -- places and agencies outside the plans ------------------------------------------------

    def _unknown_place(self, r: Reading) -> Answer:
        names = ", ".join(dict.fromkeys(_in_sentence(p.name) for p in r.unknown_places))
        plans = "; ".join(plan_label(p) for p in self.kb)
        return Answer(intent="unknown", text=P.UNKNOWN_PLACE.format(place=names, plans=plans))

    def _unknown_agency(self, r: Reading) -> Answer:
        lines = [P.UNKNOWN_AGENCY.format(scope=self._scope(r)[0].upper() + self._scope(r)[1:],
                                         unit=r.unknown_agencies[0])]
        names = list(dict.fromkeys(u.name for _, u in self.kb.units(r.plan_ids)))
        near = process.extract(fold_search(r.unknown_agencies[0]), [fold_search(n) for n in names],
                               scorer=fuzz.token_set_ratio, processor=None, limit=3)
        if near:
            lines.append(P.NEAREST_UNITS.format(units=", ".join(names[i] for _, _, i in near)))
        return Answer(intent="unknown", text="\n".join(lines))

    def _place_notes(self, r: Reading, found: Answer) -> list[str]:
        """One line for each place the answer reaches through another one (merged, inside)."""
        gaz = self.reader.gaz
        notes = []
        for c in r.coverage:
            if c.how == "own" or (found.plan_ids and c.plan_id not in found.plan_ids):
                continue
            own = self.reader.plan_places[c.plan_id]
            plan = plan_label(self.kb.plans[c.plan_id])
            asked = c.place.name
            if c.how == "merged":
                phrase = (P.PLACE_MERGED_PROVINCE if c.place.level == "province"
                          else P.PLACE_MERGED_COMMUNE)
                source = MERGER_SOURCE if c.place.level == "province" else COMMUNE_SOURCE
                if c.place.level == "province":
                    own = gaz.province_of(own)
                notes.append(phrase.format(asked=asked, own=_in_sentence(own.name), plan=plan,
                                           source=source))
            elif c.how == "inside":
                notes.append(P.PLACE_INSIDE.format(asked=asked, own=_in_sentence(own.name),
                                                   plan=plan))
            else:
                notes.append(P.PLACE_CONTAINS.format(asked=_in_sentence(asked), own=own.name,
                                                     plan=plan))
        return notes

    # -- helpers ----------------------------------------------------------------------------

    def _strong_match(self, r: Reading) -> bool:
        """A question with no domain word still counts when it matches a task closely."""
        hits = self.index.search(r.query, kinds={"task"}, plan_ids=r.plan_ids, limit=1)
        return bool(hits) and hits[0][0] >= CONFIDENT

    def _residual_matches(self, r: Reading) -> bool:
        """Whether the topic words of a deadline/contacts/... question are about the plans."""
        hits = self.index.search(r.residual, plan_ids=r.plan_ids, limit=1)
        return bool(hits) and hits[0][0] >= THRESHOLD

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
            P.EVENT.format(name=ev.name, start=f"{ev.start:%d/%m/%Y}", end=f"{ev.end:%d/%m/%Y}",
                           plan=plan_label(plan), section=ev.section,
                           month=P.EVENT_MONTH.format(month=f"{ev.start:%m/%Y}".lstrip("0"))
                           if _whole_month(ev.start, ev.end) else "")
            for plan, ev in found
        ]
        return Answer(
            intent="plan_info",
            plan_ids=list(dict.fromkeys(p.id for p, _ in found)),
            citations=[Citation(plan_id=p.id, section=e.section, line=e.line) for p, e in found],
            text="\n".join(lines),
            confidence=80.0,
        )

    def _plans(self, r: Reading) -> list[Plan]:
        return [self.kb.plans[p] for p in r.plan_ids]

    def _scope(self, r: Reading) -> str:
        plans = self._plans(r)
        return plan_label(plans[0]) if len(plans) == 1 else P.PLANS_WORD

    def _suggestions(self, hits: list[tuple[float, Entry]]) -> list[str]:
        out: list[str] = []
        for _, entry in hits:
            unit_id, task = entry.key  # type: ignore[misc]
            words = clean(task.text).split()
            head = " ".join(words[:10]).rstrip(",;:.")
            plan = self.kb.plans[entry.plan_id]
            q = f"Ai {head[0].lower() + head[1:]}… ({plan.locality})?"
            if q not in out:
                out.append(q)
            if len(out) == 3:
                break
        return out

    def _unknown(self, r: Reading, suggestions: list[str] | None = None) -> Answer:
        text = P.NOT_FOUND.format(scope=self._scope(r))
        if suggestions:
            text += "\n" + P.DID_YOU_MEAN + "\n" + "\n".join(f"• {s}" for s in suggestions)
        return Answer(intent="unknown", plan_ids=[], text=text, suggestions=suggestions or [])

    # -- responsible ------------------------------------------------------------------------

    def _task_units(self, plan: Plan, unit: Unit, task: Task) -> list[str]:
        ids = list(task.lead) or [unit.id]
        if unit.id not in ids:
            ids.append(unit.id)
        ids += [u for u in task.cooperating if u not in ids]
        return [plan.unit(u).name for u in ids]

    def _responsible(self, r: Reading, today: dt.date) -> Answer:
        hits = self.index.search(r.query, kinds={"task"}, plan_ids=r.plan_ids, limit=12)
        if not hits or hits[0][0] < THRESHOLD:
            if r.units:
                return self._unit_tasks(r, today)
            return self._search(r, today)
        best = hits[0][0]
        chosen: list[tuple[float, Entry]] = []
        plans_seen: set[str] = set()
        for score, entry in hits:
            if entry.plan_id in plans_seen:
                continue
            if chosen and score < best * CROSS_PLAN_RATIO:
                break
            chosen.append((score, entry))
            plans_seen.add(entry.plan_id)
        units: list[str] = []
        lines: list[str] = []
        citations: list[Citation] = []
        for _, entry in chosen:
            plan = self.kb.plans[entry.plan_id]
            unit_id, task = entry.key  # type: ignore[misc]
            unit = plan.unit(unit_id)
            names = self._task_units(plan, unit, task)
            units += [n for n in names if n not in units]
            line = P.RESPONSIBLE.format(
                plan=plan_label(plan), unit=names[0], section=f"mục {task.section}",
                task=_short(task.text),
            )
            if len(names) > 1:
                line += " " + P.COOPERATING.format(units=", ".join(names[1:]))
            lines.append(line)
            citations.append(Citation(plan_id=plan.id, section=task.section, line=task.line))
        # other units of the best plan with a close task
        first_plan = chosen[0][1].plan_id
        others = []
        for score, entry in hits[1:]:
            if entry.plan_id != first_plan or score < best * 0.9:
                continue
            name = self.kb.plans[first_plan].unit(entry.key[0]).name  # type: ignore[index]
            if name not in units and name not in others:
                others.append(name)
        if others:
            lines.append(P.ALSO.format(units=", ".join(others[:3])))
        suggestions: list[str] = []
        if best < CONFIDENT:
            suggestions = self._suggestions(hits[1:4])
            lines.insert(0, P.UNSURE)
            if suggestions:
                lines.append(P.DID_YOU_MEAN + "\n" + "\n".join(f"• {s}" for s in suggestions))
        return Answer(
            intent="responsible",
            plan_ids=[e.plan_id for _, e in chosen],
            units=units,
            citations=citations,
            text="\n".join(lines),
            suggestions=suggestions,
            confidence=round(min(best, 100.0), 1),
        )

    # -- unit tasks -------------------------------------------------------------------------

    def _unit_tasks(self, r: Reading, today: dt.date) -> Answer:
        if not r.units:  # reached from _responsible only with units; kept total
            return self._search(r, today)
        top = r.units[0].score
        floor = 0 if r.asks_plans else top - 15  # "which plans …": every plan's match counts
        mentions = [m for m in r.units if m.score >= floor]
        # one unit per plan: the best-matching one
        per_plan: dict[str, tuple[Plan, Unit]] = {}
        for m in mentions:
            per_plan.setdefault(m.plan.id, (m.plan, m.unit))
        lines: list[str] = []
        citations: list[Citation] = []
        many = len(per_plan) > 1
        if many:
            lines.append(P.UNIT_IN_PLANS.format(n=len(per_plan), name=mentions[0].unit.name))
        shown = list(per_plan.values())[:MAX_PLANS_LISTED]
        units = [unit.name for _, unit in per_plan.values()]  # one per plan, as plan_ids
        for plan, unit in shown:
            lines.append(P.UNIT_TASKS_HEAD.format(plan=plan_label(plan), unit=unit.name,
                                                  section=unit.section))
            limit = 160 if many else TASK_CHARS
            for task in unit.tasks[: 3 if many else None]:
                lines.append(f"• {_short(task.text, limit)}")
            if many and len(unit.tasks) > 3:
                lines.append(f"  (và {len(unit.tasks) - 3} nhiệm vụ khác)")
            citations.append(Citation(plan_id=plan.id, section=unit.section, line=unit.line))
        if len(per_plan) > len(shown):
            lines.append(P.MORE_PLANS.format(n=len(per_plan) - len(shown)))
        return Answer(
            intent="unit_tasks",
            plan_ids=list(per_plan),
            units=units,
            citations=citations,
            text="\n".join(lines),
            confidence=min(100.0, top),
        )

    # -- deadlines --------------------------------------------------------------------------

    def _deadline_score(self, r: Reading, occ: Occurrence, unit_ids: set[tuple[str, str]],
                        text_scores: dict[int, float]) -> float:
        d = occ.deadline
        score = text_scores.get(id(d), 0.0) / 10
        if r.period:
            score += 40 if d.period == r.period else -40
        if r.wants_plan_submission:
            score += 30 if d.kind == "plan" else 0
        elif d.kind == "report":
            score += 15
        if unit_ids:
            mine = {u for p, u in unit_ids if p == occ.plan.id}
            if mine & set(d.submitters):
                score += 25 + (10 if len(d.submitters) <= 2 else 0)
        # "gửi UBND thị xã": the deadline whose recipient is a People's Committee of that level
        for level in _RECIPIENT_LEVEL.findall(r.folded):
            if fold_search(d.recipient).startswith(f"uy ban nhan dan {level}"):
                score += 20
                break
        if occ.date is None:
            score -= 5
        score += min(len(d.submitters), 10) / 10  # the general report regime first
        return score

    def _deadline(self, r: Reading, today: dt.date) -> Answer:
        occs = list(next_occurrences(self.kb, today, r.plan_ids))
        if not occs:
            return Answer(intent="deadline", plan_ids=r.plan_ids,
                          text=P.NO_UPCOMING.format(scope=self._scope(r),
                                                    today=f"{today:%d/%m/%Y}"))
        # the units the question names best ("MTTQ huyện Bình Sơn": the huyện's, not the xã's)
        # a unit named after "qua" is whom the report goes through, not who submits it
        named = [m for m in r.units if m.span not in r.via_spans]
        top = named[0].score if named else 0
        unit_ids = {(m.plan.id, m.unit.id) for m in named if m.score >= top - 15}
        specific = bool(r.period or r.wants_plan_submission or unit_ids)
        ordered: list[Occurrence]
        if r.wants_next and not specific:
            ordered = upcoming(self.kb, today, r.plan_ids)
            if not ordered:
                dated = sorted((o for o in occs if o.date), key=lambda o: o.date, reverse=True)
                undated = [o for o in occs if not o.date]
                head = P.NO_UPCOMING.format(scope=self._scope(r), today=f"{today:%d/%m/%Y}")
                return self._deadline_answer(r, today, dated[:5] + undated[:2], head)
            return self._deadline_answer(
                r, today, ordered[:6], P.UPCOMING_HEAD.format(today=f"{today:%d/%m/%Y}")
            )
        if r.all_deadlines:
            return self._all_deadlines(r, today, occs, unit_ids)
        hits = self.index.search(r.query, kinds={"deadline"}, plan_ids=r.plan_ids, limit=50)
        text_scores = {id(e.key): s for s, e in hits}
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
                    if score[id(o)] >= top - 5 and o.date and o.date >= today
                    and (o.plan.id != best.plan.id or o.deadline.id == best.deadline.id)]
            if same:
                best = min(same, key=lambda o: o.date)  # type: ignore[arg-type,return-value]
        rest = [o for o in scored if o is not best]
        # keep the answer short: the asked one, then same-plan deadlines of the same period
        related = [o for o in rest if o.plan.id == best.plan.id and o.date
                   and o.deadline.period == best.deadline.period][:2]
        head = P.DEADLINE_HEAD.format(scope=self._scope(r) if len(r.plan_ids) == 1
                                      else plan_label(best.plan))
        if all(o.date is None for o in occs if o.plan.id == best.plan.id):
            head = P.NO_DATE_IN_PLAN.format(plan=plan_label(best.plan))
        return self._deadline_answer(r, today, [best, *related], head)

    @staticmethod
    def _undecided(scored: list[Occurrence], score: dict[int, float]) -> bool:
        """Whether the best deadlines of two plans or more score alike (the question does not
        say which plan: each plan's is given)."""
        top = score[id(scored[0])]
        plans = {o.plan.id for o in scored if score[id(o)] >= top - 5}
        return len(plans) > 1

    def _all_deadlines(self, r: Reading, today: dt.date, occs: list[Occurrence],
                       unit_ids: set[tuple[str, str]]) -> Answer:
        """ "Các hạn báo cáo của Quận 3": every deadline of the plans in scope, soonest first."""
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
        return self._deadline_answer(r, today, chosen[:MAX_PLANS_LISTED * 2], head)

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
        via = f" (qua {d.via})" if d.via else ""
        if occ.date is None:
            return P.DEADLINE_NO_DATE.format(title=d.title, who=who, recipient=d.recipient,
                                             via=via, rule=d.rule.text, plan=plan_label(occ.plan),
                                             section=d.section)
        if out.passed:
            tail = P.PASSED.format(date=f"{occ.date:%d/%m/%Y}")
        elif out.days_left == 0:
            tail = P.TODAY
        else:
            tail = P.DAYS_LEFT.format(n=out.days_left)
        return P.DEADLINE_LINE.format(date=f"{occ.date:%d/%m/%Y}", title=d.title, who=who,
                                      recipient=d.recipient, via=via, plan=plan_label(occ.plan),
                                      section=d.section, tail=tail)

    # -- lists: targets, funding, contacts ----------------------------------------------------

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
            if hits and hits[0][0] >= THRESHOLD:
                score = {id(e.key): s for s, e in hits}
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
                lines.append(f"• {_short(t.text, 300)} (mục {t.section})")
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
                    lines.append(f"• {_short(f.text, 300)}")
                    citations.append(Citation(plan_id=plan.id, section=f.section, line=f.line))
                continue
            # no funding section: what the plan says of budgets elsewhere, if anything
            hits = self.index.search(P.FUNDING_WORDS, kinds={"passage", "task"},
                                     plan_ids=[plan.id], limit=2)
            hits = [(s, e) for s, e in hits if s >= THRESHOLD]
            lines.append(P.NO_FUNDING.format(plan=plan_label(plan)))
            for _, entry in hits:
                item = entry.key[1] if entry.kind == "task" else entry.key  # type: ignore[index]
                lines.append(P.FUNDING_ELSEWHERE.format(section=item.section,  # type: ignore[union-attr]
                                                        text=_short(item.text, 300)))  # type: ignore[union-attr]
                citations.append(Citation(plan_id=plan.id, section=item.section,  # type: ignore[union-attr]
                                          line=item.line))  # type: ignore[union-attr]
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
                lines.append(f"• {c.name}: {c.number or P.NO_NUMBER} (mục {c.section}) — "
                             f"{_short(c.text, 220)}")
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
                f"• {b.title if b.number in b.title else b.number + ' — ' + b.title}"
                for b in plan.legal_bases[:8]
            ] or [P.NO_BASES]
            block = P.PLAN_INFO.format(
                title=f"{plan_label(plan)}: {plan.title}",
                issuer=plan.issuer,
                number=f"\nSố: {plan.document_number}" if plan.document_number else "",
                date=f"\nNgày ban hành: {plan.date_issued:%d/%m/%Y}" if plan.date_issued
                else (f"\nNgày: {plan.date_text}" if plan.date_text else ""),
                signer=f"\nNgười ký: {plan.signer}" + (f" ({plan.signer_title})"
                                                       if plan.signer_title else "")
                if plan.signer else "",
                bases="\n".join(_short(b, 220) for b in bases),
            )
            if plan.scope:
                block += "\n" + P.SCOPE.format(scope=_short(plan.scope, 300))
            blocks.append(block)
            for b in plan.legal_bases[:8]:
                citations.append(Citation(plan_id=plan.id, section=b.section or "mở đầu",
                                          line=b.line))
        return Answer(intent="plan_info", plan_ids=[p.id for p in plans], citations=citations,
                      text="\n\n".join(blocks), confidence=70.0)

    # -- search -----------------------------------------------------------------------------

    def _search(self, r: Reading, today: dt.date) -> Answer:
        hits = self.index.search(r.query, plan_ids=r.plan_ids, limit=3)
        if not hits or hits[0][0] < THRESHOLD:
            task_hits = self.index.search(r.query, kinds={"task"}, plan_ids=r.plan_ids, limit=3)
            return self._unknown(r, self._suggestions(task_hits) if task_hits else None)
        if r.asks_plans and len(r.plan_ids) > 1:
            return self._plans_mentioning(r, hits[0][0])
        lines = [P.SEARCH_HEAD]
        citations: list[Citation] = []
        for _score, entry in hits[:2]:
            plan = self.kb.plans[entry.plan_id]
            item = entry.key[1] if entry.kind == "task" else entry.key  # type: ignore[index]
            section = item.section  # type: ignore[union-attr]
            lines.append(f"• {plan_label(plan)}, mục {section}: {_short(entry.text, 350)}")
            citations.append(Citation(plan_id=plan.id, section=section,
                                      line=item.line))  # type: ignore[union-attr]
        return Answer(intent="search", plan_ids=list(dict.fromkeys(c.plan_id for c in citations)),
                      citations=citations, text="\n".join(lines),
                      confidence=round(hits[0][0], 1))


    def _plans_mentioning(self, r: Reading, best: float) -> Answer:
        """ "Kế hoạch nào nhắc đến X?": every plan with a passage or task close to the best."""
        hits = self.index.search(r.query, plan_ids=r.plan_ids, limit=60)
        floor = max(THRESHOLD, best * 0.7)
        per_plan: dict[str, tuple[float, Entry]] = {}
        for score, entry in hits:
            if score >= floor:
                per_plan.setdefault(entry.plan_id, (score, entry))
        lines = [P.PLANS_MENTIONING.format(n=len(per_plan))]
        citations: list[Citation] = []
        for plan_id, (_, entry) in list(per_plan.items())[:MAX_PLANS_LISTED]:
            plan = self.kb.plans[plan_id]
            item = entry.key[1] if entry.kind == "task" else entry.key  # type: ignore[index]
            section = item.section  # type: ignore[union-attr]
            lines.append(f"• {plan_label(plan)}, mục {section}: {_short(entry.text, 200)}")
            citations.append(Citation(plan_id=plan_id, section=section,
                                      line=item.line))  # type: ignore[union-attr]
        return Answer(intent="search", plan_ids=list(per_plan), citations=citations,
                      text="\n".join(lines), confidence=round(best, 1))


_ENGINES: weakref.WeakKeyDictionary[KnowledgeBase, Engine] = weakref.WeakKeyDictionary()


def engine_for(kb: KnowledgeBase) -> Engine:
    """The engine of ``kb`` (built once, kept while ``kb`` lives)."""
    eng = _ENGINES.get(kb)
    if eng is None:
        eng = _ENGINES[kb] = Engine(kb)
    return eng


def answer(
    kb: KnowledgeBase, question: str, *, today: dt.date, plan_id: str | None = None
) -> Answer:
    """Answer ``question`` from ``kb`` as of ``today``, narrowed to ``plan_id`` if given.

    Args:
        kb: the knowledge base.
        question: the user's text, any Unicode form, with or without diacritics.
        today: the date "next" and "days left" are computed from (Asia/Ho_Chi_Minh).
        plan_id: the plan the chat selected, if any.

    Returns:
        The contract's answer object.
    """
    return engine_for(kb).answer(question, today=today, plan_id=plan_id)
