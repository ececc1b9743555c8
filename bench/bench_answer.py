"""Benchmark: the answering engine (issue 2) against a plain rapidfuzz baseline.

Measures, in one run on this machine:

0. the questions: the development set and the phone-style development set (dev_phone),
   whose accuracy (all rules of score.py) is printed beside the latency;
1. knowledge-base load time (the five plan files with their source checks), median of 5;
2. engine build time and answer latency p50/p99 of ``knowledge.engine.answer`` over the
   questions of the development set (question, plan and today only) at 5 plans — a first
   pass (each question new to the fold cache) and warm, repeated passes;
3. the same with the knowledge base scaled to 500 plans: in-memory deep copies of the five
   (``Plan.model_copy``) with renamed ids and localities ("Quận 3" → "Quận 3 bản 017"), and
   the questions that name a place or a plan pointed at a copy for half of them (the others
   stay on the originals or cross-plan);
4. a plain baseline, ``rapidfuzz.process.extractOne`` with ``fuzz.token_set_ratio`` over all
   task texts folded by ``knowledge.textnorm.fold`` (``processor=None``): its latency, and its
   accuracy against the engine's on the development set's "responsible" questions (the
   ``units[0]`` rule of ``../shared/eval/score.py``).

Prints tables, asserts nothing. Targets: p99 <= 5 ms at 5 plans, <= 30 ms at 500 plans; load
<= 1 s at 5 plans.

Usage: ``.venv/bin/python bench/bench_answer.py [--reps 30] [--reps-500 5] [--profile]``.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import importlib.util
import io
import json
import os
import platform
import pstats
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from knowledge.base import KnowledgeBase, load_knowledge_base  # noqa: E402
from knowledge.engine import Engine, engine_for  # noqa: E402
from knowledge.textnorm import fold  # noqa: E402

DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
DEV_PHONE = ROOT.parent / "shared" / "eval" / "dev_phone.jsonl"
SCORE = ROOT.parent / "shared" / "eval" / "score.py"
COPIES = 99  # per plan: 5 originals + 5 * 99 copies = 500 plans
TARGET_P99_5, TARGET_P99_500, TARGET_LOAD = 5.0, 30.0, 1.0

# How the dev questions name the five places (as typed), and the plan they name.
PLACES = [
    (re.compile(r"(?i)\b(quận 3|quan 3|q3)\b"), "quan3-2020"),
    (re.compile(r"(?i)\b(hải dương|hai duong)\b"), "haiduong-2017"),
    (re.compile(r"(?i)\b(cần thơ|can tho)\b"), "cantho-2017"),
    (re.compile(r"(?i)\b(đức phổ|duc pho)\b"), "ducpho-2023"),
    (re.compile(r"(?i)\b(bình sơn|binh son)\b"), "binhson-2023"),
]


@dataclass
class Question:
    """A development-set question: what is asked, of which plan, on which day."""

    id: str
    q: str
    plan: str | None
    today: dt.date
    expect: dict


def load_questions(path: Path) -> list[Question]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            out.append(Question(item["id"], item["q"], item.get("plan"),
                                dt.date.fromisoformat(item["today"]), item.get("expect", {})))
    return out


def load_scorer() -> Callable[[dict, dict], list[str]]:
    """``check(expect, answer)`` of ../shared/eval/score.py (the official rules)."""
    spec = importlib.util.spec_from_file_location("score", SCORE)
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.check


# --- measuring -------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


@dataclass
class Timings:
    """Per-call wall-clock and CPU (this thread) times, in milliseconds."""

    wall: list[float]
    cpu: list[float]

    def __iadd__(self, other: Timings) -> Timings:
        self.wall += other.wall
        self.cpu += other.cpu
        return self


def time_calls(calls: Iterable[Callable[[], object]]) -> Timings:
    """Run each call once; the wall-clock and CPU time of each, in milliseconds.

    CPU time (``time.thread_time``) leaves out the time the process waited for a CPU, which
    on a shared machine is most of a bad p99.
    """
    out = Timings([], [])
    for call in calls:
        c0, t0 = time.thread_time_ns(), time.perf_counter_ns()
        call()
        t1, c1 = time.perf_counter_ns(), time.thread_time_ns()
        out.wall.append((t1 - t0) / 1e6)
        out.cpu.append((c1 - c0) / 1e6)
    return out


def summary(t: Timings) -> dict[str, float]:
    ms = t.wall
    return {"n": len(ms), "p50": percentile(ms, 50), "p99": percentile(ms, 99),
            "mean": statistics.fmean(ms), "max": max(ms),
            "cpu50": percentile(t.cpu, 50), "cpu99": percentile(t.cpu, 99)}


# --- the scaled knowledge base ---------------------------------------------------------------


def copy_id(plan_id: str, k: int) -> str:
    return f"{plan_id}-b{k:03d}"


def scaled(kb: KnowledgeBase, copies: int = COPIES) -> KnowledgeBase:
    """The five plans plus ``copies`` renamed deep copies of each, built in memory."""
    big = KnowledgeBase()
    for plan in kb:
        big.add(plan, kb.sources[plan.id], kb.files.get(plan.id))
    for k in range(1, copies + 1):
        tag = f"bản {k:03d}"
        for plan in kb:
            copy = plan.model_copy(deep=True, update={
                "id": copy_id(plan.id, k),
                "locality": f"{plan.locality} {tag}",
                "locality_aliases": [f"{a} {tag}" for a in plan.locality_aliases],
            })
            big.add(copy, kb.sources[plan.id])
    return big


def scaled_questions(questions: list[Question]) -> list[Question]:
    """The dev questions for the 500-plan base: every other question that names a place or a
    plan is pointed at a copy ("Quận 3" → "Quận 3 bản 017"); the rest are unchanged (their
    own plan, or cross-plan over all 500)."""
    out = []
    for i, q in enumerate(questions):
        k = i % COPIES + 1
        text, plan = q.q, q.plan
        if i % 2 == 0:
            for pattern, _ in PLACES:
                text = pattern.sub(lambda m, k=k: f"{m.group(0)} bản {k:03d}", text)
            if plan:
                plan = copy_id(plan, k)
        out.append(Question(q.id, text, plan, q.today, q.expect))
    return out


# --- the baseline ------------------------------------------------------------------------------


class Baseline:
    """rapidfuzz over every task text: the best task's unit is the answer."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.choices: list[str] = []
        self.units: list[str] = []
        for _plan, unit in kb.units():
            for task in unit.tasks:
                self.choices.append(fold(task.text))
                self.units.append(unit.name)

    def answer(self, question: str) -> dict:
        hit = process.extractOne(fold(question), self.choices, scorer=fuzz.token_set_ratio,
                                 processor=None)
        units = [self.units[hit[2]]] if hit else []
        return {"intent": "responsible", "units": units, "deadlines": [], "text": "-"}


# --- the run -----------------------------------------------------------------------------------


def engine_calls(eng: Engine, questions: list[Question]) -> list[Callable[[], object]]:
    return [lambda q=q: eng.answer(q.q, today=q.today, plan_id=q.plan) for q in questions]


def bench_engine(kb: KnowledgeBase, questions: list[Question], reps: int) -> dict:
    t0 = time.perf_counter()
    eng = engine_for(kb)
    build = time.perf_counter() - t0
    eng.answer("Ai chịu trách nhiệm tuyên truyền?", today=dt.date(2026, 1, 1))  # warm-up
    first = summary(time_calls(engine_calls(eng, questions)))
    warm = Timings([], [])
    for _ in range(reps):
        warm += time_calls(engine_calls(eng, questions))
    return {"build": build, "first": first, "warm": summary(warm), "engine": eng}


def bench_baseline(base: Baseline, questions: list[Question], reps: int) -> dict:
    ms = Timings([], [])
    for _ in range(reps):
        ms += time_calls([lambda q=q: base.answer(q.q) for q in questions])
    return summary(ms)


def accuracy(check, questions: list[Question], answer: Callable[[Question], dict],
             *, units_only: bool = True) -> float:
    """Share of ``questions`` answered right: by the ``units[0]`` rule, or by every rule."""
    ok = sum(not check({"unit": q.expect["unit"]} if units_only else q.expect, answer(q))
             for q in questions)
    return ok / max(1, len(questions))


def profile(eng: Engine, questions: list[Question], top: int = 15) -> str:
    prof = cProfile.Profile()
    prof.enable()
    for q in questions:
        eng.answer(q.q, today=q.today, plan_id=q.plan)
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, nproc {os.cpu_count()}, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def row(label: str, s: dict, target: float | None = None) -> str:
    mark = ""
    if target is not None:
        mark = f"{'✔' if s['p99'] <= target else '✘'} p99 ≤ {target:g} ms"
    return (f"| {label} | {s['n']} | {s['p50']:.3f} | {s['p99']:.3f} | {s['mean']:.3f} | "
            f"{s['max']:.2f} | {s['cpu50']:.3f} | {s['cpu99']:.3f} | {mark} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=30, help="warm passes over the dev set, 5 plans")
    ap.add_argument("--reps-500", type=int, default=5, help="warm passes at 500 plans")
    ap.add_argument("--profile", action="store_true", help="always print the 500-plan profile")
    args = ap.parse_args()

    dev = load_questions(DEV)
    phone = load_questions(DEV_PHONE) if DEV_PHONE.exists() else []
    questions = dev + phone  # the latency is measured over both sets
    check = load_scorer()
    print(f"# Answering engine benchmark — {dt.datetime.now():%Y-%m-%d %H:%M}")  # noqa: DTZ005
    print(f"machine: {machine()}")
    print(f"questions: {len(dev)} from {DEV}, {len(phone)} from {DEV_PHONE}\n")

    loads = []
    for _ in range(5):
        t0 = time.perf_counter()
        kb = load_knowledge_base()
        loads.append(time.perf_counter() - t0)
    load = statistics.median(loads)
    tasks5 = sum(len(u.tasks) for _, u in kb.units())
    print(f"knowledge base load (5 plans, {tasks5} tasks): median {load * 1000:.1f} ms of 5 "
          f"(min {min(loads) * 1000:.1f}, max {max(loads) * 1000:.1f}) "
          f"{'✔' if load <= TARGET_LOAD else '✘'} ≤ {TARGET_LOAD:g} s")

    small = bench_engine(kb, questions, args.reps)
    t0 = time.perf_counter()
    big_kb = scaled(kb)
    scale_time = time.perf_counter() - t0
    big_questions = scaled_questions(questions)
    big = bench_engine(big_kb, big_questions, args.reps_500)
    tasks500 = sum(len(u.tasks) for _, u in big_kb.units())
    print(f"scaled base: {len(big_kb)} plans, {tasks500} tasks, built in {scale_time:.2f} s; "
          f"engine build {small['build'] * 1000:.0f} ms (5 plans), "
          f"{big['build'] * 1000:.0f} ms (500 plans)")

    base5 = Baseline(kb)
    base500 = Baseline(big_kb)
    b5 = bench_baseline(base5, questions, args.reps)
    b500 = bench_baseline(base500, big_questions, args.reps_500)

    print(f"\nload average at start: {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} CPUs")
    print("\n| latency (ms) | answers | p50 | p99 | mean | max | CPU p50 | CPU p99 | target |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    print(row("engine, 5 plans, first pass", small["first"]))
    print(row(f"engine, 5 plans, warm ×{args.reps}", small["warm"], TARGET_P99_5))
    print(row("engine, 500 plans, first pass", big["first"]))
    print(row(f"engine, 500 plans, warm ×{args.reps_500}", big["warm"], TARGET_P99_500))
    print(row(f"baseline rapidfuzz, 5 plans ×{args.reps}", b5))
    print(row(f"baseline rapidfuzz, 500 plans ×{args.reps_500}", b500))
    print(f"\nratios: engine 500/5 plans p50 ×{big['warm']['p50'] / small['warm']['p50']:.1f}, "
          f"p99 ×{big['warm']['p99'] / small['warm']['p99']:.1f}; engine/baseline p50 "
          f"×{small['warm']['p50'] / b5['p50']:.1f} (5 plans), "
          f"×{big['warm']['p50'] / b500['p50']:.1f} (500 plans)")

    responsible = [q for q in dev if "-r-" in q.id and "unit" in q.expect]
    eng5: Engine = small["engine"]
    acc_engine = accuracy(check, responsible, lambda q: eng5.answer(
        q.q, today=q.today, plan_id=q.plan).to_contract())
    acc_base = accuracy(check, responsible, lambda q: base5.answer(q.q))
    print(f"\naccuracy on the {len(responsible)} 'responsible' dev questions (units[0] rule): "
          f"engine {acc_engine:.3f}, baseline {acc_base:.3f}")
    for name, group in (("dev", dev), ("dev_phone", phone)):
        if group:
            acc = accuracy(check, group, lambda q: eng5.answer(
                q.q, today=q.today, plan_id=q.plan).to_contract(), units_only=False)
            print(f"accuracy on {name} ({len(group)} questions, all rules of score.py): "
                  f"{acc:.3f}, beside the latency above")

    missed = big["warm"]["p99"] > TARGET_P99_500 or small["warm"]["p99"] > TARGET_P99_5
    if args.profile or missed:
        print("\nprofile of one pass at 500 plans (by own time):")
        print(profile(big["engine"], big_questions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
