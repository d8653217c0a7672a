"""The danger model (etalage/assistant/danger_model.py) and its say in rule 1.

The shipped model must be current (trained on today's corpus, never on a held-out
text) and reproducible from the training script; the run-time scoring must equal
scikit-learn's; and rule 1 must combine it with the concept reader as documented
(docs/assistant-reading.md#the-danger-model), which is tested here with a small model
of known weights, so these tests do not depend on what training happens to learn.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from quality import crisis_texts, vignettes

from etalage.assistant import Answers, advise, assistant_for
from etalage.assistant import danger_train as train
from etalage.assistant.danger_model import (
    DangerModel,
    default_model,
    features,
    features_of_findings,
    finding_features,
    sentence_breaks,
)
from etalage.assistant.text import tokenize
from etalage.region import RegionPack

# ---------------------------------------------------------------------------- the file


def test_the_shipped_model_is_trained_on_the_current_corpus() -> None:
    """Any edit of a training text or label needs a retrain
    (`python -m etalage.assistant.danger_train`)."""
    assert default_model().meta["trained_on"] == train.fingerprint(train.examples())


def test_no_held_out_text_is_trained_on() -> None:
    trained = {" ".join(e.text.split()) for e in train.examples()}
    held = {" ".join(t.text.split()) for t in crisis_texts() if t.heldout}
    _, cases = vignettes()
    held |= {" ".join(c["text"].split()) for c in cases if c["heldout"]}
    assert len(held) > 600
    assert not trained & held


def test_training_reproduces_the_shipped_model_and_scores_match_scikit_learn() -> None:
    pytest.importorskip("sklearn")
    items = train.examples()
    data = train.train(items, cross_validate=False)
    shipped = default_model()
    assert data["meta"]["trained_on"] == shipped.meta["trained_on"]
    assert data["meta"]["features"] == len(shipped.weights)
    assert math.isclose(data["bias"], shipped.bias, rel_tol=1e-3, abs_tol=1e-4)
    retrained = DangerModel(data)
    sample = [t.text for t in crisis_texts()[::37]]
    for text in sample:
        tokens = tokenize(text)
        assert retrained.score(tokens).score == pytest.approx(
            shipped.score(tokens).score, abs=2e-3
        ), text
    # The finding model too: its scores of training findings are scikit-learn's.
    assert retrained.findings is not None and shipped.findings is not None
    vectorizer, regression, rows = train.fit_findings(items)
    names = [r[0] for r in rows[::41]]
    expected_findings = regression.predict_proba(vectorizer.transform(names))[:, 1]
    for row, want in zip(names, expected_findings, strict=True):
        assert retrained.findings.score(row) == pytest.approx(want, abs=1e-3), row
        assert shipped.findings.score(row) == pytest.approx(want, abs=2e-3), row
    # The run-time arithmetic is scikit-learn's: the same texts through its own pipeline.
    pipeline = train.fitted_pipeline(items)
    expected = pipeline.predict_proba(sample)[:, 1]
    for text, want in zip(sample, expected, strict=True):
        assert retrained.score(tokenize(text)).score == pytest.approx(want, abs=1e-3), text


def test_features_are_words_pairs_and_letter_groups() -> None:
    got = features(tokenize("Hij sloeg"))
    assert "w:hij" in got and "w:sloeg" in got and "b:hij sloeg" in got
    assert {"c: sl", "c:sloe", "c:oeg "} <= set(got)


def test_scoring_cost_is_linear_and_small() -> None:
    """Cost grows with the text (the engine caps it at 10,000 letters); no cache."""
    model = default_model()
    text = ("mijn vriend knijpt me keel dicht als hij boos is " * 250)[:10_000]
    score = model.score(tokenize(text))
    assert 0.0 <= score.score <= 1.0


# ---------------------------------------------------------------------------- rule 1


def _model(
    bias: float,
    weights: dict[str, tuple[float, float, str]],
    findings: tuple[float, dict[str, float]] | None = None,
    thresholds: dict[str, float] | None = None,
) -> DangerModel:
    """A model with a known score: feature -> (idf, weight, kind it points to); and,
    when given, a finding model (bias, finding feature -> weight)."""
    kinds = ["suicide", "violence", "unsafe_child", "danger"]
    data: dict[str, Any] = {
        "format": 2,
        "kinds": kinds,
        "bias": bias,
        "kind_bias": [0.0, 0.0, 0.0, 0.0],
        "thresholds": {
            "ask": 0.5,
            "confirm": 0.5,
            "dismiss": 0.15,
            "keep": 0.4,
            "overrule_min_words": 10,
            **(thresholds or {}),
        },
        "features": {
            name: [idf, weight, *[3.0 if k == kind else 0.0 for k in kinds]]
            for name, (idf, weight, kind) in weights.items()
        },
    }
    if findings is not None:
        data["findings"] = {
            "bias": findings[0],
            "features": {name: [1.0, w] for name, w in findings[1].items()},
        }
    return DangerModel(data)


@pytest.fixture
def with_model(pack: RegionPack, monkeypatch: pytest.MonkeyPatch) -> Any:
    def use(model: DangerModel) -> None:
        monkeypatch.setattr(assistant_for(pack).lexicon, "danger_model", model)

    return use


# "zebra" pushes hard towards danger (kind: danger), "giraf" hard away from it.
WEIGHTS = {"w:zebra": (1.0, 12.0, "danger"), "w:giraf": (1.0, -12.0, "suicide")}
NO_FINDING = "We zoeken hulp bij het huishouden, de was en de boodschappen, met een zebra erbij."
FINDING = "Mijn man slaat me elke avond en ik ben bang voor hem, met een giraf erbij."
SHORT_FINDING = "Mijn man slaat me, giraf."


def test_the_model_asks_first_where_the_reader_finds_nothing(pack: RegionPack, with_model: Any):
    with_model(_model(0.0, WEIGHTS))
    advice = advise(pack, NO_FINDING)
    assert advice.route != "crisis"
    assert advice.crisis is not None and advice.crisis["confirmed"] is False
    assert advice.crisis["contacts"][0]["phone"] == "112"  # the model's kind: danger
    assert advice.follow_up_questions[0].key == "acute_safety"
    assert "‘zebra’" in advice.explanation[0] and "lijkt op teksten" in advice.explanation[0]
    professional = advise(pack, NO_FINDING, mode="professional")
    assert "gevaarmodel" in professional.explanation[0]
    # the answer "no one is in danger" settles it
    assert advise(pack, NO_FINDING, Answers(acute_safety=False)).crisis is None


def test_a_finding_the_model_doubts_asks_first(pack: RegionPack, with_model: Any) -> None:
    with_model(_model(-0.8, {}))  # about 0.31: below confirm, above dismiss
    advice = advise(pack, FINDING, mode="professional")
    assert advice.route != "crisis"
    assert advice.crisis is not None and advice.crisis["confirmed"] is False
    assert advice.follow_up_questions[0].key == "acute_safety"
    assert "onder de drempel" in advice.explanation[0]
    assert advise(pack, FINDING, Answers(acute_safety=True)).route == "crisis"


def test_the_text_model_alone_never_drops_a_finding(pack: RegionPack, with_model: Any) -> None:
    """However unlike danger the text looks as a whole, a finding asks first at least,
    unless the finding model also reads it as no danger now."""
    with_model(_model(0.0, WEIGHTS))
    advice = advise(pack, FINDING)
    assert advice.crisis is not None and advice.follow_up_questions[0].key == "acute_safety"
    with_model(_model(0.0, WEIGHTS, (3.0, {})))  # the finding model: about 0.95
    advice = advise(pack, FINDING)
    assert advice.crisis is not None and advice.follow_up_questions[0].key == "acute_safety"


QUIET = {"quiet": 0.1, "keep_quiet": 0.5}


def test_a_care_story_drops_a_finding_the_finding_model_is_unsure_of(
    pack: RegionPack, with_model: Any
) -> None:
    """The text reads as no danger at all (below `quiet`) and the finding model is not
    sure either (0.45: above `keep`, below `keep_quiet`): not shown. A finding model at
    0.55 keeps it (the safety question first); an older file without these thresholds
    keeps it too."""
    with_model(_model(0.0, WEIGHTS, (-0.2, {}), QUIET))
    assert advise(pack, FINDING).crisis is None
    professional = advise(pack, FINDING, mode="professional")
    assert any("niet duidelijk" in line for line in professional.explanation)
    step = professional.professional["trace"][0]  # type: ignore[index]
    assert step["inputs"]["dismissed"] and step["inputs"]["model_score"] < 0.1
    with_model(_model(0.0, WEIGHTS, (0.2, {}), QUIET))
    assert advise(pack, FINDING).follow_up_questions[0].key == "acute_safety"
    with_model(_model(0.0, WEIGHTS, (-0.2, {})))
    assert advise(pack, FINDING).follow_up_questions[0].key == "acute_safety"
    # too short to overrule: kept
    with_model(_model(0.0, WEIGHTS, (-0.2, {}), QUIET))
    assert advise(pack, SHORT_FINDING).crisis is not None


def test_a_short_text_needs_a_higher_score_to_ask_on_the_model_alone(
    pack: RegionPack, with_model: Any
) -> None:
    """About 0.55 everywhere: a long text without findings asks first, a short one
    (below overrule_min_words) only from `ask_short`."""
    with_model(_model(0.2, {}, thresholds={"ask_short": 0.6}))
    assert advise(pack, NO_FINDING).crisis is not None
    assert advise(pack, "We zoeken hulp bij het huishouden.").crisis is None
    with_model(_model(0.2, {}))  # an older file: `ask` for every length
    assert advise(pack, "We zoeken hulp bij het huishouden.").crisis is not None


# The finding model: "giraf" near the finding, in its sentence, pushes away.
AWAY = (0.0, {"w:giraf": -10.0})
NEAR = "Mijn man slaat me elke avond en de giraf kijkt toe vanaf de bank."


def test_a_finding_both_models_read_as_no_danger_is_not_shown(
    pack: RegionPack, with_model: Any
) -> None:
    with_model(_model(0.0, WEIGHTS, AWAY))
    assert advise(pack, NEAR).crisis is None
    professional = advise(pack, NEAR, mode="professional")
    assert any(
        "vindmodel" in line and "telt niet als crisis" in line for line in professional.explanation
    )
    step = professional.professional["trace"][0]  # type: ignore[index]
    assert step["inputs"]["dismissed"] and step["inputs"]["finding_scores"][0] < 0.4
    # the answer "yes, someone is in danger now" still decides
    assert advise(pack, NEAR, Answers(acute_safety=True)).route == "crisis"


def test_the_finding_model_reads_only_the_sentence_of_the_finding(
    pack: RegionPack, with_model: Any
) -> None:
    """ "giraf" in another sentence says nothing of the finding: it asks first."""
    with_model(_model(0.0, WEIGHTS, AWAY))
    text = "Mijn man slaat me elke avond en ik ben bang voor hem. Verder hebben we een giraf."
    advice = advise(pack, text)
    assert advice.crisis is not None and advice.follow_up_questions[0].key == "acute_safety"


def test_the_finding_model_alone_does_not_drop_a_finding(pack: RegionPack, with_model: Any):
    """The text model agrees it is danger now (score >= confirm): confirmed."""
    with_model(_model(3.0, {}, AWAY))
    assert advise(pack, NEAR).route == "crisis"


def test_a_short_text_is_not_overruled_by_the_finding_model(pack: RegionPack, with_model: Any):
    with_model(_model(0.0, WEIGHTS, AWAY))
    assert advise(pack, SHORT_FINDING).route == "crisis"


def test_finding_features_stay_in_the_sentence() -> None:
    text = "Vroeger sloeg hij me. Nu niet meer, geen zorgen"
    tokens = tokenize(text)
    breaks = sentence_breaks(text, tokens)
    got = finding_features(tokens, breaks, "violence", "hit", 2, 2)  # "hij"
    assert {"K:violence", "T:hit", "L:sloeg", "R:me", "b:<D> me", "f:hij"} <= set(got)
    assert not any(name.endswith(("niet", "zorgen")) for name in got)
    # each finding is told how the reader read the others: "Vroeger" made one past
    rows = features_of_findings(
        tokens, breaks, [("violence", "not:verleden", 1, 3), ("violence", "hit", 6, 6)]
    )
    assert "O:hit" in rows[0] and "O:not:verleden" in rows[1]
    assert "O:not:verleden" not in rows[0] and "O:hit" not in rows[1]


DOUBT = "Ik ben bang dat het thuis uit de hand loopt, we praten er veel over met een giraf."


def test_a_doubt_the_model_finds_unlike_danger_is_not_shown(pack: RegionPack, with_model: Any):
    with_model(_model(0.0, WEIGHTS))
    assert advise(pack, DOUBT).crisis is None
    professional = advise(pack, DOUBT, mode="professional")
    assert any("telt niet als crisis" in line for line in professional.explanation)
    step = professional.professional["trace"][0]  # type: ignore[index]
    assert step["inputs"]["dismissed"] and step["inputs"]["model_score"] < 0.15
    with_model(_model(-0.8, {}))  # a doubt the model does not rule out: ask first
    assert advise(pack, DOUBT).follow_up_questions[0].key == "acute_safety"


def test_danger_inside_a_long_care_story_is_shown(pack: RegionPack) -> None:
    """The shipped model on held-out vignettes (ordinary help questions it was never
    trained on) with a danger sentence added: the contacts are shown."""
    from assistant.test_crisis import CRISIS

    _, cases = vignettes()
    stories = [c["text"] for c in cases if c["heldout"]]
    assert len(stories) >= 100
    missed = []
    for i, story in enumerate(stories):
        danger = CRISIS[i % len(CRISIS)]
        text = f"{story} {danger}" if i % 2 else f"{danger} {story}"
        if advise(pack, text).crisis is None:
            missed.append(text)
    assert len(missed) <= len(stories) // 20, missed
    # the autism story of the conversation test: a knife threat is never dropped
    assert (
        advise(
            pack,
            "Mijn zoon van 12 heeft autisme en raakt snel overprikkeld.\n"
            "mijn man bedreigt ons met een mes",
        ).crisis
        is not None
    )


def test_a_short_text_is_not_overruled(pack: RegionPack, with_model: Any) -> None:
    """Too few words to overrule the reader: "Ik ben suïcidaal." stays confirmed."""
    with_model(_model(0.0, WEIGHTS))
    assert advise(pack, SHORT_FINDING).route == "crisis"


def test_agreement_confirms(pack: RegionPack, with_model: Any) -> None:
    with_model(_model(3.0, {}))
    advice = advise(pack, FINDING, mode="professional")
    assert advice.route == "crisis"
    assert "gevaarmodel 0,95" in advice.explanation[0]
