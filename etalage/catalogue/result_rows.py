"""A result row's search-dependent part: which of a provider's arrangements the search
is about. Pure.

A GP scanning "autisme 10 jaar" needs to see the provider's autism arrangement, not
its five other profiles. The arrangements shown are those that fit the search:

- the `profiel` and `intensiteit` filters (both, when both are chosen);
- otherwise the profiles linked (`Profile.expertise`, docs/region-pack.md) to the
  expertise the search matched (marked in the hit) or filtered on, and a profile code
  typed in the search text ("J4");
- when the search says nothing about the kind of help, all of them.

At most `MAX_LINES` lines are shown; the rest are counted ("en 2 andere profielen").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from etalage.catalogue.views import ArrangementLine, arrangement_lines
from etalage.provider import ProviderRecord
from etalage.region.model import RegionPack
from search_index.protocol import SearchRequest, Segment
from search_index.text import words

MAX_LINES = 2


@dataclass(frozen=True)
class Offer:
    lines: Sequence[ArrangementLine]
    matched: bool  # the lines are the ones the search asked for (not simply all)
    others: int  # profiles of the provider not shown

    @property
    def others_text(self) -> str:
        if not self.others:
            return ""
        return (
            f"en {self.others} ander profiel"
            if self.others == 1
            else (f"en {self.others} andere profielen")
        )


def _wanted_profiles(
    record: ProviderRecord,
    request: SearchRequest | None,
    marked_labels: Iterable[str],
    pack: RegionPack,
) -> set[str]:
    label_codes = {t.label.casefold(): t.code for t in pack.expertise}
    tags = {label_codes[x.casefold()] for x in marked_labels if x.casefold() in label_codes}
    if request is not None:
        tags.update(request.expertise)
    offered = {p for p, _ in record.arrangements}
    wanted = {p.code for p in pack.profiles if p.code in offered and tags & set(p.expertise)}
    if request is not None and request.q:
        typed = set(words(request.q))
        wanted.update(code for code in offered if code.casefold() in typed)
    return wanted


def offer_for(
    record: ProviderRecord,
    request: SearchRequest | None,
    marked_labels: Iterable[str],
    pack: RegionPack,
) -> Offer:
    arrangements = record.arrangements
    if request is not None and (request.profiel or request.intensiteit):
        chosen = tuple(
            (p, i)
            for p, i in arrangements
            if (not request.profiel or p == request.profiel)
            and (not request.intensiteit or i == request.intensiteit)
        )
        matched = bool(chosen)
    else:
        wanted = _wanted_profiles(record, request, marked_labels, pack)
        chosen = tuple((p, i) for p, i in arrangements if p in wanted)
        matched = bool(chosen)
    if not chosen:
        chosen = arrangements
    lines = arrangement_lines(replace(record, arrangements=chosen), pack)
    all_profiles = {p for p, _ in arrangements}
    shown = lines[:MAX_LINES]
    return Offer(
        lines=shown,
        matched=matched,
        others=len(all_profiles) - len({line.profile for line in shown}),
    )


def marked_labels(expertise: Iterable[Sequence[Segment]]) -> list[str]:
    """The expertise labels in which the search marked something."""
    return ["".join(s.text for s in label) for label in expertise if any(s.match for s in label)]
