"""schema.org JSON-LD for a provider page, so search engines and assistive tools know
what the page is about: a `GovernmentService` (care the region's municipalities buy)
with the provider (`MedicalOrganization` or `Organization`), where it is offered
(`areaServed`), how to reach it (`availableChannel`) and for whom (`audience`).

Only facts the page shows; nothing is made up (no ratings). Rendered with Jinja's
`tojson`, which escapes `<`, `>` and `&`, so no text can close the script element.
"""

from __future__ import annotations

from typing import Any

from etalage.catalogue import views
from etalage.provider import ProviderRecord
from etalage.region.model import RegionPack
from etalage.web.templating import is_web_url

# Profiles of mental health and development care: the provider is a medical organisation.
MEDICAL_EXPERTISE = frozenset({"autisme", "adhd", "trauma", "angst-depressie", "eetstoornis"})


def provider_jsonld(record: ProviderRecord, pack: RegionPack, page_url: str) -> dict[str, Any]:
    organisation: dict[str, Any] = {
        "@type": "MedicalOrganization"
        if MEDICAL_EXPERTISE.intersection(record.expertise)
        else "Organization",
        "name": record.name,
        "identifier": {"@type": "PropertyValue", "propertyID": "KvK", "value": record.kvk},
    }
    if record.website and is_web_url(record.website):
        organisation["url"] = record.website
    if record.phone:
        organisation["telephone"] = record.phone
    if record.email:
        organisation["email"] = record.email
    main = record.main_location
    if main is not None and (main.address or main.postcode or main.city):
        organisation["address"] = {
            "@type": "PostalAddress",
            **({"streetAddress": main.address} if main.address else {}),
            **({"postalCode": main.postcode} if main.postcode else {}),
            **({"addressLocality": main.city} if main.city else {}),
            "addressCountry": "NL",
        }
    served = record.served_municipalities([m.code for m in pack.municipalities])
    names = {m.code: m.name for m in pack.municipalities}
    channel: dict[str, Any] = {"@type": "ServiceChannel", "serviceUrl": page_url}
    if record.phone:
        channel["servicePhone"] = {"@type": "ContactPoint", "telephone": record.phone}
    if record.languages:
        channel["availableLanguage"] = [
            {"@type": "Language", "name": pack.languages.get(code, code), "alternateName": code}
            for code in record.languages
        ]
    service: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": record.name,
        "url": page_url,
        "provider": organisation,
        "serviceOperator": {
            "@type": "GovernmentOrganization",
            "name": f"Gemeenten in {pack.name}",
        },
        "areaServed": [
            {"@type": "AdministrativeArea", "name": names.get(code, code)} for code in served
        ],
        "availableChannel": channel,
    }
    if record.description:
        service["description"] = record.description
    kinds = [
        views.pack_label(pack, "profiel", p)
        for p in dict.fromkeys(p for p, _ in record.arrangements)
    ]
    kinds += [views.pack_label(pack, "expertise", c) for c in record.expertise]
    if kinds:
        service["serviceType"] = list(dict.fromkeys(kinds))
    audience: dict[str, Any] = {"@type": "PeopleAudience"}
    if record.age_min is not None:
        audience["suggestedMinAge"] = record.age_min
    if record.age_max is not None:
        audience["suggestedMaxAge"] = record.age_max
    if len(audience) > 1:
        service["audience"] = audience
    return service
