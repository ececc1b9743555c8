"""Who is given what: the units of a plan and their tasks, wherever the plan assigns them.

- the assignment parts — a section titled "Tổ chức thực hiện" / "Phân công nhiệm vụ", or any
  section whose numbered headings are mostly units ("II. NỘI DUNG THỰC HIỆN / 1. Sở Y tế …");
- labelled lines under a task anywhere ("- Cơ quan chủ trì: …", "- Cơ quan phối hợp: …",
  "- Cơ quan thực hiện: Sở … chủ trì …", "- Thời gian thực hiện: …");
- paragraphs that start with a unit and a verb outside those parts ("+ Sở … tổng hợp …",
  "2. Sở Tài chính chủ trì … bố trí kinh phí", "… giao Sở … thành lập đoàn kiểm tra …");
- assignment tables ("STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian …").

One unit is one entry however often it is named: "UBND cấp xã" and "Ủy ban nhân dân các xã,
phường", "Thủ trưởng các sở, ban, ngành" and "Các sở, ban, ngành" are the same unit.
"""

from __future__ import annotations

import re

from knowledge.ingest.registry import Registry, TaskRef, UnitDraft, unit_key
from knowledge.ingest.structure import Item, is_assignment_title, scope_end
from knowledge.ingest.tables import TableTask

__all__ = ["Registry", "TaskRef", "UnitDraft", "find_scopes", "labelled_tasks", "led_paragraphs",
           "scope_units", "table_units"]
from knowledge.ingest.units import (
    is_org,
    is_person_assignment,
    split_name,
    split_units,
    subject_start,
)
from knowledge.textnorm import clean, fold

# Sections that describe the plan, not who does what.
_NOT_TASKS = re.compile(
    r"\b(?:muc dich|yeu cau|muc tieu|chi tieu|pham vi|doi tuong|thanh phan|danh gia tinh hinh"
    r"|danh gia nguy co|nguy co|tinh hinh|can cu|ket qua dat duoc|ton tai)\b"
)
_LABEL = re.compile(
    r"^(?P<label>(?:cơ\s+quan|đơn\s+vị)\s+(?:chủ\s+trì|phối\s+hợp|thực\s+hiện|thường\s+trực)"
    r"|chủ\s+trì|phối\s+hợp|(?:thời\s+gian|thời\s+hạn|tiến\s+độ)(?:\s+(?:thực\s+hiện|hoàn\s+thành))?"
    r"|nội\s+dung(?:\s+thực\s+hiện)?|sản\s+phẩm(?:\s+dự\s+kiến)?|kết\s+quả(?:\s+dự\s+kiến)?)"
    r"\s*:\s*(?P<value>\S.*)$",
    re.IGNORECASE,
)
_ISSUER = re.compile(r"^(?:Ủy\s+ban\s+nhân\s+dân|UBND)(?:\s+(?:tỉnh|thành\s+phố|huyện|quận|thị"
                     r"\s+xã|xã|phường)(?:\s+\S+){0,3})?$", re.IGNORECASE)
_WHOLE_PLAN = re.compile(r"^(?:tổ\s+chức\s+|triển\s+khai\s+)?(?:thực\s+hiện|triển\s+khai)\b"
                         r"[^.;]{0,30}?\bkế\s+hoạch(?:\s+này)?\s*[./]*$", re.IGNORECASE)
_ACCOUNTABLE = re.compile(r"^chịu\s+trách\s+nhiệm\s+(?:người\s+đứng\s+đầu|trước)\b", re.I)
_OWN_REMIT = re.compile(r",?\s*(?:trong|theo)\s+(?:phạm\s+vi\s+)?chức\s+năng,?\s+nhiệm\s+vụ"
                        r"(?:\s+(?:được\s+giao|của\s+mình))?,?", re.IGNORECASE)
_EVERYONE_REPORTS = re.compile(r"^(?:các|tất\s+cả)\s", re.IGNORECASE)
_REPORTING = re.compile(r"^(?:gửi\s+|nộp\s+|định\s+kỳ\s+)?(?:báo\s+cáo|tổng\s+hợp\s+báo\s+cáo)",
                        re.IGNORECASE)
_GIVEN = re.compile(r"\bgiao\s+(?:cho\s+)?(?=\S)", re.IGNORECASE)
_GENERAL = re.compile(
    r"^(?:trong\s+quá\s+trình|yêu\s+cầu|đề\s+nghị\s+các|quá\s+trình|trên\s+đây|ủy\s+ban\s+nhân"
    r"\s+dân\s+(?:tỉnh|thành\s+phố|huyện|quận|thị\s+xã|xã|phường)\s+(?:giao|yêu\s+cầu|đề\s+nghị)"
    r"|các\s+(?:cơ\s+quan|đơn\s+vị|sở|ngành|địa\s+phương)[^.;:]{0,60}?căn\s+cứ)",
    re.IGNORECASE,
)


def find_scopes(body: list[Item]) -> list[tuple[int, int]]:
    """The assignment parts: (index of the heading, index after its last item)."""
    scopes: list[tuple[int, int]] = []
    for i, item in enumerate(body):
        if item.kind not in ("roman", "heading") or item.row is not None:
            continue
        end = scope_end(body, i)
        depth = len(item.path) + 1
        children = [c for c in body[i + 1 : end] if c.numbered and len(c.path) == depth]
        heads = [c for c in children if is_unit_heading(c)]
        titled = is_assignment_title(item.body) and len(item.body) < 80
        if titled or (len(heads) >= 2 and len(heads) * 2 >= len(children)):
            scopes.append((i, end))
    if not scopes:
        for i, item in enumerate(body):
            if item.kind in ("arabic", "dotted") and is_assignment_title(item.body) and (
                len(item.body) < 80
            ):
                return [(i, scope_end(body, i))]
    return scopes


_GENERIC = {"cac", "co", "quan", "don", "vi", "doan", "the", "dia", "phuong", "lien", "cap",
            "nganh", "va", "to", "chuc", "ca", "nhan"}


def _generic(name: str) -> bool:
    """"Các cơ quan, đơn vị, đoàn thể, địa phương": everyone, not one more unit."""
    return set(fold(name).split()) <= _GENERIC


def is_unit_heading(item: Item) -> bool:
    """A numbered (or bold) item that starts with a unit's name (or "Giao đồng chí …").

    Maybe after an opening clause ("3. Căn cứ nội dung Kế hoạch …, các sở, ban, ngành …").
    """
    at = subject_start(item.body)
    body = item.body[at:]
    if at and _generic(split_name(body).written):
        return False
    return (item.numbered or item.bold) and item.row is None and (
        is_org(body) or is_person_assignment(body)
    )


def _heading_name_continues(item: Item, nxt: Item | None) -> re.Match[str] | None:
    """A name that runs on to the next line, which then gives the task after a colon.

    Quận 3 "1.9 Ủy ban MTTQ ... và các đoàn thể" / "Quận: Tăng cường ...".
    """
    if nxt is None or nxt.kind != "text" or nxt.line != item.line + 1 or ":" in item.body:
        return None
    return re.match(r"^(?P<frag>[^\s:]+(?:\s[^\s:]+){0,3}):\s+(?P<rest>\S.*)$", nxt.body)


def scope_units(body: list[Item], start: int, end: int, reg: Registry, notes: list[str]) -> None:
    """The units named by the headings of one assignment part, with their tasks."""
    heads = [i for i in range(start + 1, end) if is_unit_heading(body[i])]
    for n, i in enumerate(heads):
        item = body[i]
        stop = heads[n + 1] if n + 1 < len(heads) else end
        for k in range(i + 1, stop):
            other = body[k]
            if other.numbered and len(other.path) <= len(item.path) and item.numbered:
                stop = k
                break
        at = subject_start(item.body)
        own = item.body[at:]
        person = is_person_assignment(own)
        if person:
            text = re.sub(r"^Giao\s+(?:cho\s+)?(?:đồng\s+chí|đ/c)\s+", "", own, flags=re.I)
            named = split_name(text)
            offset = at + len(own) - len(text) + named.rest_offset
        else:
            named = split_name(own)
            offset = at + named.rest_offset
        written, rest = named.written, named.rest
        if at and rest:  # the opening clause belongs to the task: the whole paragraph is
            rest, offset = item.body, 0
        if (rest and not own.rstrip().endswith((".", ";", ":")) and ":" not in own
                and stop > i + 1 and len(own.split()) <= 40 and not at):
            # "2. Các Sở, ngành chủ trì, quản lý … thuộc Chương trình" over its own items: the
            # whole heading names the unit
            written, rest = own.strip(" .:"), ""
        if named.title:
            written = f"{named.title} {written}"
        tasks: list[TaskRef] = []
        first_task = i + 1
        cont = _heading_name_continues(item, body[i + 1] if i + 1 < stop else None)
        if cont and not rest:
            written = f"{written} {cont.group('frag')}"
            nxt = body[i + 1]
            tasks.append(TaskRef(nxt, cont.group("rest"), nxt.line))
            first_task = i + 2
        elif rest:
            tasks.append(TaskRef(item, rest, item.line_at(offset)))
        for k in range(first_task, stop):
            other = body[k]
            if other.heading and other.body.rstrip().endswith(":") and len(other.body) < 80:
                continue
            if other.row is not None:
                break
            plain = other.kind == "text"
            # the closing sentence ("Trong quá trình …", "UBND tỉnh giao …", another unit) is
            # not this unit's task, nor a paragraph after its listed tasks
            if plain and _GENERAL.match(other.body):
                break
            if plain and is_org(other.body) and not _same_unit(reg, other.body, written):
                break
            tasks.append(TaskRef(other, other.body, other.line))
        draft = reg.add(written, item, head=i, person=person)
        if draft is None:
            continue
        if draft.head < 0:
            draft.head = i
        for ref in tasks:
            draft.add(ref)
        if not tasks:
            notes.append(f"dòng {item.line}: đơn vị {draft.unit.name!r} không có nhiệm vụ nào "
                         "được nhận ra")


def _same_unit(reg: Registry, text: str, written: str) -> bool:
    named = split_name(text)
    return unit_key(named.written) == unit_key(written)


def labelled_tasks(body: list[Item], reg: Registry, taken: set[int]) -> set[int]:
    """Tasks given by labelled lines ("- Cơ quan chủ trì: …") under a task heading.

    Returns:
        The ids of the items read.
    """
    used: set[int] = set()
    i = 0
    while i < len(body):
        if id(body[i]) in taken or not _LABEL.match(body[i].body):
            i += 1
            continue
        group = []
        while i < len(body) and _LABEL.match(body[i].body) and id(body[i]) not in taken:
            group.append(body[i])
            i += 1
        parent = _parent(body, body.index(group[0]))
        content = next((g for g in group if fold(_label(g.body).group("label"))
                        .startswith("noi dung")), None)
        anchor = content or parent
        if anchor is None:
            continue
        text = _label(content.body).group("value") if content else anchor.body
        line = anchor.line if content is None else content.line_at(
            len(content.body) - len(text))
        # the task reads with who does it: "… Cơ quan thực hiện: Sở Nội vụ chủ trì …" (the lines
        # that follow it in the document, so the text is still the source's)
        following = group[group.index(content) + 1:] if content else (
            group if body.index(group[0]) == body.index(anchor) + 1 else [])
        for g in following:
            if not re.search(r"chu tri|phoi hop|thuc hien|thuong truc",
                             fold(_label(g.body).group("label"))):
                break
            text = f"{text.rstrip()} {g.body}"
        leads: list[str] = []
        chairs: list[str] = []
        coops: list[str] = []
        for g in group:
            m = _label(g.body)
            label, value = fold(m.group("label")), m.group("value")
            if label == "chu tri" or re.match(r"^(?:co quan|don vi) (?:chu tri|thuc hien)", label):
                for names, chairing in _names_in(value):
                    leads += names
                    chairs += names if chairing or "chu tri" in label else []
            elif "phoi hop" in label:
                coops += [n for names, _ in _names_in(value) for n in names]
        lead_drafts = [d for d in (reg.add(n, group[0]) for n in leads) if d is not None]
        chair_ids = [d.unit.id for d in (reg.get(n) for n in chairs) if d is not None]
        coop_drafts = [d for d in (reg.add(n, g) for n in coops) if d is not None]
        coop_ids = [c.unit.id for c in coop_drafts]
        for draft in lead_drafts:
            others = [c for c in coop_ids if c != draft.unit.id]
            chair = [] if draft.unit.id in chair_ids else chair_ids
            draft.add(TaskRef(anchor, text, line, others, lead=chair))
        lead_ids = chair_ids or [d.unit.id for d in lead_drafts]
        for g in group:
            m = _label(g.body)
            if fold(m.group("label")).startswith(("thoi gian", "thoi han", "tien do")):
                everyone = [d.unit.id for d in lead_drafts] + [
                    c for c in coop_ids if c not in {d.unit.id for d in lead_drafts}]
                reg.times[id(g)] = (m.group("value"), everyone)
        for c in coop_drafts:  # a cooperating unit takes part in the task another leads
            if c not in lead_drafts:
                c.add(TaskRef(anchor, text, line, [i for i in coop_ids if i != c.unit.id],
                              lead=lead_ids))
        used.update(id(g) for g in group)
        if parent is not None and leads:
            used.add(id(parent))
    return used


def _label(text: str) -> re.Match[str]:
    """The label and value of a line already known to be labelled."""
    m = _LABEL.match(text)
    if m is None:
        raise ValueError(f"not a labelled line: {text[:40]!r}")
    return m


def _parent(body: list[Item], index: int) -> Item | None:
    for k in range(index - 1, -1, -1):
        if not _LABEL.match(body[k].body):
            return body[k]
    return None


def _names_in(value: str) -> list[tuple[list[str], bool]]:
    """Units named in a labelled line.

    Each clause's subjects before its verb, and whether the clause says they lead ("Sở Nội vụ
    chủ trì …").
    """
    out: list[tuple[list[str], bool]] = []
    value = _OWN_REMIT.sub("", clean(value))
    for clause in re.split(r"\s*;\s*", value.strip(" .")):
        named = split_name(clause)
        written = named.written if is_org(named.written) else ""
        if not written:
            continue
        names = [n for n in split_units(f"{named.title} {written}".strip()) if is_org(n)]
        out.append((names, bool(re.match(r"chủ\s+trì", named.rest, re.IGNORECASE))))
    return out


def led_paragraphs(body: list[Item], reg: Registry, taken: set[int],
                   scopes: list[tuple[int, int]]) -> set[int]:
    """Paragraphs outside the assignment parts that give units a task.

    They start with units and a verb ("+ Sở … tổng hợp …"), or say "giao X …".

    Returns:
        The ids of the items read.
    """
    used: set[int] = set()
    inside = {id(body[k]) for a, b in scopes for k in range(a + 1, b)}
    for item in body:
        if id(item) in taken or item.row is not None or _NOT_TASKS.search(fold(item.context)):
            continue
        if item.heading and item.kind in ("roman", "heading"):
            continue
        if id(item) in inside:  # the assignment parts are read by their headings
            continue
        text = item.body
        m = _GIVEN.search(text)
        at = subject_start(text)
        by_issuer = m is not None and _ISSUER.match(text[: m.start()].strip()) is not None
        if at:
            pass
        elif (not is_org(text) or by_issuer) and m and is_org(text[m.end():]):
            at = m.end()  # "… giao Thanh tra tỉnh thành lập đoàn kiểm tra …"
        elif not is_org(text) or _GENERAL.match(text):
            continue
        named = split_name(text[at:])
        if not named.rest or not named.written or len(named.written.split()) > 40:
            continue
        after = text[at + len(named.written) + len(named.title) + 1:]
        if _ACCOUNTABLE.match(after.strip()) or _WHOLE_PLAN.match(named.rest):
            continue  # "… chịu trách nhiệm người đứng đầu …", "… thực hiện Kế hoạch này": no task
        written = f"{named.title} {named.written}".strip()
        if subject_start(text) and _generic(named.written):
            continue  # "Căn cứ …, các cơ quan, đơn vị, địa phương …": everyone's duty
        if _EVERYONE_REPORTS.match(named.written) and _REPORTING.match(named.rest):
            continue  # "Các đơn vị gửi báo cáo …": a deadline of every unit, not one more unit
        names = [n for n in split_units(written) if is_org(n)]
        offset = at + named.rest_offset
        task = named.rest
        if subject_start(text):  # "Căn cứ …, các sở … xây dựng …": the whole paragraph
            task, offset = text, 0
        for name in names:
            draft = reg.add(name, item)
            if draft is not None:
                draft.add(TaskRef(item, task, item.line_at(offset)))
                used.add(id(item))
    return used


def table_units(rows: list[TableTask], reg: Registry) -> None:
    """Every row of an assignment table is a task of the units in its lead column.

    The units in its cooperation column are units of the plan too.
    """
    for row in rows:
        leads = [d for d in (reg.add(n, row.item, joint=False) for n in split_units(row.lead))
                 if d is not None]
        coops = [d for d in (reg.add(n, row.item, joint=False) for n in split_units(
            row.cooperating)) if d is not None] if row.cooperating else []
        lead_ids = [d.unit.id for d in leads]
        coop_ids = [c.unit.id for c in coops if c not in leads]
        for draft in leads:
            draft.add(TaskRef(row.item, row.text, row.item.line,
                              [c for c in coop_ids if c != draft.unit.id], row.section))
        for c in coops:  # a cooperating unit takes part in the task the lead column names
            if c not in leads:
                c.add(TaskRef(row.item, row.text, row.item.line,
                              [i for i in coop_ids if i != c.unit.id], row.section,
                              lead=lead_ids))
