"""From a read document to a draft :class:`~knowledge.schema.Plan`.

Units and their tasks, deadlines, targets, hotlines, legal bases — each marked
``review: true`` — and notes on what could not be classified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.ingest import deadlines as dl, facts
from knowledge.ingest.assign import (
    Registry,
    UnitDraft,
    find_scopes,
    labelled_tasks,
    led_paragraphs,
    scope_units,
    table_units,
)
from knowledge.ingest.dates import TimeRule, first_occurrence_year, time_rule
from knowledge.ingest.header import Header, read_header, sentence_case
from knowledge.ingest.reader import Document, IngestError
from knowledge.ingest.roles import UnitKeys, find_mentions, roles, unit_keys
from knowledge.ingest.structure import Item, Outline, outline
from knowledge.ingest.tables import TableTask, assignment_rows
from knowledge.schema import DateRule, Deadline, Passage, Plan, Task
from knowledge.textnorm import clean, fold

_MONTH_ONLY = re.compile(
    r"(?:trước|chậm\s+nhất|hạn|trong)\s+(?:ngày\s+)?(?:cuối\s+|đầu\s+)?(?:tháng\s+\d{1,2}"
    r"(?:\s*/\s*\d{4}|\s+năm\s+\d{4})?|quý\s+[IV1-4]+(?:\s*/\s*\d{4})?)",
    re.IGNORECASE,
)


@dataclass
class Built:
    """A draft plan and what the reader could not place."""

    plan: Plan
    notes: list[str] = field(default_factory=list)
    info: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _short(text: str, n: int = 70) -> str:
    text = clean(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def build(doc: Document, *, plan_id: str, year: int | None = None) -> Built:
    """Read a plan document into a draft plan.

    Args:
        doc: the document's lines.
        plan_id: the plan's id.
        year: the plan's year when the officer gives it.

    Returns:
        The draft plan with notes on what could not be classified.

    Raises:
        IngestError: the document is not a plan (no title "KẾ HOẠCH" or assignment part, no
            unit), or its year cannot be found.
    """
    ol = outline(doc)
    header = read_header(doc, ol, year=year, plan_id=plan_id)
    notes = list(header.notes)
    body = ol.body
    scopes = find_scopes(body)
    rows = assignment_rows(body)
    _check_language(doc)
    official = header.title_found or header.document_number is not None
    if not body or not (official or scopes or rows):
        raise IngestError(
            f"{doc.name} không giống một kế hoạch: không thấy tiêu đề (\"KẾ HOẠCH\", \"CHỈ "
            "THỊ\", \"V/v …\"), số văn bản hay phần \"Tổ chức thực hiện\"/\"Phân công\". (This "
            "does not look like a plan.)"
        )
    if header.year is None:
        raise IngestError(
            f"Không xác định được năm của kế hoạch trong {doc.name}. Hãy chạy lại với --year "
            "NĂM. (Cannot tell the plan's year: pass --year.)"
        )
    reg = Registry(header.issuer)
    if not scopes and not rows:
        notes.append("không thấy phần \"Tổ chức thực hiện\"/\"Phân công\": đã tìm đơn vị trong "
                     "cả văn bản")
    for start, end in scopes:
        scope_units(body, start, end, reg, notes)
    if not scopes:
        scope_units(body, -1, len(body), reg, notes) if not rows else None
    consumed: set[int] = set()
    for d in reg.drafts:
        if d.head >= 0:
            consumed.add(id(body[d.head]))
        consumed.update(id(t.item) for t in d.tasks)
    consumed |= labelled_tasks(body, reg, consumed)
    consumed |= led_paragraphs(body, reg, consumed, scopes)
    table_units(rows, reg)
    reg.dissolve_joint()
    drafts = reg.drafts
    missing: list[str] = []
    if not drafts:  # a partial text: the draft has what there is, and says what is missing
        missing.append("phần phân công nhiệm vụ: không thấy đơn vị nào được giao việc (mục "
                       "đánh số bắt đầu bằng tên cơ quan, ví dụ \"1. Sở Y tế\") — văn bản có "
                       "thể chưa đầy đủ")
    keys = [unit_keys(d.unit.id, [d.unit.name, d.written, *d.unit.aliases, *d.unit.members])
            for d in drafts]
    for d in drafts:
        for ref in d.tasks:
            consumed.add(id(ref.item))
            r = roles(ref.text, keys, d.unit.id)
            r.lead = list(dict.fromkeys([*ref.lead, *r.lead]))
            for uid in ref.cooperating:
                if uid != d.unit.id and uid not in r.cooperating:
                    r.cooperating.append(uid)
            d.unit.tasks.append(Task(
                section=ref.section or ref.item.section, line=ref.line, text=ref.text,
                lead=r.lead, cooperating=r.cooperating, partners=r.partners, review=True,
            ))
    for start, end in scopes:
        for item in body[start + 1 : end]:
            if id(item) in consumed or item.heading or item.row is not None:
                continue
            notes.append(f"dòng {item.line} ({item.section}): đoạn trong phần phân công không gắn "
                         f"với đơn vị nào (ghi thành đoạn tra cứu): {_short(item.body)!r}")
    plan = _assemble(ol, header, header.year, plan_id, drafts, keys, consumed, rows, notes,
                     reg.times)
    if not plan.deadlines:
        missing.append("hạn báo cáo: văn bản không nêu hạn nào (kể cả \"theo quy định\")")
    if not ol.footer:
        missing.append("phần cuối (Nơi nhận, người ký): văn bản có thể bị cắt")
    if header.date_issued is None:
        missing.append("ngày ban hành")
    info = [f"năm {header.year}: lấy từ {header.year_from}", f"loại văn bản: {header.kind}"]
    return Built(plan, notes, info, missing)


_VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]",
                         re.IGNORECASE)


def _check_language(doc: Document) -> None:
    """Refuse a document that is not Vietnamese (with its diacritics)."""
    words = [w for _, text in doc.virtual_lines() for w in text.split() if w.isalpha()]
    if len(words) < 30:
        return
    marked = sum(1 for w in words if _VIETNAMESE.search(w))
    if marked / len(words) < 0.15:
        raise IngestError(
            f"{doc.name} không phải văn bản tiếng Việt có dấu ({marked}/{len(words)} từ có dấu "
            "tiếng Việt): trợ lý chỉ đọc kế hoạch bằng tiếng Việt. Nếu đây là bản gõ không dấu, "
            "hãy gửi bản gốc có dấu. (Not a Vietnamese document.)"
        )


def _rule_of(time: TimeRule, text: str, ctx: dl.Context) -> DateRule:
    if time.kind == "yearly":
        assert time.month is not None
        assert time.day is not None
        first = first_occurrence_year(time.month, time.day, ctx.year, ctx.plan_start)
        return DateRule(kind="yearly", month=time.month, day=time.day, first_year=first,
                        text=text)
    if time.kind == "once":
        return DateRule(kind="once", date=time.date, text=text)
    if time.kind == "period":
        return DateRule(kind="period", start=time.start, date=time.date,
                        first_year=time.first_year, last_year=time.last_year, text=text)
    if time.kind == "relative":
        return DateRule(kind="relative", days=time.days, after=time.after, text=text)
    return DateRule(kind="none", text=text)


def _row_deadlines(
    rows: list[TableTask], owners: dict[int, list[UnitDraft]], ctx: dl.Context,
) -> list[Deadline]:
    """The time column of an assignment table ("30/6/2023", "Quý IV-2025", "Thường xuyên")."""
    out = []
    for row in rows:
        leads = owners.get(id(row.item)) or []
        time = time_rule(row.time, ctx.year) if row.time else None
        if not leads or time is None:
            continue
        out.append(Deadline(
            id="d", section=row.section or row.item.section, line=row.item.line,
            title=dl.title_for("task", None, row.text), kind="task",
            rule=_rule_of(time, clean(row.time), ctx), submitters=[d.unit.id for d in leads],
            submitters_text="; ".join(d.unit.name for d in leads), recipient="",
            text=row.text, review=True,
        ))
    return out


def _time_deadlines(
    item: Item, labelled: tuple[str, list[str]] | None, ctx: dl.Context, all_ids: list[str],
    drafts: list[UnitDraft],
) -> list[Deadline]:
    """A period (or a date) for the units a "Thời gian thực hiện" line concerns.

    "- Thời gian thực hiện: Năm 2025 và các năm tiếp theo" under a task, or the plan's own
    "Thời gian thực hiện" part.
    """
    if labelled is not None:
        value, subs = labelled
    elif re.fullmatch(r"thoi gian thuc hien(?: \S+){0,3}", fold(item.context)) or re.match(
        r"^thời\s+gian\s+thực\s+hiện\b[^:]{0,40}:", item.body, re.IGNORECASE
    ):
        value, subs = item.body.split(":", 1)[-1], all_ids
    else:
        return []
    time = time_rule(value, ctx.year)
    if time is None or time.kind in ("none",):
        return []
    names = {d.unit.id: d.unit.name for d in drafts}
    text = clean(item.body)
    return [Deadline(
        id="d", section=item.section, line=item.line, title=dl.title_for("task", None, text),
        kind="task", rule=_rule_of(time, clean(value).strip(" ."), ctx), submitters=subs,
        submitters_text="; ".join(names[u] for u in subs if u in names) or "các đơn vị",
        recipient="", text=text, review=True,
    )]


def _assemble(
    ol: Outline, header: Header, year: int, plan_id: str, drafts: list[UnitDraft],
    keys: list[UnitKeys], consumed: set[int], rows: list[TableTask], notes: list[str],
    times: dict[int, tuple[str, list[str]]],
) -> Plan:
    body = ol.body
    # the documents the plan rests on are those its preamble names ("Căn cứ …", "Thực hiện …"),
    # not every document a task mentions
    pre = sorted(ol.preamble, key=lambda i: not re.match(r"^(?:Căn cứ|Thực hiện)", i.body))
    legal = facts.legal_bases([(i, "") for i in pre])
    starts = [lb.date for lb in legal if lb.date and lb.date.year == year]
    plan_start = header.date_issued or (max(starts) if starts else None)
    ctx = dl.Context(year=year, plan_start=plan_start, level=header.level.split()[0]
                     if header.level else "", locality=header.locality, issuer=header.issuer)
    if header.level in ("thành phố", "thị xã"):
        ctx.level = header.level
    task_owner: dict[int, list[UnitDraft]] = {}
    for d in drafts:
        for ref in d.tasks:
            owners = task_owner.setdefault(id(ref.item), [])
            if d not in owners and not ref.lead:  # a cooperating unit does not report for it
                owners.append(d)
    all_ids = [d.unit.id for d in drafts]
    people = {d.unit.id for d in drafts if d.person}
    found: list[Deadline] = []
    last_subject: dict[str, tuple[str, list[str]]] = {}
    for item in body:
        if item.row is not None:
            continue  # a table row: its time column (below)
        owners = task_owner.get(id(item)) or []
        for sentence in dl.sentences(item):
            recipient, _ = dl.recipient_of(sentence.text, ctx.level, ctx.locality)
            # the leadership and the recipient do not report to themselves
            exclude = people | {uid for _, uid in find_mentions(recipient, keys)}
            subject = dl.subject_of(sentence.text)
            if owners and not (subject and dl.is_everyone(subject)):
                subs = [o.unit.id for o in owners]
                subs_text = "; ".join(o.unit.name for o in owners)
            elif subject:
                subs = dl.submitters_for(subject, keys, all_ids, exclude)
                last_subject[item.context] = (subject, subs)
                subs_text = subject
            else:
                subs_text, subs = last_subject.get(item.context, ("", []))
            result = dl.find_deadlines(sentence, item, ctx, submitters=subs,
                                       submitters_text=subs_text)
            found.extend(result.deadlines)
            for bad in result.bad:
                notes.append(f"dòng {sentence.line}: ngày không hợp lệ {bad.text!r}")
            for m in _MONTH_ONLY.finditer(sentence.text):
                notes.append(f"dòng {sentence.line}: hạn chỉ có tháng/quý, không có ngày "
                             f"(không ghi thành hạn): {m.group(0)!r}")
        if not any(d.line in {ln for ln, _ in item.spans} for d in found[-3:]):
            found.extend(_time_deadlines(item, times.get(id(item)), ctx, all_ids, drafts))
    found.extend(_row_deadlines(rows, task_owner, ctx))
    deadlines = _name_deadlines(_once_each(found))
    for deadline in deadlines:
        if not deadline.recipient:
            notes.append(f"dòng {deadline.line}: hạn {deadline.id!r} không rõ gửi cho ai "
                         "(recipient để trống)")
        if not deadline.submitters:
            notes.append(f"dòng {deadline.line}: hạn {deadline.id!r} không rõ đơn vị nào phải "
                         "gửi (submitters)")
    objectives, funding, contacts, events, passages = [], [], [], [], []
    scope_text = None
    seen_contacts: set[str] = set()
    for item in body:
        context = fold(item.context)
        for contact in facts.contacts(item):
            key = contact.number or fold(contact.name)
            if key not in seen_contacts:
                seen_contacts.add(key)
                contacts.append(contact)
        events.extend(facts.events(item, year))
        if item.heading or id(item) in consumed:
            continue
        if re.search(r"\b(?:muc tieu|chi tieu|muc dich|yeu cau)\b", context):
            general = re.search(r"tong quat|muc dich|yeu cau", context)
            kind = "general" if general and not re.search(r"cu the|chi tieu", context) else (
                "specific"
            )
            objectives.extend(facts.targets(item, kind))
        if "kinh phi" in context and not item.body.rstrip().endswith(":"):
            funding.append(facts.funding(item))
        if "pham vi" in context and scope_text is None:
            scope_text = item.body
        passages.append(Passage(section=item.section, line=item.line,
                                heading=sentence_case(item.context), text=item.body,
                                review=True))
    return Plan(
        id=plan_id, title=header.title, kind=header.kind,
        document_number=header.document_number,
        issuer=header.issuer, level=header.level, locality=header.locality,
        province=header.province, locality_aliases=header.locality_aliases, year=year,
        date_issued=header.date_issued, date_text=header.date_text, signer=header.signer,
        signer_title=header.signer_title, scope=scope_text, source=f"{plan_id}.txt",
        legal_bases=legal, objectives=objectives, funding=funding, contacts=contacts,
        events=events, units=[d.unit for d in drafts], deadlines=deadlines, passages=passages,
    )


def _once_each(found: list[Deadline]) -> list[Deadline]:
    """A deadline printed twice (the same rule for the same units, in the same words) once."""
    seen: set[tuple[object, ...]] = set()
    out = []
    for d in found:
        key = (d.rule.model_dump_json(exclude={"text"}), tuple(d.submitters), fold(d.text))
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


_PERIOD_SLUG = {"6 tháng": "6-thang", "9 tháng": "9-thang", "năm": "nam", "đột xuất": "dot-xuat",
                "ngày": "hang-ngay", "tháng": "hang-thang", "quý": "hang-quy"}


def _name_deadlines(found: list[Deadline]) -> list[Deadline]:
    taken: set[str] = set()
    out = []
    for d in found:
        if d.kind == "report":
            base = "bao-cao-" + _PERIOD_SLUG.get(
                d.period or "", "dinh-ky" if d.rule.kind == "none" else "ket-qua"
            )
        elif d.kind == "plan":
            base = "ke-hoach"
        else:
            base = "-".join(fold(d.title).split()[:4]) or "han"
        if d.submitters and len(d.submitters) == 1:
            base = f"{d.submitters[0]}-{base}"
        base = re.sub(r"[^a-z0-9-]+", "-", base).strip("-")
        uid, n = base, 2
        while uid in taken:
            uid, n = f"{base}-{n}", n + 1
        taken.add(uid)
        out.append(d.model_copy(update={"id": uid}))
    return out
