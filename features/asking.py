"""Asking the assistant: whose plans a question covers, and which answers are kept for review.

The unit-of-work side of :mod:`bot.asking` (which keeps the per-process memories):

- :func:`registered_plans` — the plans an approved officer or coordinator is registered in
  (a question asked in a chat with no plan chosen covers them);
- :func:`is_unanswered` — whether an answer is one the knowledge base could not give;
- :func:`record_unanswered` — such a question, screened and folded, kept for
  ``kehoach questions unanswered`` (:mod:`features.questions`).
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from core.texts.common import NOT_A_QUESTION_PREFIXES
from features import questions, registry
from knowledge.answers import Answer
from knowledge.tuning import CONFIDENT


def registered_plans(session: Session, telegram_id: int) -> list[str]:
    """The plans ``telegram_id`` is an approved officer or coordinator of, oldest first.

    Args:
        session: the unit of work's session.
        telegram_id: the asker.

    Returns:
        Plan ids, without duplicates.
    """
    views = registry.list_registrations(session, telegram_id=telegram_id, status="approved")
    return list(dict.fromkeys(v.plan_id for v in reversed(views)))


def is_unanswered(answer: Answer) -> bool:
    """Whether an answer is one the knowledge base could not give (kept for review).

    Empty, too long and small-talk messages are not questions the plans lack.
    """
    if answer.intent == "unknown":
        return bool(answer.suggestions) or not answer.text.startswith(NOT_A_QUESTION_PREFIXES)
    return answer.confidence < CONFIDENT and answer.intent in {"responsible", "search"}


def record_unanswered(session: Session, question: str, answer: Answer, *,
                      today: dt.date) -> bool:
    """Keep ``question`` for review when ``answer`` is one the plans could not give.

    Args:
        session: the unit of work's session.
        question: what was asked (screened before it is kept).
        answer: the engine's answer.
        today: the local date.

    Returns:
        Whether it was kept.
    """
    if not is_unanswered(answer):
        return False
    questions.record(session, question, intent=answer.intent, score=answer.confidence,
                     today=today)
    return True
