"""Incident messages: the form's questions and buttons, the receipt, lists and details.

Pure functions of plain data (no network, no database); every text is escaped here.
Callback data (at most 64 bytes) starts with ``sv:``:

- ``sv:f:<step>:<value>`` — an answer to a step of the form (``sv:f:actions:done`` ends the
  multiple choice), ``sv:pii:<redact|retype|keep>``, ``sv:ok``, ``sv:edit``,
  ``sv:edit:<step>``, ``sv:cancel``;
- ``sv:open:<number>``, ``sv:st:<number>:<status>``, ``sv:hide:<number>`` — for readers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.render import Reply, escape, plan_label
from core.clock import VN_TZ
from core.texts import incidents as t
from features import incident_fields as fields
from features.incident_drafts import Form
from features.incident_fields import IncidentDraft
from features.incident_form import (
    ACTIONS,
    AGE,
    CHOICES,
    CONFIRM,
    CONFIRM_OLDER_THAN_DAYS,
    DATE,
    DATE_CONFIRM,
    DESCRIPTION,
    DESCRIPTION_CHECK,
    EDIT,
    FIELD,
    KIND,
    NOTHING_YET,
    PERPETRATOR,
    PLACE,
    SETTING,
    SEX,
    STEPS,
    URGENCY,
)
from features.incidents import IncidentView, Logged
from features.pii import Finding
from knowledge.base import KnowledgeBase

CB = "sv:"
CB_FORM = "sv:f:"
CB_PII = "sv:pii:"
CB_SAVE = "sv:ok"
CB_EDIT = "sv:edit"
CB_CANCEL = "sv:cancel"
CB_RESUME = "sv:resume"  # /suvu with a kept form: continue it
CB_RESTART = "sv:restart"  # … or drop it and start again
CB_OPEN = "sv:open:"
CB_STATUS = "sv:st:"
CB_HIDE = "sv:hide:"

QUESTIONS = {
    KIND: t.ASK_KIND, SETTING: t.ASK_SETTING, PLACE: t.ASK_PLACE, DATE: t.ASK_DATE,
    SEX: t.ASK_SEX, AGE: t.ASK_AGE, PERPETRATOR: t.ASK_PERPETRATOR,
    DESCRIPTION: t.ASK_DESCRIPTION.format(limit=fields.MAX_DESCRIPTION_CHARS),
    ACTIONS: t.ASK_ACTIONS, URGENCY: t.ASK_URGENCY,
}
DATE_FORMAT = "%d/%m/%Y"
PROBLEMS = {
    "buttons_please": t.BUTTONS_PLEASE, "text_please": t.TEXT_PLEASE,
    "place_pii": t.PLACE_PII, "place_empty": t.PLACE_EMPTY,
    "place_too_long": t.PLACE_TOO_LONG.format(limit=fields.MAX_PLACE_CHARS),
    "bad_date": t.DATE_BAD, "future": t.DATE_FUTURE, "too_old": t.DATE_TOO_OLD,
    "description_empty": t.DESCRIPTION_EMPTY,
    "description_too_long": t.DESCRIPTION_TOO_LONG.format(limit=fields.MAX_DESCRIPTION_CHARS),
}


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def _rows(buttons: Sequence[InlineKeyboardButton],
          per_row: int) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i:i + per_row]) for i in range(0, len(buttons), per_row)]


def _cancel_row() -> list[InlineKeyboardButton]:
    return [_button(t.BUTTON_CANCEL, CB_CANCEL)]


def step_title(step: str) -> str:
    """"Bước n/10. <question>"."""
    step = DESCRIPTION if step == DESCRIPTION_CHECK else step  # a non-text answer to the check
    return t.STEP.format(n=STEPS.index(step) + 1, total=len(STEPS), question=QUESTIONS[step])


def value_label(step: str, draft: IncidentDraft) -> str:
    """The answer of ``step`` in ``draft``, as shown to the officer."""
    value = getattr(draft, FIELD[step])
    if value is None:
        return "—"
    if step in CHOICES:
        return CHOICES[step].get(value, value)
    if step == DATE:
        return value.strftime(DATE_FORMAT)
    if step == ACTIONS:
        return ", ".join(fields.ACTIONS[a] for a in value) if value else t.NO_ACTION_LABEL
    return str(value)


def actions_keyboard(selected: Sequence[str]) -> InlineKeyboardMarkup:
    """The multiple choice of actions taken, ticked ones marked, "Xong" last."""
    buttons = [
        _button((t.TICK if code in selected else t.UNTICK) + label, f"{CB_FORM}{ACTIONS}:{code}")
        for code, label in fields.ACTIONS.items()
    ]
    rows = _rows(buttons, 2)
    if not selected:
        rows.append([_button(t.BUTTON_NOTHING_YET, f"{CB_FORM}{ACTIONS}:{NOTHING_YET}")])
    rows.append([_button(t.BUTTON_DONE, f"{CB_FORM}{ACTIONS}:done")])
    rows.append(_cancel_row())
    return InlineKeyboardMarkup(rows)


def question(form: Form, problem: str | None = None, places: Sequence[str] = ()) -> Reply:
    """The message asking the form's current step (what was wrong with the answer above it).

    ``places``: the communes of the plan's area, offered as buttons at the place step.
    """
    notice = PROBLEMS.get(problem or "", t.BUTTONS_PLEASE) if problem else None
    state = form.state
    if state == CONFIRM:
        return confirm(form.draft, notice)
    if state == EDIT:
        return edit_menu()
    lines = [notice] if notice else []
    lines.append(step_title(state))
    markup: InlineKeyboardMarkup | None
    if state in CHOICES:
        per_row = 1 if state in (URGENCY, PERPETRATOR) else 2
        buttons = [_button(label, f"{CB_FORM}{state}:{code}")
                   for code, label in CHOICES[state].items()]
        markup = InlineKeyboardMarkup(_rows(buttons, per_row) + [_cancel_row()])
    elif state == DATE:
        rows = [[_button(t.BUTTON_TODAY, f"{CB_FORM}{DATE}:today"),
                 _button(t.BUTTON_YESTERDAY, f"{CB_FORM}{DATE}:yesterday")]]
        if form.pending and problem == "date_check":
            typed = dt.date.fromisoformat(form.pending).strftime(DATE_FORMAT)
            lines[0] = t.DATE_CHECK.format(date=typed, days=CONFIRM_OLDER_THAN_DAYS)
            rows.insert(0, [_button(t.BUTTON_DATE_RIGHT.format(date=typed),
                                    f"{CB_FORM}{DATE}:{DATE_CONFIRM}")])
        markup = InlineKeyboardMarkup([*rows, _cancel_row()])
    elif state == ACTIONS:
        markup = actions_keyboard(form.draft.actions or ())
    elif state == PLACE and places:
        lines.append(t.PLACE_BUTTONS)
        buttons = [_button(name, f"{CB_FORM}{PLACE}:{i}") for i, name in enumerate(places)]
        markup = InlineKeyboardMarkup(_rows(buttons, 2) + [_cancel_row()])
    else:
        markup = InlineKeyboardMarkup([_cancel_row()])
    return Reply(escape("\n".join(lines)), markup)


def answered(step: str, draft: IncidentDraft) -> str:
    """The question message once answered: the question and the answer, no buttons."""
    answer = t.DESCRIPTION_HIDDEN if step == DESCRIPTION else value_label(step, draft)
    return escape(t.ANSWERED.format(question=step_title(step), answer=answer))


def tapped(event: str, step: str | None, draft: IncidentDraft) -> str:
    """What the tapped question message becomes (HTML, no buttons) once the form moved on."""
    if event == "retype":
        return escape(t.PII_RETYPE)
    if event == "redacted":
        return escape(t.PII_REDACTED.format(text=draft.description or ""))
    if event == "editing" and step is not None:
        return escape(t.FIELD_LABELS[FIELD[step]])
    return answered(step or DESCRIPTION, draft)


def resume_offer(form: Form) -> Reply:
    """/suvu with a form kept from before: continue it (at its step) or start again."""
    step = form.state if form.state in STEPS else STEPS[-1]
    text = t.RESUME_ASK.format(n=STEPS.index(step) + 1, total=len(STEPS))
    return Reply(escape(text), InlineKeyboardMarkup([
        [_button(t.BUTTON_RESUME, CB_RESUME), _button(t.BUTTON_RESTART, CB_RESTART)],
    ]))


def start_replies(form: Form) -> list[Reply]:
    """The safety line and the introduction, then the first question."""
    intro = f"{t.SAFETY}\n\n{t.PRIVACY}\n\n{t.INTRO.format(steps=len(STEPS))}"
    return [Reply(escape(intro)), question(form)]


def _field_lines(draft: IncidentDraft) -> list[str]:
    return [t.FIELD_LINE.format(label=t.FIELD_LABELS[FIELD[s]], value=value_label(s, draft))
            for s in STEPS]


def confirm(draft: IncidentDraft, notice: str | None = None) -> Reply:
    """Everything entered, with Save / Edit / Cancel."""
    lines = ([notice] if notice else []) + [t.CONFIRM_HEAD, *_field_lines(draft)]
    markup = InlineKeyboardMarkup([
        [_button(t.BUTTON_SAVE, CB_SAVE), _button(t.BUTTON_EDIT, CB_EDIT)],
        _cancel_row(),
    ])
    return Reply(escape("\n".join(lines)), markup)


def edit_menu() -> Reply:
    """Which answer to change."""
    buttons = [_button(t.FIELD_LABELS[FIELD[s]], f"{CB_EDIT}:{s}") for s in STEPS]
    rows = _rows(buttons, 2) + [[_button(t.BUTTON_BACK, f"{CB_EDIT}:{CONFIRM}")]]
    return Reply(escape(t.EDIT_WHICH), InlineKeyboardMarkup(rows))


def pii_warning(findings: Sequence[Finding]) -> Reply:
    """The warnings on a description, with Redact / Retype / Keep."""
    lines = [t.PII_HEAD]
    lines += [t.PII_LINE.format(label=t.PII_LABELS[f.kind], text=f.text) for f in findings]
    lines.append(t.PII_ADVICE)
    markup = InlineKeyboardMarkup([
        [_button(t.BUTTON_REDACT, f"{CB_PII}redact")],
        [_button(t.BUTTON_RETYPE, f"{CB_PII}retype"), _button(t.BUTTON_KEEP, f"{CB_PII}keep")],
        _cancel_row(),
    ])
    return Reply(escape("\n".join(lines)), markup)


def _time(moment: dt.datetime) -> str:
    return moment.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")


NOTIFIED = {"coordinators": t.NOTIFIED, "admins": t.NOTIFIED_ADMINS, "nobody": t.NOTIFIED_NOBODY,
            "self_admins": t.NOTIFIED_SELF_ADMINS, "self_nobody": t.NOTIFIED_SELF_NOBODY}


def receipt(logged: Logged, notified: str, count: int = 0) -> str:
    """The receipt (HTML) that replaces the confirmation: no description left on screen.

    ``notified`` says who was told: ``coordinators`` (``count`` of them), ``admins``,
    ``nobody``, ``self_admins``, ``self_nobody`` (the reporter is the only coordinator); "" for
    a repeated save, which tells nobody again.
    """
    text = t.RECEIPT.format(number=logged.number, time=_time(logged.created_at),
                            notified=NOTIFIED.get(notified, "").format(count=count)).strip()
    return escape(f"{text}\n{t.NOTE_HINT.format(number=logged.number)}")


def note_notification(number: str) -> Reply:
    """What a coordinator is told of a note: the incident's number, never the note."""
    return Reply(escape(t.NOTE_NOTIFY.format(number=number)), InlineKeyboardMarkup(
        [[_button(t.BUTTON_VIEW.format(number=number), f"{CB_OPEN}{number}")]]))


def notification(logged: Logged, kb: KnowledgeBase) -> Reply:
    """What a coordinator is told: number, type, place, urgency, plan. Never the description."""
    text = t.NOTIFY.format(
        number=logged.number, kind=fields.KINDS.get(logged.kind, logged.kind), place=logged.place,
        urgency=fields.URGENCY_SHORT.get(logged.urgency, logged.urgency),
        plan=plan_label(kb, logged.plan_id),
    )
    markup = InlineKeyboardMarkup(
        [[_button(t.BUTTON_VIEW.format(number=logged.number), f"{CB_OPEN}{logged.number}")]]
    )
    return Reply(escape(text), markup)


def _date(view: IncidentView) -> str:
    if view.occurred_on is not None:
        return view.occurred_on.strftime("%d/%m/%Y")
    if view.occurred_month:
        year, month = view.occurred_month.split("-")
        return f"{month}/{year}"
    return "—"


def list_reply(views: Sequence[IncidentView], scope: str) -> Reply:
    """The /suvu_ds list: number, date, type, place, urgency, status; a button per incident."""
    if not views:
        return Reply(escape(t.LIST_EMPTY.format(scope=scope)))
    lines = [t.LIST_HEAD.format(scope=scope)]
    for v in views:
        lines.append(t.LIST_LINE.format(
            number=v.number, date=_date(v), kind=fields.KINDS.get(v.kind, v.kind),
            place=v.place or "—", urgency=fields.URGENCY_SHORT.get(v.urgency, v.urgency),
            status=fields.STATUS_LABELS.get(v.status, v.status),
        ))
    lines.append(t.LIST_FOOTER)
    buttons = [_button(v.number, f"{CB_OPEN}{v.number}") for v in views]
    return Reply(escape("\n".join(lines)), InlineKeyboardMarkup(_rows(buttons, 2)))


def detail(view: IncidentView, kb: KnowledgeBase) -> Reply:
    """One incident in full, with the status buttons and "hide"."""
    status = fields.STATUS_LABELS.get(view.status, view.status)
    plan = kb.get(view.plan_id)
    units = {u.id: u.name for u in plan.units} if plan else {}
    lines = [t.DETAIL_HEAD.format(number=view.number, status=status),
             t.DETAIL_LOGGED.format(time=_time(view.created_at),
                                    unit=units.get(view.unit_id or "", view.unit_id or "—"))]
    if view.reporter_name:
        lines.append(t.DETAIL_REPORTER.format(name=view.reporter_name))
    if view.anonymised:
        lines.append(t.FIELD_LINE.format(label=t.FIELD_LABELS["kind"],
                                         value=fields.KINDS.get(view.kind, view.kind)))
        lines.append(t.FIELD_LINE.format(label=t.FIELD_LABELS["place"], value=view.place))
        lines.append(t.FIELD_LINE.format(label=t.FIELD_LABELS["occurred_on"], value=_date(view)))
        lines.append(t.DETAIL_ANONYMISED)
    else:
        draft = IncidentDraft(
            kind=view.kind, setting=view.setting, place=view.place,
            occurred_on=view.occurred_on, child_sex=view.child_sex, age_group=view.age_group,
            perpetrator=view.perpetrator, description=view.description,
            actions=view.actions, urgency=view.urgency,
        )
        lines += _field_lines(draft)
        if view.notes:
            lines.append(t.DETAIL_NOTES)
            lines += [t.DETAIL_NOTE.format(time=_time(n.at), text=n.text) for n in view.notes]
    buttons = [
        _button(("✓ " if code == view.status else "") + label,
                f"{CB_STATUS}{view.number}:{code}")
        for code, label in fields.STATUS_LABELS.items()
    ]
    rows = _rows(buttons, 2) + [[_button(t.BUTTON_HIDE, f"{CB_HIDE}{view.number}")]]
    return Reply(escape("\n".join(lines)), InlineKeyboardMarkup(rows))


def group_redirect(bot_username: str, *, listing: bool, wrote_details: bool) -> Reply:
    """The only answer in a group: go to the private chat (nothing of the message repeated)."""
    text = t.GROUP_PRIVATE_ONLY + (f"\n{t.GROUP_DONT_WRITE}" if wrote_details else "")
    if not listing:
        text = f"{text}\n\n{t.SAFETY}"
    payload = "suvu_ds" if listing else "suvu"
    button = InlineKeyboardButton(
        t.GROUP_BUTTON_LIST if listing else t.GROUP_BUTTON_LOG,
        url=f"https://t.me/{bot_username}?start={payload}",
    )
    return Reply(escape(text), InlineKeyboardMarkup([[button]]))
