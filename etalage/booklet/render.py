"""The booklet as a PDF: its HTML from `templates/booklet.html`, its print stylesheet
`static/css/booklet.css` (A4, the print date and the page number on every page, a
table of contents with page numbers), laid out by WeasyPrint. Fonts come from the
system (Debian's fonts-liberation and fonts-dejavu-core)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from jinja2 import Environment, FileSystemLoader, select_autoescape

from etalage import resource_dir
from etalage.booklet.content import Booklet, booklet
from etalage.provider import ProviderRecord
from etalage.region.model import RegionPack

_ENV = Environment(
    loader=FileSystemLoader(str(resource_dir("templates"))),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def booklet_html(book: Booklet) -> str:
    return _ENV.get_template("booklet.html").render(book=book)


def booklet_pdf(
    records: Sequence[ProviderRecord],
    pack: RegionPack,
    today: date,
    *,
    audience: str = "huisarts",
    municipality: str | None = None,
    law: str | None = None,
) -> tuple[bytes, Booklet]:
    from weasyprint import CSS, HTML

    book = booklet(records, pack, today, audience=audience, municipality=municipality, law=law)
    css = CSS(filename=str(resource_dir("static") / "css" / "booklet.css"))
    pdf = HTML(string=booklet_html(book), base_url=str(resource_dir("static"))).write_pdf(
        stylesheets=[css]
    )
    assert pdf is not None
    return pdf, book
