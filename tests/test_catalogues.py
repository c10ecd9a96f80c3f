"""The gettext catalogues (core/locales/): complete in every language, every key the code asks for exists, and a
new language is one folder."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from core import i18n
from core.locale import Locale, get_locale

ROOT = Path(__file__).resolve().parent.parent
CODE_DIRS = ("app.py", "pages", "dashboard", "core", "alerts", "queries", "publik")
# a literal key in loc.t("..."), t("...", lang), loc.tn("...", n); and the literal head of an f-string key
CALL = re.compile(r"""\b(tn?)\(\s*(f?)"([a-z_]+\.[a-z0-9_.]*)""")


def _catalogues() -> dict[tuple[str, str], object]:
    found = {}
    for lang in i18n.LANGS:
        for domain in i18n.DOMAINS:
            with (i18n.LOCALES_DIR / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as f:
                found[(lang, domain)] = read_po(f, abort_invalid=True)
    return found


CATALOGUES = _catalogues()


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _messages(catalog) -> dict[str, tuple[str, ...]]:
    """msgid -> its forms (one for a plain text, the catalogue's nplurals for a counted one)."""
    return {
        (m.id[0] if isinstance(m.id, tuple) else m.id): (tuple(m.string) if isinstance(m.id, tuple) else (m.string,))
        for m in catalog
        if m.id
    }


def test_the_languages_are_the_folders_with_indonesian_first():
    folders = sorted(p.name for p in i18n.LOCALES_DIR.iterdir() if (p / "LC_MESSAGES" / "monitor.po").is_file())
    assert i18n.LANGS[0] == i18n.DEFAULT_LANG == "id" and sorted(i18n.LANGS) == folders
    assert {"id", "en"} <= set(i18n.LANGS)


@pytest.mark.parametrize("domain", i18n.DOMAINS)
def test_every_message_is_translated_in_every_language_with_the_same_placeholders(domain):
    reference = _messages(CATALOGUES[(i18n.DEFAULT_LANG, domain)])
    assert len(reference) > 50
    for lang in i18n.LANGS:
        catalog = CATALOGUES[(lang, domain)]
        po_text = (i18n.LOCALES_DIR / lang / "LC_MESSAGES" / f"{domain}.po").read_text(encoding="utf-8")
        assert "Plural-Forms: nplurals=" in po_text, f"{lang}/{domain}.po declares no Plural-Forms"
        messages = _messages(catalog)
        assert set(messages) == set(reference), f"{lang}/{domain}.po: {set(messages) ^ set(reference)}"
        for m in catalog:
            if not m.id:
                continue
            key = m.id[0] if isinstance(m.id, tuple) else m.id
            assert not m.fuzzy, f"{lang}/{domain}.po: {key} is fuzzy"
            forms = messages[key]
            if isinstance(m.id, tuple):
                assert len(forms) == catalog.num_plurals, f"{lang}/{domain}.po: {key} has {len(forms)} forms"
            assert all(form.strip() for form in forms), f"{lang}/{domain}.po: {key} is untranslated"
            wanted = _fields(reference[key][0])
            assert all(_fields(form) == wanted for form in forms), f"{lang}/{domain}.po: {key} placeholders"


def _counted(lang: str) -> set[str]:
    return {m.id[0] for d in i18n.DOMAINS for m in CATALOGUES[(lang, d)] if isinstance(m.id, tuple)}


def test_counted_texts_are_counted_in_every_language_and_each_key_lives_in_one_catalogue():
    counted = _counted(i18n.DEFAULT_LANG)
    assert {"exp.count", "unit.workdays", "alert.breached.subject"} <= counted
    for lang in i18n.LANGS:
        assert _counted(lang) == counted, lang
        monitor, alerts = (set(_messages(CATALOGUES[(lang, d)])) for d in i18n.DOMAINS)
        assert not monitor & alerts, lang


def _asked_keys() -> list[tuple[str, str, str, str]]:
    """(file, call, key or f-string head, 'f' or '') for every text the code asks for by a literal."""
    asked = []
    for entry in CODE_DIRS:
        for path in [ROOT / entry] if entry.endswith(".py") else sorted((ROOT / entry).rglob("*.py")):
            for call, fmark, key in CALL.findall(path.read_text(encoding="utf-8")):
                asked.append((str(path.relative_to(ROOT)), call, key, fmark))
    return asked


def test_every_key_the_code_asks_for_exists_in_the_right_form():
    counted = _counted(i18n.DEFAULT_LANG)
    singular = {k for d in i18n.DOMAINS for k in _messages(CATALOGUES[(i18n.DEFAULT_LANG, d)])} - counted
    asked = _asked_keys()
    assert len(asked) > 250
    missing = []
    for file, call, key, fmark in asked:
        known = counted if call == "tn" else singular
        if fmark:  # f"exp.sort.{s}": some key must start with the literal head
            ok = any(k.startswith(key) for k in known)
        else:
            ok = key in known
        if not ok:
            missing.append(f"{file}: {call}({key!r})")
    assert not missing, missing


def test_a_new_language_is_one_folder(tmp_path, monkeypatch, app_env, open_page):
    """A copy of `en` as `xx` (a code CLDR does not know): ?lang=xx shows xx's texts with Indonesian number forms."""
    for lang in ("id", "en"):
        shutil.copytree(i18n.LOCALES_DIR / lang, tmp_path / lang)
    shutil.copytree(i18n.LOCALES_DIR / "en", tmp_path / "xx")
    po = tmp_path / "xx" / "LC_MESSAGES" / "monitor.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgid "sum.received"\nmsgstr "Complaints in"', 'msgid "sum.received"\nmsgstr "XX in"'))
    monkeypatch.setattr(i18n, "CATALOGUES", i18n.Catalogues(tmp_path))
    assert i18n.CATALOGUES.langs == ("id", "en", "xx")

    xx = get_locale("xx")
    assert xx == Locale("xx") and xx.t("sum.received") == "XX in"
    assert (xx.t("kpi.breached"), xx.tn("exp.count", 1), xx.tn("exp.count", 2)) == (
        "Overdue",
        "1 matching complaint",
        "2 matching complaints",
    )
    assert (xx.num(1234.5, 1), xx.date(dt.date(2026, 12, 2)), xx.separators) == ("1.234,5", "2 Des 2026", ",.")

    query = {"periode": "rentang", "dari": "2026-03-01", "sampai": "2026-03-31", "lang": "xx"}
    at = open_page("leader", "ringkasan", query)
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    assert shown["XX in"] == "7"  # xx's label over the hand-built dataset's seven March complaints
    assert len(shown) == 6 and xx.t("sum.on_time") in shown


def test_an_untranslated_text_falls_back_to_indonesian_and_a_broken_catalogue_stops_the_start(tmp_path):
    shutil.copytree(i18n.LOCALES_DIR / "id", tmp_path / "id")
    shutil.copytree(i18n.LOCALES_DIR / "en", tmp_path / "en")
    po = tmp_path / "en" / "LC_MESSAGES" / "monitor.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgid "kpi.breached"\nmsgstr "Overdue"', 'msgid "kpi.breached"\nmsgstr ""'))
    catalogues = i18n.Catalogues(tmp_path)
    assert catalogues.translations["en"].gettext("kpi.breached") == "Terlambat"

    po.write_text(text.replace('msgid "kpi.breached"', 'msgid "kpi.breached"\nOverdue'))  # a line that is no .po
    with pytest.raises(RuntimeError, match=r"en/LC_MESSAGES/monitor\.po"):
        i18n.Catalogues(tmp_path)
