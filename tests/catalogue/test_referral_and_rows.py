"""How a GP, the toegang and a citizen get to a provider (etalage.catalogue.referral), and
which arrangements a result row shows (etalage.catalogue.result_rows). Pure."""

from __future__ import annotations

import pytest

from etalage.catalogue.referral import referral_for
from etalage.catalogue.result_rows import offer_for
from etalage.provider import ProviderRecord
from etalage.region import RegionPack
from search_index.protocol import SearchRequest


def _record(**fields: object) -> ProviderRecord:
    base: dict[str, object] = {"kvk": "12345678", "slug": "voorbeeld", "name": "Voorbeeld"}
    return ProviderRecord(**{**base, **fields})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("zorgdomein", "expected"),
    [(True, "Verwijs via ZorgDomein."), (False, "verwijsbrief"), (None, "Vraag de aanbieder")],
)
def test_a_gp_reads_how_to_refer(pack: RegionPack, zorgdomein: bool | None, expected: str) -> None:
    referral = referral_for(
        _record(registration_routes=("huisarts",), referral_zorgdomein=zorgdomein), pack
    )
    assert expected in referral.gp
    assert "hulpvraag" in referral.gp_note  # without a note: what to put in at least
    assert "huisarts" in referral.citizen and not referral.direct


def test_the_providers_note_is_what_the_referral_must_contain(pack: RegionPack) -> None:
    note = "Verwijsbrief met de hulpvraag en de school."
    referral = referral_for(
        _record(registration_routes=("huisarts", "toegang"), referral_note=note), pack
    )
    assert referral.gp_note == note
    assert referral.via_toegang and "beschikking" in referral.toegang


def test_without_a_gp_route_the_gp_is_sent_to_the_wijkteam(pack: RegionPack) -> None:
    referral = referral_for(_record(registration_routes=("toegang",), serves_region=True), pack)
    assert "niet rechtstreeks" in referral.gp and "wijkteam" in referral.gp
    assert len(referral.wijkteams) == len(pack.municipalities)


def test_direct_registration_needs_no_referral(pack: RegionPack) -> None:
    referral = referral_for(_record(registration_routes=("direct",)), pack)
    assert referral.direct and "zelf aanmelden" in referral.citizen
    assert "geen beschikking" in referral.toegang


def test_a_row_shows_the_arrangements_the_search_is_about(pack: RegionPack) -> None:
    record = _record(
        arrangements=(("J1", "licht"), ("J4", "licht"), ("J4", "midden"), ("J2", "zwaar")),
    )
    # the autism expertise the search marked points at J4
    offer = offer_for(record, SearchRequest(q="autisme"), ["Autisme"], pack)
    assert [line.profile for line in offer.lines] == ["J4"] and offer.matched
    assert offer.others == 2 and offer.others_text == "en 2 andere profielen"
    # the profiel and intensiteit filters, both
    offer = offer_for(record, SearchRequest(profiel="J4", intensiteit="midden"), [], pack)
    assert [(x.profile, x.intensities) for x in offer.lines] == [("J4", "midden")]
    # a profile code typed in the search
    offer = offer_for(record, SearchRequest(q="j2 hoorn"), [], pack)
    assert [line.profile for line in offer.lines] == ["J2"]
    # nothing about the kind of help: the first ones, the rest counted
    offer = offer_for(record, SearchRequest(q="hoorn"), [], pack)
    assert not offer.matched and len(offer.lines) == 2 and offer.others == 1
