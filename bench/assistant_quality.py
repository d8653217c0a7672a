"""How well the hulpwijzer reads: crisis recall and false alarms, and field agreement.

    python bench/assistant_quality.py                 # one JSON object
    python bench/assistant_quality.py --misses tuning # also list what went wrong

Runs the pure engine on the blind corpus in tests/assistant/corpus/ (see its README and
tests/assistant/quality.py for the outcome definitions) and prints, per part of the
corpus (generated, hand-written tuning part, hand-written held-out part, written by
others) and per danger kind: recall (danger texts whose contacts are shown, confirmed or
with the safety question first), the confirmed-crisis and safety-question rates on texts
without danger, and per field the agreement of the vignettes. `--misses` lists the
mistakes of the generated and tuning parts only; the held-out parts are never listed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "assistant"))

from quality import (  # noqa: E402
    crisis_outcomes,
    crisis_report,
    crisis_texts,
    field_agreement,
    misses,
    vignette_fields,
    vignettes,
)

from etalage.region import load_pack  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pack", default="westfriesland")
    parser.add_argument("--misses", choices=["tuning"], help="list the tuning part's mistakes")
    args = parser.parse_args()
    pack = load_pack(args.pack)
    texts = crisis_texts()
    started = time.perf_counter()
    outcomes = crisis_outcomes(pack, texts)
    crisis_s = time.perf_counter() - started
    today, cases = vignettes()
    got = {c["id"]: vignette_fields(pack, today, c) for c in cases}
    out = {
        "crisis_texts": len(texts),
        "crisis_run_s": round(crisis_s, 3),
        "crisis": crisis_report(texts, outcomes),
        "vignettes": field_agreement(cases, got),
    }
    if args.misses:
        out["misses"] = misses([t for t in texts if t.source != "others"], outcomes, heldout=False)
        out["vignette_misses"] = [
            {"id": c["id"], "text": c["text"], "expect": c["expect"], "got": got[c["id"]]}
            for c in cases
            if c["source"] == "main"
            and not c["heldout"]
            and any(got[c["id"]][k] != c["expect"].get(k) for k in c["expect"])
        ]
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
