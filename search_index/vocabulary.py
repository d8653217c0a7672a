"""One Dutch vocabulary, generated from the region pack, for search and the assistant.

It holds:

- synonym groups: every expertise tag's code, label and synonyms are equivalent
  ("autisme" / "ass" / "autistisch" / "pdd nos"); a term in two groups expands to both;
- profile signals that are not an expertise term point one way to the profile code
  ("driftbuien" -> "j2"); search documents carry their profile codes, so such a word
  finds the providers contracted for that profile;
- the pack's spelling variants, resolved through the groups ("dementerend" -> all the
  dementia words), or to a municipality when the target is one;
- place names: municipality codes and names, the places of the PC4 areas and variants
  pointing to a municipality, each mapped to the municipality code;
- Dutch stop words;
- query understanding: an age and a place read from the search text become filters
  ("autsime 12 jaar hoorn" -> text "autisme", leeftijd 12, gemeente hoorn), and words
  within Meilisearch's typo budget of a known term are corrected, so synonyms still
  apply; the result says what was understood, for a "we zochten op ..." line;
- "did you mean" suggestions from the known terms.

All keys are folded phrases (`text.phrase`): lower case, no diacritics, single spaces.
Meilisearch gets `meili_synonyms()`; the embedded backend uses `expansions` directly, so
both backends expand the same words the same way.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from etalage.region.model import RegionPack
from search_index.text import fold, phrase, typo_budget, words

# Function words (Snowball's Dutch list, trimmed) plus a few search fillers.
_STOP_WORDS_TEXT = """
    aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door
    dus een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun
    iemand iets ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na naar
    niet niets nog nu of om omdat onder ons ook op over reeds te tegen toch toen tot u uit
    uw van veel voor want waren was wat werd wezen wie wil worden wordt zal ze zelf zich
    zij zijn zo zonder zou
    graag zoek zoeken zoekt zoekende jaar jarige jarig jr oud
"""
DUTCH_STOP_WORDS: frozenset[str] = frozenset(_STOP_WORDS_TEXT.split())

MAX_QUERY_WORDS = 10  # Meilisearch reads no more than ten words of a query

_UNTIL = r"(?:-|tot\s+en\s+met|tot|t\s*/\s*m|tm)"
# An age range: providers that serve any age in it.
_AGE_RANGE_PATTERNS = (
    # "van 12 tot 18 (jaar)", "tussen 12 en 18 (jaar)", "van 4 t/m 12"
    re.compile(
        rf"\b(?:van|tussen)\s+(\d{{1,3}})\s*(?:{_UNTIL}|en)\s*(\d{{1,3}})"
        r"(?:\s*(?:jaar|jr|j)\b(?:\s+oud\b)?)?(?![\d-])"
    ),
    # "12-18 jaar", "12 tot 18 jaar", "12 t/m 18 jr"
    re.compile(rf"(?<![\d-])\b(\d{{1,3}})\s*{_UNTIL}\s*(\d{{1,3}})\s*(?:jaar|jr|j)\b(?:\s+oud\b)?"),
)
_AGE_PATTERNS = (
    # "12 jaar", "12-jarige", "12 jarig", "12 jr", "12j", "12 jaar oud"
    re.compile(r"(?<![\d-])\b(\d{1,3})\s*-?\s*(?:jaar|jarige|jarig|jr|j)\b(?:\s+oud\b)?"),
    # "leeftijd 12", "leeftijd: 12"
    re.compile(r"\bleeftijd\s*:?\s*(\d{1,3})\b"),
    # "van 12" (not "van 12 tot 18" nor "van 12-18")
    re.compile(r"\bvan\s+(\d{1,3})\b(?!\s*(?:-|tot\b|t/m\b|\d))"),
)


@dataclass(frozen=True)
class Understanding:
    """What the search box text was read as."""

    original: str
    text: str  # the words searched for as text (folded)
    leeftijd: int | None = None  # an age, or the start of an age range
    gemeente: str | None = None
    gemeente_naam: str | None = None
    corrections: tuple[tuple[str, str], ...] = ()  # (typed, read as)
    leeftijd_tot: int | None = None  # the end of an age range ("van 12 tot 18")
    leeftijd_tekst: str = ""  # how the age was written ("12 jaar", "van 12 tot 18")
    ignored_place: str | None = None  # a place read from the text and left out (its name)

    @property
    def changed(self) -> bool:
        return bool(
            self.leeftijd is not None or self.gemeente or self.corrections or self.ignored_place
        )

    def summary(self) -> str:
        """A Dutch (B1) line for the page: "We zochten op 'autisme', 12 jaar, in Hoorn."."""
        parts: list[str] = []
        if self.text:
            parts.append(f"‘{self.text}’")
        if self.leeftijd is not None and self.leeftijd_tot is not None:
            parts.append(f"leeftijd {self.leeftijd} tot en met {self.leeftijd_tot} jaar")
        elif self.leeftijd is not None:
            parts.append(f"leeftijd {self.leeftijd} jaar")
        if self.gemeente_naam:
            parts.append(f"gemeente {self.gemeente_naam}")
        if not parts:
            return ""
        line = "We zochten op " + ", ".join(parts) + "."
        if self.ignored_place:
            line += f" ‘{self.ignored_place}’ gebruikten we niet als gemeente."
        return line


@dataclass
class Vocabulary:
    expansions: dict[str, frozenset[str]]  # phrase -> equivalent phrases (not itself)
    places: dict[str, str]  # phrase -> municipality code
    municipality_names: dict[str, str]  # code -> display name
    postcodes: dict[str, tuple[float, float]]  # PC4 -> (lat, lon)
    variants: dict[str, str] = field(default_factory=dict)  # spelling variant -> term
    stop_words: frozenset[str] = DUTCH_STOP_WORDS
    terms: frozenset[str] = field(default_factory=frozenset)  # known single words
    _sorted_terms: list[str] = field(default_factory=list)
    _terms_by_len: dict[int, list[str]] = field(default_factory=dict)
    max_phrase_words: int = 1
    # Ranking lighter help first (RegionPack.search_fit): the ordinary segments, the
    # heavy intensities, and the words (folded word sequences) that ask for heavy help.
    ordinary_segments: frozenset[str] = frozenset()
    heavy_intensities: frozenset[str] = frozenset()
    heavy_words: tuple[tuple[str, ...], ...] = ()

    def __post_init__(self) -> None:
        known: set[str] = set()
        for key, alternatives in self.expansions.items():
            for known_phrase in (key, *alternatives):
                known.update(known_phrase.split())
        for known_phrase in self.places:
            known.update(known_phrase.split())
        known -= self.stop_words
        self.terms = frozenset(known)
        self._sorted_terms = sorted(known)
        by_len: dict[int, list[str]] = {}
        for term in self._sorted_terms:
            by_len.setdefault(len(term), []).append(term)
        self._terms_by_len = by_len
        self.max_phrase_words = max(
            (len(k.split()) for k in (*self.expansions, *self.places, *self.variants)),
            default=1,
        )
        # Per-instance caches (methods are hot on search-as-you-type).
        self.correct_word = lru_cache(maxsize=4096)(self._correct_word)

    # ---- construction ----------------------------------------------------------------

    @classmethod
    def from_pack(cls, pack: RegionPack) -> Vocabulary:
        def key_of(text: str) -> str:
            # Stop words are not searched, so synonyms hold none either.
            return " ".join(w for w in words(text) if w not in DUTCH_STOP_WORDS)

        groups: list[set[str]] = []
        for tag in pack.expertise:
            members = {key_of(tag.code.replace("-", " ")), key_of(tag.label)}
            members.update(key_of(s) for s in tag.synonyms)
            members.discard("")
            groups.append(members)

        expansions: dict[str, set[str]] = {}
        for members in groups:
            for member in members:
                expansions.setdefault(member, set()).update(members - {member})
        in_groups = set(expansions)

        # Profile signals that are not expertise terms: one way to the profile code(s).
        for profile in pack.profiles:
            code = phrase(profile.code)
            for signal in (*profile.specialist_signals, *profile.other_signals):
                key = key_of(signal)
                if key and key not in in_groups and key != code:
                    expansions.setdefault(key, set()).add(code)

        places: dict[str, str] = {}
        variants: dict[str, str] = {}
        names: dict[str, str] = {}
        municipality_keys: dict[str, str] = {}
        for municipality in pack.municipalities:
            names[municipality.code] = municipality.name
            for key in (
                phrase(municipality.code.replace("-", " ")),
                phrase(municipality.name),
                fold(municipality.code),
            ):
                municipality_keys[key] = municipality.code
                places[key] = municipality.code
            for postcode in municipality.postcodes:
                if postcode.place:
                    places.setdefault(phrase(postcode.place), municipality.code)

        for variant, target in pack.spelling_variants.items():
            if phrase(target) in municipality_keys or fold(target) in municipality_keys:
                code = municipality_keys.get(phrase(target)) or municipality_keys[fold(target)]
                places[phrase(variant)] = code
                continue
            key, goal = key_of(variant), key_of(target)
            if not key or key == goal:
                continue
            if goal:
                variants[key] = goal
            targets = {goal, *expansions.get(goal, set())}
            expansions.setdefault(key, set()).update(targets - {key})

        # Single stop words are never places ("Hem" is a village and a pronoun).
        places = {k: v for k, v in places.items() if k not in DUTCH_STOP_WORDS}
        postcodes = {pc.pc4: (pc.lat, pc.lon) for m in pack.municipalities for pc in m.postcodes}
        return cls(
            expansions={k: frozenset(v - {k}) for k, v in expansions.items() if v - {k}},
            places=places,
            municipality_names=names,
            postcodes=postcodes,
            variants=variants,
            ordinary_segments=frozenset(pack.search_fit.ordinary_segments),
            heavy_intensities=frozenset(pack.search_fit.heavy_intensities),
            heavy_words=tuple(
                tuple(w) for w in (words(x) for x in pack.search_fit.asks_for_heavy) if w
            ),
        )

    # ---- ranking -----------------------------------------------------------------------

    def lighter_first(self, text: str, segment: str | None, intensity: str | None) -> bool:
        """Whether a relevance search ranks help that fits an ordinary referral first:
        it names something to search for and asks for nothing heavier (no segment or
        intensity filter outside the ordinary ones, no word such as "verblijf")."""
        typed = words(text)
        if not self.ordinary_segments or not typed:
            return False
        if segment is not None and segment not in self.ordinary_segments:
            return False
        if intensity is not None and intensity in self.heavy_intensities:
            return False
        for heavy in self.heavy_words:
            first, rest = heavy[0], heavy[1:]
            for n, word in enumerate(typed):
                if word.startswith(first) and list(typed[n + 1 : n + 1 + len(rest)]) == list(rest):
                    return False
        return True

    # ---- synonyms ----------------------------------------------------------------------

    def meili_synonyms(self) -> dict[str, list[str]]:
        return {k: sorted(v) for k, v in sorted(self.expansions.items())}

    def expand(self, key: str) -> frozenset[str]:
        return self.expansions.get(key, frozenset())

    # ---- words -------------------------------------------------------------------------

    def is_known(self, word: str, prefix: bool = False) -> bool:
        if word in self.terms:
            return True
        if prefix:
            first = bisect.bisect_left(self._sorted_terms, word)
            return first < len(self._sorted_terms) and self._sorted_terms[first].startswith(word)
        return False

    def _closest(self, word: str, budget: int) -> str | None:
        """The unique known term within `budget` typos (first letter counts double)."""
        if budget <= 0:
            return None
        choices: list[str] = []
        for length in range(len(word) - budget, len(word) + budget + 1):
            choices.extend(self._terms_by_len.get(length, ()))
        best: list[tuple[int, str]] = []
        for term, dist, _ in process.extract(
            word, choices, scorer=OSA.distance, score_cutoff=budget, limit=None
        ):
            cost = int(dist) + (0 if term[:1] == word[:1] else 1)
            if cost <= budget:
                best.append((cost, term))
        if not best:
            return None
        best.sort()
        if len(best) > 1 and best[0][0] == best[1][0]:
            return None  # ambiguous: do not guess
        return best[0][1]

    def _correct_word(self, word: str, prefix: bool = False) -> str | None:
        """A known term for a mistyped word within Meilisearch's typo budget, or None."""
        if word.isdigit() or word in self.stop_words or self.is_known(word, prefix):
            return None
        return self._closest(word, typo_budget(word))

    def suggest(self, text: str) -> str | None:
        """ "Did you mean": the text with unknown words replaced by close known terms."""
        out: list[str] = []
        changed = False
        for word in words(text)[:MAX_QUERY_WORDS]:
            if word.isdigit() or word in self.stop_words or word in self.terms:
                out.append(word)
                continue
            budget = 1 if len(word) < 5 else (2 if len(word) < 9 else 3)
            best = self._closest(word, budget) if len(word) >= 3 else None
            if best is None:
                out.append(word)
            else:
                out.append(best)
                changed = True
        return " ".join(out) if changed else None

    # ---- query understanding -----------------------------------------------------------

    def understand(
        self,
        query: str,
        *,
        leeftijd: int | None = None,
        gemeente: str | None = None,
        prefix: bool | None = None,
        places: bool = True,
    ) -> Understanding:
        """Read an age and a place from the text; correct typos of known terms.

        `leeftijd` and `gemeente` are the explicit filters: they win, and a place in the
        text that differs from an explicit gemeente stays in the text. `places=False`
        leaves every place in the text.
        """
        text = " ".join(fold(query).split())
        if prefix is None:
            prefix = bool(query) and not query[-1].isspace()
        found_age: int | None = None
        found_until: int | None = None
        age_text = ""
        for pattern in _AGE_RANGE_PATTERNS:
            match = pattern.search(text)
            if match and max(int(match.group(1)), int(match.group(2))) <= 120:
                # "van 18 tot 12" means the same as "van 12 tot 18"
                found_age, found_until = sorted((int(match.group(1)), int(match.group(2))))
                break
        else:
            for pattern in _AGE_PATTERNS:
                match = pattern.search(text)
                if match and 0 <= int(match.group(1)) <= 120:
                    found_age = int(match.group(1))
                    break
            else:
                match = None
        if match is not None:
            age_text = match.group(0)
            text = (text[: match.start()] + " " + text[match.end() :]).strip()
        tokens = words(text)
        # A place: the longest phrase of up to three words that names one.
        found_place: str | None = None
        for size in range(min(3, len(tokens)) if places else 0, 0, -1):
            for start in range(len(tokens) - size + 1):
                key = " ".join(tokens[start : start + size])
                code = self.places.get(key)
                if code is None and size == 1 and len(key) >= 7:
                    near = self._closest(key, 1)
                    code = self.places.get(near) if near else None
                if code is None or (gemeente and code != gemeente):
                    continue
                found_place = code
                tokens = tokens[:start] + tokens[start + size :]
                break
            if found_place:
                break
        corrections: list[tuple[str, str]] = []
        out: list[str] = []
        start = 0
        while start < len(tokens):
            # A known spelling variant (longest first), else a typo of a known term.
            for size in range(min(self.max_phrase_words, len(tokens) - start), 0, -1):
                key = " ".join(tokens[start : start + size])
                goal = self.variants.get(key)
                if goal:
                    corrections.append((key, goal))
                    out.append(goal)
                    start += size
                    break
            else:
                word = tokens[start]
                fixed = self.correct_word(word, prefix and start == len(tokens) - 1)
                if fixed:
                    corrections.append((word, fixed))
                out.append(fixed or word)
                start += 1
        code = found_place or None
        return Understanding(
            original=query,
            text=" ".join(out),
            leeftijd=found_age if leeftijd is None else None,
            gemeente=code,
            gemeente_naam=self.municipality_names.get(code) if code else None,
            corrections=tuple(corrections),
            leeftijd_tot=found_until if leeftijd is None else None,
            leeftijd_tekst=age_text if leeftijd is None else "",
        )

    def search_words(self, text: str) -> list[str]:
        """The words a backend searches for: no stop words, at most ten."""
        return [w for w in words(text) if w not in self.stop_words][:MAX_QUERY_WORDS]

    def postcode_point(self, postcode: str) -> tuple[float, float] | None:
        """The PC4 centroid of a Dutch postcode ("1621 AB", "1621ab", "1621")."""
        match = re.fullmatch(r"\s*([1-9][0-9]{3})\s*([A-Za-z]{2})?\s*", postcode)
        if not match:
            return None
        return self.postcodes.get(match.group(1))


def phrases_in(tokens: Iterable[str], keys: Mapping[str, object], max_words: int) -> list[str]:
    """Every key phrase that occurs as consecutive tokens (longest first)."""
    toks = list(tokens)
    found: list[str] = []
    for size in range(min(max_words, len(toks)), 0, -1):
        for start in range(len(toks) - size + 1):
            key = " ".join(toks[start : start + size])
            if key in keys:
                found.append(key)
    return found
