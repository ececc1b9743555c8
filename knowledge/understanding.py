"""Reading a question: its intent and entities (plans or places, units, period, "next").

Everything here works on the folded form (:func:`knowledge.textnorm.fold`), so questions typed
without diacritics, in NFD, with old tone placement or with abbreviations read the same.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from knowledge.cues import (
    ALL_DEADLINES,
    CONTACTS,
    CUE_WORDS,
    DEADLINE,
    DOMAIN,
    FOLLOW_UP,
    FUNDING,
    GREETING,
    ISSUED,
    JUST_DONE,
    NEXT,
    OFF_TOPIC,
    OTHER_DOCUMENT,
    PERIODS,
    PLAN_INFO,
    PLAN_SUBMISSION,
    PLANS_LIST,
    REPORT,
    SIGNER,
    SMALL_TALK,
    TARGETS,
    TASKS,
    WHO,
    Cues,
    classify,
)
from knowledge.mentions import Reader, UnitMention
from knowledge.places import Coverage, Gazetteer, Place
from knowledge.textnorm import fold_search

__all__ = ["MAX_QUESTION_CHARS", "Reader", "Reading", "UnitMention", "read"]

MAX_QUESTION_CHARS = 1000



@dataclass
class Reading:
    """What a question asks."""

    text: str
    folded: str
    intent: str
    plan_ids: list[str]
    place_named: bool
    units: list[UnitMention] = field(default_factory=list)
    period: str | None = None
    wants_next: bool = False
    wants_plan_submission: bool = False
    asks_plans: bool = False
    in_domain: bool = True
    residual: str = ""
    off_topic: bool = False
    off_plans: bool = False
    all_deadlines: bool = False
    asks_who: bool = False
    has_cue: bool = False
    via_spans: tuple[str, ...] = ()
    greeting: bool = False
    small_talk: str = ""  # "hello", "thanks", "who": a message that is only small talk
    place_spans: tuple[str, ...] = ()  # every place name in the question
    # places named that no loaded plan covers, and how the plans cover the others
    unknown_places: list[Place] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)
    # agencies named that no plan in scope gives a task to ("Sở Ngoại vụ")
    unknown_agencies: list[str] = field(default_factory=list)
    # plans named by a document they implement ("kế hoạch thực hiện Chỉ thị 23")
    doc_plans: list[str] = field(default_factory=list)
    follow_up: bool = False

    @property
    def query(self) -> str:
        """What the search matches: the normalised question."""
        return self.folded



def read(reader: Reader, question: str, *, plan_id: str | Sequence[str] | None,
         folded: str | None = None) -> Reading:
    """Classify ``question`` and pick out its entities.

    Args:
        reader: the reader of the knowledge base.
        question: the question as typed.
        plan_id: the plan the chat selected, if any.
        folded: the question already normalised (:class:`knowledge.lexicon.QueryReader`);
            by default its plain folded form.
    """
    folded = fold_search(question) if folded is None else folded
    spans = reader.place_spans(folded)
    places = reader.plans_named(spans)
    coverage: list[Coverage] = []
    unknown_places: list[Place] = []
    mentions = reader.place_mentions(folded, spans)
    for _span, candidates in mentions:
        covered = reader.cover(candidates)
        if covered:
            coverage += [c for c in covered if c.plan_id not in places]
        else:
            unknown_places.append(_display_place(reader.gaz, candidates))
    doc_plans = [] if places or coverage else reader.doc_plans(folded)
    if places or coverage:
        plan_ids = list(dict.fromkeys([*places, *(c.plan_id for c in coverage)]))
        place_named = True
    elif doc_plans:
        plan_ids, place_named = doc_plans, True
    elif isinstance(plan_id, str) and plan_id in reader.kb.plans:
        plan_ids, place_named = [plan_id], False
    elif plan_id and not isinstance(plan_id, str) and [p for p in plan_id if p in reader.kb.plans]:
        plan_ids, place_named = [p for p in plan_id if p in reader.kb.plans], False
    else:
        plan_ids, place_named = list(reader.kb.plans), False
    units = reader.units(folded, plan_ids)
    unit_spans = [m.span for m in units]
    # an agency the question asks about (not the object of a "who" question) that no plan in
    # scope gives a task to
    unknown_agencies = [] if WHO.search(folded) else [
        reader._agencies[a] for a in reader.agencies(folded)
        if not any(u in a or a in u for u in unit_spans) and not reader.names_unit(a, plan_ids)
    ]
    period, period_at = None, -1
    for name, rx in PERIODS:
        m = rx.search(folded)
        if m:
            period, period_at = name, m.start()
            break
    done = JUST_DONE.search(folded)
    if period and done and NEXT.search(folded) and 0 <= period_at - done.end() <= 16:
        period = None  # "vừa hết hạn báo cáo năm, hạn tiếp theo?": the period is the past one
    contacts_cue = bool(CONTACTS.search(folded))
    who_words = {m.group(0) for m in WHO.finditer(folded)}
    if contacts_cue:
        who_words.discard("so nao")  # "số nào" (which number), not "sở nào"
    has = {
        "who": bool(who_words),
        "tasks": bool(TASKS.search(folded)),
        "deadline": bool(DEADLINE.search(folded)),
        "contacts": contacts_cue,
        "targets": bool(TARGETS.search(folded)),
        "funding": bool(FUNDING.search(folded)),
        "plan_info": bool(PLAN_INFO.search(folded)),
    }
    wants_next = bool(NEXT.search(folded))
    report_word = bool(REPORT.search(folded))
    other_doc = bool(OTHER_DOCUMENT.search(folded))  # "ai ban hành quy chế": a task
    cues = Cues(
        who=has["who"], tasks=has["tasks"] or other_doc, deadline=has["deadline"],
        contacts=contacts_cue, targets=has["targets"], funding=has["funding"],
        plan_info=has["plan_info"] and not other_doc,
        issued=bool(ISSUED.search(folded)) and not other_doc,
        signer=bool(SIGNER.search(folded)) and not other_doc,
        report=report_word, next=wants_next, period=bool(period),
        han="han" in folded.split(), units=bool(units),
        follow_up=bool(FOLLOW_UP.search(folded)), plans_list=bool(PLANS_LIST.search(folded)),
    )
    intent = classify(cues)
    # a place alone does not make a question ours ("lịch cắt điện ở Bình Sơn")
    in_domain = bool(DOMAIN.search(folded)) or bool(units)
    if GREETING.search(folded) and not (units or any(has.values())):
        in_domain = False
    off_topic = bool(OFF_TOPIC.search(folded))
    # a topic no plan speaks of ("lương", "phụ cấp"): out of scope even with a unit named
    off_plans = any(m.group(0) not in reader.off_topic_in_plans
                    for m in OFF_TOPIC.finditer(folded))
    named = {w for m in units for w in m.span.split()}
    for span in [*spans, *(sp for sp, _ in mentions)]:
        named.update(span.split())
    residual = " ".join(w for w in folded.split() if w not in CUE_WORDS and w not in named)
    return Reading(
        residual=residual,
        off_topic=off_topic,
        off_plans=off_plans,
        all_deadlines=bool(ALL_DEADLINES.search(folded)),
        asks_who=has["who"],
        has_cue=any(has.values()) or wants_next or bool(period),
        # a unit named after "qua" is the channel, after "gửi"/"về"/"lên" the recipient:
        # neither is who submits
        via_spans=tuple(m.span for m in units if re.search(
            rf"(?<!\w)(?:qua|gui|nop|ve|len|gui ve|nop ve|gui len) {re.escape(m.span)}(?!\w)",
            folded)),
        greeting=bool(GREETING.search(folded)) and not in_domain,
        small_talk="" if units else _small_talk(folded),
        place_spans=tuple(spans) + tuple(sp for sp, _ in mentions),
        text=question,
        folded=folded,
        intent=intent,
        plan_ids=plan_ids,
        place_named=place_named,
        units=units,
        period=period,
        wants_next=wants_next,
        wants_plan_submission=bool(PLAN_SUBMISSION.search(folded)),
        asks_plans=bool(PLANS_LIST.search(folded)),
        in_domain=in_domain,
        unknown_places=unknown_places,
        coverage=coverage,
        unknown_agencies=unknown_agencies,
        doc_plans=doc_plans,
        follow_up=bool(FOLLOW_UP.search(folded)),
    )


def _small_talk(folded: str) -> str:
    """The kind of small talk of a message that is nothing else ("" when it asks something)."""
    for kind, rx in SMALL_TALK:
        if rx.search(folded):
            rest = rx.sub(" ", folded).split()
            if len(rest) <= 3:  # "chào bạn", "cảm ơn ad nhiều nhé"
                return kind
    return ""


def _display_place(gaz: Gazetteer, candidates: list[Place]) -> Place:
    """The place a name most likely means: today's province, else the largest unit."""
    order = {"province": 0, "district": 1, "commune": 2}
    return min(candidates, key=lambda p: (order[p.level], p.era != "new"))
