"""Voorliggend veld first: free-access help and the wijkteam, before (or beside) the
providers that need a decision of the municipality (issue 9, point 6).

Shown when the advice is segment A, or when every matching provider waits longer than
the Treeknorm: then the citizen sees the wijkteam of their municipality (from the
postcode; region pack `municipalities[].wijkteam`, example values until the region fills
them in) and free-access (segment A) providers of the right kind, such as
mantelzorgondersteuning for a carer. docs/http-api.md#first-help.
"""

from __future__ import annotations

from typing import Any

from etalage.assistant.answers import Answers, Mode
from etalage.assistant.matching import MatchResult, ProviderIndex, Query
from etalage.assistant.rules import CRISIS_ROUTE, Decision
from etalage.region.model import RegionPack

FREE_ACCESS_LIMIT = 3
EXAMPLE_NOTICE = (
    "Let op: dit zijn voorbeeldgegevens. De regio vult de echte gegevens van het wijkteam nog in."
)


def first_help(
    pack: RegionPack,
    decision: Decision,
    answers: Answers,
    index: ProviderIndex | None,
    result: MatchResult,
    text_tags: frozenset[str],
    mode: Mode,
) -> dict[str, Any] | None:
    """The free-access help to show first, or None when the advice needs none."""
    if decision.route == CRISIS_ROUTE or decision.law is None:
        return None
    norm = pack.treeknorm.total_weeks
    over_norm = bool(result.matches) and all(
        m.wait_weeks is not None and m.wait_weeks > norm for m in result.matches
    )
    if decision.route != "A" and not over_norm:
        return None
    code = pack.municipality_of_postcode(answers.pc4) if answers.pc4 else None
    municipality = pack.municipality(code) if code else None
    team = municipality.wijkteam if municipality else None
    providers: list[dict[str, Any]] = []
    if decision.route != "A" and index is not None:
        free = index.match(
            Query(
                law=decision.law,
                segment="A",
                municipality=code,
                age=decision.age,
                text_tags=text_tags,
                origin=pack.postcode_centroid(answers.pc4) if answers.pc4 else None,
                limit=FREE_ACCESS_LIMIT,
            ),
            mode,
        )
        providers = [m.as_dict() for m in free.matches]
    if decision.route == "A":
        reason = "segment_a"
        message = (
            "Voor deze hulp hebt u geen besluit van de gemeente nodig. U kunt zelf contact"
            " opnemen met een aanbieder hieronder, of eerst met het wijkteam van uw gemeente."
        )
    else:
        reason = "treeknorm"
        message = (
            f"Bij alle aanbieders die passen, is de wachttijd langer dan {norm} weken. Het"
            " wijkteam kan u in de tussentijd helpen. Er is ook hulp waarvoor u geen besluit"
            " van de gemeente nodig hebt."
        )
    if team is None:
        message += " Vul uw postcode in, dan ziet u het wijkteam van uw gemeente."
    return {
        "reason": reason,
        "message": message,
        "wijkteam": None
        if team is None
        else {
            "gemeente": municipality.name if municipality else "",
            "name": team.name,
            "phone": team.phone,
            "email": team.email,
            "url": team.url,
            "hours": team.hours,
            "is_example": team.is_example,
        },
        "example_notice": EXAMPLE_NOTICE if team is not None and team.is_example else None,
        "providers": providers,
    }
