"""The decision rules v1, in order, with their explanation
(docs/region-pack.md#hulpwijzer-decision-rules-v1).

`decide(ctx, reading, answers, mode)` applies rules 1-9 (rule 10, the providers, is in
matching.py) and returns a `Decision`: the route, law, profile, intensity and
trajectory, a plain-Dutch explanation line for every rule that fired, a structured trace
entry per rule for the professional mode, and the follow-up questions whose answer is
missing or would change the advice. Structured answers always win over the text; the
thresholds come from the pack's assistant.yaml.

In *inwoner* mode the explanation names no codes and no tariffs; in *professional* mode
it does. When the route is crisis, the law and profile are still worked out (for the
professional who takes over), but no segment, intensity, trajectory or follow-up
questions are given: the crisis contacts come first.
"""

from __future__ import annotations

from etalage.assistant.answers import Answers, Mode
from etalage.assistant.decision import (
    CRISIS_ROUTE,
    Context,
    Decision,
    FollowUp,
    Option,
    TraceStep,
    first_hits,
    join_nl,
    law_range,
    n_topics,
    quote,
    quote_hit,
)
from etalage.assistant.lexicon import DURATION, LAW, RESIDENTIAL
from etalage.assistant.reading import Reading
from etalage.assistant.rules_crisis import CrisisRule
from etalage.assistant.rules_profile import ProfileRules
from etalage.region.model import Law

__all__ = [
    "CRISIS_ROUTE",
    "Context",
    "Decision",
    "FollowUp",
    "Option",
    "TraceStep",
    "decide",
    "join_nl",
    "law_range",
    "n_topics",
    "quote",
    "quote_hit",
]


class _Rules(CrisisRule, ProfileRules):
    """Rules 2-6, 8 and 9, in order (rule 1 is in rules_crisis.py, rule 7 in
    rules_profile.py)."""

    # ---- the rules -------------------------------------------------------------------

    def run(self) -> Decision:
        self.rule1_crisis()
        self.rule2_law()
        self.rule3_counts()
        crisis = self.decision.route == CRISIS_ROUTE
        if not crisis:
            self.rules4to6_segment()
        self.collect_signals()
        self.rule7_profile()
        if not crisis:
            self.rule8_intensity()
            self.rule9_trajectory()
            self.follow_up_questions()
        self.decision.follow_up.sort(key=lambda follow_up: _QUESTION_ORDER.index(follow_up.key))
        return self.decision

    def rule2_law(self) -> None:
        pack, answers = self.pack, self.answers
        laws = {x.code: x for x in pack.laws}
        age, source, said = answers.age, "antwoord", ""
        text_ages = list(self.reading.ages)
        conflict_ages = False
        if age is None and text_ages:
            found = {getattr(pack.law_for_age(h.age), "code", None) for h in text_ages}
            if len(found) == 1:
                age, source, said = text_ages[0].age, "tekst", text_ages[0].text
            else:
                conflict_ages = True
        self.decision.age = age
        hints = self.reading.of(LAW)
        hint_laws = sorted({h.value for h in hints})
        law: Law | None = None
        note = ""
        if age is not None:
            law = pack.law_for_age(age)
            if law is None:
                note = self.say(
                    f"Voor de leeftijd {age} kennen we geen regeling.",
                    f"Regel 2 (wet): geen wet voor leeftijd {age}.",
                )
            elif source == "antwoord":
                note = self.say(
                    f"De persoon is {age} jaar. Hulp voor mensen {law_range(law)} valt onder de"
                    f" {law.name}.",
                    f"Regel 2 (wet): leeftijd {age} (antwoord) → {law.code}.",
                )
            else:
                note = self.say(
                    f"In de tekst staat {quote(said)}: de persoon is dus {age} jaar. Hulp voor"
                    f" mensen {law_range(law)} valt onder de {law.name}.",
                    f"Regel 2 (wet): leeftijd {age} uit de tekst ({quote(said)}) → {law.code}.",
                )
        elif len(hint_laws) == 1:
            law = laws.get(hint_laws[0])
            quotes = join_nl([quote_hit(h) for h in first_hits(hints)][:2])
            if law is not None:
                note = self.say(
                    f"In de tekst staat {quotes}. Daarom gaan we uit van hulp voor mensen"
                    f" {law_range(law)} ({law.name}). Klopt dat niet? Vul dan de leeftijd in.",
                    f"Regel 2 (wet): geen leeftijd; wethint {quotes} → {law.code}.",
                )
        else:
            if len(hint_laws) > 1 or conflict_ages:
                quotes = join_nl([quote_hit(h) for h in first_hits(hints)][:3]) or join_nl(
                    [quote(h.text) for h in text_ages][:3]
                )
                note = self.say(
                    f"De tekst noemt {quotes}. We weten daardoor niet zeker voor wie de hulp"
                    " is, en dus niet onder welke wet de hulp valt.",
                    f"Regel 2 (wet): tegenstrijdige hints {quotes}: wet onbekend.",
                )
            else:
                note = self.say(
                    "We weten nog niet hoe oud de persoon is. Daarom weten we nog niet onder"
                    " welke wet de hulp valt.",
                    "Regel 2 (wet): geen leeftijd en geen wethint: wet onbekend.",
                )
            if self.decision.route != CRISIS_ROUTE:
                self.ask(
                    "age",
                    "Voor kinderen en jongeren is er andere hulp dan voor volwassenen.",
                )
        self.decision.law = law.code if law else None
        self.step(
            2,
            "wet",
            law is not None,
            {
                "age": answers.age,
                "text_ages": [h.age for h in text_ages],
                "hints": {h.value: h.text for h in hints},
            },
            self.decision.law,
            note,
        )

    def rule3_counts(self) -> None:
        domains = self.answers.life_domains
        sev = sorted(c for c, s in domains.items() if s <= self.thresholds.severe_max_score)
        aff = sorted(c for c, s in domains.items() if s <= self.thresholds.affected_max_score)
        self.decision.n_severe, self.decision.n_affected = len(sev), len(aff)
        names = {x.code: self.named(x, x.code) for x in self.pack.life_domains}
        if domains and self.decision.route != CRISIS_ROUTE:
            listed = ", ".join(f"{names.get(c, c)} {domains[c]}" for c in aff) or "geen"
            self.say(
                f"Bij {n_topics(len(sev))} lukt het niet of is er een acuut probleem. Bij"
                f" {n_topics(len(aff))} lukt het niet of soms niet.",
                f"Regel 3: n_severe = {len(sev)} (score ≤ {self.thresholds.severe_max_score}),"
                f" n_affected = {len(aff)} (score ≤ {self.thresholds.affected_max_score}):"
                f" {listed}.",
            )
        elif self.decision.route != CRISIS_ROUTE:
            self.say(
                "U hebt nog niet verteld hoe het gaat op de verschillende onderwerpen van het"
                " leven, zoals geld, wonen en gezondheid.",
                "Regel 3: geen levensdomeinen ingevuld: n_severe = 0, n_affected = 0.",
            )
        self.step(
            3,
            "tellingen",
            bool(domains),
            {"life_domains": dict(domains)},
            {"n_severe": len(sev), "n_affected": len(aff)},
            f"n_severe = {len(sev)} ({', '.join(sev) or '-'}), n_affected = {len(aff)}"
            f" ({', '.join(aff) or '-'})",
        )

    def rules4to6_segment(self) -> None:
        answers, thresholds, decision = self.answers, self.thresholds, self.decision
        resid_hits = self.reading.of(RESIDENTIAL)
        residential = answers.residential_care_needed
        resid_src = "antwoord"
        if residential is None and resid_hits:
            residential, resid_src = True, "tekst"
        decision.residential = residential
        reasons_in: list[str] = []
        reasons_pro: list[str] = []
        if residential is True:
            if resid_src == "antwoord":
                reasons_in.append("de persoon ergens anders moet wonen of logeren, met zorg erbij")
                reasons_pro.append("residential_care_needed = ja (antwoord)")
            else:
                quotes = join_nl([quote_hit(h) for h in first_hits(resid_hits)][:2])
                reasons_in.append(f"in de tekst {quotes} staat: zorg met verblijf buiten huis")
                reasons_pro.append(f"residential_care_needed = ja (tekst: {quotes})")
        if decision.n_severe >= thresholds.c_n_severe_min:
            reasons_in.append(f"het bij {n_topics(decision.n_severe)} niet lukt")
            reasons_pro.append(f"n_severe = {decision.n_severe} ≥ {thresholds.c_n_severe_min}")
        if (
            answers.previous_care_failed is True
            and decision.n_severe >= thresholds.c_failed_care_n_severe_min
        ):
            reasons_in.append("eerdere hulp niet heeft geholpen en het op een onderwerp niet lukt")
            reasons_pro.append(
                f"previous_care_failed = ja en n_severe = {decision.n_severe}"
                f" ≥ {thresholds.c_failed_care_n_severe_min}"
            )
        is_c = bool(reasons_pro)
        self.step(
            4,
            "segment C",
            is_c,
            {
                "residential_care_needed": residential,
                "residential_source": resid_src if residential is not None else None,
                "n_severe": decision.n_severe,
                "previous_care_failed": answers.previous_care_failed,
            },
            "C" if is_c else None,
            "; ".join(reasons_pro) if is_c else "niet van toepassing",
        )
        if is_c:
            decision.route = "C"
            self.say(
                "Er is zware of ingewikkelde hulp op maat nodig, omdat "
                + join_nl(reasons_in)
                + ".",
                "Regel 4: segment C (hoogcomplex / maatwerk): " + "; ".join(reasons_pro) + ".",
            )
            return

        specialist = self.specialist_signals()
        blockers_in: list[str] = []
        blockers_pro: list[str] = []
        if decision.n_severe > thresholds.a_n_severe_max:
            blockers_in.append(f"het bij {n_topics(decision.n_severe)} niet lukt")
            blockers_pro.append(f"n_severe = {decision.n_severe} > {thresholds.a_n_severe_max}")
        if (
            decision.n_affected > thresholds.a_n_affected_max
            and decision.n_severe <= thresholds.a_n_severe_max
        ):
            blockers_in.append(f"het bij {n_topics(decision.n_affected)} niet of soms niet lukt")
            blockers_pro.append(
                f"n_affected = {decision.n_affected} > {thresholds.a_n_affected_max}"
            )
        if specialist:
            quotes = join_nl([quote_hit(h) for h in first_hits(specialist)][:3])
            blockers_in.append(f"de tekst een diagnose of aandoening noemt ({quotes})")
            blockers_pro.append(f"specialistisch signaal {quotes}")
        if answers.network_support is False:
            blockers_in.append("familie, vrienden of buren niet kunnen helpen")
            blockers_pro.append("network_support = nee")
        elif answers.network_support is None:
            if not blockers_in:
                blockers_in.append("we nog niet weten of familie, vrienden of buren kunnen helpen")
            blockers_pro.append("network_support onbekend")
        is_a = not blockers_pro
        self.step(
            5,
            "segment A",
            is_a,
            {
                "n_severe": decision.n_severe,
                "n_affected": decision.n_affected,
                "network_support": answers.network_support,
                "specialist_signals": [h.text for h in specialist],
            },
            "A" if is_a else None,
            "alle voorwaarden voor A" if is_a else "niet A: " + "; ".join(blockers_pro),
        )
        if is_a:
            decision.route = "A"
            self.say(
                "U kunt zelf hulp zoeken, zonder besluit van de gemeente (vrij toegankelijke"
                " hulp). Familie, vrienden of buren kunnen helpen, het gaat op bijna alle"
                " onderwerpen goed en er is geen diagnose genoemd.",
                f"Regel 5: segment A (vrij toegankelijk): n_severe = {decision.n_severe},"
                f" n_affected = {decision.n_affected} ≤ {thresholds.a_n_affected_max},"
                " network_support = ja, geen specialistisch signaal.",
            )
            return
        decision.route = "B"
        self.step(6, "segment B", True, {}, "B", "niet C en niet A: " + "; ".join(blockers_pro))
        self.say(
            "Er is hulp nodig met een besluit van de gemeente, omdat " + join_nl(blockers_in) + ".",
            "Regel 6: segment B (arrangement): " + "; ".join(blockers_pro) + ".",
        )

    # ---- rules 8 and 9 ---------------------------------------------------------------

    def rule8_intensity(self) -> None:
        decision, thresholds = self.decision, self.thresholds
        if decision.route not in ("B", "C"):
            self.step(8, "intensiteit", False, {}, None, "alleen voor segment B en C")
            return
        if (
            decision.n_severe >= thresholds.zwaar_n_severe_min
            or decision.n_affected >= thresholds.zwaar_n_affected_min
        ):
            code = "zwaar"
            why_in = (
                f"het bij {n_topics(decision.n_severe)} niet lukt"
                if decision.n_severe >= thresholds.zwaar_n_severe_min
                else f"het bij {n_topics(decision.n_affected)} niet of soms niet lukt"
            )
            why_pro = (
                f"n_severe = {decision.n_severe} ≥ {thresholds.zwaar_n_severe_min}"
                if decision.n_severe >= thresholds.zwaar_n_severe_min
                else f"n_affected = {decision.n_affected} ≥ {thresholds.zwaar_n_affected_min}"
            )
        elif (
            decision.n_severe >= thresholds.midden_n_severe_min
            or decision.n_affected >= thresholds.midden_n_affected_min
        ):
            code = "midden"
            why_in = (
                f"het bij {n_topics(decision.n_severe)} niet lukt"
                if decision.n_severe >= thresholds.midden_n_severe_min
                else f"het bij {n_topics(decision.n_affected)} soms niet lukt"
            )
            why_pro = (
                f"n_severe = {decision.n_severe} ≥ {thresholds.midden_n_severe_min}"
                if decision.n_severe >= thresholds.midden_n_severe_min
                else f"n_affected = {decision.n_affected} ≥ {thresholds.midden_n_affected_min}"
            )
        else:
            code = "licht"
            why_in = (
                f"het bij hooguit {n_topics(decision.n_affected)} soms niet lukt"
                if self.answers.life_domains
                else "we nog niets weten over hoe het gaat op de onderwerpen van het leven"
            )
            why_pro = f"n_severe = {decision.n_severe}, n_affected = {decision.n_affected}"
        decision.intensity = code
        intensity = next((x for x in self.pack.intensities if x.code == code), None)
        label = self.named(intensity, code)
        desc = f" {intensity.description}" if intensity and intensity.description else ""
        self.say(
            f"Hoeveel hulp: {label.lower()}, omdat {why_in}.{desc}",
            f"Regel 8: intensiteit {code} ({why_pro}).",
        )
        self.step(
            8,
            "intensiteit",
            True,
            {"n_severe": decision.n_severe, "n_affected": decision.n_affected},
            code,
            f"{code}: {why_pro}",
        )

    def rule9_trajectory(self) -> None:
        decision, answers = self.decision, self.answers
        hits = self.reading.of(DURATION)
        duration: str | None = answers.duration
        src, said = "antwoord", ""
        if duration is None and hits:
            values = {h.value for h in hits}
            if len(values) == 1:
                duration, src, said = hits[0].value, "tekst", hits[0].text
        decision.duration = duration
        lasting = decision.profile in self.cfg.duurzaam_profiles
        if duration == "long_term":
            code: str | None = "duurzaam"
            why_in = (
                "de hulp blijvend nodig is"
                if src == "antwoord"
                else f"in de tekst {quote(said)} staat: de hulp is blijvend nodig"
            )
            why_pro = f"duration = long_term ({src}{': ' + quote(said) if said else ''})"
        elif lasting and duration != "temporary":
            code = "duurzaam"
            why_in = "het om een blijvende beperking of aandoening gaat"
            why_pro = f"profiel {decision.profile} is een duurzaam profiel en duration ≠ temporary"
        elif duration == "temporary" or decision.profile is not None:
            code = "herstel"
            if duration == "temporary":
                why_in = (
                    "de hulp voor een tijdje nodig is"
                    if src == "antwoord"
                    else f"in de tekst {quote(said)} staat: de hulp is voor een tijdje"
                )
                why_pro = f"duration = temporary ({src}{': ' + quote(said) if said else ''})"
            else:
                why_in = "het probleem kleiner kan worden of over kan gaan"
                why_pro = f"duration onbekend en {decision.profile} is geen duurzaam profiel"
        else:
            code = None
            why_in = why_pro = ""
        decision.trajectory = code
        inputs = {
            "duration": duration,
            "duration_source": src if duration else None,
            "profile": decision.profile,
        }
        if code is None:
            self.step(9, "traject", False, inputs, None, "profiel en duur onbekend")
            return
        traj = next((x for x in self.pack.trajectory_types if x.code == code), None)
        label = self.named(traj, code)
        self.say(
            f"Soort traject: {label.lower()}, omdat {why_in}.",
            f"Regel 9: {code} ({why_pro}).",
        )
        self.step(9, "traject", True, inputs, code, why_pro)

    # ---- follow-up questions ---------------------------------------------------------

    def follow_up_questions(self) -> None:
        decision, answers, thresholds = self.decision, self.answers, self.thresholds
        domains = answers.life_domains
        if (
            answers.acute_safety is None
            and not decision.crisis_doubt
            and any(s <= 1 for s in domains.values())
        ):
            self.ask(
                "acute_safety",
                "Bij een acuut probleem kijken we eerst of iemand nu in gevaar is.",
                options=self.yes_no(),
            )
        if not domains:
            self.ask(
                "life_domains",
                "Daarmee bepalen we hoeveel hulp nodig is.",
                options=tuple(Option(c.score, c.label, c.key) for c in self.cfg.zrm_choices),
                domains=self.domain_options(),
            )
        if decision.route != "C":
            a_possible = (
                decision.n_severe <= thresholds.a_n_severe_max
                and decision.n_affected <= thresholds.a_n_affected_max
                and not decision.specialist_hits
            )
            if answers.network_support is None and a_possible:
                self.ask(
                    "network_support",
                    "Als familie, vrienden of buren kunnen helpen, is hulp zonder besluit van"
                    " de gemeente misschien genoeg.",
                    options=self.yes_no(),
                )
            if (
                answers.previous_care_failed is None
                and decision.n_severe >= thresholds.c_failed_care_n_severe_min
            ):
                self.ask(
                    "previous_care_failed",
                    "Als eerdere hulp niet werkte, is misschien zwaardere hulp nodig.",
                    options=self.yes_no(),
                )
            if decision.residential is None:
                self.ask(
                    "residential_care_needed",
                    "Zorg met wonen of logeren buiten huis is een andere soort hulp.",
                    options=self.yes_no(),
                )
        if decision.duration is None:
            labels = self.cfg.answer_labels
            self.ask(
                "duration",
                "Daarmee bepalen we het soort traject.",
                options=(
                    Option("temporary", labels.temporary),
                    Option("long_term", labels.long_term),
                ),
            )
        if answers.postcode is None:
            self.ask("postcode", "Dan tonen we eerst hulp in de buurt.")

    def domain_options(self) -> tuple[Option, ...]:
        hinted = [h.value for h in self.reading.of("domain")]
        youth = self.decision.law is not None and any(
            x.code == self.decision.law and x.age_min == 0 for x in self.pack.laws
        )
        domains = [x for x in self.pack.life_domains if youth or not x.youth_only]
        domains.sort(
            key=lambda domain: hinted.index(domain.code) if domain.code in hinted else len(hinted)
        )
        return tuple(Option(x.code, self.named(x, x.code), x.description) for x in domains)


_QUESTION_ORDER = (
    "acute_safety",
    "age",
    "profile",
    "life_domains",
    "network_support",
    "previous_care_failed",
    "residential_care_needed",
    "duration",
    "postcode",
)


def decide(ctx: Context, reading: Reading, answers: Answers, mode: Mode = "inwoner") -> Decision:
    """Apply rules 1-9 to what was read and answered."""
    return _Rules(ctx, reading, answers, mode).run()
