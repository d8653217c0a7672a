"""The booklet ("Bijbeltje", docs/booklet.md): the contracted providers as a PDF for print,
per segment and profile, for one audience (huisarts, toegang, inwoner)."""
