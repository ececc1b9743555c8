"""Questions the assistant could not answer: kept (screened) for review, 90 days.

Question-answering services keep their low-confidence queries so that someone can see what
users ask that the knowledge base lacks. Here the kept text is the *folded* question after the
personal-data screen of the incident log (:mod:`features.pii`): a child's name, a phone number
or an address never reaches the table, and nothing records who asked or where.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rapidfuzz import fuzz
from sqlmodel import Session, col, delete, select

from features import pii
from knowledge.textnorm import fold
from storage.models import UnansweredQuestion

RETENTION_DAYS = 90
MAX_CHARS = 500
SIMILAR = 80  # rapidfuzz token-set ratio: questions this close are one group


def screened(question: str) -> str:
    """The form kept: personal data replaced by placeholders, then folded, at most 500 chars."""
    redacted = pii.redact(question[:2000])
    return fold(redacted)[:MAX_CHARS]


def record(session: Session, question: str, *, intent: str, score: float,
           today: dt.date) -> None:
    """Keep one unanswered question (screened), and drop those past the retention period."""
    text = screened(question)
    if not text:
        return
    session.add(UnansweredQuestion(text=text, intent=intent, score=round(score, 1),
                                   asked_on=today))
    purge(session, today=today)


def purge(session: Session, *, today: dt.date, days: int = RETENTION_DAYS) -> int:
    """Delete the questions asked more than ``days`` days before ``today``; how many went."""
    cutoff = today - dt.timedelta(days=days)
    result = session.exec(
        delete(UnansweredQuestion).where(col(UnansweredQuestion.asked_on) < cutoff)
    )
    return int(result.rowcount or 0)


@dataclass(frozen=True)
class QuestionGroup:
    """Similar unanswered questions: one example, how many, when last asked, the intents."""

    example: str
    count: int
    last_asked: dt.date
    intents: tuple[str, ...]
    others: tuple[str, ...]


def groups(session: Session, *, since: dt.date | None = None) -> list[QuestionGroup]:
    """The unanswered questions since ``since``, grouped by similarity, largest group first."""
    query = select(UnansweredQuestion).order_by(col(UnansweredQuestion.asked_on).desc(),
                                                col(UnansweredQuestion.id).desc())
    if since is not None:
        query = query.where(col(UnansweredQuestion.asked_on) >= since)
    clusters: list[list[UnansweredQuestion]] = []
    for row in session.exec(query).all():
        for cluster in clusters:
            if fuzz.token_set_ratio(row.text, cluster[0].text, processor=None) >= SIMILAR:
                cluster.append(row)
                break
        else:
            clusters.append([row])
    out = [
        QuestionGroup(
            example=c[0].text, count=len(c), last_asked=max(r.asked_on for r in c),
            intents=tuple(sorted({r.intent for r in c})),
            others=tuple(dict.fromkeys(r.text for r in c[1:] if r.text != c[0].text))[:3],
        )
        for c in clusters
    ]
    return sorted(out, key=lambda g: (-g.count, g.example))
