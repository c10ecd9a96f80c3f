"""The HTML of `/publik/` (a pure function of one snapshot and a locale): no script, one small inline style,
inline SVG, every figure also in a table. Nothing here comes from citizens: OPD, region and month names only."""

from __future__ import annotations

from html import escape

import pandas as pd

from core.locale import Locale
from core.rapor import rules_text
from core.timefmt import fmt_wita
from publik.figures import PublicFigures
from publik.svg import region_map, trend_chart

CSS = """
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;
background:#fff}main,header,footer{max-width:64rem;margin:0 auto;padding:0 1rem}header{padding-top:.5rem}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0}h2{font-size:1.3rem;margin:2rem 0 .5rem}
h3{font-size:1.05rem;margin:1.2rem 0 .3rem}a{color:#0b57a4}a:focus,.scroll:focus{outline:3px solid #b35806;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.25rem .5rem}
.lang{float:right;margin:.6rem 0 0 1rem}.note{color:#444;font-size:.95rem}
.scroll{overflow-x:auto;max-width:100%}table{border-collapse:collapse;width:100%;font-size:.95rem}
caption{text-align:left;font-size:.95rem;color:#444;padding:.25rem 0}
th,td{padding:.35rem .5rem;border-bottom:1px solid #d0d0d0;vertical-align:top}
thead th{font-weight:600;text-align:right;border-bottom:2px solid #555}thead th:first-child,tbody th{text-align:left}
tbody th{font-weight:500}td{text-align:right;white-space:nowrap}td.ng{color:#555;font-style:italic}
tbody th{position:sticky;left:0;background:#fff}
.chart{width:100%;height:auto;max-width:34rem;display:block}.axis,.legend{font-size:13px;fill:#1a1a1a}
.mlabel{font-size:13px;font-weight:600;fill:#1a1a1a;paint-order:stroke;stroke:#fff;stroke-width:3px}
.mlabel.dark{fill:#fff;stroke:#08306b}
details{margin:.5rem 0}summary{cursor:pointer;color:#0b57a4}dl dt{font-weight:600;margin-top:.8rem}dl dd{margin:0}
footer{margin-top:2rem;padding-bottom:2rem;color:#444;font-size:.9rem}
@media (max-width:40rem){body{font-size:15px}th,td{padding:.3rem .35rem}table{font-size:.875rem}
thead th{font-size:.8rem}table{min-width:44rem}}
"""


def e(value) -> str:
    return escape(str(value), quote=True)


def _pct(loc: Locale, value) -> str:
    return loc.pct(None if value is None or pd.isna(value) else value / 100, 1)


def opd_rows(table: pd.DataFrame, loc: Locale) -> str:
    out = []
    for r in table.itertuples(index=False):
        cells = [f'<th scope="row">{e(r.opd)}</th>', f"<td>{e(loc.num(r.dispatched))}</td>"]
        if r.assessed:
            cells += [
                f"<td>{e(_pct(loc, r.response_on_time_pct))}</td>",
                f"<td>{e(_pct(loc, r.completion_on_time_pct))}</td>",
                f"<td>{e(loc.num_short(r.median_response_wd, 1))}</td>",
                f"<td>{e(loc.t(f'grade.{r.grade}') if r.grade else '–')}</td>",
            ]
        else:
            cells += [
                "<td>–</td><td>–</td>",
                f"<td>{e(loc.num_short(r.median_response_wd, 1))}</td>",
                f'<td class="ng">{e(loc.t("pub.not_graded"))}</td>',
            ]
        out.append("<tr>" + "".join(cells) + "</tr>")
    return "".join(out)


def opd_section(slug: str, heading: str, caption: str, table: pd.DataFrame, loc: Locale) -> str:
    """The OPDs with complaints in the period as a table; those without any named in one sentence below it."""
    head = (
        "".join(
            f'<th scope="col">{e(loc.t(k))}</th>'
            for k in ("pub.col_opd", "pub.col_dispatched", "pub.col_response", "pub.col_completion", "pub.col_median")
        )
        + f'<th scope="col">{e(loc.t("pub.col_grade"))}</th>'
    )
    some, none = table[table["dispatched"] > 0], table[table["dispatched"] == 0]
    idle = f'<p class="note">{e(loc.t("pub.no_complaints", opds=", ".join(none["opd"])))}</p>' if len(none) else ""
    return (
        f'<section aria-labelledby="{slug}-h"><h2 id="{slug}-h">{e(heading)}</h2><p class="note" id="{slug}-c">'
        f'{e(caption)}</p><div class="scroll" tabindex="0" role="region" aria-labelledby="{slug}-h">'
        f'<table aria-describedby="{slug}-c"><thead><tr>{head}</tr></thead><tbody>{opd_rows(some, loc)}</tbody>'
        f"</table></div>{idle}</section>"
    )


def trend_section(fig: PublicFigures, loc: Locale) -> str:
    t = fig.trend
    first = loc.month(pd.Timestamp(t["period"].iloc[0] + "-01").date()) if len(t) else "–"
    last = loc.month(pd.Timestamp(t["period"].iloc[-1] + "-01").date()) if len(t) else "–"
    chart = trend_chart(
        t,
        loc,
        loc.t("pub.trend_heading"),
        loc.t("pub.trend_desc", first=first, last=last),
        (loc.t("pub.col_received"), loc.t("pub.col_completed")),
    )
    rows = "".join(
        f'<tr><th scope="row">{e(loc.month(pd.Timestamp(r.period + "-01").date()))}</th>'
        f"<td>{e(loc.num(r.received))}</td><td>{e(loc.num(r.completed))}</td>"
        f"<td>{e(_pct(loc, r.on_time_pct))}</td></tr>"
        for r in t.itertuples(index=False)
    )
    head = "".join(
        f'<th scope="col">{e(loc.t(k))}</th>'
        for k in ("pub.col_month", "pub.col_received", "pub.col_completed", "pub.col_completed_on_time")
    )
    return (
        f'<section aria-labelledby="trend-h"><h2 id="trend-h">{e(loc.t("pub.trend_heading"))}</h2>{chart}'
        f'<details><summary>{e(loc.t("pub.trend_table"))}</summary><div class="scroll" tabindex="0" role="region" '
        f'aria-label="{e(loc.t("pub.trend_table"))}"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody>'
        "</table></div></details></section>"
    )


def map_section(fig: PublicFigures, loc: Locale) -> str:
    heading = loc.t("pub.map_heading", period=loc.month(fig.month.start))
    chart = region_map(fig.regions, loc, heading, loc.t("pub.map_desc"))
    regions = fig.regions.sort_values("label", kind="stable")
    rows = "".join(
        f'<tr><th scope="row">{e(r.label)}</th><td>{e(loc.num(r.count))}</td><td>{e(loc.num(r.rate, 1))}</td></tr>'
        for r in regions.itertuples(index=False)
    )
    head = "".join(f'<th scope="col">{e(loc.t(k))}</th>' for k in ("pub.col_region", "pub.col_count", "pub.col_rate"))
    return (
        f'<section aria-labelledby="map-h"><h2 id="map-h">{e(heading)}</h2>{chart}'
        f'<p class="note">{e(loc.t("pub.map_source"))}</p>'
        f'<details><summary>{e(loc.t("pub.map_table"))}</summary><div class="scroll" tabindex="0" role="region" '
        f'aria-label="{e(loc.t("pub.map_table"))}"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody>'
        "</table></div></details></section>"
    )


def definitions(fig: PublicFigures, loc: Locale, rules) -> str:
    items = [
        ("pub.def_workdays_t", loc.t("pub.def_workdays")),
        ("pub.def_deadlines_t", rules_text(rules, loc)),
        ("pub.def_on_time_t", loc.t("pub.def_on_time")),
        ("pub.def_pause_t", loc.t("pub.def_pause")),
        ("pub.def_grades_t", loc.t("kep.grade_help") + " " + loc.t("pub.def_grades_min", n=fig.minimum)),
    ]
    body = "".join(f"<dt>{e(loc.t(k))}</dt><dd>{e(text)}</dd>" for k, text in items)
    return f'<section aria-labelledby="defs-h"><h2 id="defs-h">{e(loc.t("pub.defs_heading"))}</h2><dl>{body}</dl></section>'


def shell(loc: Locale, title: str, body: str) -> str:
    """The document around ``body``: language, viewport, the style, the language switch."""
    other = "id" if loc.lang == "en" else "en"
    switch = f'<a class="lang" href="?lang={other}" lang="{other}" hreflang="{other}">{e(loc.t("pub.other_lang"))}</a>'
    return (
        f'<!doctype html><html lang="{loc.lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>"
        f'<a class="skip" href="#main">{e(loc.t("pub.skip"))}</a><header>{switch}'
        f"<h1>{e(title)}</h1></header>{body}</body></html>"
    )


def page(fig: PublicFigures, loc: Locale, rules, refresh_s: int, stale: bool = False) -> str:
    """The whole page for one snapshot."""
    lang_q = "?lang=en" if loc.lang == "en" else ""
    warning = f'<p class="note" role="status"><strong>{e(loc.t("pub.stale"))}</strong></p>' if stale else ""
    month_label, year_label = fig.month.label(loc), fig.year.label(loc)
    body = (
        f'<main id="main"><p>{e(loc.t("pub.intro"))}</p>{warning}'
        f'<p class="note">{e(loc.t("pub.as_of", time=fmt_wita(fig.computed_at), minutes=max(1, refresh_s // 60)))}</p>'
        f'<p class="note">{e(loc.t("pub.minimum_note", n=fig.minimum))}</p>'
        + opd_section(
            "month",
            loc.t("pub.month_heading", period=loc.month(fig.month.start)),
            loc.t("pub.table_caption", period=month_label),
            fig.month_table,
            loc,
        )
        + opd_section(
            "year",
            loc.t("pub.year_heading", period=year_label),
            loc.t("pub.table_caption", period=year_label),
            fig.year_table,
            loc,
        )
        + trend_section(fig, loc)
        + map_section(fig, loc)
        + definitions(fig, loc, rules)
        + f'<section aria-labelledby="links-h"><h2 id="links-h">{e(loc.t("pub.links_heading"))}</h2><ul>'
        f'<li><a href="/publik/data/{lang_q}">{e(loc.t("pub.link_data"))}</a></li>'
        f'<li><a href="/open311/v2/services.json">{e(loc.t("pub.link_open311"))}</a></li></ul></section>'
        f"</main><footer><p>{e(loc.t('pub.privacy'))}</p></footer>"
    )
    return shell(loc, loc.t("pub.title"), body)


def unavailable(loc: Locale) -> str:
    """The page while nothing could be computed yet (the database is down since the process started)."""
    return shell(loc, loc.t("pub.title"), f'<main id="main"><p role="alert">{e(loc.t("pub.unavailable"))}</p></main>')
