"""What an incident records, and checking what officers type into the /suvu form.

The vocabularies (codes stored, Vietnamese labels shown on buttons and in exports), the
:class:`IncidentDraft` the form fills in, and the parsing of its free-text answers: the
commune/ward, the date ("hôm qua", "20/11"), the description. No database, no Telegram.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any

from core.texts.incident_labels import (
    ACTIONS as ACTIONS,
    AGE_GROUPS as AGE_GROUPS,
    KINDS as KINDS,
    NO_ACTION as NO_ACTION,
    PERPETRATORS as PERPETRATORS,
    SETTINGS as SETTINGS,
    SEXES as SEXES,
    STATUS_LABELS as STATUS_LABELS,
    URGENCIES as URGENCIES,
    URGENCY_SHORT as URGENCY_SHORT,
)
from knowledge.textnorm import clean, fold

MAX_DESCRIPTION_CHARS = 1000
MAX_PLACE_CHARS = 80
# A date typed more than this far back is refused (a typo, most likely).
MAX_AGE_DAYS = 5 * 366


class IncidentError(Exception):
    """An incident request that cannot be done; ``reason`` is a code (never content)."""

    def __init__(self, reason: str) -> None:
        """Keep ``reason``."""
        super().__init__(reason)
        self.reason = reason


class IncidentInvalid(IncidentError):  # noqa: N818
    """Form input that is not accepted (``reason``: ``missing:<field>``, ``too_long``…)."""


class UnknownIncident(IncidentError):  # noqa: N818
    """No incident with that number."""


class IncidentDenied(IncidentError):  # noqa: N818
    """The actor may not do this (``reason``: ``log`` or ``read``)."""


# --- the draft -------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentDraft:
    """What the form collects; everything but ``urgency`` is stored encrypted.

    Attributes:
        kind: a key of :data:`KINDS`.
        setting: a key of :data:`SETTINGS`.
        place: the commune or ward, as typed (cleaned).
        occurred_on: the date it happened.
        child_sex: a key of :data:`SEXES`.
        age_group: a key of :data:`AGE_GROUPS`.
        perpetrator: a key of :data:`PERPETRATORS`.
        description: a short description (no names, screened by :mod:`features.pii`).
        actions: keys of :data:`ACTIONS` (empty: nothing done yet).
        urgency: a key of :data:`URGENCIES`.
    """

    kind: str | None = None
    setting: str | None = None
    place: str | None = None
    occurred_on: dt.date | None = None
    child_sex: str | None = None
    age_group: str | None = None
    perpetrator: str | None = None
    description: str | None = None
    actions: tuple[str, ...] | None = None
    urgency: str | None = None

    def to_fields(self) -> dict[str, Any]:
        """JSON-serialisable fields (for encryption)."""
        return {
            "kind": self.kind, "setting": self.setting, "place": self.place,
            "occurred_on": self.occurred_on.isoformat() if self.occurred_on else None,
            "child_sex": self.child_sex, "age_group": self.age_group,
            "perpetrator": self.perpetrator, "description": self.description,
            "actions": list(self.actions) if self.actions is not None else None,
            "urgency": self.urgency,
        }

    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> IncidentDraft:
        """The draft of :meth:`to_fields` output (unknown keys ignored)."""
        occurred = fields.get("occurred_on")
        actions = fields.get("actions")
        return cls(
            kind=fields.get("kind"), setting=fields.get("setting"), place=fields.get("place"),
            occurred_on=dt.date.fromisoformat(occurred) if occurred else None,
            child_sex=fields.get("child_sex"), age_group=fields.get("age_group"),
            perpetrator=fields.get("perpetrator"), description=fields.get("description"),
            actions=tuple(actions) if actions is not None else None,
            urgency=fields.get("urgency"),
        )

    def with_(self, **changes: Any) -> IncidentDraft:
        """A copy with ``changes``."""
        return replace(self, **changes)


_VOCABULARIES = {
    "kind": KINDS, "setting": SETTINGS, "child_sex": SEXES, "age_group": AGE_GROUPS,
    "perpetrator": PERPETRATORS, "urgency": URGENCIES,
}
REQUIRED = ("kind", "setting", "place", "occurred_on", "child_sex", "age_group", "perpetrator",
            "description", "actions", "urgency")


def validate(draft: IncidentDraft) -> IncidentDraft:
    """Check a complete draft.

    Raises:
        IncidentInvalid: ``missing:<field>``, ``unknown:<field>``, ``too_long``.

    Returns:
        The draft.
    """
    for name in REQUIRED:
        if getattr(draft, name) in (None, ""):
            raise IncidentInvalid(f"missing:{name}")
    for name, vocabulary in _VOCABULARIES.items():
        if getattr(draft, name) not in vocabulary:
            raise IncidentInvalid(f"unknown:{name}")
    if any(a not in ACTIONS for a in draft.actions or ()):
        raise IncidentInvalid("unknown:actions")
    if len(draft.description or "") > MAX_DESCRIPTION_CHARS:
        raise IncidentInvalid("too_long")
    return draft


def check_description(text: str) -> str:
    """The description, cleaned (NFC, single spaces, line breaks kept).

    Raises:
        IncidentInvalid: ``empty`` or ``too_long``.
    """
    lines = [clean(line) for line in text.strip().splitlines()]
    text = "\n".join(line for line in lines if line)
    if not text:
        raise IncidentInvalid("empty")
    if len(text) > MAX_DESCRIPTION_CHARS:
        raise IncidentInvalid("too_long")
    return text


_PLACE_WORDS = {"phuong": "Phường", "xa": "Xã", "thi tran": "Thị trấn"}
# "p.5", "P5", "p 5", "x. Bình Hải", "tt Châu Ổ" ("p"/"x" then a word could be a name).
_PLACE_ABBREVIATION = re.compile(
    r"^(?:(p|x)(?:\.\s*|\s+(?=\d)|(?=\d))|(tt)(?:\.\s*|\s+))", re.IGNORECASE
)


def normalise_place(text: str) -> str:
    """A commune or ward as typed, tidied: "p.5" → "Phường 5", "xã bình hải" → "Xã Bình Hải".

    Raises:
        IncidentInvalid: ``empty`` or ``too_long``.
    """
    place = clean(text).strip(" .,;")
    if not place:
        raise IncidentInvalid("empty")
    if len(place) > MAX_PLACE_CHARS:
        raise IncidentInvalid("too_long")
    prefix = ""
    abbreviation = _PLACE_ABBREVIATION.match(place)
    if abbreviation:
        letters = (abbreviation.group(1) or abbreviation.group(2)).lower()
        word = {"p": "phuong", "x": "xa", "tt": "thi tran"}[letters]
        prefix, place = _PLACE_WORDS[word], place[abbreviation.end():].strip()
    else:
        for word, proper in _PLACE_WORDS.items():
            size = len(word.split())
            head = place.split(" ", size)
            if len(head) > size and fold(" ".join(head[:size])) == word:
                prefix, place = proper, head[size]
                break
    words = [w[:1].upper() + w[1:] for w in place.split(" ")]
    return " ".join([prefix, *words] if prefix else words)


def place_key(place: str) -> str:
    """The matching form of a place, for counting "Phường 5" and "phuong 5" together."""
    return fold(place)


_TODAY_WORDS = {"hom nay", "homnay", "nay"}
_YESTERDAY_WORDS = {"hom qua", "homqua", "qua"}
_DATE_TEXT = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{2}|\d{4}))?$")


def parse_date(text: str, today: dt.date) -> dt.date:
    """The date an officer typed: "hôm nay", "hôm qua", "20/11", "20/11/2026", "20-11-26".

    A day and month without a year that would be in the future is taken in the previous year.

    Raises:
        IncidentInvalid: ``bad_date`` (not a date), ``future``, ``too_old``.
    """
    folded = fold(text)
    if folded in _TODAY_WORDS:
        return today
    if folded in _YESTERDAY_WORDS:
        return today - dt.timedelta(days=1)
    m = _DATE_TEXT.match(text.strip())
    if not m:
        raise IncidentInvalid("bad_date")
    day, month = int(m.group(1)), int(m.group(2))
    year_text = m.group(3)
    year = int(year_text) + (2000 if year_text and len(year_text) == 2 else 0) if year_text \
        else today.year
    try:
        date = dt.date(year, month, day)
    except ValueError:
        raise IncidentInvalid("bad_date") from None
    if date > today:
        if year_text:
            raise IncidentInvalid("future")
        date = date.replace(year=year - 1) if not (month == 2 and day == 29) else date
        if date > today:
            raise IncidentInvalid("future")
    if (today - date).days > MAX_AGE_DAYS:
        raise IncidentInvalid("too_old")
    return date
