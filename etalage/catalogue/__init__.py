"""The provider catalogue: import, demo data, export, and (in the web helper's modules)
queries and presentation.

Import path: `import_reader` (CSV/XLSX -> table of text cells) -> `import_validation`
(table + region pack -> validated records and Dutch issues; pure) -> `writer`
(records -> rows, in one transaction). `importer` ties them together.
"""
