"""Shared fixtures for the whole suite. Use these instead of writing your own (names are stable):

Databases
  db_factory        (session)  empty databases of either backend: ``db_factory.url("sqlite"|"postgresql")``
                               and generated ones: ``db_factory.generated(backend, complaints, seed)``
  small_db          (session, both backends) the hand-built dataset (tests/dataset.py): an engine
  hostile_db        (session, both backends) the hostile dataset (tests/hostile.py): an engine
  dataset_url       (session)  the hand-built dataset on SQLite, built once: a URL for servers that only read it
  empty_db_url      (function, both backends) an empty database's URL
  app_env           (function) a fresh copy of the hand-built dataset on SQLite as the app's DATABASE_URL,
                    caches reset (a file copy of one built database: cheap, and yours to change)
  readonly_db       (session)  a private PostgreSQL with the dataset and the read-only role (tests/readonly.py)
  rules             (function) the default ``SlaRules()``
  access_mapping    (autouse)  the test accounts' role mapping (tests/access_users.py)

Opening a page as a viewer, in AppTest
  open_page(viewer, page=None, query=None, *, secrets=None, timeout=60, script_alone=False) -> AppTest
      ``viewer``: "anonymous", "wall" (logged in, no role), "leader", "adviser", "admin" (tests/access_users.USERS)
      or a dict of claims for ``at.user``. ``page``: a URL path ("kepatuhan", "aduan", ...), a page file
      ("pages/compliance.py") or None for the bare address "/". The page is opened the way a typed URL opens
      it: one run of app.py on that URL path, so a refused page gives app.py's stand-in. The database is
      whatever DATABASE_URL the test's database fixture set (app_env, hostile_app, readonly_db, ...).
      ``script_alone=True`` runs the page file by itself, without app.py (what a page must survive).

Chromium (Debian's /usr/bin/chromium through Playwright; mark the module ``pytestmark = pytest.mark.browser``)
  browser           (session)  one chromium for the whole run
  new_page(width=1400, height=1000, scale=1) -> Page
                    (function) a page in a new browser context (its own cookies: logged out); closed after the test
  app_server(database_url, env=None, *, login=False, name="app", fresh=False) -> server with ``.url``
                    (module)   a real ``streamlit run`` (login=True: with a local OpenID provider, tests/oidc_support.py);
                    the same arguments give the same running server within a module unless ``fresh=True``;
                    all stopped at the end of the module
  browse(server, viewer, path="monitor", query=None, *, page=None, width=1400, height=1000) -> Page
                    (function) a page opened as ``viewer`` like a typed address: a real login first for a role
                    ("leader", "adviser", "admin", "wall"), nothing for "anonymous"; ``page=`` reuses a page and
                    its login; ``path=None`` stays on the wall where the login ends
Helpers that are not fixtures live in tests/browser_support.py (wait_ready, main_text, open_wall, assert_fits, ...).
Test files import helper modules only (tests/browser_support.py, tests/dataset.py, ...), never another test file.
"""

from __future__ import annotations

import os
import shutil
import uuid
from urllib.parse import urlencode

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core.engine import make_engine
from core.settings import SlaRules
from tests import dataset
from tests.access_users import USERS, set_access_env
from tests.pg_instance import pg_instance  # noqa: F401 - a throw-away PostgreSQL for any test module

PG_ADMIN_URL = os.environ.get("NTBCARE_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
BACKENDS = ("sqlite", "postgresql")
VIEWER_ALIASES = {"wall": "unmapped"}  # a logged-in account that no rule maps: the role "wall"


def _pg_admin():
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - turned into a clear test failure
        pytest.fail(
            f"PostgreSQL at {PG_ADMIN_URL} is not reachable ({exc.__class__.__name__}); start it with "
            "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
            pytrace=False,
        )
    return engine


class DatabaseFactory:
    """Creates empty databases of either backend and drops them at the end of the session."""

    def __init__(self, tmp_path_factory):
        self._tmp = tmp_path_factory
        self._pg_admin = None
        self._created: list[str] = []

    def url(self, backend: str) -> str:
        name = f"ntbcare_t_{uuid.uuid4().hex[:10]}"
        if backend == "sqlite":
            return f"sqlite:///{self._tmp.mktemp('db') / (name + '.sqlite')}"
        if self._pg_admin is None:
            self._pg_admin = _pg_admin()
        with self._pg_admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self._created.append(name)
        return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    def generated(self, backend: str, complaints: int, seed: int, opds: int | None = None) -> str:
        """A new database filled by ``python -m data_seed init`` (the generator's realistic mix up to now), with
        ``opds`` active agencies when given (``--opds``): its URL."""
        from data_seed.cli import main as seed_main

        url = self.url(backend)
        args = ["init", "--database-url", url, "--complaints", str(complaints), "--seed", str(seed), "--quiet"]
        args += ["--opds", str(opds)] if opds else []
        assert seed_main(args) == 0
        return url

    def close(self):
        if self._pg_admin is None:
            return
        with self._pg_admin.connect() as conn:
            for name in self._created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._pg_admin.dispose()


@pytest.fixture(scope="session")
def db_factory(tmp_path_factory):
    factory = DatabaseFactory(tmp_path_factory)
    yield factory
    factory.close()


@pytest.fixture(scope="session", params=BACKENDS)
def small_db(request, db_factory):
    """The hand-built dataset (tests/dataset.py) on each backend: yields an engine."""
    url = db_factory.url(request.param)
    engine = make_engine(url, must_exist=False)
    dataset.build(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def dataset_url(db_factory):
    """The hand-built dataset on SQLite, built once per run: for servers and pages that only read it."""
    url = db_factory.url("sqlite")
    engine = make_engine(url, must_exist=False)
    dataset.build(engine)
    engine.dispose()
    return url


@pytest.fixture(params=BACKENDS)
def empty_db_url(request, db_factory):
    return db_factory.url(request.param)


@pytest.fixture
def rules():
    return SlaRules()


@pytest.fixture(autouse=True)
def access_mapping(monkeypatch):
    """Every test runs with the role mapping of the test accounts (tests/access_users.py)."""
    set_access_env(monkeypatch)


@pytest.fixture
def app_env(monkeypatch, dataset_url, tmp_path):
    """A fresh copy of the hand-built dataset on SQLite as the app's DATABASE_URL, with the app's caches reset.
    (A copy of the file ``dataset_url`` built once: a test may change its copy.)"""
    from dashboard import data

    path = tmp_path / "dataset.sqlite"
    shutil.copyfile(make_url(dataset_url).database, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    data.reset()
    yield url
    data.reset()


@pytest.fixture(scope="session", params=BACKENDS)
def hostile_db(request, db_factory):
    """The hostile and odd dataset (tests/hostile.py) on each backend: yields an engine."""
    from tests import hostile

    url = db_factory.url(request.param)
    engine = make_engine(url, must_exist=False)
    hostile.build(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def readonly_db():
    """A private PostgreSQL with the dataset and the read-only role (tests/readonly.py), shared by the run.
    Tests that stop it start it again (``readonly_db.pg.start()``), tests that change grants put them back."""
    from tests.readonly import readonly_database

    with readonly_database() as db:
        yield db


# --- AppTest: a page as a viewer ------------------------------------------------------------------------------


def user_of(viewer) -> dict:
    """``at.user`` for a viewer name (tests/access_users.USERS, "wall" for the logged-in account with no role)
    or a dict of claims, as is."""
    if isinstance(viewer, dict):
        return viewer
    return USERS[VIEWER_ALIASES.get(viewer, viewer)]


def url_path_of(page: str) -> str:
    """A page's URL path, from its URL path or its file (pages/compliance.py -> kepatuhan)."""
    from dashboard import access

    for spec in access.PAGES:
        if page in (spec.url_path, spec.file):
            return spec.url_path
    raise ValueError(f"no page {page!r} in dashboard/access.py PAGES")


def open_app_page(
    viewer="anonymous",
    page: str | None = None,
    query: dict | None = None,
    *,
    secrets: dict | None = None,
    timeout: float = 60,
    script_alone: bool = False,
):
    """Open ``page`` as ``viewer`` with AppTest and return the AppTest after its run (see the module docstring)."""
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    from tests.browser_support import ROOT

    if script_alone:
        from dashboard import access

        file = next(s.file for s in access.PAGES if page in (s.url_path, s.file))
        at = AppTest.from_file(str(ROOT / file), default_timeout=timeout)
    else:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
        if page is not None:
            # what a typed URL asks for: the page registered under that URL path (st.Page hashes its url_path);
            # app.py registers every URL path, with the page's script or, for a refused role, a stand-in
            at._page_hash = calc_hash(url_path_of(page))
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    at.user = user_of(viewer)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


@pytest.fixture
def open_page():
    """``open_page(viewer, page=None, query=None, *, secrets=None, timeout=60, script_alone=False) -> AppTest``."""
    return open_app_page


# --- chromium ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_session():
    """The one Playwright of the run: a second ``sync_playwright()`` while one is open fails ("Sync API inside the
    asyncio loop"), so a module that needs chromium with other flags launches it from this one."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_session):
    """One Debian chromium for the whole run (tests/browser_support.launch_browser); tests take a new context."""
    from tests.browser_support import launch_browser

    b = launch_browser(playwright_session)
    yield b
    b.close()


@pytest.fixture
def new_page(browser):
    """``new_page(width=1400, height=1000, scale=1, **context_options) -> Page`` in a new browser context (its own
    cookies, so logged out); every context is closed at the end of the test."""
    contexts = []

    def make(width: int = 1400, height: int = 1000, scale: float = 1, **options):
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale, **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def app_server():
    """``app_server(database_url, env=None, *, login=False, name="app", fresh=False)``: a running app (module
    scope). ``login=True`` wires it to a local OpenID provider (tests/oidc_support.LoginApp: ``.idp_url``).
    Equal arguments give the same server within a module unless ``fresh=True``; ``server.stop()`` is allowed."""
    from tests.browser_support import ARTIFACTS, StreamlitServer
    from tests.oidc_support import LoginApp

    running: dict = {}
    started: list = []

    def start(
        database_url: str, env: dict | None = None, *, login: bool = False, name: str = "app", fresh: bool = False
    ):
        key = (database_url, tuple(sorted((env or {}).items())), login)
        if not fresh and key in running:
            return running[key]
        if login:
            server = LoginApp(database_url, name, extra_env=dict(env or {}))
        else:
            server = StreamlitServer(database_url, dict(env or {}), ARTIFACTS / f"{name}.log")
        started.append(server)
        if not fresh:
            running[key] = server
        return server

    yield start
    for server in reversed(started):
        server.close() if hasattr(server, "idp_url") else server.stop()


@pytest.fixture
def browse(new_page):
    """``browse(server, viewer, path="monitor", query=None, *, page=None, width=1400, height=1000) -> Page``:
    ``path`` opened like a typed address as ``viewer``; a role logs in for real first (tests/oidc_support.login)
    unless ``page`` already is that viewer's."""
    from tests.browser_support import wait_ready
    from tests.oidc_support import login

    logged_in: dict = {}

    def open_(
        server,
        viewer: str = "anonymous",
        path: str | None = "monitor",
        query: dict | str | None = None,
        *,
        page=None,
        width: int = 1400,
        height: int = 1000,
    ):
        account = VIEWER_ALIASES.get(viewer, viewer)
        page = page or new_page(width, height)
        if account != "anonymous" and logged_in.get(id(page)) != account:
            login(page, server, account)
            logged_in[id(page)] = account
            if path is None:  # stay where the login ends: the wall
                return page
        path = path or "monitor"
        q = urlencode(query) if isinstance(query, dict) else query
        page.goto(f"{server.url}/{path}" + (f"?{q}" if q else ""))
        wait_ready(page)
        return page

    return open_
