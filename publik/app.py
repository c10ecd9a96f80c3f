"""The public web app (Starlette): `/publik/`, `/publik/data/` and `/open311/v2/`, read only, no login.

Every answer is built from a snapshot that ``SnapshotCache`` computes once per NTBCARE_PUBLIC_REFRESH_SECONDS
for all visitors; database work runs in worker threads so a slow query never blocks other requests.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from core.codes import WITA
from core.i18n import normalise_lang
from core.locale import LOCALES, Locale
from core.settings import SlaRules, value
from core.timefmt import now_utc
from publik import figures as figures_mod
from publik import open311, opendata, page
from publik.cache import SnapshotCache
from queries import open311 as o311q

log = logging.getLogger("ntbcare.publik")
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class PublicConfig:
    """What the public app reads from the settings registry, once at start (a bad value stops the process)."""

    refresh_s: int
    minimum: int
    licence: str
    licence_url: str
    titles: bool
    jurisdiction: str

    @classmethod
    def from_env(cls) -> PublicConfig:
        return cls(
            refresh_s=value("NTBCARE_PUBLIC_REFRESH_SECONDS"),
            minimum=value("NTBCARE_RAPOR_MIN_DECIDED"),
            licence=value("NTBCARE_OPEN_DATA_LICENSE"),
            licence_url=value("NTBCARE_OPEN_DATA_LICENSE_URL"),
            titles=value("NTBCARE_OPEN311_TITLES") == "1",
            jurisdiction=value("NTBCARE_OPEN311_JURISDICTION"),
        )


def locale_of(request: Request) -> Locale:
    return LOCALES[normalise_lang(request.query_params.get("lang"))]


def create_app(engine, config: PublicConfig, rules: SlaRules, clock: Callable[[], dt.datetime] = now_utc) -> Starlette:
    cache = SnapshotCache(config.refresh_s)

    def read(fn, *args, **kwargs):
        with engine.connect() as conn:
            return fn(conn, *args, **kwargs)

    def snapshot():
        return cache.get("figures", lambda: read(figures_mod.compute, clock(), rules, config.minimum))

    def cached_headers() -> dict[str, str]:
        return {"Cache-Control": f"public, max-age={min(60, config.refresh_s)}"}

    # --- /publik/ ------------------------------------------------------------------------------------------
    rendered: dict[tuple[str, int, bool], str] = {}

    def render(entry, loc: Locale) -> str:
        """The page of one snapshot in one language, built once."""
        key = (loc.lang, id(entry.value), entry.stale)
        if key not in rendered:
            if len(rendered) > 8:
                rendered.clear()
            rendered[key] = page.page(entry.value, loc, rules, config.refresh_s, stale=entry.stale)
        return rendered[key]

    async def public_page(request: Request) -> Response:
        loc = locale_of(request)
        try:
            entry = await run_in_threadpool(snapshot)
        except Exception as exc:  # noqa: BLE001 - an outage never blanks the page: a clear message instead
            log.warning("public figures unavailable: %s", exc.__class__.__name__)
            return Response(page.unavailable(loc), status_code=503, media_type=HTML, headers={"Retry-After": "60"})
        html = await run_in_threadpool(render, entry, loc)
        return Response(html, media_type=HTML, headers=cached_headers())

    async def public_redirect(request: Request) -> Response:
        return RedirectResponse("/publik/" + (f"?{request.url.query}" if request.url.query else ""), status_code=301)

    # --- /publik/data/ -------------------------------------------------------------------------------------
    def today() -> dt.date:
        return clock().astimezone(WITA).date()

    async def data_index(request: Request) -> Response:
        loc = locale_of(request)
        try:
            first = (await run_in_threadpool(cache.get, "first", lambda: read(o311q.first_dispatch))).value
        except Exception:  # noqa: BLE001
            return Response(page.unavailable(loc), status_code=503, media_type=HTML, headers={"Retry-After": "60"})
        lang_q = "?lang=en" if loc.lang == "en" else ""
        items = "".join(
            f"<li>{escape(loc.month(dt.date(int(m[:4]), int(m[5:]), 1)))}: "
            f'<a href="rapor-{m}.csv">CSV</a>, <a href="rapor-{m}.json">JSON</a></li>'
            for m in opendata.months(first, today())
        )
        meanings = {c: loc.t(f"od.field.{c}") for c in opendata.DICTIONARY_COLUMNS}
        fields = "".join(
            f'<tr><th scope="row"><code>{c}</code></th><td>{escape(meaning)}</td></tr>'
            for c, meaning in meanings.items()
        )
        licence = escape(loc.t("od.licence", licence=config.licence))
        body = (
            f'<main id="main"><p>{escape(loc.t("od.intro"))}</p>'
            f'<p><a href="/publik/{lang_q}">{escape(loc.t("od.back"))}</a></p>'
            f'<h2 id="lic">{escape(loc.t("od.licence_heading"))}</h2><p>{licence} '
            f'<a href="{escape(config.licence_url, quote=True)}">{escape(config.licence)}</a></p>'
            f'<h2 id="dict">{escape(loc.t("od.dictionary"))}</h2><div class="scroll" tabindex="0" role="region" '
            f'aria-labelledby="dict"><table><thead><tr><th scope="col">{escape(loc.t("od.col_name"))}</th>'
            f'<th scope="col">{escape(loc.t("od.col_meaning"))}</th></tr></thead><tbody>{fields}</tbody></table></div>'
            f"<h2>{escape(loc.t('od.months'))}</h2><ul>{items}</ul></main>"
        )
        return Response(page.shell(loc, loc.t("od.title"), body), media_type=HTML, headers=cached_headers())

    async def data_file(request: Request) -> Response:
        loc = locale_of(request)
        month, fmt = request.path_params["month"], request.path_params["fmt"]
        period = opendata.month_period(month, today())
        if period is None or fmt not in ("csv", "json"):
            example = f"{(today().replace(day=1) - dt.timedelta(days=1)):%Y-%m}"
            return Response(
                loc.t("od.bad_month", example=example), status_code=404, media_type="text/plain; charset=utf-8"
            )

        def make() -> bytes:
            frame = read(opendata.month_frame, period, clock(), rules)
            if fmt == "csv":
                return opendata.to_csv(frame)
            return opendata.to_json(frame, month, config.licence, config.licence_url)

        try:
            body = (await run_in_threadpool(cache.get, ("data", month, fmt), make)).value
        except Exception:  # noqa: BLE001
            return Response(loc.t("pub.unavailable"), status_code=503, media_type="text/plain; charset=utf-8")
        media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json; charset=utf-8"
        headers = {**cached_headers(), "Content-Disposition": f'inline; filename="rapor-opd-{month}.{fmt}"'}
        return Response(body, media_type=media, headers=headers)

    # --- /open311/v2/ --------------------------------------------------------------------------------------
    def o311_error(code: int, description: str, fmt: str) -> Response:
        media = "text/xml; charset=utf-8" if fmt == "xml" else "application/json; charset=utf-8"
        return Response(open311.errors_doc(code, description, fmt), status_code=code, media_type=media)

    def o311_ok(body: bytes, fmt: str) -> Response:
        media = "text/xml; charset=utf-8" if fmt == "xml" else "application/json; charset=utf-8"
        return Response(body, media_type=media, headers={**cached_headers(), "Access-Control-Allow-Origin": "*"})

    def jurisdiction_error(request: Request, fmt: str, loc: Locale) -> Response | None:
        given = request.query_params.get("jurisdiction_id")
        if given and given != config.jurisdiction:
            return o311_error(404, loc.t("o311.jurisdiction", value=given[:80]), fmt)
        return None

    async def services(request: Request) -> Response:
        fmt, loc = request.path_params["fmt"], locale_of(request)
        if fmt not in ("json", "xml"):
            return o311_error(404, loc.t("od.not_found"), "json")
        if bad := jurisdiction_error(request, fmt, loc):
            return bad

        def make() -> bytes:
            return open311.services_doc(open311.service_records(read(o311q.services), loc), fmt)

        try:
            return o311_ok((await run_in_threadpool(cache.get, ("services", fmt, loc.lang), make)).value, fmt)
        except Exception:  # noqa: BLE001
            return o311_error(503, loc.t("o311.unavailable"), fmt)

    def request_filters(request: Request, loc: Locale) -> dict:
        """The specification's filters; ValueError with a message for a bad one."""
        q = request.query_params
        ids = tuple(t.strip() for t in q.get("service_request_id", "").split(",") if t.strip())
        if ids:  # "this overrides all other arguments"
            return {"tickets": ids[:LIMIT_IDS]}
        status = tuple(s.strip().lower() for s in q.get("status", "").split(",") if s.strip())
        if any(s not in ("open", "closed") for s in status):
            raise ValueError("status: open, closed")
        codes = tuple(c.strip() for c in q.get("service_code", "").split(",") if c.strip())
        given_end = open311.parse_time(q["end_date"]) if q.get("end_date") else None
        given_start = open311.parse_time(q["start_date"]) if q.get("start_date") else None
        # "now" as of the start of this refresh interval: one answer (and one cache entry) per interval
        now = clock()
        now = now - dt.timedelta(seconds=now.timestamp() % config.refresh_s)
        # without dates: the last 90 days; with one: 90 days from (or up to) it
        end = given_end or (min(now, given_start + open311.WINDOW) if given_start else now)
        start = given_start or end - open311.WINDOW
        if end < start:
            raise ValueError("end_date < start_date")
        if end - start > open311.WINDOW:
            raise ValueError("start_date..end_date > 90 days")
        # whole seconds: one cache entry per distinct question
        return {"start": start.replace(microsecond=0), "end": end.replace(microsecond=0), "status": status,
                "service_codes": codes}  # fmt: skip

    async def requests(request: Request) -> Response:
        fmt, loc = request.path_params["fmt"], locale_of(request)
        if fmt not in ("json", "xml"):
            return o311_error(404, loc.t("od.not_found"), "json")
        if bad := jurisdiction_error(request, fmt, loc):
            return bad
        try:
            filters = request_filters(request, loc)
        except (ValueError, OverflowError) as exc:
            return o311_error(400, loc.t("o311.bad_request", detail=str(exc)[:200]), fmt)
        return await answer_requests(filters, fmt, loc)

    async def answer_requests(filters: dict, fmt: str, loc: Locale, single: str | None = None) -> Response:
        def make() -> bytes:
            df = read(o311q.service_requests, clock(), rules, limit=open311.LIMIT, with_title=config.titles, **filters)
            return open311.requests_doc(open311.request_records(df, loc, config.titles), fmt) if len(df) else b""

        key = ("requests", fmt, loc.lang, tuple(sorted((k, str(v)) for k, v in filters.items())))
        try:
            body = (await run_in_threadpool(cache.get, key, make)).value
        except Exception:  # noqa: BLE001
            return o311_error(503, loc.t("o311.unavailable"), fmt)
        if not body:
            if single is not None:
                return o311_error(404, loc.t("o311.not_found", ticket=single[:80]), fmt)
            body = open311.requests_doc([], fmt)
        return o311_ok(body, fmt)

    async def one_request(request: Request) -> Response:
        fmt, loc = request.path_params["fmt"], locale_of(request)
        if fmt not in ("json", "xml"):
            return o311_error(404, loc.t("od.not_found"), "json")
        if bad := jurisdiction_error(request, fmt, loc):
            return bad
        ticket = request.path_params["ticket"]
        return await answer_requests({"tickets": (ticket,)}, fmt, loc, single=ticket)

    routes = [
        Route("/publik", public_redirect),
        Route("/publik/", public_page),
        Route("/publik/data/", data_index),
        Route("/publik/data/rapor-{month}.{fmt}", data_file),
        Route("/open311/v2/services.{fmt}", services),
        Route("/open311/v2/requests.{fmt}", requests),
        Route("/open311/v2/requests/{ticket}.{fmt}", one_request),
    ]

    @contextlib.asynccontextmanager
    async def warm_up(_app):
        """Compute the page's figures as the process starts, so the first visitor does not wait for them."""

        def run():
            try:
                entry = snapshot()
                for loc in LOCALES.values():
                    render(entry, loc)
            except Exception as exc:  # noqa: BLE001 - the first visitor retries (and gets the outage page)
                log.warning("public figures not computed at start: %s", exc.__class__.__name__)

        threading.Thread(target=run, daemon=True, name="publik-warm-up").start()
        yield

    app = Starlette(routes=routes, middleware=[Middleware(GZipMiddleware, minimum_size=500)], lifespan=warm_up)
    app.state.cache = cache
    return app


LIMIT_IDS = 100  # service_request_id values per request
