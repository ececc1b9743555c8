"""Answers about places and agencies outside the plans, and the one-line notes of merged places."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from core.texts import answers as P
from knowledge.answers import Answer
from knowledge.engine_base import EngineBase
from knowledge.textnorm import fold_search
from knowledge.understanding import Reading
from knowledge.wording import in_sentence, plan_label


class PlaceAnswers(EngineBase):
    """A place no plan covers, an agency no plan tasks, how an answer reached another place."""

    def _unknown_place(self, r: Reading) -> Answer:
        names = ", ".join(dict.fromkeys(in_sentence(p.name) for p in r.unknown_places))
        plans = "; ".join(plan_label(p) for p in self.kb)
        return Answer(intent="unknown", text=P.UNKNOWN_PLACE.format(place=names, plans=plans))

    def _unknown_agency(self, r: Reading) -> Answer:
        lines = [P.UNKNOWN_AGENCY.format(scope=self._scope(r)[0].upper() + self._scope(r)[1:],
                                         unit=r.unknown_agencies[0])]
        names = list(dict.fromkeys(u.name for _, u in self.kb.units(r.plan_ids)))
        near = process.extract(fold_search(r.unknown_agencies[0]), [fold_search(n) for n in names],
                               scorer=fuzz.token_set_ratio, processor=None, limit=3)
        if near:
            lines.append(P.NEAREST_UNITS.format(units=", ".join(names[i] for _, _, i in near)))
        return Answer(intent="unknown", text="\n".join(lines))

    def _place_notes(self, r: Reading, found: Answer) -> list[str]:
        """One line for each place the answer reaches through another one (merged, inside)."""
        gaz = self.reader.gaz
        notes = []
        for c in r.coverage:
            if c.how == "own" or (found.plan_ids and c.plan_id not in found.plan_ids):
                continue
            own = self.reader.plan_places[c.plan_id]
            plan = plan_label(self.kb.plans[c.plan_id])
            asked = c.place.name
            if c.how == "merged":
                phrase = (P.PLACE_MERGED_PROVINCE if c.place.level == "province"
                          else P.PLACE_MERGED_COMMUNE)
                source = P.MERGER_SOURCE if c.place.level == "province" else P.COMMUNE_SOURCE
                if c.place.level == "province":
                    own = gaz.province_of(own)
                notes.append(phrase.format(asked=asked, own=in_sentence(own.name), plan=plan,
                                           source=source))
            elif c.how == "inside":
                notes.append(P.PLACE_INSIDE.format(asked=asked, own=in_sentence(own.name),
                                                   plan=plan))
            else:
                notes.append(P.PLACE_CONTAINS.format(asked=in_sentence(asked), own=own.name,
                                                     plan=plan))
        return notes
