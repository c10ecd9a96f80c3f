"""The view of page `notifikasi` (admins): the alert worker's rules and recipients (redacted), its outbox
(pending, sent, failed, with attempts and the last error), a "kirim uji" button per target, a "kirim ulang"
button per failed notice and the worker's heartbeat, in plain words (technical names second and smaller).
Layout only: data from dashboard.notifications.data.

"Kirim uji" sends the test notice straight through Apprise, as `python -m alerts test TARGET-NAME` does;
"kirim ulang" puts a failed notice back to pending (the worker sends it): the page's only write.
"""

import pandas as pd
import streamlit as st

from alerts.delivery import send_test
from alerts.settings import RULES
from core.i18n import t
from core.textsafe import md_literal
from core.timefmt import fmt_wita, now_utc
from dashboard import access_ui, components
from dashboard.notifications import data
from dashboard.pagectx import page_context

STATUS_ORDER = ("pending", "sending", "failed", "sent", "demo")


def group_words(group: str, lang: str) -> str:
    """``secretariat`` -> "Sekretariat NTB Care", ``opd:N02`` -> "Kontak OPD N02"."""
    if group.startswith("opd:"):
        return t("notif.group.opd", lang, code=group[4:])
    return t(f"notif.group.{group}", lang)


def target_words(name: str, lang: str) -> str:
    """A target name (``secretariat-1``, ``opd-N02-2``, ``advisers-demo``) in plain words."""
    base, _, n = name.rpartition("-")
    group = "opd:" + base[4:] if base.startswith("opd-") else base
    if group not in ("secretariat", "advisers", "leaders") and not group.startswith("opd:"):
        return name
    words = group_words(group, lang)
    return t("notif.target_n", lang, group=words, n=n) if n.isdigit() else words


def _when(rule: str, s, lang: str) -> str:
    if rule == "mendesak_baru":
        return t("notif.when.now", lang)
    if rule == "rapor_bulanan":
        return t("notif.when.rapor", lang, at=s.rapor_at.strftime("%H:%M"))
    at = s.digest_at if rule == "ringkasan_harian" else s.batch_at
    return t("notif.when.batch", lang, at=at.strftime("%H:%M"))


def _to(rule: str, s, lang: str) -> str:
    sec, opd = group_words("secretariat", lang), t("notif.group.opd_any", lang)
    return {
        "mendesak_baru": sec,
        "hampir_jatuh_tempo": f"{opd}, {sec}",
        "terlambat": t(
            "notif.to.late",
            lang,
            opd=opd,
            sec=sec,
            adv=group_words("advisers", lang),
            lead=group_words("leaders", lang),
            a=s.escalate_advisers_days,
            m=s.escalate_leaders_days,
        ),
        "ringkasan_harian": group_words("advisers", lang),
        "rapor_bulanan": ", ".join(group_words(g, lang) for g in s.rapor_groups) + f"; {opd}",
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
            host = md_literal(str(w["host"]), 80)
            fresh = (now - w["beat_at"].to_pydatetime()).total_seconds() <= data.STALE_AFTER_S
            role = t(f"notif.role.{w['role']}", lang) if w["role"] in ("active", "standby", "skew") else w["role"]
            if fresh and w["role"] == "skew":
                st.error(t("notif.worker_ok2", lang, host=host, role=role, ago=ago), icon=":material/schedule:")
            elif fresh:
                st.success(t("notif.worker_ok2", lang, host=host, role=role, ago=ago), icon=":material/favorite:")
            else:
                st.warning(t("notif.worker_stale2", lang, host=host, ago=ago), icon=":material/heart_broken:")
            st.caption(t("notif.worker_id", lang, id=md_literal(str(w["worker"]), 120)))
        skew = data.held_for_skew(hb)
        if skew is not None:
            st.error(
                t("notif.skew", lang, skew=loc.num(round(skew)), max=loc.num(round(data.settings()[0].max_skew_s))),
                icon=":material/schedule:",
            )
        if bool(hb.data["demo"].fillna(0).astype(int).max()):
            st.info(t("notif.demo", lang), icon=":material/science:")
    elif hb.has_data:
        st.info(t("notif.no_worker", lang), icon=":material/info:")

    # --- rules -------------------------------------------------------------------------------------------
    settings, settings_error = data.settings()
    if settings_error:
        st.error(t("notif.config_error", lang, detail=md_literal(settings_error, 300)), icon=":material/error:")
    st.subheader(t("notif.rules", lang))
    if settings.quiet is not None:
        st.caption(t("notif.quiet", lang, quiet=settings.quiet.label()))
    st.dataframe(
        pd.DataFrame(
            {
                t("notif.col_rule", lang): [t(f"notif.rule.{r}", lang) for r in RULES],
                t("notif.col_on", lang): [settings.enabled(r) for r in RULES],
                t("notif.col_when", lang): [_when(r, settings, lang) for r in RULES],
                t("notif.col_to", lang): [_to(r, settings, lang) for r in RULES],
                t("notif.col_code", lang): list(RULES),
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
                    t("notif.col_target", lang): [target_words(x.name, lang) for x in recipients.targets],
                    t("notif.col_lang", lang): [x.lang for x in recipients.targets],
                    t("notif.col_url", lang): [x.redacted for x in recipients.targets],
                    t("notif.col_code", lang): [x.name for x in recipients.targets],
                }
            ),
            hide_index=True,
            width="stretch",
            key="notif-targets",
        )
        cols = st.columns(min(4, len(recipients.targets)))
        for i, target in enumerate(recipients.targets):
            col = cols[i % len(cols)]
            words = target_words(target.name, lang)
            if col.button(
                f"{t('notif.send_test', lang)}: {words}",
                key=f"notif-test-{target.name}",
                icon=":material/send:",
                help=target.name,
            ):
                result = send_test(target, now_utc(), settings.send_timeout_s)
                if result.ok:
                    col.success(t("notif.test_ok", lang, target=md_literal(words)))
                else:
                    col.error(
                        t(
                            "notif.test_failed",
                            lang,
                            target=md_literal(words),
                            error=md_literal(result.error or "", 300),
                        )
                    )

    # --- outbox ------------------------------------------------------------------------------------------
    st.subheader(t("notif.outbox", lang))
    if counts.has_data:
        by_status = counts.data.groupby("status")["n"].sum() if not counts.data.empty else pd.Series(dtype=int)
        for col, status in zip(st.columns(len(STATUS_ORDER)), STATUS_ORDER, strict=True):
            col.metric(t(f"notif.status.{status}", lang), loc.num(int(by_status.get(status, 0))), border=True)
    if rows.has_data and not rows.data.empty:
        _failed(rows.data[rows.data["status"] == "failed"], settings, loc)
        r = rows.data
        st.dataframe(
            pd.DataFrame(
                {
                    t("notif.col_rule", lang): r["rule"].map(lambda x: t(f"notif.rule.{x}", lang)),
                    t("notif.col_target", lang): r["target"].map(lambda x: target_words(x, lang)),
                    t("notif.col_status", lang): r["status"].map(lambda s: t(f"notif.status.{s}", lang)),
                    t("notif.col_attempts", lang): r["attempts"],
                    t("notif.col_error", lang): r["last_error"].fillna(""),
                    t("notif.col_subject", lang): r["title"],
                    t("notif.col_created", lang): r["created_at"].map(lambda v: fmt_wita(v)),
                    t("notif.col_next", lang): [
                        fmt_wita(n) if s == "pending" else "–"
                        for n, s in zip(r["next_attempt_at"], r["status"], strict=True)
                    ],
                    t("notif.col_sent", lang): r["sent_at"].map(lambda v: fmt_wita(v)),
                }
            ),
            hide_index=True,
            width="stretch",
            key="notif-outbox",
        )


def _failed(failed: pd.DataFrame, settings, loc) -> None:
    """Notices that failed for good, each with its "Kirim ulang" button (the page is for admins only)."""
    lang = loc.lang
    if failed.empty:
        return
    st.error(
        t("notif.failed", lang, n=loc.num(len(failed)), hours=loc.num(round(settings.retry_for_s / 3600))),
        icon=":material/error:",
    )
    for r in failed.to_dict("records"):
        left, right = st.columns([5, 1])
        left.markdown(
            f"**{md_literal(r['title'], 160)}** · {md_literal(target_words(r['target'], lang), 80)}  \n"
            f":small[{md_literal(r['last_error'] or '', 200)} · {md_literal(r['target'], 60)} #{int(r['id'])}]"
        )
        if right.button(t("notif.resend", lang), key=f"notif-resend-{int(r['id'])}", icon=":material/replay:"):
            if data.resend(int(r["id"])):
                right.success(t("notif.resent", lang))
            else:
                right.info(t("notif.resend_gone", lang))
