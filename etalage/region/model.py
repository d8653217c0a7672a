"""The region pack schema.

A pack is a folder of YAML files (`pack.yaml` plus optional `postcodes.yaml`,
`assistant.yaml`, `tariffs.yaml`) merged into one document and validated here. Codes
are the contract of docs/region-pack.md#westfriesland-codes; labels are Dutch.
Cross-references (a profile's law, a synonym's target, a domain hint's profile) are
checked after parsing, so a broken pack fails at start-up with a message that names the
offending entry.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Code = str
_LANGUAGE_CODE = re.compile(r"[a-z]{2}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PostcodeArea(_Strict):
    pc4: str = Field(pattern=r"^[1-9][0-9]{3}$")
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    place: str | None = None


class Wijkteam(_Strict):
    """The municipality's free-access team (voorliggend veld): who to contact first."""

    name: str
    phone: str = Field(pattern=r"^[0-9 +()-]{3,20}$")
    email: str = ""
    url: str = ""
    address: str = ""  # where to go: street and number, postcode and place
    hours: str = ""  # when to call, in plain Dutch
    is_example: bool = False  # the pack ships example values until the region fills them in


class Municipality(_Strict):
    code: Code = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    postcodes: tuple[PostcodeArea, ...] = ()
    wijkteam: Wijkteam | None = None


class Law(_Strict):
    code: Code
    name: str
    age_min: int = Field(ge=0, le=120)
    age_max: int = Field(ge=0, le=120)
    description: str = ""


class _Named:
    name: str
    label: str

    @property
    def plain(self) -> str:
        """The B1 name citizens see (the formal name when the pack gives none)."""
        return self.label or self.name


class Segment(_Named, _Strict):
    code: Code
    name: str
    label: str = ""  # the name in plain Dutch (B1) for citizens; `name` is formal
    description: str = ""
    needs_arrangement: bool = False


class Intensity(_Named, _Strict):
    code: Code
    name: str
    label: str = ""  # the name in plain Dutch (B1) for citizens; `name` is formal
    description: str = ""


class TrajectoryType(_Named, _Strict):
    code: Code
    name: str
    label: str = ""  # the name in plain Dutch (B1) for citizens; `name` is formal
    description: str = ""


class LifeDomain(_Named, _Strict):
    code: Code
    name: str
    label: str = ""  # the name in plain Dutch (B1) for citizens; `name` is formal
    youth_only: bool = False
    description: str = ""  # B1 explanation shown next to the score


class ExpertiseTag(_Strict):
    code: Code = Field(pattern=r"^[a-z][a-z0-9-]*$")
    label: str
    synonyms: tuple[str, ...] = ()


class Profile(_Named, _Strict):
    code: Code
    law: Code
    name: str
    label: str = ""  # the name in plain Dutch (B1) for citizens; `name` is formal
    description: str = ""
    specialist_signals: tuple[str, ...] = ()
    other_signals: tuple[str, ...] = ()
    expertise: tuple[Code, ...] = ()


class DomainHint(_Strict):
    domain: Code
    profiles: dict[Code, Code] = Field(default_factory=dict)  # law -> profile


class Treeknorm(_Strict):
    registration_weeks: int = Field(ge=0)
    treatment_weeks: int = Field(ge=0)
    total_weeks: int = Field(ge=0)


class SearchFit(_Strict):
    """Which providers fit an ordinary referral, for ranking (docs/region-pack.md#search-fit).

    A search ranks providers that offer one of `ordinary_segments` (at an intensity
    other than `heavy_intensities`) above the rest, unless it asks for heavier help: a
    segment or intensity filter outside the ordinary ones, or a word that starts with one
    of `asks_for_heavy` ("verblijf", "crisis", "zwaar")."""

    ordinary_segments: tuple[Code, ...] = ()
    heavy_intensities: tuple[Code, ...] = ()
    asks_for_heavy: tuple[str, ...] = ()


class Theme(_Strict):
    """A kind of help in everyday words, for citizens browsing from the home page
    (docs/region-pack.md#themes): the providers with one of `expertise`, or found by
    the search text `q`."""

    code: Code = Field(pattern=r"^[a-z][a-z0-9-]*$")
    label: str
    description: str = ""
    expertise: tuple[Code, ...] = ()
    q: str = ""

    @model_validator(mode="after")
    def _one_way_to_find(self) -> Theme:
        if not self.expertise and not self.q:
            raise ValueError(f"thema '{self.code}' noemt geen expertise en geen zoektekst")
        return self


class Tariff(_Strict):
    profile: Code
    intensity: Code
    trajectory: Code
    amount_eur: float = Field(ge=0)
    unit: Literal["traject", "maand", "jaar"] = "traject"


class Tariffs(_Strict):
    is_example: bool = True
    note: str = ""
    valid_from: date | None = None
    items: tuple[Tariff, ...] = ()


class RegionPack(_Strict):
    code: Code
    name: str
    is_demo: bool = False
    freshness_weeks: int = Field(default=6, ge=1, le=104)
    kpi_min_n: int = Field(default=20, ge=1)
    treeknorm: Treeknorm = Treeknorm(registration_weeks=4, treatment_weeks=10, total_weeks=14)
    municipalities: tuple[Municipality, ...]
    laws: tuple[Law, ...]
    segments: tuple[Segment, ...]
    intensities: tuple[Intensity, ...]
    trajectory_types: tuple[TrajectoryType, ...]
    life_domains: tuple[LifeDomain, ...]
    expertise: tuple[ExpertiseTag, ...]
    profiles: tuple[Profile, ...]
    domain_hints: tuple[DomainHint, ...] = ()
    # spelling variant or synonym -> canonical term (an expertise code, a profile
    # signal, a municipality code or name): used by search and the assistant alike.
    spelling_variants: dict[str, str] = Field(default_factory=dict)
    languages: dict[Code, str] = Field(default_factory=dict)  # ISO 639-1 -> Dutch name
    registration_routes: dict[Code, str] = Field(default_factory=dict)
    tariffs: Tariffs = Tariffs()
    search_fit: SearchFit = SearchFit()
    themes: tuple[Theme, ...] = ()
    # The assistant's rules and lexicon; validated by etalage.assistant when it loads.
    assistant: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check_references(self) -> RegionPack:
        errors: list[str] = []
        for what, codes in (
            ("gemeente", [m.code for m in self.municipalities]),
            ("wet", [x.code for x in self.laws]),
            ("segment", [x.code for x in self.segments]),
            ("intensiteit", [x.code for x in self.intensities]),
            ("trajecttype", [x.code for x in self.trajectory_types]),
            ("levensdomein", [x.code for x in self.life_domains]),
            ("expertise", [x.code for x in self.expertise]),
            ("profiel", [x.code for x in self.profiles]),
            ("postcode", [p.pc4 for m in self.municipalities for p in m.postcodes]),
        ):
            for code, count in Counter(codes).items():
                if count > 1:
                    errors.append(f"dubbele code voor {what}: '{code}' komt {count} keer voor")
        laws = {x.code for x in self.laws}
        expertise = {x.code for x in self.expertise}
        domains = {x.code for x in self.life_domains}
        profiles = {x.code: x for x in self.profiles}
        for pack_law in self.laws:
            if pack_law.age_min > pack_law.age_max:
                errors.append(f"wet '{pack_law.code}': age_min is groter dan age_max")
        for profile in self.profiles:
            if profile.law not in laws:
                errors.append(f"profiel '{profile.code}' hoort bij onbekende wet '{profile.law}'")
            for tag in profile.expertise:
                if tag not in expertise:
                    errors.append(f"profiel '{profile.code}' noemt onbekende expertise '{tag}'")
        for hint in self.domain_hints:
            if hint.domain not in domains:
                errors.append(f"domeinhint voor onbekend levensdomein '{hint.domain}'")
            for law, code in hint.profiles.items():
                if law not in laws:
                    errors.append(f"domeinhint '{hint.domain}' noemt onbekende wet '{law}'")
                elif code not in profiles:
                    errors.append(
                        f"domeinhint '{hint.domain}' wijst naar onbekend profiel '{code}'"
                    )
                elif profiles[code].law != law:
                    errors.append(
                        f"domeinhint '{hint.domain}': profiel '{code}' hoort niet bij wet '{law}'"
                    )
        known_terms = self.vocabulary_terms()
        for variant, target in self.spelling_variants.items():
            if _norm(target) not in known_terms:
                errors.append(f"synoniem '{variant}' wijst naar '{target}', maar dat bestaat niet")
        intensities = {x.code for x in self.intensities}
        trajectories = {x.code for x in self.trajectory_types}
        for tariff in self.tariffs.items:
            if tariff.profile not in profiles:
                errors.append(f"tarief voor onbekend profiel '{tariff.profile}'")
            if tariff.intensity not in intensities:
                errors.append(f"tarief met onbekende intensiteit '{tariff.intensity}'")
            if tariff.trajectory not in trajectories:
                errors.append(f"tarief met onbekend trajecttype '{tariff.trajectory}'")
        combos = Counter((t.profile, t.intensity, t.trajectory) for t in self.tariffs.items)
        for (prof, inten, traj), count in combos.items():
            if count > 1:
                errors.append(f"tarief voor {prof} / {inten} / {traj} komt {count} keer voor")
        for theme in self.themes:
            for tag in theme.expertise:
                if tag not in expertise:
                    errors.append(f"thema '{theme.code}' noemt onbekende expertise '{tag}'")
        segment_codes = {x.code for x in self.segments}
        for code in self.search_fit.ordinary_segments:
            if code not in segment_codes:
                errors.append(f"search_fit noemt onbekend segment '{code}'")
        for code in self.search_fit.heavy_intensities:
            if code not in intensities:
                errors.append(f"search_fit noemt onbekende intensiteit '{code}'")
        for lang in self.languages:
            if not _LANGUAGE_CODE.fullmatch(lang):
                errors.append(f"taalcode '{lang}' is geen ISO 639-1-code (twee kleine letters)")
        if errors:
            raise ValueError("; ".join(errors))
        return self

    # ---- look-ups -------------------------------------------------------------------

    def vocabulary_terms(self) -> set[str]:
        """Every canonical term a synonym may point to (normalised)."""
        terms: set[str] = set()
        for tag in self.expertise:
            terms.update(_norm(t) for t in (tag.code, tag.label, *tag.synonyms))
        for profile in self.profiles:
            terms.update(
                _norm(t) for t in (profile.code, profile.name, *profile.specialist_signals)
            )
            terms.update(_norm(t) for t in profile.other_signals)
        for municipality in self.municipalities:
            terms.update((_norm(municipality.code), _norm(municipality.name)))
        return terms

    def law_for_age(self, age: int) -> Law | None:
        """The law whose age range holds this age (the first one, in pack order)."""
        return next((x for x in self.laws if x.age_min <= age <= x.age_max), None)

    def profiles_for_law(self, law: str) -> tuple[Profile, ...]:
        return tuple(p for p in self.profiles if p.law == law)

    def municipality(self, code: str) -> Municipality | None:
        return next((m for m in self.municipalities if m.code == code), None)

    def profile(self, code: str) -> Profile | None:
        return next((p for p in self.profiles if p.code == code), None)

    def label(self, kind: str, code: str) -> str:
        """Dutch label for a code of the given kind; the code itself when unknown."""
        table: Iterable[Any] = {
            "gemeente": self.municipalities,
            "wet": self.laws,
            "segment": self.segments,
            "intensiteit": self.intensities,
            "traject": self.trajectory_types,
            "domein": self.life_domains,
            "profiel": self.profiles,
        }.get(kind, ())
        for item in table:
            if item.code == code:
                return str(item.name)
        if kind == "expertise":
            return next((t.label for t in self.expertise if t.code == code), code)
        if kind == "taal":
            return self.languages.get(code, code)
        if kind == "aanmelding":
            return self.registration_routes.get(code, code)
        return code

    def postcode_centroid(self, pc4: str) -> tuple[float, float] | None:
        for municipality in self.municipalities:
            for area in municipality.postcodes:
                if area.pc4 == pc4:
                    return (area.lat, area.lon)
        return None

    def municipality_of_postcode(self, pc4: str) -> str | None:
        for municipality in self.municipalities:
            if any(p.pc4 == pc4 for p in municipality.postcodes):
                return municipality.code
        return None

    def tariff(self, profile: str, intensity: str, trajectory: str) -> Tariff | None:
        for item in self.tariffs.items:
            if (item.profile, item.intensity, item.trajectory) == (profile, intensity, trajectory):
                return item
        return None


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())
