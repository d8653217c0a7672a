"""Operations: backup and restore, and the configuration check (docs/operations.md)."""
