"""The coordinator is told when a report arrives: one message per report, or a daily digest.

An outbox, so that nothing is lost or sent twice across restarts:

1. **intake** — :func:`claim_due` first turns the report versions received since the
   :class:`~storage.models.NoticeCursor` into :class:`~storage.models.ReportNotice` rows, one per
   coordinator of the plan whose notices are not off (same unit of work as the cursor moves);
2. **claim** — the rows due now (each: at once; digest: once the chosen hour has passed) are
   claimed with a compare-and-set (a dead process's claim is taken over after the lease), and
   the claim is committed;
3. **send** then **mark** — :func:`mark_sent` / :func:`mark_failed` (the job in
   :mod:`bot.notices_job`).

A notice holds the unit, the period, the time and the receipt number — never the content.
``/thongbao`` reads and sets the choice (:func:`notice_setting`, :func:`set_notice_setting`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from core.clock import VN_TZ
from core.texts.office import NOTICE_WORDS_EACH, NOTICE_WORDS_OFF
from features import registry
from features.permissions import Action, PermissionDenied, load_actor
from knowledge.textnorm import fold
from storage.models import (
    NOTICE_DIGEST,
    NOTICE_EACH,
    NOTICE_FAILED,
    NOTICE_OFF,
    NOTICE_PENDING,
    NOTICE_SENT,
    NOTICE_SKIPPED,
    NoticeCursor,
    NoticePreference,
    ReportNotice,
    Submission,
    SubmissionVersion,
)

CLAIM_LEASE = dt.timedelta(minutes=5)
INTAKE_BATCH = 500  # report versions taken in per tick
DIGEST_DEFAULT = (17, 0)
_TIME = re.compile(r"^(\d{1,2})\s*[:h.]?\s*(\d{2})?$")  # 17:00, 17h, 17h30, 8


@dataclass(frozen=True)
class NoticeSetting:
    """A coordinator's choice: ``each``, ``digest`` (at ``hour:minute``) or ``off``."""

    mode: str
    hour: int = DIGEST_DEFAULT[0]
    minute: int = DIGEST_DEFAULT[1]


class BadSetting(ValueError):
    """``/thongbao`` with something that is neither ``ngay``, ``tat`` nor a time."""


def parse_setting(text: str) -> NoticeSetting:
    """Read ``/thongbao``'s argument: ``ngay`` (each report), ``17:00``/``17h`` or ``tat``.

    Raises:
        BadSetting: anything else (or a time that does not exist).
    """
    word = " ".join(fold(text).split())
    if word in NOTICE_WORDS_EACH:
        return NoticeSetting(NOTICE_EACH)
    if word in NOTICE_WORDS_OFF:
        return NoticeSetting(NOTICE_OFF)
    found = _TIME.match(text.strip().lower())
    if found:
        hour, minute = int(found.group(1)), int(found.group(2) or 0)
        if hour < 24 and minute < 60:
            return NoticeSetting(NOTICE_DIGEST, hour, minute)
    raise BadSetting(text)


def _coordinator(session: Session, user_id: int, admin_ids: Iterable[int]) -> None:
    actor = load_actor(session, user_id, admin_ids)
    if not actor.coordinator_of and not actor.is_admin:
        raise PermissionDenied(Action.VIEW_STATUS, subject="notices")


def _setting(row: NoticePreference | None) -> NoticeSetting:
    if row is None:
        return NoticeSetting(NOTICE_EACH)
    return NoticeSetting(row.mode, row.digest_hour, row.digest_minute)


def notice_setting(session: Session, user_id: int, admin_ids: Iterable[int]) -> NoticeSetting:
    """The coordinator's current choice (one message per report when never set).

    Raises:
        PermissionDenied: the user coordinates no plan and is no admin.
    """
    _coordinator(session, user_id, admin_ids)
    return _setting(session.get(NoticePreference, user_id))


def set_notice_setting(session: Session, user_id: int, admin_ids: Iterable[int],
                       setting: NoticeSetting, now: dt.datetime) -> NoticeSetting:
    """Record the coordinator's choice; turning notices off drops the ones not yet sent.

    Raises:
        PermissionDenied: the user coordinates no plan and is no admin.
    """
    _coordinator(session, user_id, admin_ids)
    row = session.get(NoticePreference, user_id) or NoticePreference(
        telegram_id=user_id, updated_at=now)
    row.mode, row.digest_hour, row.digest_minute = setting.mode, setting.hour, setting.minute
    row.updated_at = now
    session.add(row)
    if setting.mode == NOTICE_OFF:
        session.exec(update(ReportNotice).where(
            col(ReportNotice.telegram_id) == user_id,
            col(ReportNotice.status) == NOTICE_PENDING,
        ).values(status=NOTICE_SKIPPED))
    session.flush()
    return _setting(row)


@dataclass(frozen=True)
class NoticeAnswer:
    """``/thongbao``'s result: the setting now, and whether this command changed it."""

    setting: NoticeSetting
    changed: bool


def notice_command(session: Session, user_id: int, admin_ids: Iterable[int], arg: str | None,
                   now: dt.datetime) -> NoticeAnswer:
    """``/thongbao [ngay | HH:MM | tat]``: show the choice, or set it.

    Raises:
        PermissionDenied: the user coordinates no plan and is no admin (checked first).
        BadSetting: the argument is not a choice.
    """
    _coordinator(session, user_id, admin_ids)
    if not arg or not arg.strip():
        return NoticeAnswer(notice_setting(session, user_id, admin_ids), changed=False)
    wanted = parse_setting(arg)
    return NoticeAnswer(set_notice_setting(session, user_id, admin_ids, wanted, now), True)


# --- the outbox ------------------------------------------------------------------------------


def intake(session: Session, now: dt.datetime, *, limit: int = INTAKE_BATCH) -> int:
    """Turn the report versions received since the cursor into notices; move the cursor.

    The first run starts from the newest version (no backlog is sent). Returns how many
    notices were added.
    """
    cursor = session.get(NoticeCursor, 1)
    if cursor is None:
        newest = session.exec(select(col(SubmissionVersion.id)).order_by(
            col(SubmissionVersion.id).desc()).limit(1)).first()
        session.add(NoticeCursor(id=1, last_version_id=newest or 0, updated_at=now))
        session.flush()
        return 0
    rows = session.exec(
        select(SubmissionVersion, Submission)
        .join(Submission, col(Submission.id) == col(SubmissionVersion.submission_id))
        .where(col(SubmissionVersion.id) > cursor.last_version_id)
        .order_by(col(SubmissionVersion.id)).limit(limit)
    ).all()
    if not rows:
        return 0
    off = set(session.exec(select(col(NoticePreference.telegram_id)).where(
        col(NoticePreference.mode) == NOTICE_OFF)).all())
    coordinators: dict[str, list[int]] = {}
    added = 0
    for version, sub in rows:
        if sub.plan_id not in coordinators:
            found = registry.approvers(session, sub.plan_id, [])
            coordinators[sub.plan_id] = [c for c in found if c not in off]
        for telegram_id in coordinators[sub.plan_id]:
            if telegram_id == version.submitted_by:
                continue  # a coordinator who is also the unit's officer sent it
            assert version.id is not None
            try:
                with session.begin_nested():
                    session.add(ReportNotice(
                        version_id=version.id, telegram_id=telegram_id, plan_id=sub.plan_id,
                        unit_id=sub.unit_id, title=sub.title, due_date=sub.due_date,
                        number=version.number, submitted_at=version.submitted_at,
                        created_at=now))
                    session.flush()
                added += 1
            except IntegrityError:  # taken in by another process at the same moment
                continue
    last = rows[-1][0].id
    assert last is not None
    cursor.last_version_id, cursor.updated_at = last, now
    session.add(cursor)
    session.flush()
    return added


@dataclass(frozen=True)
class Notice:
    """One report to tell of (no content)."""

    id: int
    plan_id: str
    unit_id: str
    title: str
    due_date: dt.date | None
    number: str
    submitted_at: dt.datetime


@dataclass(frozen=True)
class NoticeBatch:
    """What one message to one coordinator says: one notice, or the day's digest."""

    telegram_id: int
    digest: bool
    notices: tuple[Notice, ...]

    @property
    def ids(self) -> list[int]:
        """The notice ids (to mark sent or failed)."""
        return [n.id for n in self.notices]


def last_digest_moment(setting: NoticeSetting, now: dt.datetime) -> dt.datetime:
    """The latest moment at or before ``now`` when a digest at ``hour:minute`` was due."""
    local = now.astimezone(VN_TZ)
    moment = local.replace(hour=setting.hour, minute=setting.minute, second=0, microsecond=0)
    if moment > local:
        moment -= dt.timedelta(days=1)
    return moment


def _notice(row: ReportNotice) -> Notice:
    assert row.id is not None
    return Notice(row.id, row.plan_id, row.unit_id, row.title, row.due_date, row.number,
                  row.submitted_at)


def claim_due(session: Session, now: dt.datetime, *, worker: str,
              lease: dt.timedelta = CLAIM_LEASE) -> list[NoticeBatch]:
    """Take in new reports, then claim the notices due now; commit before sending.

    Args:
        session: the unit of work's session.
        now: the time.
        worker: this process's name (kept in the claim).
        lease: after this long, another process's claim is taken over (at-least-once).

    Returns:
        The messages to send, each with the notices it covers (claimed for ``worker``).
    """
    intake(session, now)
    free = or_(col(ReportNotice.claimed_at).is_(None),
               col(ReportNotice.claimed_at) < now - lease)
    rows = session.exec(select(ReportNotice).where(
        col(ReportNotice.status) == NOTICE_PENDING, free,
    ).order_by(col(ReportNotice.id))).all()
    by_user: dict[int, list[ReportNotice]] = defaultdict(list)
    for row in rows:
        by_user[row.telegram_id].append(row)
    batches = []
    for telegram_id, items in by_user.items():
        setting = _setting(session.get(NoticePreference, telegram_id))
        if setting.mode == NOTICE_DIGEST:
            moment = last_digest_moment(setting, now)
            items = [r for r in items if r.created_at <= moment]
        claimed = [r for r in items if _claim(session, r, now, worker, lease)]
        if not claimed:
            continue
        notices = tuple(_notice(r) for r in claimed)
        if setting.mode == NOTICE_DIGEST:
            batches.append(NoticeBatch(telegram_id, True, notices))
        else:
            batches += [NoticeBatch(telegram_id, False, (n,)) for n in notices]
    return batches


def _claim(session: Session, row: ReportNotice, now: dt.datetime, worker: str,
           lease: dt.timedelta) -> bool:
    """Compare-and-set: only one worker claims a free notice."""
    done = session.exec(update(ReportNotice).where(
        col(ReportNotice.id) == row.id, col(ReportNotice.status) == NOTICE_PENDING,
        or_(col(ReportNotice.claimed_at).is_(None), col(ReportNotice.claimed_at) < now - lease),
    ).values(claimed_at=now, claimed_by=worker[:64]))
    return bool(done.rowcount)


def mark_sent(session: Session, ids: Sequence[int], *, now: dt.datetime) -> None:
    """Record the notices as sent."""
    session.exec(update(ReportNotice).where(
        col(ReportNotice.id).in_(list(ids))).values(status=NOTICE_SENT, sent_at=now))


def mark_failed(session: Session, ids: Sequence[int], *, error: str) -> None:
    """Record the notices as failed (the coordinator blocked the bot…): not retried."""
    session.exec(update(ReportNotice).where(
        col(ReportNotice.id).in_(list(ids))).values(status=NOTICE_FAILED, error=error[:255]))
