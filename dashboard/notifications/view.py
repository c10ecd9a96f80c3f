"""The view of page `notifikasi` (admins): the alert worker's rules and recipients (redacted), its outbox
(pending, sent, failed, with attempts and the last error), a "kirim uji" button per target and the worker's
heartbeat. Layout only: data from dashboard.notifications.data.

The page reads the worker's tables and never writes them (the dashboard's role is read-only): "kirim uji"
sends the test notice straight through Apprise, as `python -m alerts test TARGET-NAME` does.
"""

import pandas as pd
import streamlit as st

from core.i18n import t
from core.locale import get_locale
from core.notify import send, test_notice
from core.textsafe import md_literal
from core.timefmt import fmt_wita, now_utc
from dashboard import access_ui, components
from dashboard.notifications import data
from dashboard.pagectx import page_context

STATUS_ORDER = ("pending", "sending", "failed", "sent", "demo")


def _when(rule: str, s, lang: str) -> str:
    if rule == "mendesak_baru":
        return t("notif.when.now", lang)
    if rule == "rapor_bulanan":
        return t("notif.when.rapor", lang, at=s.rapor_at.strftime("%H:%M"))
    at = s.digest_at if rule == "ringkasan_harian" else s.batch_at
    return t("notif.when.batch", lang, at=at.strftime("%H:%M"))


def _to(rule: str, s) -> str:
    return {
        "mendesak_baru": "secretariat",
        "hampir_jatuh_tempo": "opd-<KODE>, secretariat",
        "terlambat": f"opd-<KODE>, secretariat; advisers >= {s.escalate_advisers_days} hk; "
        f"leaders >= {s.escalate_leaders_days} hk",
        "ringkasan_harian": "advisers",
        "rapor_bulanan": ", ".join(s.rapor_groups) + "; opd-<KODE>",
    }[rule]


def render() -> None:
    """Lay the page out (called by its file in pages/)."""
    ctx = page_context()
    loc = ctx.locale
    lang = loc.lang
    access_ui.require("notifikasi", loc)
    st.title(t("notif.title", lang))
    st.caption(t("notif.intro", lang))
    now = now_utc()

    # --- heartbeat ---------------------------------------------------------------------------------------
    hb, counts, rows = data.heartbeat(), data.outbox_counts(), data.outbox_rows()
    components.stale_warning([hb, counts, rows], loc)
    st.subheader(t("notif.heartbeat", lang))
    if hb.has_data and not hb.data.empty:
        for w in hb.data.to_dict("records"):
            ago = loc.ago(w["beat_at"], now)
            name = md_literal(f"{w['worker']} @ {w['host']}", 120)
            fresh = (now - w["beat_at"].to_pydatetime()).total_seconds() <= data.STALE_AFTER_S
            if fresh:
                st.success(t("notif.worker_ok", lang, worker=name, role=w["role"], ago=ago), icon=":material/favorite:")
            else:
                st.warning(t("notif.worker_stale", lang, worker=name, ago=ago), icon=":material/heart_broken:")
        if bool(hb.data["demo"].fillna(0).astype(int).max()):
            st.info(t("notif.demo", lang), icon=":material/science:")
    elif hb.has_data:
        st.info(t("notif.no_worker", lang), icon=":material/info:")

    # --- rules -------------------------------------------------------------------------------------------
    settings, settings_error = data.settings()
    if settings_error:
        st.error(t("notif.config_error", lang, detail=md_literal(settings_error, 300)), icon=":material/error:")
    from core.alert_settings import RULES

    st.subheader(t("notif.rules", lang))
    if settings.quiet_start is not None:
        st.caption(t("notif.quiet", lang, quiet=f"{settings.quiet_start:%H:%M}-{settings.quiet_end:%H:%M}"))
    st.dataframe(
        pd.DataFrame(
            {
                t("notif.col_rule", lang): [f"{r} ({t(f'notif.rule.{r}', lang)})" for r in RULES],
                t("notif.col_on", lang): [settings.enabled(r) for r in RULES],
                t("notif.col_when", lang): [_when(r, settings, lang) for r in RULES],
                t("notif.col_to", lang): [_to(r, settings) for r in RULES],
            }
        ),
        hide_index=True,
        width="stretch",
        key="notif-rules",
    )

    # --- recipients, with a test button each -----------------------------------------------------------
    st.subheader(t("notif.recipients", lang))
    recipients, error = data.recipients()
    if error:
        st.error(t("notif.config_error", lang, detail=md_literal(error, 300)), icon=":material/error:")
    if not recipients.targets:
        st.info(t("notif.no_recipients", lang), icon=":material/info:")
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    t("notif.col_target", lang): [x.name for x in recipients.targets],
                    t("notif.col_group", lang): [x.group for x in recipients.targets],
                    t("notif.col_lang", lang): [x.lang for x in recipients.targets],
                    t("notif.col_url", lang): [x.redacted for x in recipients.targets],
                }
            ),
            hide_index=True,
            width="stretch",
            key="notif-targets",
        )
        cols = st.columns(min(4, len(recipients.targets)))
        for i, target in enumerate(recipients.targets):
            col = cols[i % len(cols)]
            if col.button(
                f"{t('notif.send_test', lang)}: {target.name}", key=f"notif-test-{target.name}", icon=":material/send:"
            ):
                title, body = test_notice(get_locale(target.lang), target.name, now_utc())
                result = send(target, title, body, None, settings.send_timeout_s)
                if result.ok:
                    col.success(t("notif.test_ok", lang, target=md_literal(target.name)))
                else:
                    col.error(
                        t(
                            "notif.test_failed",
                            lang,
                            target=md_literal(target.name),
                            error=md_literal(result.error or "", 300),
                        )
                    )

    # --- outbox ------------------------------------------------------------------------------------------
    st.subheader(t("notif.outbox", lang))
    if counts.has_data:
        by_status = counts.data.groupby("status")["n"].sum() if not counts.data.empty else pd.Series(dtype=int)
        for col, status in zip(st.columns(len(STATUS_ORDER)), STATUS_ORDER):
            col.metric(t(f"notif.status.{status}", lang), loc.num(int(by_status.get(status, 0))), border=True)
    if rows.has_data and not rows.data.empty:
        r = rows.data
        st.dataframe(
            pd.DataFrame(
                {
                    t("notif.col_rule", lang): r["rule"],
                    t("notif.col_target", lang): r["target"],
                    t("notif.col_status", lang): r["status"].map(lambda s: t(f"notif.status.{s}", lang)),
                    t("notif.col_attempts", lang): r["attempts"],
                    t("notif.col_error", lang): r["last_error"].fillna(""),
                    t("notif.col_subject", lang): r["title"],
                    t("notif.col_created", lang): r["created_at"].map(lambda v: fmt_wita(v)),
                    t("notif.col_next", lang): [
                        fmt_wita(n) if s == "pending" else "–" for n, s in zip(r["next_attempt_at"], r["status"])
                    ],
                    t("notif.col_sent", lang): r["sent_at"].map(lambda v: fmt_wita(v)),
                }
            ),
            hide_index=True,
            width="stretch",
            key="notif-outbox",
        )
