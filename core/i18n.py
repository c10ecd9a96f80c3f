"""Interface texts as gettext catalogues, one folder per language: Bahasa Indonesia by default.

``core/locales/<lang>/LC_MESSAGES/monitor.po`` holds the pages' texts, ``alerts.po`` the alert worker's
notices and page ``notifikasi`` (see ``alerts/texts.py``). A msgid is the key the code asks for
(``loc.t("kpi.breached")``); a msgstr may hold ``str.format`` placeholders (``{n}``). A counted text is a
gettext plural (``msgid_plural``, ``msgstr[i]``) chosen by the catalogue's ``Plural-Forms`` header.

The languages are the folders holding a ``monitor.po``: adding one is adding a folder
(``tests/test_catalogues.py`` checks that it is complete). The ``.po`` files are compiled with Babel's
``write_mo`` in memory when the process starts, so there is no build step and no ``.mo`` file to forget; a
broken catalogue stops the process with the file's name. A text missing from a language falls back to
Indonesian, then to its key.
"""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAINS = ("monitor", "alerts")  # looked up in this order; a key lives in one of them
DEFAULT_LANG = "id"


class Catalogues:
    """Every language's compiled catalogues under one locales folder (a language is a sub-folder)."""

    def __init__(self, root: Path) -> None:
        found = sorted(p.parent.parent.name for p in root.glob(f"*/LC_MESSAGES/{DOMAINS[0]}.po"))
        if DEFAULT_LANG not in found:
            raise RuntimeError(f"no {DEFAULT_LANG}/LC_MESSAGES/{DOMAINS[0]}.po under {root}")
        self.root = root
        self.langs: tuple[str, ...] = (DEFAULT_LANG, *(lang for lang in found if lang != DEFAULT_LANG))
        self.keys: dict[str, frozenset[str]] = {}
        own = {lang: self._compile(lang) for lang in self.langs}
        self.translations: dict[str, gettext.NullTranslations] = {}
        for lang, chain in own.items():
            if lang != DEFAULT_LANG:
                chain.add_fallback(self._compile(DEFAULT_LANG))  # a copy: the default's own chain stays short
            self.translations[lang] = chain

    def _compile(self, lang: str) -> gettext.NullTranslations:
        """The language's domains as one gettext chain (monitor, then alerts), compiled from the .po files."""
        chain: gettext.NullTranslations | None = None
        keys: set[str] = set()
        for domain in DOMAINS:
            po = self.root / lang / "LC_MESSAGES" / f"{domain}.po"
            if not po.is_file():
                continue
            try:
                with po.open("rb") as f:
                    catalog = read_po(f, abort_invalid=True)
            except (PoFileError, ValueError) as exc:
                raise RuntimeError(f"catalogue {po}: {exc}") from exc
            mo = io.BytesIO()
            write_mo(mo, catalog)
            mo.seek(0)
            compiled = gettext.GNUTranslations(mo)
            keys.update(str(m.id[0] if isinstance(m.id, tuple | list) else m.id) for m in catalog if m.id)
            if chain is None:
                chain = compiled
            else:
                chain.add_fallback(compiled)
        self.keys[lang] = frozenset(keys)
        assert chain is not None  # the monitor domain exists for every discovered language
        return chain


CATALOGUES = Catalogues(LOCALES_DIR)
LANGS = CATALOGUES.langs


def normalise_lang(value: str | None) -> str:
    """A language code from a URL or a setting, or the default when it has no catalogue."""
    value = (value or "").strip().lower()
    return value if value in CATALOGUES.langs else DEFAULT_LANG


def _translations(lang: str) -> gettext.NullTranslations:
    if lang not in CATALOGUES.langs:  # a Locale or a raw URL value here is a bug: fail loudly rather than fall back
        raise TypeError(f"wants a language code from {CATALOGUES.langs}, not {lang!r}")
    return CATALOGUES.translations[lang]


def t(key: str, lang: str, **kwargs) -> str:
    """The text for ``key`` in ``lang`` with ``kwargs`` filled in (falling back to Indonesian, then the key)."""
    text = _translations(lang).gettext(key)
    return text.format(**kwargs) if kwargs else text


def plural(key: str, n: int, lang: str) -> str:
    """The form of the counted text ``key`` for ``n`` (gettext's ngettext), placeholders left unfilled."""
    return _translations(lang).ngettext(key, key, n)


def has(key: str, lang: str) -> bool:
    """Whether ``lang``'s catalogues (or the default's) hold ``key``."""
    return key in CATALOGUES.keys.get(lang, ()) or key in CATALOGUES.keys[DEFAULT_LANG]


def label(prefix: str, value, lang: str) -> str:
    """The catalogue label of a code (``status``, ``priority``, ``sla``...), or the code itself if unknown."""
    key = f"{prefix}.{value}"
    return t(key, lang) if has(key, lang) else ("–" if value is None else str(value))
