"""Benchmark of the booklet (docs/booklet.md): the whole demo booklet as a PDF.

    python bench/booklet.py [--audience huisarts|toegang|inwoner] [--runs 2]

Loads the demo data into a fresh SQLite database, renders the booklet for every
provider `runs` times (the first run includes loading fonts and WeasyPrint itself) and
prints one JSON object: providers, entries, sections, pages, pdf_bytes, the seconds of
each run (`render_s`, HTML and PDF together) and `limit_s` (10, from the issue) with
`within_limit` for the first run.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LIMIT_S = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--audience", default="huisarts", choices=["huisarts", "toegang", "inwoner"]
    )
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()

    from pypdf import PdfReader

    from etalage.booklet.render import booklet_pdf
    from etalage.catalogue.demo import load_demo
    from etalage.catalogue.reader import read_records
    from etalage.db.migrate import upgrade
    from etalage.db.session import make_engine, session_factory
    from etalage.region import load_pack

    pack = load_pack("westfriesland")
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'etalage.db'}")
        upgrade(engine)
        load_demo(engine, pack)
        with session_factory(engine)() as session:
            records = read_records(session, history=False)
        engine.dispose()
    times = []
    pdf = b""
    book = None
    for _ in range(max(1, args.runs)):
        start = time.perf_counter()
        pdf, book = booklet_pdf(records, pack, date.today(), audience=args.audience)
        times.append(round(time.perf_counter() - start, 2))
    assert book is not None
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(
        json.dumps(
            {
                "audience": args.audience,
                "providers": len(book.providers),
                "entries": sum(len(s.entries) for s in book.sections),
                "sections": len(book.sections),
                "pages": pages,
                "pdf_bytes": len(pdf),
                "render_s": times,
                "limit_s": LIMIT_S,
                "within_limit": times[0] < LIMIT_S,
            }
        )
    )


if __name__ == "__main__":
    main()
