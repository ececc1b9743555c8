"""Search: each searchable entry scores a query in [0, 100]; the service ranks the best.

An entry is a unit's task, a deadline, a target, a passage... Its text is folded
(:func:`knowledge.textnorm.fold`) into terms: words and pairs of neighbouring words (Vietnamese
writes compounds as separate syllables: "trẻ em", "xâm hại"). A query's score for an entry is
the share of the query's weight that the entry contains, each term weighted by its inverse
document frequency, pairs counting double — 100 means every word of the query is there.

Query words that are not in the vocabulary are corrected to the nearest known word (one edit
away) with rapidfuzz, so typos still match.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from knowledge.schema import Deadline, Passage, Target, Task
from knowledge.textnorm import fold_search

# Words that say nothing about the topic (question words, particles, place fillers).
STOPWORDS = frozenset(
    """ai nao gi la cua va cac cho o tai ve nhung nhu the co khong duoc trong voi
    mot do day nay kia hay hoac hoi xin on ban toi minh em a nhe vay sao bao nhieu
    don vi chiu trach nhiem lam viec can phai se da dang ke hoach""".split()
)
from knowledge.tuning import PAIR_WEIGHT, WIDE_SHARE  # noqa: E402  (after the stopwords)

_KINDS: tuple[str, ...] = ("task", "deadline", "passage", "target")


def terms(text: str) -> list[str]:
    """Folded words (without stopwords) and neighbouring pairs of all words."""
    words = fold_search(text).split()
    singles = [w for w in words if w not in STOPWORDS]
    pairs = [
        f"{a}_{b}"
        for a, b in zip(words, words[1:], strict=False)
        if not (a in STOPWORDS and b in STOPWORDS)
    ]
    return singles + pairs


EntryKind = Literal["task", "deadline", "passage", "target"]


@dataclass(frozen=True, eq=False)
class Entry:
    """One searchable thing of a plan: a unit's task, a deadline, a passage or a target.

    Attributes:
        kind: what it is.
        plan_id: the plan it belongs to.
        item: the plan's item (section and line for the citation, ``text`` to quote).
        text: what is indexed (the item's text, with its heading or title).
        unit_id: for a task, its unit.
    """

    kind: EntryKind
    plan_id: str
    item: Task | Deadline | Passage | Target
    text: str
    unit_id: str = ""

    @property
    def task(self) -> Task:
        """The task of a ``task`` entry."""
        assert isinstance(self.item, Task), self.kind
        return self.item


@dataclass(eq=False)
class Index:
    """An inverted index over entries, per plan, with document frequencies and a vocabulary.

    Postings are kept per plan, so a question narrowed to a few plans reads only theirs.
    """

    entries: list[Entry] = field(default_factory=list)
    postings: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    df: dict[str, int] = field(default_factory=dict)
    vocabulary: list[str] = field(default_factory=list)
    _vocab_set: frozenset[str] = frozenset()

    def add(self, entry: Entry) -> None:
        """Index one entry."""
        i = len(self.entries)
        self.entries.append(entry)
        for t in set(terms(entry.text)):
            self.postings.setdefault(t, {}).setdefault(entry.plan_id, []).append(i)
            self.df[t] = self.df.get(t, 0) + 1

    def freeze(self) -> Index:
        """Compute the vocabulary and the arrays of wide searches once all entries are in."""
        import numpy as np  # here, not at import: a process starts faster without it

        self._vocab_set = frozenset(t for t in self.postings if "_" not in t)
        self.vocabulary = sorted(self._vocab_set)
        self._idf.cache_clear()
        plans = sorted({e.plan_id for e in self.entries})
        self._plan_no = {p: n for n, p in enumerate(plans)}
        self._entry_plan = np.array([self._plan_no[e.plan_id] for e in self.entries], np.int32)
        self._entry_kind = np.array([_KINDS.index(e.kind) for e in self.entries], np.int8)
        self._term_ids = {
            t: np.fromiter(sorted(i for ids in by_plan.values() for i in ids), np.int32)
            for t, by_plan in self.postings.items()
        }
        return self

    @lru_cache(maxsize=65536)  # noqa: B019 - the index lives as long as the process
    def _idf(self, term: str) -> float:
        return math.log(1 + len(self.entries) / (1 + self.df.get(term, 0)))

    def correct(self, word: str) -> str:
        """The word itself when known, else the nearest known word one edit away."""
        if word in self._vocab_set or len(word) < 4 or word.isdigit():
            return word
        hit = process.extractOne(
            word, self.vocabulary, scorer=Levenshtein.distance, processor=None, score_cutoff=1
        )
        return hit[0] if hit else word

    def query_terms(self, text: str) -> dict[str, float]:
        """The weighted terms of a query (after correction)."""
        words = [self.correct(w) for w in fold_search(text).split()]
        weights: dict[str, float] = {}
        for t in terms(" ".join(words)):
            if t in self.postings:
                weights[t] = self._idf(t) * (PAIR_WEIGHT if "_" in t else 1.0)
            elif "_" not in t:
                weights[t] = math.log(1 + len(self.entries))  # unknown word: full weight
        return weights

    def search(
        self,
        text: str,
        *,
        kinds: Iterable[str] | None = None,
        plan_ids: Iterable[str] | None = None,
        limit: int = 5,
    ) -> list[tuple[float, Entry]]:
        """The best entries for ``text``, each with its score in [0, 100].

        Args:
            text: the query.
            kinds: only entries of these kinds.
            plan_ids: only entries of these plans.
            limit: how many to return.

        Returns:
            ``(score, entry)`` pairs, best first.
        """
        weights = self.query_terms(text)
        total = sum(weights.values())
        if not total:
            return []
        kinds = set(kinds) if kinds is not None else None
        wanted = None if plan_ids is None else set(plan_ids)
        if wanted is None or len(wanted) * WIDE_SHARE > len(self._plan_no):
            return self._search_wide(weights, total, kinds, wanted, limit)
        acc: dict[int, float] = defaultdict(float)
        for t, w in weights.items():
            by_plan = self.postings.get(t)
            if not by_plan:
                continue
            if len(wanted) >= len(by_plan):
                lists = [ids for p, ids in by_plan.items() if p in wanted]
            else:
                lists = [by_plan[p] for p in wanted if p in by_plan]
            for ids in lists:
                for i in ids:
                    acc[i] += w
        entries = self.entries
        scored = (
            (100.0 * s / total, -i)
            for i, s in acc.items()
            if kinds is None or entries[i].kind in kinds
        )
        return [(s, entries[-i]) for s, i in heapq.nlargest(limit, scored)]

    def _search_wide(self, weights: dict[str, float], total: float, kinds: set[str] | None,
                     wanted: set[str] | None, limit: int) -> list[tuple[float, Entry]]:
        """The same ranking over many plans at once, with numpy.

        One weighted bincount over the terms' entry ids, masks for kinds and plans, a partial
        sort for the top ones.
        """
        import numpy as np

        found = [(self._term_ids[t], w) for t, w in weights.items() if t in self._term_ids]
        if not found:
            return []
        ids = np.concatenate([a for a, _ in found])
        per_id = np.concatenate([np.full(len(a), w) for a, w in found])
        scores = np.bincount(ids, weights=per_id, minlength=len(self.entries))
        if kinds is not None:
            scores[~np.isin(self._entry_kind, [_KINDS.index(k) for k in kinds])] = 0.0
        if wanted is not None:
            keep = np.zeros(len(self._plan_no), bool)
            keep[[self._plan_no[p] for p in wanted if p in self._plan_no]] = True
            scores[~keep[self._entry_plan]] = 0.0
        hits = np.flatnonzero(scores)
        if len(hits) > limit:  # the best ``limit`` (ties kept, then ordered by entry)
            cut = np.partition(scores[hits], len(hits) - limit)[len(hits) - limit]
            hits = hits[scores[hits] >= cut]
        order = sorted(hits.tolist(), key=lambda i: (-scores[i], i))[:limit]
        return [(100.0 * float(scores[i]) / total, self.entries[i]) for i in order]
