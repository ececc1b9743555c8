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
  month/day from the same first year (rules that give no date — none, relative, an open
  period — are not counted).

Then the development plans (``../shared/plans-dev/<id>.txt``) against the hand-made gold in
``tests/data/ingest_gold/<id>.yaml`` (format in ``docs/benchmarks.md``): units precision and
recall, assignments recall (and precision), deadlines with the right rule, and the gold's ten
questions per plan asked through the real engine on the unreviewed draft.

Run: ``.venv/bin/python bench/bench_ingest.py`` (add ``--docx`` to also ingest .docx versions of
the seeds; ``--seeds`` or ``--dev`` for one part only; ``-v`` to list every difference).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from knowledge.base import read_plan_file  # noqa: E402
from knowledge.ingest import ingest_file, write_draft  # noqa: E402
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
    ext_d = [d for d in ext.deadlines if d.rule.dated]
    cur_d = [d for d in cur.deadlines if d.rule.dated]
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
    parser.add_argument("--seeds", action="store_true", help="only the five curated plans")
    parser.add_argument("--dev", action="store_true", help="only the development plans")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the differences")
    parser.add_argument("--gold", type=Path, default=GOLD_DIR, help="the gold's folder")
    args = parser.parse_args()
    if not args.dev:
        seeds(args)
    if not args.seeds:
        print()
        dev_main(args.gold, verbose=args.verbose, docx=args.docx)


def seeds(args: argparse.Namespace) -> None:
    """The five curated plans."""
    print("SEEDS (the five curated plans)")
    sources: list[tuple[str, str, Path]] = [(p, "txt", PLANS_DIR / f"{p}.txt") for p in PLANS]
    if args.docx:
        from tests.support.ingest_docs import text_to_docx

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
    if all_notes and args.verbose:
        print("\nDifferences:")
        for note in all_notes:
            print(f"  {note}")


# --- development plans against the hand-made gold ---------------------------------------------

DEV_DIR = ROOT.parent / "shared" / "plans-dev"
GOLD_DIR = ROOT / "tests" / "data" / "ingest_gold"
LINE_SLACK = 2
DATED = {"once", "yearly", "monthly", "quarterly", "daily"}


def _gold_names(unit: dict) -> list[str]:
    return [fold(n) for n in (unit["name"], *unit.get("aliases", []))]


def _candidates(plan: Plan) -> list[tuple[str, list[str]]]:
    """Each extracted unit as (id, names); a joint heading also once per member (``id#n``)."""
    out = []
    for u in plan.units:
        out.append((u.id, _names(u)))
        out += [(f"{u.id}#{i}", [fold(m)]) for i, m in enumerate(u.members)]
    return out


def match_gold_units(plan: Plan, gold: list[dict]) -> dict[str, int]:
    """Extracted unit id (``id#n`` for a member of a joint heading) → index of the gold unit,
    one to one; a joint heading is matched whole or by its members, not both."""
    pairs = sorted(
        ((max(max(fuzz.ratio(x, y, processor=None), fuzz.token_sort_ratio(x, y, processor=None))
              for x in names for y in _gold_names(g)), eid, gi)
         for eid, names in _candidates(plan) for gi, g in enumerate(gold)),
        reverse=True,
    )
    out: dict[str, int] = {}
    used: set[int] = set()
    whole: set[str] = set()
    parts: set[str] = set()
    for score, eid, gi in pairs:
        if score < UNIT_THRESHOLD:
            break
        base, member = eid.split("#")[0], "#" in eid
        if eid in out or gi in used or (member and base in whole) or (
            not member and base in parts
        ):
            continue
        out[eid] = gi
        used.add(gi)
        (parts if member else whole).add(base)
    return out


def _extracted_units(plan: Plan, matched: dict[str, int]) -> list[tuple[str, str]]:
    """What counts as one extracted unit: a joint heading whole, or each of its members when
    they are what matched."""
    out = []
    for u in plan.units:
        members = [f"{u.id}#{i}" for i in range(len(u.members))]
        if u.members and any(m in matched for m in members):
            out += [(m, fold(n)) for m, n in zip(members, u.members, strict=True)]
        else:
            out.append((u.id, fold(u.name)))
    return out


def _snippet_in(snippet: str, text: str) -> bool:
    parts = [fold(p).strip(" .,;:") for p in str(snippet).split("...")]
    folded = fold(text)
    return all(p in folded for p in parts if p)


def _task_matches(task, gold_line: int, gold_text: str) -> bool:
    return task.line == gold_line or _snippet_in(gold_text, task.text)


@dataclass
class DevScore:
    """One dev plan's figures."""

    units: Score
    assignments: Score
    dated: Score
    undated: Score
    header: tuple[int, int]
    notes: list[str]
    questions: tuple[int, int] = (0, 0)


def score_dev(plan: Plan, gold: dict) -> DevScore:
    """Compare a draft with the gold of one dev plan."""
    gunits = gold["units"]
    matched = match_gold_units(plan, gunits)
    ext = _extracted_units(plan, matched)
    notes = [f"unit not in gold: {name!r}" for eid, name in ext if eid not in matched]
    notes += [f"unit missed: {g['name']!r}" for gi, g in enumerate(gunits)
              if gi not in matched.values()]
    units = Score(right=sum(1 for eid, _ in ext if eid in matched), extracted=len(ext),
                  curated=len(gunits), found=len(matched))
    owner_of = {eid.split("#")[0] for eid in matched}
    by_gold: dict[int, set[str]] = {}
    for eid, gi in matched.items():
        by_gold.setdefault(gi, set()).add(eid.split("#")[0])
    name_index = {fold(g["name"]): gi for gi, g in enumerate(gunits)}
    assign = Score(curated=len(gold.get("assignments", [])))
    for a in gold.get("assignments", []):
        gi = name_index.get(fold(a["unit"]))
        uids = by_gold.get(gi, set()) if gi is not None else set()
        hit = False
        for u in plan.units:
            for t in u.tasks:
                if not _task_matches(t, a["line"], a["text"]):
                    continue
                if u.id in uids or (a["role"] == "cooperate" and set(t.cooperating) & uids):
                    hit = True
        if hit:
            assign.found += 1
        else:
            notes.append(f"assignment missed: {a['unit']} ({a['role']}) line {a['line']}: "
                         f"{a['text'][:60]!r}")
    gold_lines = {(a["line"]) for a in gold.get("assignments", [])}
    for u in plan.units:
        if u.id not in owner_of:
            assign.extracted += len(u.tasks)
            continue
        for t in u.tasks:
            assign.extracted += 1
            if t.line in gold_lines or any(_snippet_in(a["text"], t.text)
                                           for a in gold.get("assignments", [])):
                assign.right += 1
    dated, undated = Score(), Score()
    used: set[int] = set()
    for g in gold.get("deadlines", []):
        bucket = dated if g["rule"] in DATED else undated
        bucket.curated += 1
        hit = None
        for i, d in enumerate(plan.deadlines):
            if i in used or not _same_rule(d, g):
                continue
            if abs(d.line - g["line"]) <= LINE_SLACK or _snippet_in(g["text"], d.text):
                hit = i
                break
        if hit is None:
            notes.append(f"deadline missed: line {g['line']} {g['rule']} {g.get('date')} "
                         f"{g['text'][:50]!r}")
        else:
            used.add(hit)
            bucket.found += 1
    for i, d in enumerate(plan.deadlines):
        bucket = dated if d.rule.kind in DATED else undated
        bucket.extracted += 1
        if i in used:
            bucket.right += 1
        else:
            notes.append(f"deadline not in gold: line {d.line} {d.rule.kind} [{d.rule.text}]")
    return DevScore(units, assign, dated, undated, _header(plan, gold.get("header", {})), notes)


def _same_rule(d: Deadline, g: dict) -> bool:
    r = d.rule
    kind = r.kind
    if kind != g["rule"]:
        return False
    want = g.get("date")
    if kind == "once":
        return str(r.date) == str(want)
    if kind == "yearly":
        same = f"{r.month:02d}-{r.day:02d}" == str(want)
        return same and (g.get("first_year") is None or g["first_year"] == r.first_year)
    if kind == "daily" and g.get("time"):
        return getattr(r, "time", None) == str(g["time"])
    return True


def _header(plan: Plan, h: dict) -> tuple[int, int]:
    """Number, date, issuer, signer, and each legal basis of the gold found (by its number)."""
    checks = [
        fold(plan.document_number or "") == fold(str(h.get("number") or "")),
        str(plan.date_issued) == str(h.get("date")),
        fold(plan.issuer) == fold(str(h.get("issuer") or "")),
        fold(plan.signer or "") == fold(str(h.get("signer") or "")),
    ]
    numbers = {fold(lb.number) for lb in plan.legal_bases}
    for basis in h.get("legal_bases") or []:
        m = re.search(r"\d[\w/&.-]*[/-][\w/&.-]+", str(basis))
        checks.append(bool(m) and fold(m.group(0)) in numbers)
    return sum(checks), len(checks)


def ask_questions(plan_id: str, draft_dir: Path, questions: list[dict]) -> tuple[int, list[str]]:
    """Ask the gold questions through the real engine on the unreviewed draft."""
    from knowledge.base import load_knowledge_base
    from knowledge.engine import answer

    kb = load_knowledge_base(draft_dir)
    right, notes = 0, []
    for q in questions:
        import datetime as dt

        today = dt.date.fromisoformat(q.get("today", "2025-12-01"))
        ans = answer(kb, q["q"], today=today, plan_id=plan_id)
        ok, why = judge(ans, q)
        right += ok
        if not ok:
            notes.append(f"question wrong: {q['q']!r}: {why}")
    return right, notes


def judge(ans, q: dict) -> tuple[bool, str]:
    """Whether an answer is right: the shared scorer's own check (``../shared/eval/score.py``)."""
    import importlib.util

    global _SCORER
    if _SCORER is None:
        spec = importlib.util.spec_from_file_location("score", ROOT.parent / "shared" / "eval"
                                                      / "score.py")
        _SCORER = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_SCORER)
    errors = _SCORER.check(q["expect"], ans.to_contract())
    return not errors, "; ".join(errors)


_SCORER = None


def dev_main(gold_dir: Path = GOLD_DIR, verbose: bool = False, docx: bool = False) -> None:
    """Score every dev plan that has gold."""
    import logging

    logging.getLogger("knowledge.base").setLevel(logging.ERROR)  # a draft is unreviewed: known
    print("DEV PLANS (../shared/plans-dev against tests/data/ingest_gold)")
    head = (f"{'plan':<46} | {'units P':>9} {'units R':>9} | {'assign R':>9} {'(P)':>9} | "
            f"{'dated ok':>8} | {'undated ok':>10} | {'header':>6} | {'questions':>9}")
    print(head)
    print("-" * len(head))
    tot = {k: Score() for k in ("units", "assignments", "dated", "undated")}
    qtot = [0, 0]
    all_notes = []
    for gold_path in sorted(gold_dir.glob("*.yaml")):
        import yaml

        plan_id = gold_path.stem
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        src = DEV_DIR / f"{plan_id}.txt"
        for kind in ("txt", "docx") if docx else ("txt",):
            if kind == "docx":
                from tests.support.ingest_docs import text_to_docx

                path = text_to_docx(src.read_text(encoding="utf-8"),
                                    Path(tempfile.mkdtemp()) / f"{plan_id}.docx")
            else:
                path = src
            _dev_row(plan_id, kind, path, gold, gold_dir, tot, qtot, all_notes, docx)
    print(f"{'ALL':<46} | {tot['units'].precision:>9.1%} {tot['units'].recall:>9.1%} | "
          f"{tot['assignments'].recall:>9.1%} {tot['assignments'].precision:>9.1%} | "
          f"{tot['dated'].recall:>8.1%} | {tot['undated'].recall:>10.1%} | {'':>6} | "
          f"{_frac(*qtot):>9}")
    print(f"  units {tot['units'].right}/{tot['units'].extracted} right, "
          f"{tot['units'].found}/{tot['units'].curated} found; assignments "
          f"{tot['assignments'].found}/{tot['assignments'].curated} found; dated deadlines "
          f"{tot['dated'].found}/{tot['dated'].curated}; undated "
          f"{tot['undated'].found}/{tot['undated'].curated}")
    if verbose:
        print("\nDifferences:")
        for n in all_notes:
            print(f"  {n}")


def _line_map(text_lines: list[str], draft_lines: list[str]) -> dict[int, int]:
    """The .txt's line numbers (the gold's) → the lines of a .docx draft's source text with the
    same words (a table row's cells are one line in both)."""
    folded = [fold(x) for x in draft_lines]
    out: dict[int, int] = {}
    at = 0
    for no, line in enumerate(text_lines, start=1):
        head = fold(line)[:40]
        if not head:
            continue
        for k in range(at, len(folded)):
            if head in folded[k] or (folded[k] and folded[k] in fold(line)):
                out[no] = k + 1
                at = k
                break
    return out


def _relined(gold: dict, lines: dict[int, int]) -> dict:
    """The gold with its line numbers moved to a .docx draft's."""
    import copy

    gold = copy.deepcopy(gold)
    for group in ("assignments", "deadlines"):
        for item in gold.get(group, []):
            item["line"] = lines.get(item["line"], -1)
    return gold


def _dev_row(plan_id: str, kind: str, path: Path, gold: dict, gold_dir: Path,
             tot: dict[str, Score], qtot: list[int], all_notes: list[str], label: bool) -> None:
    """Ingest one dev plan, score it, ask its questions, print its row."""
    try:
        draft = ingest_file(path, plan_id=plan_id)
    except Exception as exc:  # a refusal scores zero
        print(f"{plan_id:<46} | ingest failed: {exc}")
        return
    if kind == "docx":
        source = (DEV_DIR / f"{plan_id}.txt").read_text(encoding="utf-8").splitlines()
        gold = _relined(gold, _line_map(source, draft.source_text.splitlines()))
    tmp = Path(tempfile.mkdtemp())
    write_draft(draft, tmp)
    s = score_dev(draft.plan, gold)
    qpath = gold_dir / f"{plan_id}.questions.jsonl"
    if qpath.exists():
        import json

        qs = [json.loads(x) for x in qpath.read_text(encoding="utf-8").splitlines()
              if x.strip()]
        right, qnotes = ask_questions(plan_id, tmp, qs)
        s.questions = (right, len(qs))
        s.notes += qnotes
    for k, v in (("units", s.units), ("assignments", s.assignments), ("dated", s.dated),
                 ("undated", s.undated)):
        tot[k].add(v)
    qtot[0] += s.questions[0]
    qtot[1] += s.questions[1]
    all_notes += [f"{plan_id} ({kind}): {n}" for n in s.notes]
    name = f"{plan_id} {kind}" if label else plan_id
    print(f"{name:<46} | {_frac(s.units.right, s.units.extracted):>9} "
          f"{_frac(s.units.found, s.units.curated):>9} | "
          f"{_frac(s.assignments.found, s.assignments.curated):>9} "
          f"{_frac(s.assignments.right, s.assignments.extracted):>9} | "
          f"{_frac(s.dated.found, s.dated.curated):>8} | "
          f"{_frac(s.undated.found, s.undated.curated):>10} | "
          f"{s.header[0]}/{s.header[1]:<4} | {_frac(*s.questions):>9}")


def _frac(a: int, b: int) -> str:
    return f"{a}/{b}"


if __name__ == "__main__":
    main()
