"""Reading a day typed by a person or a system: strictly `YYYY-MM-DD`."""

from __future__ import annotations

from datetime import date


def parse_day(text: str | None) -> date | None:
    """The day `text` names as YYYY-MM-DD (spaces around allowed), or None."""
    value = (text or "").strip()
    if len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
