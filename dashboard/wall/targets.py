"""The wall's headline cards, judged against their targets: pure (figures in, cards out), tested without Streamlit.

A judged card says how it stands in words ("di atas target 0") and with an icon, and only then in colour:
colour alone means nothing to a colour-blind visitor or on a washed-out panel. Targets come from the settings
registry (NTBCARE_ON_TIME_TARGET, NTBCARE_BREACHED_TARGET) and the SLA rules (the first-response deadline).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.locale import Locale
from dashboard.theme import STATE_ICON


@dataclass(frozen=True)
class Targets:
    on_time_pct: float  # at least this share (%) of completions on time
    breached: int  # at most this many open complaints past their deadline
    response_wd: float  # median first response within this many working days


@dataclass(frozen=True)
class Card:
    """One headline figure. ``state``: "met", "missed" or None (no target, or no figure to judge)."""

    key: str
    label: str
    value: str
    state: str | None = None
    note: str | None = None  # the judgement in words

    @property
    def icon(self) -> str | None:
        """A Material Symbols icon for the judgement (Streamlit's ``:material/name:``)."""
        if self.state is None:
            return None
        return f":material/{STATE_ICON['met' if self.state == 'met' else 'breached']}:"


def judged(met: bool | None, target: str, loc: Locale, *, higher_is_better: bool) -> tuple[str | None, str]:
    """(state, words) of a figure against ``target`` (already written for people)."""
    if met is None:
        return None, loc.t("wall.target_none", target=target)
    if met:
        return "met", loc.t("wall.target_met", target=target)
    return "missed", loc.t("wall.target_below" if higher_is_better else "wall.target_above", target=target)


def headline_cards(head: dict | None, loc: Locale, targets: Targets) -> list[Card]:
    """The seven cards of the wall's KPI row; '–' for a figure not read yet."""
    h = head or {}

    def num(k: str) -> str:
        return loc.num(h.get(k))

    breached, share, median = h.get("breached"), h.get("on_time_share"), h.get("median_response_wd")
    breached_state = judged(
        None if breached is None else breached <= targets.breached,
        loc.num(targets.breached),
        loc,
        higher_is_better=False,
    )
    share_state = judged(
        None if share is None else share * 100 >= targets.on_time_pct,
        loc.num_short(targets.on_time_pct, 1) + "%",
        loc,
        higher_is_better=True,
    )
    median_state = judged(
        None if median is None else float(median) <= targets.response_wd,
        loc.num_short(targets.response_wd, 1),  # the card's label names the unit (hari kerja)
        loc,
        higher_is_better=False,
    )
    return [
        Card("received_today", loc.t("kpi.received_today"), num("received_today")),
        Card("received_month", loc.t("kpi.received_month"), num("received_period")),
        Card("open", loc.t("kpi.open"), num("open")),
        Card("breached", loc.t("kpi.breached"), num("breached"), *breached_state),
        Card("at_risk", loc.t("kpi.at_risk"), num("at_risk")),
        Card("on_time", loc.t("kpi.on_time"), loc.pct(share), *share_state),
        Card("median_response", loc.t("wall.median_response"), loc.num_short(median, 1), *median_state),
    ]
