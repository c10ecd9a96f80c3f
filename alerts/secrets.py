"""Recipients' URLs are secrets (passwords, bot tokens, webhook keys): never in a log, an error or a page.

``redact_url`` is what the page and ``python -m alerts targets`` show (Apprise's own privacy rendering);
``scrub`` removes every secret piece of the configured URLs from a text, whatever URL part it came from (user,
password, host, path, query: a Telegram bot token ``tgram://123456:ABC.../chat`` sits in the host part);
``capture_apprise_logs`` routes Apprise's own log records through ``scrub`` (Apprise logs an invalid bot token
in clear).
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, unquote

_SECRET_KEYS = ("pass", "password", "pwd", "token", "key", "apikey", "secret", "user")
# a token-looking run (Telegram bot token 123456789:AA..., long keys) even in a URL Apprise could not read
_TOKENISH = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{20,}\b|\b[A-Za-z0-9_-]{32,}\b")
_KNOWN: set[str] = set()  # every secret piece of the URLs this process was configured with


def redact_url(url: str) -> str:
    """The URL as Apprise shows it with ``privacy=True`` (passwords and tokens masked); for a URL Apprise
    cannot read, only its scheme."""
    with contextlib.suppress(Exception):  # a bad URL is shown as its scheme only
        import apprise

        plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
        if plugin:
            shown = plugin.url(privacy=True)
            for piece in _host_secrets(url):  # Apprise masks passwords and paths, not a token in the host part
                shown = shown.replace(piece, "****")
            return shown
    scheme = url.split("://", 1)[0] if "://" in url else "?"
    return f"{scheme}://****"


def secret_parts(url: str) -> list[str]:
    """Pieces of ``url`` that must never appear in a log or on a page: the whole URL, the part before the
    host (user, password), the host part itself when it is not a plain host name (a bot token), every path
    segment of 8 characters or more and the values of secret-looking query keys."""
    parts = {url}
    rest = url.split("://", 1)[1] if "://" in url else url
    rest, _, query = rest.partition("?")
    netloc, _, path = rest.partition("/")
    userinfo, at, host = netloc.rpartition("@")
    if at:
        parts.add(unquote(userinfo))
        parts.update(unquote(p) for p in userinfo.split(":"))
    else:
        host = netloc
    if not re.fullmatch(r"[A-Za-z0-9.-]+(:\d{1,5})?", host):  # not host[:port]: a token in the host part
        parts.add(unquote(host))
        parts.update(unquote(p) for p in host.split(":") if len(p) >= 8)
    for seg in path.split("/"):
        if len(seg) >= 8:
            parts.add(unquote(seg))
    for k, v in parse_qsl(query):
        if any(x in k.lower() for x in _SECRET_KEYS) and v:
            parts.add(v)
    return sorted((p for p in parts if len(p) >= 4), key=len, reverse=True)


def _host_secrets(url: str) -> list[str]:
    """The pieces of ``url``'s host part that are not a plain host name (a Telegram bot token)."""
    rest = url.split("://", 1)[1] if "://" in url else url
    host = rest.partition("?")[0].partition("/")[0].rpartition("@")[2]
    if re.fullmatch(r"[A-Za-z0-9.-]+(:\d{1,5})?", host):
        return []
    return sorted({host, *(p for p in host.split(":") if len(p) >= 8)}, key=len, reverse=True)


def remember(urls: Iterable[str]) -> None:
    """Add these URLs' secret pieces to what ``scrub`` always removes (Apprise's log records included)."""
    for url in urls:
        _KNOWN.update(secret_parts(url))


def scrub(text: str, urls: Iterable[str] = ()) -> str:
    """``text`` with every secret piece of ``urls`` and of every remembered URL replaced by ``****``, and any
    token-looking run masked too."""
    out = str(text)
    pieces = set(_KNOWN)
    for url in urls:
        pieces.update(secret_parts(url))
    for piece in sorted(pieces, key=len, reverse=True):
        out = out.replace(piece, "****")
    return _TOKENISH.sub("****", out)


class _ScrubFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = ()
        return True


def capture_apprise_logs() -> None:
    """Every record of Apprise's loggers goes through ``scrub`` (and only warnings and worse are kept)."""
    logger = logging.getLogger("apprise")
    logger.setLevel(logging.WARNING)
    if not any(isinstance(f, _ScrubFilter) for f in logger.filters):
        logger.addFilter(_ScrubFilter())


capture_apprise_logs()
