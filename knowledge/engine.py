"""The answering engine: question → :class:`~knowledge.answers.Answer` (the contract object).

One :class:`Engine` per knowledge base holds the search index and the question reader; the
answer families live in :mod:`knowledge.engine_deadlines` and :mod:`knowledge.engine_lists`,
every threshold in :mod:`knowledge.tuning`, every sentence in :mod:`core.texts.answers`. The
module-level :func:`answer` keeps one engine per knowledge base for callers that only have the
knowledge base (the bot builds its engine once, in ``build_application``).
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Sequence

from core.clock import VN_TZ
from core.texts import answers as P, format as F
from knowledge import followup, tuning as T
from knowledge.answers import Answer, Citation
from knowledge.base import KnowledgeBase
from knowledge.cues import CUE_WORDS
from knowledge.deadlines import Occurrence, next_date
from knowledge.engine_deadlines import DeadlineAnswers
from knowledge.engine_lists import ListAnswers
from knowledge.engine_places import PlaceAnswers
from knowledge.engine_search import SearchAnswers
from knowledge.followup import Context
from knowledge.lexicon import QueryReader, default_lexicon
from knowledge.schema import Plan, Task, Unit
from knowledge.search import Entry, Index
from knowledge.succession import Succession, bundled_unit_names, load_succession
from knowledge.succession_answers import successor_tasks
from knowledge.textnorm import clean, fold_search
from knowledge.understanding import MAX_QUESTION_CHARS, Reader, Reading, read
from knowledge.wording import plan_label, shorten


class Engine(DeadlineAnswers, ListAnswers, PlaceAnswers, SearchAnswers):
    """Answers questions from one knowledge base."""

    def __init__(self, kb: KnowledgeBase, succession: Succession | None = None) -> None:
        """Build the index and the reader of ``kb`` (the bundled succession by default)."""
        self.kb = kb
        self.reader = Reader(kb)
        self.succession = succession or load_succession(
            [*bundled_unit_names(), *(u.name for _, u in kb.units())],
            today=dt.datetime.now(VN_TZ).date())
        self.index = Index()
        for plan in kb:
            for unit in plan.units:
                for task in unit.tasks:
                    self.index.add(Entry("task", plan.id, task, task.text, unit.id))
            for d in plan.deadlines:
                self.index.add(Entry("deadline", plan.id, d, f"{d.title}. {d.text}"))
            for passage in plan.passages:
                self.index.add(Entry("passage", plan.id, passage,
                                     f"{passage.heading} {passage.text}"))
            for target in plan.objectives:
                self.index.add(Entry("target", plan.id, target, target.text))
        self.index.freeze()
        names = [n for plan in kb for n in (plan.locality, *plan.locality_aliases, plan.issuer)]
        names += [n for _, u in kb.units() for n in (u.name, *u.aliases, *u.members)]
        self.query_reader = QueryReader(
            default_lexicon(),
            words=[*self.index.vocabulary, *CUE_WORDS,
                   *(w for n in names for w in fold_search(n).split())],
            pairs=[t for t in self.index.postings if "_" in t],
        )

    # -- entry point ------------------------------------------------------------------------

    def answer(self, question: str, *, today: dt.date,
               plan_id: str | Sequence[str] | None = None,
               context: Context | None = None) -> Answer:
        """Answer ``question`` as of ``today``, narrowed to ``plan_id`` if given.

        Args:
            question: the user's text, any Unicode form, with or without diacritics.
            today: the date "next" and "days left" are computed from.
            plan_id: the plan the chat selected, or the plans of the asker (several: the
                answer covers them), if any.
            context: the previous question (and answer) of the same chat and user, for
                follow-ups ("còn phòng y tế thì sao?", "cái thứ 2").

        Returns:
            The contract's answer object; ``text`` is never empty.
        """
        text = clean(question or "")
        if not fold_search(text):
            return Answer(intent="unknown", text=P.EMPTY)
        if len(text) > MAX_QUESTION_CHARS:
            return Answer(
                intent="unknown", text=P.TOO_LONG.format(n=F.number(len(text)),
                                                       limit=F.number(MAX_QUESTION_CHARS))
            )
        r = self._read(text, plan_id)
        if context is not None and (follow := followup.classify(r)) is not None:
            resolved = self._follow_up(follow, r, context, today, plan_id)
            if resolved is not None:
                return resolved
        return self._answer_read(r, today)

    def _read(self, text: str, plan_id: str | Sequence[str] | None) -> Reading:
        return read(self.reader, text, plan_id=plan_id, folded=self.query_reader.normalise(text))

    def _answer_read(self, r: Reading, today: dt.date) -> Answer:
        found = self._route(r, today)
        found = successor_tasks(self.succession, self.kb, r, found)
        notes = self._place_notes(r, found) if found.intent != "unknown" else []
        if notes:
            found.text = "\n".join([*notes, found.text])
        if found.intent != "unknown":
            lines = self.succession.lines(self.kb, found.plan_ids, found.units, found.text)
            if lines:
                found.text = "\n".join([found.text, *lines])
        return found

    # -- follow-ups -------------------------------------------------------------------------

    def _follow_up(self, follow: followup.FollowUp, r: Reading, context: Context,
                   today: dt.date, plan_id: str | Sequence[str] | None) -> Answer | None:
        """The answer to a follow-up, or None when the previous exchange does not resolve it."""
        scope = context.plan_id or plan_id
        previous = self._read(clean(context.question), scope)
        before = context.answer or self._answer_read(previous, today)
        if follow.kind == "item":
            return self._nth_item(before, follow.index, r, today)
        if follow.kind == "same":
            if not before.deadlines:
                return None
            return self._nth_item(before, 0, r, today)
        combined = followup.swapped_question(previous, r)
        return self._answer_read(read(self.reader, combined, plan_id=scope, folded=combined),
                                 today)

    def _nth_item(self, before: Answer, i: int, r: Reading, today: dt.date) -> Answer:
        """The i-th item (0-based) of the previous answer: a deadline, a unit, a suggestion."""
        if i < len(before.deadlines):
            d = before.deadlines[i]
            plan = self.kb.plans[d.plan_id]
            deadline = next(x for x in plan.deadlines if x.id == d.deadline_id)
            occ = Occurrence(plan, deadline, next_date(deadline.rule, today))
            return self._deadline_answer(r, today, [occ],
                                         P.DEADLINE_HEAD.format(scope=plan_label(plan)))
        if i < len(before.units) and before.intent in {"responsible", "unit_tasks"}:
            unit = before.units[i]
            question = f"{fold_search(unit)} co nhiem vu gi"
            return self._answer_read(
                read(self.reader, question, plan_id=before.plan_ids, folded=question), today)
        if i < len(before.suggestions):
            question = before.suggestions[i]
            return self._answer_read(self._read(question, before.plan_ids or None), today)
        return Answer(intent="unknown", text=P.NO_SUCH_ITEM.format(n=i + 1))

    def _route(self, r: Reading, today: dt.date) -> Answer:
        """The answer for a question read in scope (before place notes)."""
        if r.small_talk:
            return Answer(intent="unknown", text=P.SMALL_TALK[r.small_talk])
        if r.greeting or (r.off_topic and (r.off_plans or not (r.units or r.place_named))) or (
            not r.in_domain and not (r.has_cue and self._strong_match(r))
        ):
            return Answer(intent="unknown", text=P.OUT_OF_SCOPE)
        if r.unknown_places and not r.place_named:
            return self._unknown_place(r)
        if r.unknown_agencies and not r.units:
            return self._unknown_agency(r)
        if (r.intent in T.TOPICAL_INTENTS and len(r.residual.split()) > 1 and not r.all_deadlines
                and not self._residual_matches(r)):
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

    # -- helpers ----------------------------------------------------------------------------

    def _strong_match(self, r: Reading) -> bool:
        """A question with no domain word still counts when it matches a task closely."""
        hits = self.index.search(r.query, kinds={"task"}, plan_ids=r.plan_ids, limit=1)
        return bool(hits) and hits[0][0] >= T.CONFIDENT

    def _residual_matches(self, r: Reading) -> bool:
        """Whether the topic words of a deadline/contacts/... question are about the plans."""
        hits = self.index.search(r.residual, plan_ids=r.plan_ids, limit=1)
        return bool(hits) and hits[0][0] >= T.THRESHOLD

    # -- responsible ------------------------------------------------------------------------

    def _task_units(self, plan: Plan, unit: Unit, task: Task) -> list[str]:
        ids = list(task.lead) or [unit.id]
        if unit.id not in ids:
            ids.append(unit.id)
        ids += [u for u in task.cooperating if u not in ids]
        return [plan.unit(u).name for u in ids]

    def _responsible(self, r: Reading, today: dt.date) -> Answer:
        hits = self.index.search(r.query, kinds={"task"}, plan_ids=r.plan_ids, limit=12)
        if not hits or hits[0][0] < T.THRESHOLD:
            if r.units:
                return self._unit_tasks(r, today)
            return self._search(r, today)
        best = hits[0][0]
        chosen: list[tuple[float, Entry]] = []
        plans_seen: set[str] = set()
        for score, entry in hits:
            if entry.plan_id in plans_seen:
                continue
            if chosen and score < best * T.CROSS_PLAN_RATIO:
                break
            chosen.append((score, entry))
            plans_seen.add(entry.plan_id)
        units: list[str] = []
        lines: list[str] = []
        citations: list[Citation] = []
        for _, entry in chosen:
            plan = self.kb.plans[entry.plan_id]
            unit_id, task = entry.unit_id, entry.task
            unit = plan.unit(unit_id)
            names = self._task_units(plan, unit, task)
            units += [n for n in names if n not in units]
            line = P.RESPONSIBLE.format(
                plan=plan_label(plan), unit=names[0],
                section=P.SECTION.format(section=task.section), task=shorten(task.text),
            )
            if len(names) > 1:
                line += " " + P.COOPERATING.format(units=", ".join(names[1:]))
            lines.append(line)
            citations.append(Citation(plan_id=plan.id, section=task.section, line=task.line))
        # other units of the best plan with a close task
        first_plan = chosen[0][1].plan_id
        others = []
        for score, entry in hits[1:]:
            if entry.plan_id != first_plan or score < best * T.SAME_PLAN_RATIO:
                continue
            name = self.kb.plans[first_plan].unit(entry.unit_id).name
            if name not in units and name not in others:
                others.append(name)
        if others:
            lines.append(P.ALSO.format(units=", ".join(others[:3])))
        suggestions: list[str] = []
        if best < T.CONFIDENT:
            suggestions = self._suggestions(hits[1:4])
            lines.insert(0, P.UNSURE)
            if suggestions:
                lines.append("\n".join([P.DID_YOU_MEAN, *(P.BULLET.format(text=s)
                                                             for s in suggestions)]))
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
        # "which plans …": every plan's match counts
        floor = 0 if r.asks_plans else top - T.UNIT_MENTION_WINDOW
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
        shown = list(per_plan.values())[:T.MAX_PLANS_LISTED]
        units = [unit.name for _, unit in per_plan.values()]  # one per plan, as plan_ids
        for plan, unit in shown:
            lines.append(P.UNIT_TASKS_HEAD.format(plan=plan_label(plan), unit=unit.name,
                                                  section=unit.section))
            limit = T.TASK_CHARS_MANY if many else T.TASK_CHARS
            for task in unit.tasks[: 3 if many else None]:
                lines.append(P.BULLET.format(text=shorten(task.text, limit)))
            if many and len(unit.tasks) > 3:
                lines.append(P.MORE_TASKS.format(n=len(unit.tasks) - 3))
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


_ENGINES: weakref.WeakKeyDictionary[KnowledgeBase, Engine] = weakref.WeakKeyDictionary()


def engine_for(kb: KnowledgeBase) -> Engine:
    """The engine of ``kb`` (built once, kept while ``kb`` lives)."""
    eng = _ENGINES.get(kb)
    if eng is None:
        eng = _ENGINES[kb] = Engine(kb)
    return eng


def answer(
    kb: KnowledgeBase, question: str, *, today: dt.date,
    plan_id: str | Sequence[str] | None = None, context: Context | None = None,
) -> Answer:
    """Answer ``question`` from ``kb`` as of ``today`` (see :meth:`Engine.answer`).

    Args:
        kb: the knowledge base.
        question: the user's text, any Unicode form, with or without diacritics.
        today: the date "next" and "days left" are computed from (Asia/Ho_Chi_Minh).
        plan_id: the plan the chat selected, or the asker's plans, if any.
        context: the previous question of the same chat and user, for follow-ups.

    Returns:
        The contract's answer object.
    """
    return engine_for(kb).answer(question, today=today, plan_id=plan_id, context=context)
