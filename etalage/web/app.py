"""`create_app()`: the Litestar application with every setting written out.

The app reads the database and the region pack; it never loads demo data and never
migrates (run `etalage db upgrade` first).
"""

from __future__ import annotations

import importlib.util
import logging
import threading
import warnings
from datetime import timedelta

import anyio
from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import CacheControlHeader, State
from litestar.di import Provide
from litestar.exceptions import InternalServerException
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, YamlRenderPlugin
from litestar.openapi.spec import Tag
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from etalage import __version__, resource_dir
from etalage.accounts.login import Login
from etalage.accounts.sessions import SessionStore
from etalage.accounts.tokens import TokenAuth
from etalage.booklet.service import BookletService
from etalage.db.ended import DatabaseEndedConversations
from etalage.db.session import engine_for
from etalage.indexing.providers import AssistantProviders
from etalage.indexing.service import SearchService
from etalage.logs import RequestLog
from etalage.region import load_pack
from etalage.settings import Settings, get_settings
from etalage.web.account_pages import ACCOUNT_HANDLERS
from etalage.web.api import API_HANDLERS
from etalage.web.api_updates import UPDATE_API_HANDLERS
from etalage.web.assistant import Hulpwijzer, assistant_router
from etalage.web.auth import Accounts
from etalage.web.beheer_import import IMPORT_HANDLERS
from etalage.web.beheer_pages import BEHEER_HANDLERS
from etalage.web.beheer_people import PEOPLE_HANDLERS
from etalage.web.booklet_page import BOOKLET_HANDLERS
from etalage.web.cards import ResultCards
from etalage.web.compare import COMPARE_HANDLERS
from etalage.web.errors import EXCEPTION_HANDLERS, static_lookup_handler
from etalage.web.head import HeadAsGetLitestar
from etalage.web.health import HEALTH_HANDLERS
from etalage.web.hosts import host_check
from etalage.web.hsds_api import HSDS_HANDLERS
from etalage.web.landscape_api import LANDSCAPE_API_HANDLERS
from etalage.web.landscape_pages import LANDSCAPE_HANDLERS
from etalage.web.pages import PAGE_HANDLERS
from etalage.web.portal_pages import PORTAL_HANDLERS
from etalage.web.security import add_security_headers
from etalage.web.services import Catalogue
from etalage.web.templating import STATIC_PREFIX, make_environment
from etalage.web.themes import THEME_HANDLERS

ONE_YEAR = 365 * 24 * 3600
# Only GET endpoints today; the assistant's JSON posts are small.
log = logging.getLogger("etalage.web")
MAX_BODY_BYTES = 64 * 1024
# The CSRF exclusion is meant to cover every path but the logged-in side's; Litestar
# warns (when it builds the middleware, at the first request) about a pattern that
# matches "/" and any other path.
_CSRF_WARNING = ".*greedily matches all paths.*"
warnings.filterwarnings("ignore", message=_CSRF_WARNING)


def _compression() -> CompressionConfig:
    """Brotli when the `brotli` package is installed (with gzip for clients that lack
    it), otherwise gzip. Small bodies are not worth compressing."""
    if importlib.util.find_spec("brotli") is not None:
        return CompressionConfig(
            backend="brotli", brotli_gzip_fallback=True, minimum_size=500, gzip_compress_level=6
        )
    return CompressionConfig(backend="gzip", minimum_size=500, gzip_compress_level=6)


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or get_settings()
    pack = load_pack(settings.region)
    engine = engine_for(settings.database_url)
    # One search service per app: filled from the database at start-up, kept in step by
    # its outbox worker thread, stopped at shutdown. Pages and the API search through it.
    search = SearchService(settings, engine, pack)
    catalogue = Catalogue(engine, pack, search)
    # The assistant (a broken assistant.yaml fails here) matches providers on an index
    # made from the search service's documents, rebuilt when they change.
    providers = AssistantProviders(
        search, pack, clock=catalogue.today, has_demo=lambda: bool(catalogue.demo_kvks())
    )
    hulpwijzer = Hulpwijzer(
        pack, settings.secret_key, providers, DatabaseEndedConversations(engine)
    )
    env = make_environment(pack)
    cards = ResultCards(env, pack)
    accounts = Accounts(
        engine=engine,
        sessions=SessionStore(
            engine,
            idle=timedelta(minutes=settings.session_idle_minutes),
            absolute=timedelta(hours=settings.session_max_hours),
        ),
        login=Login(engine),
        tokens=TokenAuth(engine),
        trusted_proxies=settings.trusted_proxies,
    )
    secure_cookies = settings.public_url.startswith("https://")
    # CSRF (Litestar's signed double-submit cookie) on the logged-in side's forms. The
    # hulpwijzer has its own token bound to its encrypted conversation cookie, and the
    # API takes no cookies (anonymous reads, the assistant's JSON, Bearer tokens).
    csrf = CSRFConfig(
        secret=settings.secret_key,
        cookie_name="__Host-etalage_csrf" if secure_cookies else "etalage_csrf",
        cookie_secure=secure_cookies,
        cookie_httponly=True,
        cookie_samesite="lax",
        exclude=[r"^/(?!(inloggen|uitloggen|account|portaal|beheer)(/|$|\?))"],
    )

    async def start_search() -> None:
        await anyio.to_thread.run_sync(search.start)
        # The assistant's index in advance, so the first advice does not wait for it.
        threading.Thread(target=providers.current, name="warm-assistant", daemon=True).start()

        def warm_cards() -> None:
            try:
                docs = search.documents()
                made = cards.warm(docs, catalogue.today(), catalogue.demo_kvks())
                log.info("result cards of %d providers made in advance", made)
            except Exception:  # only a head start: the cards are made on demand anyway
                log.exception("making the result cards in advance failed")

        threading.Thread(target=warm_cards, name="warm-cards", daemon=True).start()

    async def stop_search() -> None:
        await anyio.to_thread.run_sync(search.stop)
        catalogue.close()

    def provide_catalogue() -> Catalogue:
        return catalogue

    static = create_static_files_router(
        path=STATIC_PREFIX,
        directories=[resource_dir("static")],
        cache_control=CacheControlHeader(max_age=ONE_YEAR, public=True, immutable=True),
        include_in_schema=False,
        resolve_symlinks=True,
        # Paths the file system cannot look up (a NUL byte, a name too long): Litestar
        # raises those as ValueError/OSError or wraps them in a 500; they are a 404.
        exception_handlers={
            ValueError: static_lookup_handler,
            OSError: static_lookup_handler,
            InternalServerException: static_lookup_handler,
        },
    )
    openapi = OpenAPIConfig(
        title=f"Zorglandschap-etalage {pack.name}: API",
        version=__version__,
        description=(
            f"Open gegevens over de gecontracteerde zorgaanbieders (Jeugdwet en Wmo) van de "
            f"regio {pack.name}: expertise, wachttijden met peildatum en resultaten van de "
            f"zorg. Wachttijden ouder dan {pack.freshness_weeks} weken zijn `verouderd`; "
            f"resultaten op minder dan {pack.kpi_min_n} trajecten hebben "
            f"`te_weinig_waarnemingen`. Fouten komen terug als "
            f'`{{"detail": "...", "parameter": "..."}}` in het Nederlands.'
        ),
        path="/api/schema",
        render_plugins=[
            JsonRenderPlugin(path=["/", "/openapi.json"]),
            YamlRenderPlugin(path=["/openapi.yaml"]),
        ],
        tags=[
            Tag(name="aanbieders", description="Zoeken en bekijken van zorgaanbieders."),
            Tag(name="hulpwijzer", description="Van een hulpvraag naar passende hulp."),
            Tag(name="landschap", description="Aanbod, wachttijden en lacunes in de regio."),
            Tag(
                name="bijwerken",
                description="Aanbieders werken hun wachttijd en capaciteit bij met een "
                "persoonlijk token (Authorization: Bearer TOKEN).",
            ),
        ],
    )
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_CSRF_WARNING)
        app = HeadAsGetLitestar(
            route_handlers=[
                *COMPARE_HANDLERS,
                *PAGE_HANDLERS,
                *THEME_HANDLERS,
                *API_HANDLERS,
                *UPDATE_API_HANDLERS,
                *LANDSCAPE_API_HANDLERS,
                *LANDSCAPE_HANDLERS,
                *BOOKLET_HANDLERS,
                *HSDS_HANDLERS,
                *HEALTH_HANDLERS,
                *ACCOUNT_HANDLERS,
                *PORTAL_HANDLERS,
                *BEHEER_HANDLERS,
                *IMPORT_HANDLERS,
                *PEOPLE_HANDLERS,
                assistant_router(hulpwijzer),
                static,
            ],
            dependencies={"catalogue": Provide(provide_catalogue, sync_to_thread=False)},
            template_config=TemplateConfig(instance=JinjaTemplateEngine.from_environment(env)),
            compression_config=_compression(),
            openapi_config=openapi,
            exception_handlers=EXCEPTION_HANDLERS,
            before_send=[add_security_headers],
            before_request=host_check(settings.allowed_hosts),
            request_max_body_size=MAX_BODY_BYTES,
            state=State(
                {
                    "search": search,
                    "hulpwijzer": hulpwijzer,
                    "cards": cards,
                    "accounts": accounts,
                    "booklet": BookletService(engine, pack, catalogue.today),
                }
            ),
            csrf_config=csrf,
            middleware=[RequestLog],
            # Logging is configured by whoever runs the app (`etalage serve`: JSON lines,
            # etalage.logs), not by Litestar's own default handlers.
            logging_config=None,
            on_startup=[start_search],
            on_shutdown=[stop_search],
            debug=False,
        )
    return app
