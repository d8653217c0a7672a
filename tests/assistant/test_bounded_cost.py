"""Issue 9, point 9: the engine's cost is bounded whatever the text.

Over-long words are refused with a Dutch message, an invalid request gets at most 20
messages, and a long run of unique words leaves memory on a plateau: the caches hold
words, never texts, and a bounded number of them.
"""

from __future__ import annotations

import gc
import random
import string
import time
import tracemalloc

import pytest

from etalage.assistant import AdviceInputError, advise, parse_answers
from etalage.assistant.answers import MAX_ERRORS, MAX_WORD_CHARS, parse_request
from etalage.region import RegionPack


def test_an_over_long_word_is_refused_in_dutch(pack: RegionPack) -> None:
    with pytest.raises(AdviceInputError) as caught:
        advise(pack, "a" * 10_000)
    (error,) = caught.value.errors
    assert error.field == "text" and "te lang" in error.message
    assert f"{MAX_WORD_CHARS} letters" in error.message
    # a long but real compound is read
    assert advise(pack, "Kindermishandelingsprotocollen en jeugdhulpverleningstrajecten.")


def test_an_over_long_word_costs_nothing(pack: RegionPack) -> None:
    started = time.process_time()
    for _ in range(20):
        with pytest.raises(AdviceInputError):
            advise(pack, "x" * 9_000 + " mijn zoon heeft autisme")
    assert time.process_time() - started < 0.5  # 20 refusals, each far under 25 ms


def test_the_error_list_is_capped(pack: RegionPack) -> None:
    domains = {f"onbekend_{i}": 3 for i in range(26_000)}
    with pytest.raises(AdviceInputError) as caught:
        parse_answers(pack, {"life_domains": domains})
    errors = caught.value.errors
    assert len(errors) == MAX_ERRORS
    assert "hooguit 20" in errors[-1].message
    assert sum(len(e.field) + len(e.message) for e in errors) < 20_000  # was 12.3 MB

    with pytest.raises(AdviceInputError) as caught:
        parse_request(pack, {f"veld{i}": 1 for i in range(5_000)} | {"text": "hallo"})
    assert len(caught.value.errors) == MAX_ERRORS


def _hostile_text(rng: random.Random) -> str:
    words = (
        "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(6, MAX_WORD_CHARS)))
        for _ in range(150)
    )
    return "Mijn zoon " + " ".join(words) + " slaat me niet."


def test_memory_plateaus_after_a_run_of_unique_words(pack: RegionPack) -> None:
    rng = random.Random(9)
    advise(pack, "Mijn zoon van 12 heeft autisme.")  # compile the lexicon first
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        for _ in range(60):  # 9,000 unique words: fills every cache past its bound
            advise(pack, _hostile_text(rng))
        gc.collect()
        first = tracemalloc.get_traced_memory()[0]
        for _ in range(60):  # as many again: the caches may not grow further
            advise(pack, _hostile_text(rng))
        gc.collect()
        second = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    mb = 1024 * 1024
    assert (first - base) < 25 * mb, f"caches hold {(first - base) / mb:.1f} MB"
    assert (second - first) < 3 * mb, f"still growing: {(second - first) / mb:.1f} MB"
