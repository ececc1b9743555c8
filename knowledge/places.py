"""The places of Viet Nam, before and after the 2025 reorganisation, and the plans they reach.

The data is the ``vietnamadminunits`` package's (maintained, MIT): the 63 provinces with their
districts and communes before 1 July 2025, the 34 provinces and 3,321 communes since, and which
old units each new one was formed from. It is read from the package's JSON files directly
(its own parser needs geometry libraries the assistant has no use for).

:class:`Gazetteer` finds place names in a folded question ("nghe an", "tinh hai duong",
"phuong xuan hoa") and :meth:`Gazetteer.plans_for` says which loaded plans cover a place and how:
its own place, a place inside the plan's province, or a place formed in 2025 from the plan's
place. Provinces and districts are found by their bare names (two words or more); communes only
after their kind ("xã", "phường", "thị trấn", "đặc khu"), as bare commune names are too often
ordinary words.
"""

from __future__ import annotations

import importlib.util
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from knowledge.textnorm import fold_search

# What users see as the source of a merger line.
_KINDS = ("tinh", "thanh pho", "quan", "huyen", "thi xa", "xa", "phuong", "thi tran", "dac khu")
_COMMUNE_KINDS = ("xa", "phuong", "thi tran", "dac khu")
PLACE_ALIASES = Path(__file__).with_name("lexicon") / "places.yaml"


def _province_aliases() -> dict[str, list[str]]:
    """Usual names of provinces that the data does not list (``lexicon/places.yaml``)."""
    data = yaml.safe_load(PLACE_ALIASES.read_text(encoding="utf-8")) or {}
    return {str(k): [str(n) for n in v or []]
            for k, v in (data.get("province_aliases") or {}).items()}


@dataclass(frozen=True)
class Place:
    """One administrative unit: its level, era, display name and where it sits."""

    key: str  # "old:thanhphohochiminh/quan3", "new:thanhphohaiphong"...
    name: str  # "Quận 3", "Thành phố Hải Phòng"
    level: str  # "province", "district", "commune"
    era: str  # "old" (before 1/7/2025) or "new"
    province: str  # the province's data key (of the same era)
    district: str = ""  # old districts and communes: the district's data key


@dataclass(frozen=True)
class Coverage:
    """How a plan covers a place named in a question."""

    plan_id: str
    place: Place
    how: str  # "own", "inside" (in the plan's area), "merged" (formed from it in 2025),
    # "contains" (the place holds the plan's area)


def _data_dir() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("thiếu gói vietnamadminunits (pip install vietnamadminunits)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _read(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((_data_dir() / name).read_text(encoding="utf-8"))
    return data


def _short(name: str) -> str:
    """"Thị xã Đức Phổ" → "duc pho", "Quận 3" → "3" (folded, kind removed)."""
    f = fold_search(name)
    for kind in sorted(_KINDS, key=len, reverse=True):
        if f.startswith(kind + " "):
            return f[len(kind) + 1 :]
    return f


def _inside_a_kind(words: list[str], i: int, n: int) -> bool:
    """Whether the name ``words[i:i+n]`` overlaps a kind word: "thi [xa thanh] pho"."""
    before = words[i - 1] if i else ""
    after = words[i + n] if i + n < len(words) else ""
    starts = f"{before} {words[i]}" in _KINDS
    ends = f"{words[i + n - 1]} {after}" in _KINDS
    return starts or ends


def _kind(name: str) -> str:
    f = fold_search(name)
    return next((k for k in sorted(_KINDS, key=len, reverse=True) if f.startswith(k + " ")), "")


class Gazetteer:
    """Every place of the data, and the lookups the engine needs."""

    def __init__(self) -> None:
        """Load the bundled data of vietnamadminunits and the lexicon's places."""
        legacy, converter, current = (_read("parser_legacy.json"), _read("converter_2025.json"),
                                      _read("parser_from_2025.json"))
        extra = _province_aliases()
        self.places: dict[str, Place] = {}
        self._names: dict[str, set[str]] = defaultdict(set)  # folded name → place keys
        self.bare_names: set[str] = set()  # names found without their kind ("duc pho")
        # old province key → new province key; old district → new communes formed from it
        self.province_successor: dict[str, str] = {}
        self.district_successors: dict[str, set[str]] = defaultdict(set)
        # new commune → the old districts it was formed from
        self.commune_predecessors: dict[str, set[str]] = defaultdict(set)
        for pkey, p in legacy["DICT_PROVINCE"].items():
            self._add(Place(f"old:{pkey}", p["province"], "province", "old", pkey),
                      [p["province"], p["provinceShort"], *extra.get(pkey, [])])
        for pkey, districts in legacy["DICT_PROVINCE_DISTRICT"].items():
            for dkey, d in districts.items():
                self._add(Place(f"old:{pkey}/{dkey}", d["district"], "district", "old", pkey,
                                dkey), [d["district"], d["districtShort"]])
        for pkey, districts in legacy["DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED"].items():
            for dkey, wards in districts.items():
                for wkey, w in wards.items():
                    self._add(Place(f"old:{pkey}/{dkey}/{wkey}", w["ward"], "commune", "old",
                                    pkey, dkey), [w["ward"]])
        for pkey, p in current["DICT_PROVINCE"].items():
            self._add(Place(f"new:{pkey}", p["province"], "province", "new", pkey),
                      [p["province"], p["provinceShort"], *extra.get(pkey, [])])
        for pkey, wards in current["DICT_PROVINCE_WARD_NO_ACCENTED"].items():
            for wkey, w in wards.items():
                self._add(Place(f"new:{pkey}/{wkey}", w["ward"], "commune", "new", pkey),
                          [w["ward"]])
        for new_key, old_keys in converter["DICT_PROVINCE"].items():
            for old in old_keys:
                self.province_successor[old] = new_key
        for new_p, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
            for new_w, olds in wards.items():
                for old in olds:
                    self._link(new_p, new_w, old)
        for new_p, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
            for old, news in olds.items():
                for n in news:
                    self._link(new_p, n["newWardKey"], old)
        self._longest = max((len(n.split()) for n in self._names), default=1)

    # -- building ---------------------------------------------------------------------------

    def _add(self, place: Place, names: Iterable[object]) -> None:
        if not isinstance(place.name, str):
            return
        self.places[place.key] = place
        for name in names:
            if not isinstance(name, str):  # a few entries of the data have no name
                continue
            f = fold_search(name)
            if not f:
                continue
            if place.level == "commune":
                if _kind(name) in _COMMUNE_KINDS:
                    self._names[f].add(place.key)
                continue
            kind = _kind(name)
            if kind:
                self._names[f].add(place.key)
                # "tp can tho", "tx duc pho" are folded by textnorm already; "q 3" likewise
            elif len(f.split()) >= 2 and not f.isdigit():
                self._names[f].add(place.key)
                self.bare_names.add(f)

    def _link(self, new_province: str, new_commune: str, old: str) -> None:
        parts = old.split("_")
        if len(parts) < 2:
            return
        district = f"old:{parts[0]}/{parts[1]}"
        self.district_successors[district].add(f"new:{new_province}/{new_commune}")
        self.commune_predecessors[f"new:{new_province}/{new_commune}"].add(district)

    # -- lookups ----------------------------------------------------------------------------

    def find(self, folded: str) -> list[tuple[str, list[Place]]]:
        """The place names in a folded question, each with the places it may name."""
        words = folded.split()
        found: list[tuple[str, list[Place]]] = []
        i = 0
        while i < len(words):  # longest name first, names do not overlap
            if i and words[i - 1] == "thi" and words[i] in {"xa", "tran"}:
                i += 1  # "thị xã, thành phố": the kind "thị xã", not "xã Thành"
                continue
            for n in range(min(self._longest, len(words) - i), 0, -1):
                name = " ".join(words[i : i + n])
                keys = self._names.get(name)
                if keys and _inside_a_kind(words, i, n):
                    keys = None  # "thị xã thành phố": not xã Thanh
                if keys:
                    found.append((name, [self.places[k] for k in sorted(keys)]))
                    i += n
                    break
            else:
                i += 1
        return found

    def is_province_name(self, folded: str) -> bool:
        """Whether a folded name names a province (of either era)."""
        return any(self.places[k].level == "province" for k in self._names.get(folded, ()))

    def lookup(self, name: str) -> list[Place]:
        """The places a name (any form: "Quận 3", "tỉnh Hải Dương") may denote."""
        return [self.places[k] for k in sorted(self._names.get(fold_search(name), ()))]

    def province_of(self, place: Place) -> Place:
        """The province a place sits in (of the same era)."""
        return self.places[f"{place.era}:{place.province}"]

    def successor_province(self, place: Place) -> Place | None:
        """The province of today that an old place's province became part of."""
        new = self.province_successor.get(place.province) if place.era == "old" else None
        return self.places.get(f"new:{new}") if new else None

    def new_communes_of(self, district: Place) -> list[Place]:
        """The communes of today formed (in whole or part) from an old district."""
        # a few keys of the package's converter are spelt unlike its commune list: left out
        return [self.places[k] for k in sorted(self.district_successors.get(district.key, ()))
                if k in self.places]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer (read once per process, ~0.3 s)."""
    return Gazetteer()


def plan_place(gaz: Gazetteer, locality: str, hints: str) -> Place | None:
    """The old unit a plan's locality names ("Quận 3" → Quận 3 of Hồ Chí Minh City).

    Args:
        gaz: the gazetteer.
        locality: the plan's locality as written ("thị xã Đức Phổ").
        hints: other text of the plan (issuer, title, aliases) naming its province, for a
            locality whose name several provinces have.
    """
    candidates = [p for p in gaz.lookup(locality) if p.era == "old" and p.level != "commune"]
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    folded = fold_search(hints)
    for place in candidates:
        if _short(gaz.province_of(place).name) in folded:
            return place
    return candidates[0]


def covers(gaz: Gazetteer, plan_place_: Place, asked: Place) -> str | None:
    """How a plan whose area is ``plan_place_`` covers the place ``asked``, or None."""
    if asked.key == plan_place_.key:
        return "own"
    if asked.era == "old":
        if plan_place_.level == "province" and asked.province == plan_place_.province:
            return "inside"
        if plan_place_.level == "district" and asked.level == "commune" and (
            f"old:{asked.province}/{asked.district}" == plan_place_.key
        ):
            return "inside"
        if asked.level == "province" and asked.province == plan_place_.province:
            return "contains"
        return None
    # a place of today
    if asked.level == "province":
        successor = gaz.successor_province(plan_place_)
        if successor and successor.key == asked.key:
            return "merged" if gaz.province_of(plan_place_).province != asked.province else (
                "contains" if plan_place_.level == "district" else "own")
        return None
    # a commune of today: formed from the plan's district, or lying in the plan's province
    olds = gaz.commune_predecessors.get(asked.key, set())
    if plan_place_.level == "district" and plan_place_.key in olds:
        return "merged"
    if plan_place_.level == "province" and any(
        o.startswith(f"old:{plan_place_.province}/") for o in olds
    ):
        return "inside"
    return None
