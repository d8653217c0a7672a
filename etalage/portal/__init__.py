"""The logged-in side: providers keep their own figures current, beheerders keep the
catalogue (docs/portal.md). Every change goes through `updates.py`, which checks who
may do it, validates as the importer validates, writes the change with its audit entry
in one transaction, and leaves the search index to the outbox."""
