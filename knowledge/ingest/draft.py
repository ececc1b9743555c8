"""The draft file an officer reviews: YAML in the schema of :mod:`knowledge.schema`.

With a comment block on top that says what was found and what could not be classified, and
the source text beside it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge.base import check_citations
from knowledge.ingest.assemble import build
from knowledge.ingest.reader import MAX_BYTES, Document, IngestError, read_bytes, read_document
from knowledge.schema import DateRule, Plan
from knowledge.textnorm import fold

logger = logging.getLogger(__name__)


@dataclass
class Draft:
    """A draft plan file and its source text.

    Attributes:
        plan: the draft plan; every extracted item has ``review: true``.
        source_text: the text its ``line`` numbers count (written beside it as ``<id>.txt``).
        source_name: the file it was read from.
        notes: what could not be classified, one line each (Vietnamese).
        info: how the plan's own particulars were found.
        missing: what a partial text lacks (no assignment part, no deadline, no signature…).
    """

    plan: Plan
    source_text: str
    source_name: str
    notes: list[str] = field(default_factory=list)
    info: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many of each kind of item the draft holds."""
        p = self.plan
        dated = [d for d in p.deadlines if d.rule.dated]
        return {
            "đơn vị": len(p.units), "nhiệm vụ": sum(len(u.tasks) for u in p.units),
            "hạn có ngày": len(dated), "hạn không ngày": len(p.deadlines) - len(dated),
            "căn cứ": len(p.legal_bases), "mục tiêu/chỉ tiêu": len(p.objectives),
            "đường dây nóng": len(p.contacts), "sự kiện": len(p.events),
            "kinh phí": len(p.funding), "đoạn tra cứu": len(p.passages),
        }

    def uncertain(self) -> list[str]:
        """Everything the officer should check first, one line each (Vietnamese).

        What could not be classified, and each deadline, unit or task the reader is unsure of.
        """
        p = self.plan
        out = list(self.notes)
        said = " ".join(self.notes)
        names = {u.id: u.name for u in p.units}
        for d in p.deadlines:
            subs = [names.get(s, s) for s in d.submitters]
            if d.recipient and any(fold(n) == fold(d.recipient) for n in subs):
                out.append(f"dòng {d.line}: hạn {d.id!r}: đơn vị nhận báo cáo "
                           f"({d.recipient}) lại được ghi là đơn vị phải gửi — kiểm tra "
                           "submitters")
            if len(d.submitters) > 1 and len(d.submitters) == len(p.units) > 2:
                out.append(f"dòng {d.line}: hạn {d.id!r} giao cho tất cả {len(p.units)} đơn vị "
                           "(câu chung cho mọi đơn vị) — kiểm tra")
            if d.rule.kind == "relative":
                out.append(f"dòng {d.line}: hạn {d.id!r} tính từ một sự kiện, không có ngày "
                           f"cụ thể ({d.rule.text!r}) — thêm ngày nếu đã biết")
            elif d.rule.kind == "period" and not d.rule.date:
                out.append(f"dòng {d.line}: hạn {d.id!r} là một khoảng thời gian không có ngày "
                           f"kết thúc ({d.rule.text!r})")
        for u in p.units:
            if all(t.lead and u.id not in t.lead for t in u.tasks):
                out.append(f"dòng {u.line}: đơn vị {u.name!r} chỉ được nêu là đơn vị phối hợp, "
                           "không có nhiệm vụ do mình chủ trì")
            if u.members:
                out.append(f"dòng {u.line}: đơn vị {u.name!r} là tên chung của "
                           f"{len(u.members)} đơn vị — có thể tách")
        return [x for x in out if x not in said or x in self.notes]

    def summary(self) -> str:
        """The summary printed to the officer and put on top of the file."""
        p = self.plan
        lines = [
            f"BẢN NHÁP {p.kind} {p.id} — đọc từ {self.source_name}. "
            "Cán bộ cần rà soát trước khi nạp.",
            f"Cơ quan ban hành: {p.issuer}; cấp: {p.level}; địa bàn: {p.locality}; năm: {p.year}.",
            "Đã nhận ra: " + ", ".join(f"{n} {k}" for k, n in self.counts().items()) + ".",
        ]
        lines += [f"({x})" for x in self.info]
        if self.missing:
            lines.append(f"CÒN THIẾU ({len(self.missing)}) — văn bản có thể chưa đầy đủ:")
            lines += [f"  - {m}" for m in self.missing]
        if p.units:
            lines.append("Đơn vị: " + "; ".join(u.name for u in p.units) + ".")
        for d in p.deadlines:
            lines.append(f"Hạn (dòng {d.line}): {d.title} — {_when(d.rule)} [{d.rule.text}]")
        doubts = self.uncertain()
        if doubts:
            lines.append(f"Cần kiểm tra ({len(doubts)}):")
            lines += [f"  - {n}" for n in doubts]
        else:
            lines.append("Cần kiểm tra: không có.")
        lines.append(f"Mọi mục có 'review: true' ({p.review_count()} mục): kiểm tra với văn bản "
                     "rồi xóa dòng đó.")
        return "\n".join(lines)

    def to_yaml(self) -> str:
        """The draft file: the summary as a comment block, then the plan."""
        data = self.plan.model_dump(mode="json", exclude_none=True)
        for unit in data["units"]:
            for task in unit["tasks"]:
                for key in ("lead", "cooperating", "partners"):
                    if not task.get(key):
                        task.pop(key, None)
            for key in ("aliases", "members"):
                if not unit.get(key):
                    unit.pop(key, None)
        for d in data["deadlines"]:
            d.setdefault("via", None)
            d.setdefault("period", None)
        comment = "\n".join(f"# {line}".rstrip() for line in self.summary().splitlines())
        body = yaml.safe_dump(_readable(data), allow_unicode=True, sort_keys=False, width=99)
        return f"{comment}\n{body}"


_FIRST = ("id", "name", "title", "number", "section", "line", "review")


def _when(rule: DateRule) -> str:
    """A rule in a few words for the summary."""
    from knowledge.deadlines import describe_rule

    if rule.kind == "once" and rule.date:
        return rule.date.isoformat()
    if rule.kind == "yearly":
        return f"{rule.day:02d}/{rule.month:02d} hằng năm từ {rule.first_year}"
    if rule.kind == "none":
        return "không có ngày"
    return describe_rule(rule)


def _readable(value: object) -> object:
    """Each item's id, name, section, line and ``review`` flag first, for the officer's eye."""
    if isinstance(value, list):
        return [_readable(v) for v in value]
    if not isinstance(value, dict):
        return value
    keys = [k for k in _FIRST if k in value] + [k for k in value if k not in _FIRST]
    return {k: _readable(value[k]) for k in keys}


def _plan_id(name: str) -> str:
    stem = Path(name).stem
    slug = re.sub(r"[^a-z0-9]+", "-", fold(stem)).strip("-")
    return slug or "ke-hoach-moi"


def ingest_document(
    doc: Document, *, plan_id: str | None = None, year: int | None = None
) -> Draft:
    """Read a document into a draft.

    Args:
        doc: the document's lines.
        plan_id: the plan's id (default: from the file name).
        year: the plan's year, when the document does not say it clearly.

    Returns:
        The draft.

    Raises:
        IngestError: the document is not a plan, or the id is not valid.
    """
    plan_id = plan_id or _plan_id(doc.name)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", plan_id):
        raise IngestError(
            f"Mã kế hoạch {plan_id!r} không hợp lệ: chỉ dùng chữ thường không dấu, số và dấu "
            "gạch ngang, ví dụ quan3-2024. (Invalid id: use a-z, 0-9 and '-'.)"
        )
    built = build(doc, plan_id=plan_id, year=year)
    lines = doc.source_text.splitlines()
    problems = list(check_citations(built.plan, lines))
    if problems:  # a bug of the reader: say so rather than write a file that will not load
        logger.error("draft %s cites text not in its source: %s", plan_id, problems[:5])
        built.notes.extend(f"lỗi trích dẫn (báo cho nhóm phát triển): {p}" for p in problems)
    return Draft(built.plan, doc.source_text, doc.name, built.notes, built.info, built.missing)


def ingest_file(
    path: Path, *, plan_id: str | None = None, year: int | None = None,
    max_bytes: int = MAX_BYTES,
) -> Draft:
    """Read a .docx or text file into a draft (see :func:`ingest_document`).

    Raises:
        IngestError: with a clear message for the officer.
    """
    return ingest_document(read_document(path, max_bytes=max_bytes), plan_id=plan_id, year=year)


def ingest_bytes(
    data: bytes, name: str, *, plan_id: str | None = None, year: int | None = None,
    max_bytes: int = MAX_BYTES,
) -> Draft:
    """Read a document received as bytes (a file sent to the bot) into a draft."""
    return ingest_document(read_bytes(data, name, max_bytes=max_bytes), plan_id=plan_id,
                           year=year)


def write_draft(draft: Draft, out: Path, *, force: bool = False) -> Path:
    """Write ``<id>.yaml`` and ``<id>.txt``.

    Args:
        draft: the draft.
        out: a folder, or the path of the .yaml file (the .txt goes beside it).
        force: overwrite existing files.

    Returns:
        The path of the .yaml file.

    Raises:
        IngestError: a file exists and ``force`` is not set, or it cannot be written.
    """
    if out.suffix.lower() in (".yaml", ".yml"):
        yaml_path = out
    else:
        yaml_path = out / f"{draft.plan.id}.yaml"
    text_path = yaml_path.parent / draft.plan.source
    for path in (yaml_path, text_path):
        if path.exists() and not force:
            raise IngestError(
                f"Tệp {path} đã có; dùng --force để ghi đè hoặc chọn -o khác. "
                f"({path} exists: use --force or another -o.)"
            )
    try:
        yaml_path.parent.mkdir(parents=True, exist_ok=True)
        text_path.write_text(draft.source_text, encoding="utf-8")
        yaml_path.write_text(draft.to_yaml(), encoding="utf-8")
    except OSError as exc:
        raise IngestError(f"Không ghi được tệp nháp: {exc}. (Cannot write the draft.)") from exc
    return yaml_path
