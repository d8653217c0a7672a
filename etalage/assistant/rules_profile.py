"""Rule 7 of the decision rules: the ondersteuningsprofiel, from the signals in the
text, the answers and the life-domain scores (docs/region-pack.md#hulpwijzer-decision-rules-v1).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from etalage.assistant.decision import CRISIS_ROUTE, Option, RulesBase, join_nl, quote, quote_hit
from etalage.assistant.lexicon import SIGNAL
from etalage.assistant.reading import Hit
from etalage.region.model import Profile


class ProfileRules(RulesBase):
    """Rule 7: the signals per profile, and the profile they (and the answers) point to."""

    def specialist_signals(self) -> list[Hit]:
        classes = self.ctx.lexicon.signal_classes
        return [
            h for h in self.reading.of(SIGNAL) if h.value in classes and classes[h.value].specialist
        ]

    def collect_signals(self) -> None:
        """Signal strength per profile: each signal class once, nested phrases dropped."""
        classes = self.ctx.lexicon.signal_classes
        per_profile: dict[str, list[tuple[Hit, int]]] = defaultdict(list)
        for hit in self.reading.of(SIGNAL):
            cls = classes.get(hit.value)
            if cls is None:
                continue
            for profile, weight in cls.weights.items():
                per_profile[profile].append((hit, weight))
        for profile, items in per_profile.items():
            kept = _outermost(items)
            best: dict[str, tuple[Hit, int]] = {}
            for kept_hit, kept_weight in kept:
                if kept_hit.value not in best or kept_weight > best[kept_hit.value][1]:
                    best[kept_hit.value] = (kept_hit, kept_weight)
            ordered = sorted(best.values(), key=lambda pair: pair[0].start)
            self.decision.profile_hits[profile] = ordered
            self.decision.strengths[profile] = sum(w for _, w in ordered)
        self.decision.specialist_hits = self.specialist_signals()

    def rule7_profile(self) -> None:
        decision = self.decision
        if decision.law is None:
            self.step(7, "profiel", False, {}, None, "wet onbekend: eerst de leeftijd")
            return
        law_profiles = list(self.pack.profiles_for_law(decision.law))
        codes = [p.code for p in law_profiles]
        strengths = {c: decision.strengths.get(c, 0) for c in codes}
        special = self.cfg.special_cases

        # W8 only when household help is the only need.
        for code in special.only_need_profiles:
            if strengths.get(code, 0) > 0 and any(s > 0 for c, s in strengths.items() if c != code):
                strengths[code] = 0
                prof = self.pack.profile(code)
                name = self.named(prof, code)
                self.say(
                    f"‘{name}’ alleen past niet, want de tekst noemt ook andere problemen.",
                    f"Regel 7: {code} alleen als het de enige vraag is; er zijn ook andere"
                    f" signalen, dus {code} telt niet mee.",
                )

        inputs: dict[str, Any] = {
            "strengths": {c: s for c, s in strengths.items() if s},
            "signals": {
                c: [(h.text, w) for h, w in decision.profile_hits.get(c, [])]
                for c in codes
                if strengths[c]
            },
        }

        # Autism in an adult: W3, but W4 when a verstandelijke beperking is also signalled.
        autism = special.adult_autism
        if autism is not None and decision.law == autism.law:
            autism_class = self.ctx.lexicon.class_of(autism.signal)
            autism_hits = [h for h in self.reading.of(SIGNAL) if h.value == autism_class]
            also = [h.text for h, _ in decision.profile_hits.get(autism.with_profile_signalled, [])]
            if autism_hits and strengths.get(autism.with_profile_signalled, 0) > 0:
                also_q = join_nl([quote(t) for t in also][:2])
                self.choose(
                    autism.then_profile,
                    inwoner=f"In de tekst staan autisme ({quote(autism_hits[0].text)}) én een"
                    f" verstandelijke beperking ({also_q}). Bij volwassenen past dan"
                    " ‘{name}’ het best.",
                    pro="Regel 7 (bijzonder geval): autisme bij een volwassene met ook een"
                    f" signaal van {autism.with_profile_signalled} ({also_q})"
                    f" → {autism.then_profile}.",
                    inputs=inputs,
                )
                return

        top = max(strengths.values(), default=0)
        if top > 0:
            tied = [c for c in codes if strengths[c] == top]
            if len(tied) == 1:
                code = tied[0]
                hits = decision.profile_hits.get(code, [])
                quotes = join_nl([quote_hit(h) for h, _ in hits][:4])
                others = ", ".join(
                    f"{c} = {s}"
                    for c, s in sorted(strengths.items(), key=lambda item: -item[1])
                    if s and c != code
                )
                detail = ", ".join(f"{quote_hit(h)} {w}" for h, w in hits)
                self.choose(
                    code,
                    inwoner=f"Het soort hulp dat het best past: ‘{{name}}’. In de tekst staat"
                    f" {quotes}.",
                    pro=f"Regel 7: profiel {code} (signaalsterkte {top}: {detail})"
                    + (f"; ook {others}" if others else "")
                    + ".",
                    inputs=inputs,
                )
                return
            hinted = self.domain_hint(tied)
            if hinted is not None:
                code, domain, score = hinted
                self.choose(
                    code,
                    inwoner=f"Meer soorten hulp passen even goed bij de tekst. Bij"
                    f" ‘{domain}’ gaat het het minst goed (score {score}). Daarom past"
                    " ‘{name}’ het best.",
                    pro=f"Regel 7: gelijke signaalsterkte {top} voor {', '.join(tied)};"
                    f" beslist door het laagst gescoorde domein met een hint ({domain} ="
                    f" {score}) → {code}.",
                    inputs=inputs,
                )
                return
            self.undecided(
                tied,
                law_profiles,
                inwoner="Meer soorten hulp passen even goed bij de tekst. Welke past het best?",
                pro=f"Regel 7: gelijke signaalsterkte {top} voor {', '.join(tied)} en geen"
                " domein dat beslist: profiel onbekend.",
                inputs=inputs,
            )
            return

        hinted = self.domain_hint(codes)
        if hinted is not None:
            code, domain, score = hinted
            self.choose(
                code,
                inwoner=f"De tekst noemt geen duidelijk probleem. Bij ‘{domain}’ gaat het het"
                f" minst goed (score {score}). Daarom past ‘{{name}}’ het best.",
                pro=f"Regel 7: geen signaal in de tekst; laagst gescoorde domein met een hint:"
                f" {domain} = {score} → {code}.",
                inputs=inputs,
            )
            return
        self.undecided(
            [],
            law_profiles,
            inwoner="We kunnen uit de tekst nog niet opmaken welk soort hulp past.",
            pro="Regel 7: geen signaal in de tekst en geen domein met een hint: profiel onbekend.",
            inputs=inputs,
        )

    def choose(self, code: str, inwoner: str, pro: str, inputs: dict[str, Any]) -> None:
        prof = self.pack.profile(code)
        name = self.named(prof, code)
        self.decision.profile = code
        self.say(inwoner.replace("{name}", name), pro)
        self.step(7, "profiel", True, inputs, code, pro)

    def undecided(
        self,
        tied: Sequence[str],
        law_profiles: Sequence[Profile],
        inwoner: str,
        pro: str,
        inputs: dict[str, Any],
    ) -> None:
        self.say(inwoner, pro)
        self.step(7, "profiel", False, inputs, None, pro)
        first = [p for p in law_profiles if p.code in tied]
        rest = [p for p in law_profiles if p.code not in tied]
        options = tuple(
            Option(
                p.code, p.plain if self.mode == "inwoner" else f"{p.code} {p.name}", p.description
            )
            for p in (*first, *rest)
        )
        if self.decision.route != CRISIS_ROUTE:
            self.ask(
                "profile",
                "Dan weten we welk soort hulp past.",
                options=options,
            )

    def domain_hint(self, candidates: Sequence[str]) -> tuple[str, str, int] | None:
        """The hint of the lowest-scored domain that hints at a candidate (table order)."""
        scores = self.answers.life_domains
        names = {x.code: self.named(x, x.code) for x in self.pack.life_domains}
        best: tuple[int, int, str, str] | None = None
        for order, hint in enumerate(self.pack.domain_hints):
            code = hint.profiles.get(self.decision.law or "")
            score = scores.get(hint.domain)
            if code is None or code not in candidates or score is None:
                continue
            if score > self.thresholds.domain_hint_max_score:
                continue
            key = (score, order, code, hint.domain)
            if best is None or key < best:
                best = key
        if best is None:
            return None
        return best[2], names.get(best[3], best[3]), best[0]


def _outermost(items: list[tuple[Hit, int]]) -> list[tuple[Hit, int]]:
    """Drop hits whose span lies inside another hit's span (a phrase counts, not its parts)."""
    ordered = sorted(items, key=lambda item: (item[0].start, -item[0].end))
    kept: list[tuple[Hit, int]] = []
    max_end, max_start = -1, -1
    for hit, weight in ordered:
        inside = max_end > hit.end or (max_end == hit.end and max_start < hit.start)
        if not inside:
            kept.append((hit, weight))
        if hit.end > max_end:
            max_end, max_start = hit.end, hit.start
    return kept
