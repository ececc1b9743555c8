"""Follow-up questions, read against the previous question and answer of the chat and user.

"còn phòng y tế thì sao?", "thế còn Hải Dương?", "hạn đó còn mấy ngày", "cái thứ 2".

The engine stays a pure function: the caller (the bot's short memory, or a ``context`` field of
``kehoach ask --batch``) passes the previous question as a :class:`Context`. This module only
decides what the follow-up refers to; the engine answers it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.answers import Answer
from knowledge.cues import FOLLOW_UP, _rx
from knowledge.understanding import Reading

# "cái thứ 2", "ý thứ hai", "số 3", "mục 2"
_ORDINAL = re.compile(
    r"(?<!\w)(?:cai|y|muc|so|dong|don vi|han|viec|nhiem vu)?\s*(?:thu|so)\s+"
    r"(\d{1,2}|nhat|hai|ba|bon|tu|nam|sau|bay|tam|chin|muoi)(?!\w)"
)
_ORDINAL_WORDS = {"nhat": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6,
                  "bay": 7, "tam": 8, "chin": 9, "muoi": 10}
# "hạn đó", "hạn này", "cái đó": the thing of the previous answer
_DEIXIS = _rx(r"(?:han|cai|viec|bao cao|ke hoach|don vi|nhiem vu|moc) (?:do|nay|kia|tren|vua roi)",
              r"no")
SHORT = 7  # words: a short question naming only a unit or a place continues the previous one


@dataclass(frozen=True)
class Context:
    """The previous question of the same chat and user, and its answer when the caller has it."""

    question: str
    answer: Answer | None = None
    plan_id: str | None = None


@dataclass(frozen=True)
class FollowUp:
    """What a follow-up refers to."""

    kind: str  # "item" (the n-th item), "same" (the previous answer's deadline), "swap"
    index: int = 0  # for "item": 0-based


def ordinal(folded: str) -> int | None:
    """The 1-based item number of "cái thứ 2", or None."""
    m = _ORDINAL.search(folded)
    if not m:
        return None
    word = m.group(1)
    return int(word) if word.isdigit() else _ORDINAL_WORDS[word]


def classify(r: Reading) -> FollowUp | None:
    """Whether the question continues the previous one, and how (None: it stands alone)."""
    words = r.folded.split()
    n = ordinal(r.folded)
    if n is not None and len(words) <= SHORT + 2:
        return FollowUp("item", max(0, n - 1))
    if _DEIXIS.search(r.folded) and len(words) <= SHORT + 3:
        return FollowUp("same")
    names_something = bool(r.units or r.place_named or r.unknown_places)
    if names_something and (FOLLOW_UP.search(r.folded) or (
        len(words) <= SHORT and not r.has_cue
    )):
        return FollowUp("swap")
    return None


def swapped_question(previous: Reading, current: Reading) -> str:
    """The previous question with the entities the follow-up names put in place of its own.

    "phòng y tế quận 3 có nhiệm vụ gì" + "còn phòng tư pháp thì sao" →
    "phong tu phap quan 3 co nhiem vu gi"; "hạn báo cáo năm của Quận 3" + "thế còn Hải
    Dương?" → "han bao cao nam cua hai duong".
    """
    text = f" {previous.folded} "
    new_units = [m.span for m in current.units[:1]]
    new_places = [s for s in _place_spans(current)]
    if new_units:
        for m in previous.units[:1]:
            text = text.replace(f" {m.span} ", f" {new_units[0]} ", 1)
        if not previous.units:
            text += f" {new_units[0]} "
    old = _place_spans(previous)
    if new_places:
        for span in old:
            text = text.replace(f" {span} ", " ", 1)
        text += " " + " ".join(new_places)
    else:  # the previous place stays, even when it was part of the unit's name
        text += "".join(f" {span}" for span in old if f" {span} " not in text)
    return " ".join(text.split())


def _place_spans(r: Reading) -> list[str]:
    return list(r.place_spans)
