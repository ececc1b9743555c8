"""What a question names: plans (by place, title or document), units, places and agencies.

:class:`Reader` indexes one knowledge base once (folded names, cores, place patterns, document
numbers); :func:`knowledge.understanding.read` asks it about each question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from knowledge.base import KnowledgeBase
from knowledge.cues import CUE_WORDS, OFF_TOPIC
from knowledge.lexicon import default_agencies
from knowledge.places import Coverage, Gazetteer, Place, covers, gazetteer, plan_place
from knowledge.schema import Plan, Unit
from knowledge.search import STOPWORDS
from knowledge.textnorm import fold_search

# Words that name a kind of unit or a level, removed to find a unit's distinctive core.
_UNIT_GENERIC = re.compile(
    r"(?<!\w)(?:de nghi|ban thuong truc|thuong truc|uy ban nhan dan|uy ban|phong|so|"
    r"va cac to chuc thanh vien(?: cua mat tran to quoc viet nam [a-z ]*)?|cac to chuc thanh vien|"
    r"co trach nhiem|cac|cap|thi xa|thanh pho|thi tran|quan|huyen|tinh|xa|phuong)(?!\w)"
)
_LEVELS = {"xa", "phuong", "huyen", "quan", "tinh"}
# A core made only of these words says nothing about which unit ("ke hoach", "nganh").
_GENERIC_CORE = frozenset("ke hoach nganh chuong trinh tre em bao ve cong tac".split())


def unit_core(folded_name: str) -> str:
    """The distinctive words of a unit's folded name: "phong y te" → "y te"."""
    return " ".join(_UNIT_GENERIC.sub(" ", folded_name).split())


@dataclass
class UnitMention:
    """A unit of a plan named in the question, with how well it matched (0–100)."""

    plan: Plan
    unit: Unit
    score: float
    span: str



_DOC_NUMBER = re.compile(r"(?<!\w)(\d{1,5})/(?:\d{4}/)?(?:ct|qd|nd|nq|tt|kh|cv|hd)\b")
_DOC_REF = re.compile(r"(?<!\w)(?:chi thi|quyet dinh|nghi dinh|nghi quyet|thong tu|ke hoach|"
                      r"cong van|van ban)(?: so)? (\d{1,5})(?!\w)"
                      r"|(?<!\w)(\d{1,5})/(?:ct|qd|kh|cv|nd|nq|tt)\b")


TITLE_RUN = 6  # words of a plan's title in a row that name the plan
_NAMES_A_PLAN = re.compile(r"(?<!\w)(?:ke hoach|chuong trinh)(?: \w+){0,3} "
                           r"(?:trien khai|thuc hien|phong chong|cong tac|bao ve)")


def _short_name(folded: str) -> str:
    return _PLACE_PREFIX.sub("", folded)


_PLACE_PREFIX = re.compile(r"^(?:tinh|thanh pho|tp|thi xa|tx|huyen|xa|phuong|thi tran) ")


def _place_patterns(plan: Plan) -> list[str]:
    """Folded ways of naming the plan's place: "quan 3", "hai duong", "duc pho"."""
    out = set()
    for name in [plan.locality, *plan.locality_aliases]:
        f = fold_search(name)
        if not f:
            continue
        out.add(f)
        core = _PLACE_PREFIX.sub("", f)
        if core and core not in {"quan", "huyen", "tinh"} and not core.isdigit():
            out.add(core)
    return sorted(out, key=len, reverse=True)


class Reader:
    """Reads questions against one knowledge base (patterns built once)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        """Index the names of ``kb``'s plans, places, units, agencies and documents."""
        self.kb = kb
        # every folded way of naming a plan's place, in one pattern (longest first)
        self._place_ids: dict[str, list[str]] = {}
        for plan in kb:
            for pat in _place_patterns(plan):
                self._place_ids.setdefault(pat, []).append(plan.id)
        alternatives = "|".join(re.escape(p) for p in sorted(self._place_ids, key=len,
                                                                 reverse=True))
        self._place_rx = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)") if alternatives else None
        # folded full names and distinctive cores → the (plan, unit) pairs they name
        self._full: dict[str, list[tuple[Plan, Unit]]] = {}
        self._core: dict[str, list[tuple[Plan, Unit, frozenset[str]]]] = {}
        for plan, unit in kb.units():
            places = _place_patterns(plan)
            for name in {unit.name, *unit.aliases, *unit.members}:
                full = fold_search(name)
                core = unit_core(full)
                for pat in places:
                    core = re.sub(rf"(?<!\w){re.escape(pat)}(?!\w)", " ", core)
                core = " ".join(core.split())
                if full:
                    self._full.setdefault(full, []).append((plan, unit))
                if len(core.split()) >= 2 and not set(core.split()) <= _GENERIC_CORE:
                    levels = frozenset(set(fold_search(unit.name).split()) & _LEVELS)
                    self._core.setdefault(core, []).append((plan, unit, levels))
        self._max_words = max((len(k.split()) for k in [*self._full, *self._core]), default=1)
        self._init_places(gazetteer())
        # off-topic words the plans do use ("vốn" is not, "ngân hàng chính sách" may be)
        self.off_topic_in_plans = frozenset(
            m.group(0) for lines in kb.sources.values()
            for m in OFF_TOPIC.finditer(fold_search(" ".join(lines)))
        )
        self._agencies = {fold_search(a): a for a in default_agencies()}
        self._agency_words = max((len(a.split()) for a in self._agencies), default=1)
        # document numbers: "23/ct-ttg" → plans whose subject it is, and plans that cite it
        self._doc_subject: dict[str, list[str]] = {}
        self._doc_cited: dict[str, list[str]] = {}
        # runs of TITLE_RUN words of each plan's title that no other plan's title has
        grams_of = {}
        for plan in kb:
            t = fold_search(plan.title).split()
            grams_of[plan.id] = {" ".join(t[i : i + TITLE_RUN])
                                 for i in range(len(t) - TITLE_RUN + 1)}
        self._title_grams = {
            pid: g - set().union(*(o for q, o in grams_of.items() if q != pid))
            for pid, g in grams_of.items()
        }
        for plan in kb:
            subject = fold_search(f"{plan.title} {plan.document_number or ''}")
            for num in _DOC_NUMBER.findall(subject):
                self._doc_subject.setdefault(num, []).append(plan.id)
            for basis in plan.legal_bases:
                for num in _DOC_NUMBER.findall(fold_search(f"{basis.number} {basis.title}")):
                    self._doc_cited.setdefault(num, []).append(plan.id)
        self._fuzzy_cores = [c for c in self._core if len(c) >= 8]

    def _init_places(self, gaz: Gazetteer) -> None:
        """Link each plan to its place in the gazetteer; learn which bare names are words here."""
        self.gaz = gaz
        self.plan_places: dict[str, Place] = {}
        for plan in self.kb:
            hints = " ".join([plan.issuer, plan.title, *plan.locality_aliases])
            place = plan_place(gaz, plan.locality, hints)
            if place is not None:
                self.plan_places[plan.id] = place
        # a bare place name that the plans use as ordinary words ("van ban", "co to") is not a
        # place in a question, unless it is one of the plans' own places or provinces
        grams: set[str] = set()
        for lines in self.kb.sources.values():
            words = fold_search(" ".join(lines)).split()
            for n in (2, 3):
                grams.update(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
        own = {fold_search(n.name) for p in self.plan_places.values()
               for n in (p, gaz.province_of(p), gaz.successor_province(p)) if n}
        own |= {_short_name(n) for n in own}
        # and so is one made only of question words ("la gi": thị xã La Gi, or "là gì")
        question_words = CUE_WORDS | STOPWORDS
        self.word_like_places = frozenset(
            n for n in gaz.bare_names
            if n in grams or (all(w in question_words for w in n.split())
                              and not gaz.is_province_name(n))
        ) - own

    def place_mentions(self, folded: str, plan_spans: list[str]) -> list[tuple[str, list[Place]]]:
        """Places of Viet Nam named in the question, other than the plans' own place names."""
        out = []
        for span, places in self.gaz.find(folded):
            if span in self.word_like_places:
                continue
            if any(span in p or p in span for p in plan_spans):
                continue
            out.append((span, places))
        return out

    def cover(self, places: list[Place]) -> list[Coverage]:
        """How the loaded plans cover any of ``places`` (one entry per plan)."""
        found: dict[str, Coverage] = {}
        for place in places:
            for plan_id, own in self.plan_places.items():
                how = covers(self.gaz, own, place)
                if how and (plan_id not in found or how == "own"):
                    found[plan_id] = Coverage(plan_id, place, how)
        return list(found.values())

    def agencies(self, folded: str) -> list[str]:
        """Agency names in the question ("so ngoai vu"), as folded spans, longest first."""
        words = folded.split()
        out, i = [], 0
        while i < len(words):
            for n in range(min(self._agency_words, len(words) - i), 0, -1):
                gram = " ".join(words[i : i + n])
                if gram in self._agencies:
                    out.append(gram)
                    i += n
                    break
            else:
                i += 1
        return out

    def names_unit(self, agency: str, plan_ids: list[str]) -> bool:
        """Whether a unit of these plans has the agency's words in its name.

        "hai quan" in "Chi cục Hải quan khu vực XIX": then the agency is not one the plans lack.
        """
        wanted = set(plan_ids)
        return any(agency in full and any(p.id in wanted for p, _ in pairs)
                   for full, pairs in self._full.items())

    def doc_plans(self, folded: str) -> list[str]:
        """Plans named by a document number, or by a run of their title's words.

        By number: those it is the subject of, else those citing it. By title: "kh triển khai
        chương trình phòng chống tội phạm xâm hại trẻ em năm 2023".
        """
        nums = [a or b for a, b in _DOC_REF.findall(folded)]
        subject = [p for n in nums for p in self._doc_subject.get(n, [])]
        cited = [p for n in nums for p in self._doc_cited.get(n, [])]
        if subject or cited:
            return list(dict.fromkeys(subject or cited))
        if not _NAMES_A_PLAN.search(folded):  # the title only names the plan after "kế hoạch"
            return []
        words = folded.split()
        grams = {" ".join(words[i : i + TITLE_RUN]) for i in range(len(words) - TITLE_RUN + 1)}
        return [pid for pid, title_grams in self._title_grams.items() if grams & title_grams]

    def place_spans(self, folded: str) -> list[str]:
        """The place names found in the question, in order of appearance."""
        return [m.group(0) for m in self._place_rx.finditer(folded)] if self._place_rx else []

    def places(self, folded: str) -> list[str]:
        """Plan ids whose place is named in the question, in order of appearance."""
        return self.plans_named(self.place_spans(folded))

    def plans_named(self, spans: list[str]) -> list[str]:
        """Plan ids of the place names ``spans`` (from :meth:`place_spans`), without repeats."""
        return list(dict.fromkeys(pid for span in spans for pid in self._place_ids[span]))

    def units(self, folded: str, plan_ids: list[str]) -> list[UnitMention]:
        """Units of the given plans named in the question, best first.

        A unit is named when its full folded name or alias is in the question (best), or its
        distinctive core ("y te", "tu phap", "lao dong thuong binh va xa hoi") is — a bonus
        when the question also says its level (xã, huyện...) — or, for long cores, a close
        fuzzy match (typos).
        """
        wanted = set(plan_ids)
        words = folded.split()
        level_words = set(words) & _LEVELS
        best: dict[tuple[str, str], UnitMention] = {}

        def note(plan: Plan, unit: Unit, score: float, span: str) -> None:
            if plan.id not in wanted:
                return
            key = (plan.id, unit.id)
            if key not in best or best[key].score < score:
                best[key] = UnitMention(plan, unit, score, span)

        found_core = False
        for i in range(len(words)):
            for n in range(1, min(self._max_words, len(words) - i) + 1):
                gram = " ".join(words[i : i + n])
                for plan, unit in self._full.get(gram, ()):
                    note(plan, unit, 100.0 + len(gram), gram)
                for plan, unit, levels in self._core.get(gram, ()):
                    found_core = True
                    bonus = 10 if levels & level_words else 0
                    note(plan, unit, 60.0 + len(gram) + bonus, gram)
        if not best and not found_core:
            for core in self._fuzzy_cores:
                ratio = fuzz.partial_ratio(core, folded, processor=None)
                if ratio >= 90:
                    for plan, unit, _ in self._core[core]:
                        note(plan, unit, ratio - 40 + len(core) / 10, core)
        return sorted(best.values(), key=lambda m: -m.score)
