"""The answering engine: question → :class:`~knowledge.answers.Answer`. (Being written.)"""

from __future__ import annotations

import datetime as dt

from knowledge.answers import Answer
from knowledge.base import KnowledgeBase


def answer(kb: KnowledgeBase, question: str, *, today: dt.date, plan_id: str | None = None) -> Answer:
    """Answer ``question`` from ``kb`` as of ``today``, narrowed to ``plan_id`` if given.

    Args:
        kb: the knowledge base.
        question: the user's text, any Unicode form, with or without diacritics.
        today: the date "next" and "days left" are computed from (Asia/Ho_Chi_Minh).
        plan_id: the plan the chat selected, if any.

    Returns:
        The contract's answer object.
    """
    return Answer(intent="unknown", text="(đang xây dựng)")
