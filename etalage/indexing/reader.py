"""Search documents from the database: the reader's records, built by the pack's
`DocumentBuilder`. The only place where the database meets the search layer, which
knows no database (`search_index/` imports nothing of `etalage.db`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from etalage.catalogue.reader import read_records
from etalage.region.model import RegionPack
from search_index.documents import DocumentBuilder, SearchDocument


def read_documents(
    session: Session,
    pack: RegionPack,
    today: date | None = None,
    kvks: Sequence[str] | None = None,
    builder: DocumentBuilder | None = None,
) -> list[SearchDocument]:
    """Every provider's document (or those of these KvK numbers), ordered by KvK."""
    builder = builder or DocumentBuilder(pack)
    today = today or date.today()
    return [builder.build(record, today) for record in read_records(session, kvks, history=False)]
