"""Why ``/reload`` failed, worded for the admin in Vietnamese.

The plan file is named without its server path (:class:`knowledge.base.PlanFileError` carries
an English message for the log and the command line; its cause, when there is one, says what
was wrong).
"""

from __future__ import annotations

import re
from pathlib import PurePath

import yaml
from pydantic import ValidationError

from core.texts import ingest as t
from knowledge.base import PlanFileError

FIELDS_SHOWN = 5
LINES_SHOWN = 5
_DUPLICATE = re.compile(r"plan id (\S+) already loaded from (.+)$")
_SOURCE = re.compile(r"source text (.+) not found beside it$")
_CITED = re.compile(r"cited text not found in ([^:]+):")
_LINE = re.compile(r"\bline (\d+)\b")


def _field(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p + 1) if isinstance(p, int) else p for p in loc) or "?"


def _fields(error: ValidationError) -> str:
    parts = []
    for item in error.errors()[:FIELDS_SHOWN]:
        template = {"missing": t.RELOAD_FIELD_MISSING,
                    "extra_forbidden": t.RELOAD_FIELD_EXTRA}.get(item["type"],
                                                                 t.RELOAD_FIELD_BAD)
        parts.append(template.format(field=_field(item["loc"])))
    extra = error.error_count() - FIELDS_SHOWN
    more = t.RELOAD_MORE.format(n=extra) if extra > 0 else ""
    return t.RELOAD_FIELDS.format(count=error.error_count(), fields="; ".join(parts), more=more)


def _yaml(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    where = (t.RELOAD_YAML_AT.format(line=mark.line + 1, column=mark.column + 1)
             if mark is not None else "")
    return t.RELOAD_YAML.format(where=where)


def _problem(detail: str, cause: BaseException | None) -> str:
    if isinstance(cause, ValidationError):
        return _fields(cause)
    if isinstance(cause, yaml.YAMLError) or detail.startswith("cannot read YAML"):
        return _yaml(cause) if isinstance(cause, yaml.YAMLError) else t.RELOAD_YAML.format(
            where="")
    if detail.startswith("expected a mapping"):
        return t.RELOAD_NOT_MAPPING
    if detail.startswith("no plan files"):
        return t.RELOAD_NO_FILES
    if found := _SOURCE.search(detail):
        return t.RELOAD_NO_SOURCE.format(source=PurePath(found[1]).name)
    if found := _CITED.search(detail):
        problems = detail.split("\n")[1:]
        lines = list(dict.fromkeys(m[1] for p in problems if (m := _LINE.search(p))))
        shown = (t.RELOAD_CITATION_LINES.format(lines=", ".join(lines[:LINES_SHOWN]))
                 if lines else "")
        return t.RELOAD_CITATIONS.format(count=len(problems), source=PurePath(found[1]).name,
                                         lines=shown)
    if found := _DUPLICATE.search(detail):
        return t.RELOAD_DUPLICATE.format(plan_id=found[1], other=PurePath(found[2]).name)
    return t.RELOAD_OTHER


def reload_error(error: PlanFileError) -> str:
    """The admin's reading of ``error``: which file (by name), what is wrong, in Vietnamese.

    Args:
        error: the error :func:`knowledge.base.load_knowledge_base` raised.

    Returns:
        One or a few lines, plain text.
    """
    text = str(error)
    path, _, detail = text.partition(": ")
    problem = _problem(detail, error.__cause__)
    if problem == t.RELOAD_NO_FILES:
        return problem[0].upper() + problem[1:]
    return t.RELOAD_FILE.format(name=PurePath(path).name, problem=problem)
