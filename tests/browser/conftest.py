"""Browser tests: Playwright (Python) driving Debian's Chromium, axe-core on every page type.

Playwright never downloads a browser here: it launches ``/usr/bin/chromium`` (installed by
``scripts/install_system_deps.sh``). axe-core comes bundled with ``axe-playwright-python``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API keeps an event loop in the test thread; our fixtures' ORM calls there are
# plain synchronous calls and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("ORTSWANDEL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing; run scripts/install_system_deps.sh")
        pytest.skip(f"{CHROMIUM} is not installed (scripts/install_system_deps.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(5_000)  # pages are local: fail fast instead of after 30 s
    page = context.new_page()
    external: list[str] = []

    def _guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(("http://localhost", "http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            external.append(url)
            route.abort()

    page.route("**/*", _guard)
    yield page
    context.close()
    assert not external, f"page tried to reach external hosts: {external}"


@pytest.fixture(scope="session")
def axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


#: Runs axe-core in the page and returns only what we report: serious and critical violations as
#: readable lines. Filtering in the page keeps the result small (axe's full result object, with
#: every pass and inapplicable rule, costs more to serialise than the checks themselves).
_AXE_SERIOUS = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.id} (${v.impact}): ${v.help} ` +
      JSON.stringify(v.nodes.slice(0, 5).map(n => n.target.join(", "))));
}"""


def serious_violations(axe: Any, page: Any) -> list[str]:
    """axe-core violations with impact serious or critical, as readable lines."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe.axe_script)
    return list(page.evaluate(_AXE_SERIOUS))


# --- Seeded content ------------------------------------------------------------------------------
#: Länder whose municipalities are all loaded (Brandenburg, Sachsen-Anhalt: the demo's model
#: municipalities and enough neighbours for "similar municipalities"); from every other Land only
#: the towns named by the demo content and the district-free cities.
FULL_LANDS = frozenset({"12", "15"})
DEMO_EXTRA_AGS = frozenset(
    {
        "03159016", "05113000", "05117000", "05124000", "05566008", "05566028", "05566056",
        "05911000", "05913000", "06412000", "08221000", "08311000", "14626600", "14713000",
    }
)  # fmt: skip
GENERATED_PROJECTS = 6


@pytest.fixture(scope="session")
def register_subset() -> Any:
    """A slice of the official register (GV100AD), parsed once per test session."""
    from django.conf import settings

    from ortswandel.sources.gv100ad import GV100Register, read_gv100ad

    folder = Path(settings.ORTSWANDEL_DATA_DIR) / "gv100ad"
    files = sorted(folder.glob("GV100AD_*.txt")) if folder.is_dir() else []
    if not files:
        pytest.skip(f"official register missing in {folder} (see SOURCES.md)")
    register = read_gv100ad(files[-1])
    subset = tuple(
        m
        for m in register.municipalities
        if m.land_code in FULL_LANDS or m.ags in DEMO_EXTRA_AGS or m.kreis_type_code in {"41", "42"}
    )
    return GV100Register(
        reference_date=register.reference_date,
        municipalities=subset,
        kreis_count=register.kreis_count,
        land_count=register.land_count,
    )


#: Apps whose tables the ``portal`` fixture fills (the search index is rebuilt from them).
SEED_APPS = ("municipalities", "catalogue", "events")
_SNAPSHOT: list[tuple[Any, list[dict[str, Any]]]] = []


def _seed_models() -> list[Any]:
    from django.apps import apps

    return [
        model
        for label in SEED_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]


def _build_portal(register_subset: Any) -> None:
    from ortswandel.catalogue import demo as catalogue_demo
    from ortswandel.catalogue.models import Programme, Project, ProjectStatus
    from ortswandel.core.models import PublicationStatus
    from ortswandel.events import demo as events_demo
    from ortswandel.municipalities.models import Municipality
    from ortswandel.municipalities.services import municipalities_import

    municipalities_import(register=register_subset)
    # Written directly (as a loader does); the index is rebuilt once afterwards (portal()).
    catalogue_demo.load()
    events_demo.load()
    programme = Programme.objects.get(slug="kommunen-innovativ")
    towns = list(Municipality.objects.filter(ags__in=["12069304", "15084590", "14713000"]))
    for number in range(1, GENERATED_PROJECTS + 1):
        project = Project.objects.create(
            programme=programme,
            acronym=f"Testvorhaben {number}",
            slug=f"testvorhaben-{number}",
            title=f"Generiertes Testvorhaben Nummer {number} für die Browsertests",
            project_status=ProjectStatus.RUNNING,
            status=PublicationStatus.PUBLISHED,
        )
        project.municipalities.set([towns[number % len(towns)]])


def _restore_snapshot() -> None:
    """Insert the rows captured after the first build, with their primary keys (foreign keys are
    deferred to the end of the transaction on SQLite and PostgreSQL, so the order is free)."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    with transaction.atomic():
        for model, rows in _SNAPSHOT:
            model._base_manager.bulk_create([model(**row) for row in rows], batch_size=500)
    if connection.vendor == "postgresql":
        statements = connection.ops.sequence_reset_sql(no_style(), [m for m, _ in _SNAPSHOT])
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


@pytest.fixture
def portal(transactional_db: Any, register_subset: Any) -> dict[str, Any]:
    """The real demo content (catalogue and events) on a slice of the real register, plus a few
    generated projects so that the project directory has several pages; search index built.

    Browser tests need a transactional database (the live server runs in another thread), which
    is emptied after every test. The first use builds the content through the demo loaders and
    keeps a snapshot of the rows; later uses bulk-insert the snapshot (a fraction of the cost).
    """
    from django.core.cache import cache

    from ortswandel.catalogue.models import Programme
    from ortswandel.municipalities import similarity
    from ortswandel.search.services import search_index_rebuild

    if _SNAPSHOT:
        _restore_snapshot()
    else:
        _build_portal(register_subset)
        _SNAPSHOT.extend((m, list(m._base_manager.order_by("pk").values())) for m in _seed_models())
    search_index_rebuild()
    similarity.clear_cache()
    cache.clear()  # facet counts, content version and the registration rate limit
    return {"programme": Programme.objects.get(slug="kommunen-innovativ")}


# --- Page helpers -------------------------------------------------------------------------------
def open_page(page: Any, url: str, *, status: int = 200) -> Any:
    """Visit ``url`` and check the HTTP status; returns the response."""
    response = page.goto(url)
    assert response is not None, url
    assert response.status == status, f"{url}: HTTP {response.status}, expected {status}"
    return response


def check_page(axe: Any, page: Any, *, h1: str | None = None, lang: str = "de") -> None:
    """What every public page must satisfy: one h1 (optionally containing ``h1``), the page
    language, the landmarks of base.html, and no serious or critical axe-core violation."""
    where = page.url
    headings = page.locator("h1")
    assert headings.count() == 1, f"{where}: {headings.count()} h1 elements"
    if h1 is not None:
        assert h1 in headings.inner_text(), f"{where}: h1 is {headings.inner_text()!r}"
    assert page.locator("html").get_attribute("lang") == lang, where
    assert page.locator("main#main").count() == 1, where
    assert page.title().strip(), f"{where}: empty <title>"
    assert serious_violations(axe, page) == [], where


def session_cookies(live_server: Any, user: Any) -> list[dict[str, str]]:
    """The session cookie of ``user`` signed in (by Django's test client) for ``live_server``."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]


def login(page: Any, live_server: Any, user: Any) -> None:
    """Sign ``user`` in for the browser ``page`` without the login form."""
    page.context.add_cookies(session_cookies(live_server, user))


def assert_no_horizontal_overflow(page: Any) -> None:
    """Nothing scrolls sideways (wide tables scroll inside their own region)."""
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


# --- Page weight ---------------------------------------------------------------------------------
#: Where every browser test that measures a page adds its figures (one JSON object per page),
#: so one run reports them together (``tests/browser/test_page_weights.py`` prints the table).
PAGE_WEIGHTS_FILE = Path(__file__).resolve().parents[2] / "var" / "page-weights.jsonl"
_COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")


@pytest.fixture(scope="session", autouse=True)
def _fresh_page_weights() -> None:
    """One run, one report: figures of earlier runs are dropped."""
    PAGE_WEIGHTS_FILE.unlink(missing_ok=True)


def measure_page_weight(
    page: Any, url: str, *, name: str, cookies: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Load ``url`` in a fresh cache and weigh everything it loads: HTML, styles, scripts, images,
    fonts. Text resources are counted gzip-compressed (level 6, as the production server's
    whitenoise/GZip would send them; the test server sends them uncompressed), binary ones as they
    are. ``cookies`` (e.g. a signed-in session) are set after the old ones are cleared. Returns
    ``{"name", "url", "requests", "bytes", "by_type"}`` and records it in
    :data:`PAGE_WEIGHTS_FILE`."""
    import gzip
    import json

    responses: list[Any] = []

    def _collect(item: Any) -> None:
        responses.append(item)

    page.on("response", _collect)
    page.context.clear_cookies()
    if cookies:
        page.context.add_cookies(cookies)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    page.remove_listener("response", _collect)
    by_type: dict[str, int] = {}
    total = 0
    for item in responses:
        if item.status >= 300 or item.url.startswith("data:"):
            continue
        try:
            body = item.body()
        except Exception:  # the browser already dropped the buffer: fetch the same URL again
            body = page.request.get(item.url).body()
        kind = (item.headers.get("content-type") or "").split(";")[0].strip()
        size = len(gzip.compress(body, 6)) if kind.startswith(_COMPRESSIBLE) else len(body)
        label = kind.split("/")[-1] or "other"
        by_type[label] = by_type.get(label, 0) + size
        total += size
    record = {
        "name": name,
        "url": url.split("//", 1)[-1].split("/", 1)[-1],
        "requests": len(responses),
        "bytes": total,
        "by_type": by_type,
    }
    PAGE_WEIGHTS_FILE.parent.mkdir(exist_ok=True)
    with PAGE_WEIGHTS_FILE.open("a", encoding="utf-8") as out:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return record
