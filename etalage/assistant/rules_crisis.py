"""Rule 1 of the decision rules v1, crisis (docs/region-pack.md#rule-1-crisis): the
concept reader's findings (danger.py) with the danger model's say (danger_model.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from etalage.assistant.danger_model import Thresholds
from etalage.assistant.decision import (
    CRISIS_ROUTE,
    RulesBase,
    first_hits,
    join_nl,
    quote,
    quote_hit,
)
from etalage.assistant.lexicon import CRISIS
from etalage.assistant.reading import DOUBT_REASON, PAST_REASON, Hit


@dataclass
class _ModelVerdict:
    """The danger model's say in rule 1 (see _Rules._model_verdict)."""

    score: float | None = None
    thresholds: Thresholds | None = None
    dismissed: list[Hit] = field(default_factory=list)  # findings the models overrule
    demoted: bool = False  # findings that ask first instead of confirming
    asks: bool = False  # no finding, but the text looks like danger: ask first
    ask_at: float | None = None  # the text score that asks first (lower for long texts)

    @property
    def score_nl(self) -> str:
        return _nl(self.score)

    @property
    def ask_nl(self) -> str:
        return _nl(self.ask_at)

    def why_dismissed(self) -> str:
        """Why the dismissed findings do not count (professional view)."""
        t = self.thresholds
        if t is None or self.score is None:
            return ""
        kept = [h for h in self.dismissed if h.model is None or h.model >= t.keep]
        if len(kept) == len(self.dismissed) and self.score < t.quiet:
            unsure = [h.model for h in kept if h.model is not None and h.model < t.keep_quiet]
            if unsure:
                return (
                    "de tekst als geheel lijkt niet op gevaar nu (gevaarmodel"
                    f" {self.score_nl}, onder {_nl(t.quiet)}) en de woorden eromheen maken"
                    f" het niet duidelijk (vindmodel {', '.join(_nl(m) for m in unsure)},"
                    f" onder {_nl(t.keep_quiet)})"
                )
        if self.score < t.dismiss and len(kept) == len(self.dismissed):
            return (
                "de tekst als geheel lijkt niet op gevaar nu (gevaarmodel"
                f" {self.score_nl}, onder {_nl(t.dismiss)})"
            )
        around = ", ".join(_nl(h.model) for h in self.dismissed if h.model is not None)
        return (
            f"de woorden eromheen lijken niet op gevaar nu (vindmodel {around}, onder"
            f" {_nl(t.keep)}) en de tekst als geheel ook niet (gevaarmodel {self.score_nl},"
            f" onder {_nl(t.confirm)})"
        )

    @property
    def agrees(self) -> str:
        """For a confirmed crisis: the model's agreement, or nothing without a model."""
        if self.score is None or self.thresholds is None:
            return ""
        return f"; gevaarmodel {self.score_nl} (drempel {_nl(self.thresholds.confirm)})"

    @property
    def why_doubt(self) -> str:
        if self.demoted and self.thresholds is not None:
            return (
                f"; het gevaarmodel geeft {self.score_nl}, onder de drempel"
                f" {_nl(self.thresholds.confirm)} om te bevestigen"
            )
        return ""


def _nl(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


class CrisisRule(RulesBase):
    """Rule 1: crisis contacts first, or the safety question first, or no crisis."""

    def rule1_crisis(self) -> None:
        hits = self.reading.of(CRISIS)
        inactive = self.reading.of(CRISIS, active=False)
        past = [h for h in inactive if h.suppressed == PAST_REASON]
        doubts = [h for h in inactive if h.suppressed == DOUBT_REASON]
        acute = self.answers.acute_safety is True
        verdict = self._model_verdict(hits, doubts)
        gone = {id(h) for h in verdict.dismissed}
        hits = [h for h in hits if id(h) not in gone]
        doubts = [h for h in doubts if id(h) not in gone]
        if verdict.demoted:
            doubts, hits = doubts + hits, []
        fired = acute or bool(hits)
        kinds: list[str] = []
        if acute:
            kinds.append("acute_safety")
        for hit in hits if fired else doubts:
            if hit.value not in kinds:
                kinds.append(hit.value)
        model = self.reading.danger
        if not fired and verdict.asks and model is not None and model.kind:
            kinds.append(model.kind)
        self.decision.crisis_kinds = kinds
        quotes = [quote_hit(h) for h in first_hits(hits)][:3]
        if fired:
            self.decision.route = CRISIS_ROUTE
            if acute:
                self.say(
                    "U gaf aan dat iemand nu in gevaar is. Daarom ziet u bovenaan wie u direct"
                    " kunt bellen.",
                    "Regel 1 (crisis): acute_safety = ja.",
                )
            if hits:
                self.say(
                    f"In uw tekst staat {join_nl(quotes)}. Dat kan betekenen dat iemand nu in"
                    " gevaar is. Daarom ziet u bovenaan wie u direct kunt bellen.",
                    f"Regel 1 (crisis): crisissignaal {join_nl(quotes)} in de tekst"
                    f" ({', '.join(k for k in kinds if k != 'acute_safety')})"
                    f"{verdict.agrees}.",
                )
        elif (doubts or verdict.asks) and self.answers.acute_safety is None:
            self.decision.crisis_doubt = True
            if doubts:
                doubt_quotes = [quote_hit(h) for h in first_hits(doubts)][:3]
                self.say(
                    f"In uw tekst staat {join_nl(doubt_quotes)}. We weten niet zeker of iemand"
                    " nu in gevaar is. Daarom vragen we dat eerst, en ziet u al wie u kunt"
                    " bellen.",
                    f"Regel 1 (twijfel): {join_nl(doubt_quotes)} raakt aan gevaar zonder het te"
                    f" beslissen ({', '.join(kinds)}){verdict.why_doubt}: eerst de"
                    " veiligheidsvraag.",
                )
            else:
                words = join_nl([quote(w) for w in self.reading.danger_words])
                self.say(
                    "Uw tekst lijkt op teksten waarin iemand nu in gevaar is"
                    f"{f' (vooral de woorden {words})' if words else ''}. We weten niet zeker"
                    " of dat zo is. Daarom vragen we dat eerst, en ziet u al wie u kunt bellen.",
                    f"Regel 1 (twijfel): geen crisissignaal, maar het gevaarmodel geeft"
                    f" {verdict.score_nl} (drempel {verdict.ask_nl}), soort {', '.join(kinds)}"
                    f"{f', vooral door {words}' if words else ''}: eerst de veiligheidsvraag.",
                )
            self.ask(
                "acute_safety",
                "Uw tekst raakt aan gevaar. Als iemand nu in gevaar is, gaat hulp voor.",
                options=self.yes_no(),
            )
        elif past and self.mode == "professional":
            self.say(
                "",
                f"Regel 1: {join_nl([quote_hit(h) for h in first_hits(past)])} gaat over het"
                " verleden en telt niet als crisis.",
            )
        if verdict.dismissed and self.mode == "professional":
            self.say(
                "",
                f"Regel 1: {join_nl([quote_hit(h) for h in first_hits(verdict.dismissed)][:3])}"
                f" gelezen, maar {verdict.why_dismissed()}; telt niet als crisis.",
            )
        if fired:
            note = f"crisis: {', '.join(kinds)}"
        elif self.decision.crisis_doubt:
            note = f"twijfel: {', '.join(kinds)}; eerst de veiligheidsvraag"
        else:
            note = "geen crisis: acute_safety niet ja en geen crisissignaal in de tekst"
        self.step(
            1,
            "crisis",
            fired,
            {
                "acute_safety": self.answers.acute_safety,
                "signals": [h.text for h in hits],
                "doubt": [h.text for h in doubts],
                "past": [h.text for h in past],
                "dismissed": [h.text for h in verdict.dismissed],
                "model_score": round(model.score, 3) if model else None,
                "finding_scores": [
                    round(h.model, 3)
                    for h in hits + doubts + verdict.dismissed
                    if h.model is not None
                ],
                "model_kind": model.kind if model else None,
            },
            CRISIS_ROUTE if fired else None,
            note,
        )

    def _model_verdict(self, hits: list[Hit], doubts: list[Hit]) -> _ModelVerdict:
        """What the danger models say of the concept reader's findings (danger_model.py).

        The text model alone never drops a finding that counts: a score below `confirm`
        only makes it ask first (in a long care story a clear "hij bedreigt ons met een
        mes" can score low as a whole). On a text long enough to judge, a finding is
        dismissed only when both models read it as no danger now: the text below
        `confirm` and the finding model, which reads the words around the finding in its
        sentence, below `keep`. A doubt is also dismissed when the text scores below
        `dismiss`, and any finding below `keep_quiet` when the text scores below `quiet`
        (the text reads as a care story; the finding model is not sure of danger either).
        Where nothing was found, a text score from `ask` asks first (`ask_short` on a
        text too short to overrule)."""
        model = self.reading.danger
        if model is None or self.answers.acute_safety is True:
            return _ModelVerdict()
        score, t = model.score, model.thresholds
        verdict = _ModelVerdict(score=score, thresholds=t, ask_at=model.ask_at)
        if model.may_overrule and score < t.confirm:
            verdict.dismissed = [
                h for h in hits + doubts if h.model is not None and h.model < t.keep
            ]
            if score < t.dismiss:
                verdict.dismissed += [h for h in doubts if h not in verdict.dismissed]
            if score < t.quiet:
                verdict.dismissed += [
                    h
                    for h in hits
                    if h.model is not None and h.model < t.keep_quiet and h not in verdict.dismissed
                ]
        gone = {id(h) for h in verdict.dismissed}
        if any(id(h) not in gone for h in hits):
            verdict.demoted = score < t.confirm and model.may_overrule
        elif not hits and not doubts and score >= model.ask_at:
            verdict.asks = True
        return verdict
