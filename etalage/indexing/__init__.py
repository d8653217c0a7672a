"""Keeping the search index in step with the database (outbox worker, rebuild, drift repair)."""

from etalage.indexing.service import SearchService

__all__ = ["SearchService"]
