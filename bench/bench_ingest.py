"""How much of a plan ``kehoach ingest`` gets right, against the curated plan files.

For each of the five plans, ingest its source text (and the same plan as a .docx built the way
the tests build one) and compare with ``knowledge/plans/<id>.yaml``:

- units: matched one to one by folded name/alias (rapidfuzz ratio or token-sort ratio ≥ 85);
- unit–task assignments: an extracted task is right when a curated task starts on the same line
  (or has nearly the same text: ratio ≥ 90, or one holds the other) and belongs to the matched
  unit;
- dated deadlines: an extracted deadline is right when a curated dated deadline sits within 3
  lines of it (for a .docx: has nearly the same sentence, as for tasks) with the same rule — a
  one-off on the same date, a yearly one on the same
  month/day from the same first year ("none" rules are not counted).

Run: ``.venv/bin/python bench/bench_ingest.py`` (add ``--docx`` to also ingest .docx versions).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from knowledge.base import read_plan_file  # noqa: E402
from knowledge.ingest import ingest_file  # noqa: E402
from knowledge.schema import Deadline, Plan, Unit  # noqa: E402
from knowledge.textnorm import fold  # noqa: E402

PLANS = ["quan3-2020", "haiduong-2017", "cantho-2017", "ducpho-2023", "binhson-2023"]
PLANS_DIR = ROOT / "knowledge" / "plans"
UNIT_THRESHOLD = 85
TASK_THRESHOLD = 90


@dataclass
class Score:
    """Counts of one comparison."""

    right: int = 0
    extracted: int = 0
    curated: int = 0
    found: int = 0  # curated items found (for recall)

    def add(self, other: Score) -> None:
        """Add another score's counts."""
        self.right += other.right
        self.extracted += other.extracted
        self.curated += other.curated
        self.found += other.found

    @property
    def precision(self) -> float:
        return self.right / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.curated if self.curated else 1.0


def _names(unit: Unit) -> list[str]:
    return [fold(n) for n in (unit.name, *unit.aliases)]


def _unit_score(a: Unit, b: Unit) -> float:
    return max(
        max(fuzz.ratio(x, y, processor=None), fuzz.token_sort_ratio(x, y, processor=None))
        for x in _names(a) for y in _names(b)
    )


def match_units(extracted: list[Unit], curated: list[Unit]) -> dict[str, str]:
    """Extracted unit id → curated unit id, one to one, best pairs first."""
    pairs = sorted(
        ((_unit_score(e, c), e.id, c.id) for e in extracted for c in curated), reverse=True
    )
    out: dict[str, str] = {}
    used: set[str] = set()
    for score, eid, cid in pairs:
        if score < UNIT_THRESHOLD:
            break
        if eid not in out and cid not in used:
            out[eid] = cid
            used.add(cid)
    return out


def _same_task(line_a: int, text_a: str, line_b: int, text_b: str) -> bool:
    if line_a == line_b:
        return True
    a, b = fold(text_a), fold(text_b)
    return fuzz.ratio(a, b, processor=None) >= TASK_THRESHOLD or (
        min(len(a), len(b)) > 40 and (a in b or b in a)
    )


def score_assignments(ext: Plan, cur: Plan, units: dict[str, str]) -> Score:
    """Precision and recall of (unit, task) pairs."""
    cur_tasks = [(u.id, t) for u in cur.units for t in u.tasks]
    ext_tasks = [(u.id, t) for u in ext.units for t in u.tasks]
    s = Score(extracted=len(ext_tasks), curated=len(cur_tasks))
    for uid, task in ext_tasks:
        if any(units.get(uid) == cid and _same_task(task.line, task.text, t.line, t.text)
               for cid, t in cur_tasks):
            s.right += 1
    for cid, task in cur_tasks:
        if any(units.get(uid) == cid and _same_task(task.line, task.text, t.line, t.text)
               for uid, t in ext_tasks):
            s.found += 1
    return s


def _rule_key(d: Deadline) -> tuple:
    r = d.rule
    if r.kind == "once":
        return ("once", r.date)
    return ("yearly", r.month, r.day, r.first_year)


def score_deadlines(ext: Plan, cur: Plan) -> tuple[Score, list[str]]:
    """Precision and recall of dated deadlines with their dates; the misses, described."""
    ext_d = [d for d in ext.deadlines if d.rule.kind != "none"]
    cur_d = [d for d in cur.deadlines if d.rule.kind != "none"]
    s = Score(extracted=len(ext_d), curated=len(cur_d))
    misses = []

    def same(a: Deadline, b: Deadline) -> bool:
        # a .docx numbers its lines differently: then the sentence tells
        near = abs(a.line - b.line) <= 3 or _same_task(0, a.text, -1, b.text)
        return near and _rule_key(a) == _rule_key(b)

    used: set[int] = set()
    for d in ext_d:
        hit = next((i for i, c in enumerate(cur_d) if i not in used and same(d, c)), None)
        if hit is not None:
            used.add(hit)
            s.right += 1
        else:
            misses.append(f"extra {d.line}: {_rule_key(d)} {d.rule.text!r}")
    s.found = len(used)
    for i, c in enumerate(cur_d):
        if i not in used:
            misses.append(f"missed {c.line}: {_rule_key(c)} {c.rule.text!r}")
    return s, misses


def bench(path: Path, plan_id: str) -> tuple[dict[str, Score], list[str], float]:
    """Ingest ``path`` and compare with the curated plan ``plan_id``."""
    curated, _ = read_plan_file(PLANS_DIR / f"{plan_id}.yaml")
    start = time.perf_counter()
    draft = ingest_file(path, plan_id=plan_id)
    elapsed = time.perf_counter() - start
    ext = draft.plan
    units = match_units(ext.units, curated.units)
    u = Score(right=len(units), extracted=len(ext.units), curated=len(curated.units),
              found=len(units))
    notes = [f"unit not matched: {x.name!r}" for x in ext.units if x.id not in units]
    notes += [f"unit missed: {c.name!r}" for c in curated.units if c.id not in units.values()]
    d, misses = score_deadlines(ext, curated)
    return ({"units": u, "assignments": score_assignments(ext, curated, units), "deadlines": d},
            notes + misses, elapsed)


def _row(name: str, scores: dict[str, Score], ms: float) -> str:
    cells = [f"{name:<18}"]
    for key in ("units", "assignments", "deadlines"):
        s = scores[key]
        cells.append(f"{s.right:>3}/{s.extracted:<3} {s.precision:6.1%} "
                     f"{s.found:>3}/{s.curated:<3} {s.recall:6.1%}")
    cells.append(f"{ms:7.1f}")
    return " | ".join(cells)


def main() -> None:
    """Print the table (and what was missed)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docx", action="store_true", help="also ingest .docx versions")
    args = parser.parse_args()
    sources: list[tuple[str, str, Path]] = [(p, "txt", PLANS_DIR / f"{p}.txt") for p in PLANS]
    if args.docx:
        from tests.ingest_docs import text_to_docx

        tmp = Path(tempfile.mkdtemp())
        for p in PLANS:
            docx_path = text_to_docx((PLANS_DIR / f"{p}.txt").read_text(encoding="utf-8"),
                                     tmp / f"{p}.docx")
            sources.append((p, "docx", docx_path))
    head = (f"{'plan':<18} | {'units: P':>8}{'':>8}{'R':>6}{'':>6} | {'assignments: P':>14}{'':>2}"
            f"{'R':>6}{'':>6} | {'dated deadlines: P':>18}{'R':>6}{'':>2} | ms")
    print(head)
    print("-" * len(head))
    totals: dict[str, dict[str, Score]] = {}
    all_notes: list[str] = []
    for plan_id, kind, path in sources:
        if not (PLANS_DIR / f"{plan_id}.yaml").exists():
            print(f"{plan_id:<18} | (no curated file yet)")
            continue
        scores, notes, elapsed = bench(path, plan_id)
        total = totals.setdefault(kind, {k: Score() for k in scores})
        for k, s in scores.items():
            total[k].add(s)
        all_notes += [f"{plan_id} ({kind}): {n}" for n in notes]
        print(_row(f"{plan_id} {kind}" if args.docx else plan_id, scores, elapsed * 1000))
    for kind, total in totals.items():
        print(_row(f"ALL {kind}", total, float("nan")))
        overall = Score()
        for s in total.values():
            overall.add(s)
        print(f"{'':<18}   overall ({kind}): precision {overall.precision:.1%}, "
              f"recall {overall.recall:.1%}")
    if all_notes:
        print("\nDifferences:")
        for note in all_notes:
            print(f"  {note}")


if __name__ == "__main__":
    main()
