"""Where the alerts feature's words live: ``core/locales/<lang>/LC_MESSAGES/alerts.po``, one per language.

The notices (``alerts/messages.py``) and page ``notifikasi`` ask for their texts by key through a
``core.locale.Locale`` (``loc.t("alert.digest.subject", day=...)``, ``loc.tn("alert.breached.subject", n)``
for counted ones). To change a notice's wording, edit that msgstr in every language's ``alerts.po``; to add a
text, add the msgid to each of them (``tests/test_catalogues.py`` fails until every language has it). The
catalogue is compiled with the pages' ``monitor.po`` by ``core/i18n.py``, so one locale serves both.
"""

from __future__ import annotations

from pathlib import Path

from core.i18n import CATALOGUES

DOMAIN = "alerts"


def catalogue(lang: str) -> Path:
    """The ``alerts.po`` file of a language."""
    return CATALOGUES.root / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
