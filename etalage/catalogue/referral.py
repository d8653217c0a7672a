"""How to get to a provider, said per audience: a GP, the toegang, a citizen. Pure.

From the provider's data (docs/import-format.md#referral): the registration routes
(`aanmelding`: huisarts, toegang, direct), whether a GP refers through ZorgDomein
(`verwijzing_zorgdomein`) and what a referral must contain (`verwijzing_inhoud`). The
provider page puts this first, with the contact details; the wijkteam to contact comes
from the region pack.
"""

from __future__ import annotations

from dataclasses import dataclass

from etalage.provider import ProviderRecord
from etalage.region.model import Municipality, RegionPack

GP_ROUTE, TOEGANG_ROUTE, DIRECT_ROUTE = "huisarts", "toegang", "direct"


@dataclass(frozen=True)
class Referral:
    gp: str  # how a GP (or another verwijzer) refers
    gp_note: str  # what the referral must contain, or what to put in it at least
    toegang: str  # how the toegang / wijkteam brings in this help
    citizen: str  # what a citizen does
    direct: bool  # a citizen can register without a referral
    via_toegang: bool  # the wijkteam / toegang is a way in
    wijkteams: tuple[Municipality, ...]  # the wijkteams of the municipalities served


def _served(record: ProviderRecord, pack: RegionPack) -> tuple[Municipality, ...]:
    if record.serves_region:
        return pack.municipalities
    codes = set(record.served_municipalities([m.code for m in pack.municipalities]))
    return tuple(m for m in pack.municipalities if m.code in codes)


def referral_for(record: ProviderRecord, pack: RegionPack) -> Referral:
    routes = set(record.registration_routes)
    gp_route, toegang, direct = GP_ROUTE in routes, TOEGANG_ROUTE in routes, DIRECT_ROUTE in routes
    if gp_route:
        if record.referral_zorgdomein is True:
            gp = "Verwijs via ZorgDomein."
        elif record.referral_zorgdomein is False:
            gp = "Verwijs met een verwijsbrief aan de aanbieder (niet via ZorgDomein)."
        else:
            gp = "Verwijs met een verwijsbrief. Vraag de aanbieder of het ook via ZorgDomein kan."
    elif toegang:
        gp = (
            "Een huisarts verwijst niet rechtstreeks naar deze aanbieder. Verwijs naar het "
            "wijkteam of de toegang van de gemeente: die zet de hulp in met een beschikking."
        )
    elif direct:
        gp = "Een verwijzing is niet nodig: de cliënt kan zich zelf aanmelden."
    else:
        gp = "Vraag de aanbieder hoe u verwijst."
    if record.referral_note:
        gp_note = record.referral_note
    elif gp_route:
        gp_note = (
            "De aanbieder zegt niet wat er in de verwijzing moet. Noem in elk geval de "
            "hulpvraag, wat al geprobeerd is en eventuele diagnoses en medicatie."
        )
    else:
        gp_note = ""
    if toegang:
        toegang_text = (
            "Het wijkteam of de toegang van de gemeente zet deze hulp in met een "
            "beschikking (profiel en intensiteit)."
        )
    elif direct:
        toegang_text = "Voor deze hulp is geen beschikking nodig."
    else:
        toegang_text = "Deze aanbieder werkt niet via de toegang van de gemeente."
    if direct:
        citizen = "U kunt zich zelf aanmelden bij deze aanbieder. U hebt geen verwijzing nodig."
    elif gp_route and toegang:
        citizen = (
            "U hebt een verwijzing nodig. Vraag uw huisarts om een verwijzing, of neem "
            "contact op met het wijkteam van uw gemeente."
        )
    elif gp_route:
        citizen = "U hebt een verwijzing nodig. Vraag uw huisarts om een verwijzing."
    elif toegang:
        citizen = (
            "Neem contact op met het wijkteam van uw gemeente. Samen bekijkt u welke hulp "
            "past. De gemeente geeft daarna een beschikking."
        )
    else:
        citizen = "Neem contact op met de aanbieder om te vragen hoe u zich aanmeldt."
    return Referral(
        gp=gp,
        gp_note=gp_note,
        toegang=toegang_text,
        citizen=citizen,
        direct=direct,
        via_toegang=toegang,
        wijkteams=_served(record, pack),
    )
