"""Who may see what: the roles, their pages and fields, and the role of the person in front of the screen.

This module is the one place where access is decided (the README's "Roles and login" table is checked
against it by tests/test_access.py). Streamlit is only touched by ``current_viewer``; everything else is
plain Python, tested on its own.

- Roles: ``wall`` (anyone, no login: the kiosk), ``leader``, ``adviser``, ``admin``.
- A viewer who is not logged in is ``wall``. A logged-in user gets a role from the configuration
  (``[ntbcare_access]`` in ``.streamlit/secrets.toml``, or ``NTBCARE_ACCESS_*`` environment variables):
  1. ``users``: an exact e-mail address -> role (wins over everything, so one person can be promoted or
     demoted);
  2. ``claim``: the name of an ID-token claim (``roles``, ``groups``...) whose value(s) name the role,
     directly or through ``claim_roles`` (claim value -> role); with several, the strongest role wins;
  3. ``domains``: the e-mail's domain -> role.
  E-mail rules apply only when the identity provider says ``email_verified`` is true (``True`` or
  ``"true"``): a missing claim, ``false`` or ``"false"`` is an unverified address.
  A logged-in user with no role sees only the wall, with a message that says so.
- A page that the role may not open is never run: ``app.py`` registers a stand-in under its URL path, and
  each page script checks again on its first line (``access_ui.require``), so that even a page script run
  without the entrypoint (plain ``streamlit run app.py`` serves ``/compliance`` from ``pages/compliance.py``
  directly to the first visitor after a server start) shows nothing to a viewer who may not open it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.settings import set_under_prefix, value

WALL, LEADER, ADVISER, ADMIN = "wall", "leader", "adviser", "admin"
ROLES = (WALL, LEADER, ADVISER, ADMIN)  # weakest first: with several roles, the last one listed wins


@dataclass(frozen=True)
class PageAccess:
    url_path: str  # the page's URL path (what a viewer types)
    file: str  # the page script, relative to app.py
    roles: frozenset[str]  # the roles that may open it


# Every page of the app and who may open it. A URL path missing here is open to nobody. Each page script
# except the wall starts with `access_ui.require("<url_path>", loc)` (checked by tests/test_access.py).
PAGES: tuple[PageAccess, ...] = (
    PageAccess("monitor", "pages/wall.py", frozenset({WALL, LEADER, ADVISER, ADMIN})),
    PageAccess("kepatuhan", "pages/compliance.py", frozenset({ADVISER, ADMIN})),
    PageAccess("ringkasan", "pages/summary.py", frozenset({LEADER, ADVISER, ADMIN})),
    PageAccess("aduan", "pages/complaint.py", frozenset({LEADER, ADVISER, ADMIN})),
    PageAccess("kualitas-data", "pages/data_quality.py", frozenset({ADMIN})),
    PageAccess("notifikasi", "pages/notifications.py", frozenset({ADMIN})),
    PageAccess("layar", "pages/screens.py", frozenset({ADMIN})),
)
PAGE_ROLES: dict[str, frozenset[str]] = {p.url_path: p.roles for p in PAGES}

# The roles that see the reporter's name and contact (only ever on the complaint detail, `aduan?tiket=`).
PERSONAL_DATA_ROLES: frozenset[str] = frozenset({ADVISER, ADMIN})

ENV_PREFIX = "NTBCARE_ACCESS_"
SECRETS_SECTION = "ntbcare_access"


class AccessConfigError(ValueError):
    """The role mapping is malformed (the message says what and where, in Bahasa Indonesia)."""


def pages_for(role: str) -> list[str]:
    """The URL paths ``role`` may open, in the order of ``PAGE_ROLES``."""
    return [path for path, roles in PAGE_ROLES.items() if role in roles]


def may_open(role: str, url_path: str) -> bool:
    return role in PAGE_ROLES.get(url_path, frozenset())


def may_see_personal(role: str) -> bool:
    return role in PERSONAL_DATA_ROLES


@dataclass(frozen=True)
class AccessConfig:
    users: dict[str, str] = field(default_factory=dict)  # e-mail (lower case) -> role
    domains: dict[str, str] = field(default_factory=dict)  # e-mail domain (lower case) -> role
    claim: str | None = None  # ID-token claim holding roles or groups
    claim_roles: dict[str, str] = field(default_factory=dict)  # claim value -> role; empty: values are roles

    @property
    def is_empty(self) -> bool:
        return not (self.users or self.domains or self.claim)


def _pairs(raw: Any, where: str) -> dict[str, str]:
    """A mapping from a TOML table or from ``"key=value, key=value"`` text."""
    if raw is None or raw == "":
        return {}
    if isinstance(raw, Mapping):
        items = list(raw.items())
    elif isinstance(raw, str):
        items = []
        for part in raw.replace(";", ",").split(","):
            if not part.strip():
                continue
            key, sep, value = part.partition("=")
            if not sep:
                raise AccessConfigError(f"{where}: '{part.strip()}' harus berbentuk kunci=peran")
            items.append((key, value))
    else:
        raise AccessConfigError(f"{where}: harus berupa tabel atau teks kunci=peran")
    out = {}
    for key, value in items:
        key, value = str(key).strip().lower(), str(value).strip().lower()
        if value not in ROLES:
            raise AccessConfigError(
                f"{where}: peran '{value}' untuk '{key}' tidak dikenal (pilihan: {', '.join(ROLES)})"
            )
        out[key] = value
    return out


def load_config(secrets: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> AccessConfig:
    """The role mapping: keys of the ``[ntbcare_access]`` secrets section, else ``NTBCARE_ACCESS_<KEY>``."""
    secrets = secrets or {}

    def get(key: str):
        if key in secrets:
            return secrets[key], f"[{SECRETS_SECTION}] {key}"
        return value(ENV_PREFIX + key.upper(), env) or None, ENV_PREFIX + key.upper()

    claim, _ = get("claim")
    claim = str(claim).strip() if claim else None
    return AccessConfig(
        users=_pairs(*get("users")),
        domains=_pairs(*get("domains")),
        claim=claim or None,
        claim_roles=_pairs(*get("claim_roles")),
    )


@dataclass(frozen=True)
class Viewer:
    """The person in front of the screen: role ``wall`` unless logged in and mapped to a role."""

    role: str = WALL
    logged_in: bool = False
    email: str | None = None
    name: str | None = None

    @property
    def unmapped(self) -> bool:
        """Logged in, but the configuration gives this account no role."""
        return self.logged_in and self.role == WALL

    @property
    def may_see_personal(self) -> bool:
        return may_see_personal(self.role)

    def may_open(self, url_path: str) -> bool:
        return may_open(self.role, url_path)

    @property
    def pages(self) -> list[str]:
        return pages_for(self.role)


ANONYMOUS = Viewer()


def _strongest(roles) -> str | None:
    found = [r for r in roles if r in ROLES]
    return max(found, key=ROLES.index) if found else None


def email_verified(claim: Any) -> bool:
    """Only an explicit yes from the identity provider verifies an address (fail closed)."""
    return claim is True or (isinstance(claim, str) and claim.strip().lower() == "true")


def resolve(user: Mapping[str, Any], config: AccessConfig) -> Viewer:
    """The viewer for ``user`` (the ``st.user`` dict: ``is_logged_in`` and the ID-token claims)."""
    if user.get("is_logged_in") is not True:
        return ANONYMOUS
    email = str(user.get("email") or "").strip().lower() or None
    name = str(user.get("name") or "").strip() or None
    email_trusted = email is not None and "@" in email and email_verified(user.get("email_verified"))
    role = None
    if email_trusted:
        role = config.users.get(email)
    if role is None and config.claim:
        values = user.get(config.claim)
        values = (
            [values] if isinstance(values, str) else list(values or []) if isinstance(values, (list, tuple)) else []
        )
        values = [str(v).strip().lower() for v in values]
        role = _strongest(config.claim_roles.get(v) for v in values) if config.claim_roles else _strongest(values)
    if role is None and email_trusted:
        role = config.domains.get(email.rpartition("@")[2])
    return Viewer(role=role or WALL, logged_in=True, email=email, name=name)


def _secrets_section(section: str) -> Mapping[str, Any] | None:
    import streamlit as st

    secrets = st.secrets  # looked up at call time: AppTest swaps st.secrets per run
    if not secrets.load_if_toml_exists() or section not in secrets:
        return None
    value = secrets[section]
    return value.to_dict() if hasattr(value, "to_dict") else dict(value)


def login_configured() -> bool:
    """Whether ``[auth]`` is set up in secrets.toml (without it ``st.login`` cannot work)."""
    return bool(_secrets_section("auth"))


DEMO_ENV = "NTBCARE_DEMO_ROLE"
log = logging.getLogger("ntbcare.access")


def is_demo_database(url: str | None = None) -> bool:
    """Whether the app reads the bundled demo file ``data/ntbcare_demo.sqlite`` (compared as resolved paths):
    then every page says it is a demo, and only then may ``NTBCARE_DEMO_ROLE`` give a role."""
    from sqlalchemy.engine import make_url

    from core.settings import DEFAULT_SQLITE_PATH, database_url

    try:
        parsed = make_url(database_url() if url is None else url)
    except Exception:  # noqa: BLE001 - a malformed URL is not the demo file (the engine reports it)
        return False
    if not parsed.drivername.startswith("sqlite") or not parsed.database:
        return False
    return Path(parsed.database).resolve() == DEFAULT_SQLITE_PATH.resolve()


def demo_role(env: Mapping[str, str] | None = None, *, demo_database: bool, login: bool, mapping: bool) -> str | None:
    """The role every logged-out viewer gets in the newcomer's demo (``python3 dev.py app`` sets
    NTBCARE_DEMO_ROLE=admin). Honoured only on the bundled demo file and only when neither ``[auth]`` (``login``)
    nor any role mapping (``mapping``, even a malformed one) is configured: a production server whose
    environment file lacks or misspells DATABASE_URL serves the demo file with a banner, never with a role."""
    role = str(value(DEMO_ENV, env) or "").strip().lower()
    if not role or role not in ROLES or not demo_database or login or mapping:
        return None
    return role


def mapping_configured(secrets: Mapping[str, Any] | None, env: Mapping[str, str] | None = None) -> bool:
    """Any role-mapping key set, in secrets.toml or the environment (valid or not)."""
    return bool(secrets) or bool(set_under_prefix(ENV_PREFIX, env))


_LOGGED: set[str] = set()


def current_viewer() -> tuple[Viewer, str | None]:
    """The viewer of this script run, and a configuration error message (then everyone is ``wall``).

    The message names e-mail addresses and roles: it is for admins only (``access_ui.account_box``); it is also
    logged once per process, since with a malformed mapping nobody has the admin role."""
    import streamlit as st

    user = dict(st.user.to_dict())
    section = _secrets_section(SECRETS_SECTION)
    error = None
    try:
        config = load_config(section)
    except AccessConfigError as exc:  # fail closed: a logged-in user stays logged in, with no role
        config, error = AccessConfig(), str(exc)
        if error not in _LOGGED:
            _LOGGED.add(error)
            log.error("role mapping: %s", error)
    demo = demo_role(demo_database=is_demo_database(), login=login_configured(), mapping=mapping_configured(section))
    if demo and user.get("is_logged_in") is not True:
        return Viewer(role=demo, name="Demo"), error
    return resolve(user, config), error
