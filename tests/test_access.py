"""Access control: role resolution and configuration (plain unit tests), then every role on every page through
the real entrypoint with AppTest (`at.user`), including URLs typed by hand. The browser twin with real logins
is tests/test_login_browser.py."""

from __future__ import annotations

import re

import pytest

from dashboard import access
from dashboard.access import ADMIN, ADVISER, LEADER, WALL, AccessConfig, AccessConfigError, load_config, resolve
from tests.access_users import USERS
from tests.browser_support import ROOT

# --- the policy -----------------------------------------------------------------------------------------


def test_the_policy_of_the_issue():
    assert access.pages_for(WALL) == ["monitor"]
    assert access.pages_for(LEADER) == ["monitor", "ringkasan", "aduan"]
    assert access.pages_for(ADVISER) == ["monitor", "kepatuhan", "ringkasan", "aduan"]
    assert access.pages_for(ADMIN) == [
        "monitor",
        "kepatuhan",
        "ringkasan",
        "aduan",
        "kualitas-data",
        "notifikasi",
        "layar",
    ]
    assert [r for r in access.ROLES if access.may_see_personal(r)] == [ADVISER, ADMIN]
    assert not access.may_open(ADMIN, "no-such-page") and not access.may_open("root", "monitor")


def test_docs_role_table_is_the_one_in_access_py():
    doc = (ROOT / "docs" / "security.md").read_text()
    section = doc.split("## Roles and login", 1)[1].split("\n#", 1)[0]
    rows = [line for line in section.splitlines() if re.match(r"\| `\w+` \|", line)]
    table = {}
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        table[cells[0].strip("`")] = (re.findall(r"`([\w-]+)`", cells[2]), cells[3])
    assert set(table) == set(access.ROLES)
    for role, (pages, personal) in table.items():
        assert pages == access.pages_for(role), role
        assert personal == ("yes" if access.may_see_personal(role) else "no"), role


def test_every_restricted_page_script_checks_access_itself():
    for spec in access.PAGES:
        path = ROOT / spec.file
        if not path.exists():  # kualitas-data until its page lands
            continue
        page = path.read_text()
        feature = re.search(r"^from dashboard\.(\w+) import view$", page, re.MULTILINE)
        assert feature, f"{spec.file} calls its feature's view"
        source = (ROOT / "dashboard" / feature.group(1) / "view.py").read_text()
        if spec.roles == frozenset(access.ROLES):
            assert "access_ui.require(" not in source, spec.file
        else:
            assert f'access_ui.require("{spec.url_path}", ' in source, spec.file


# --- configuration --------------------------------------------------------------------------------------


def test_config_from_secrets_wins_over_the_environment_key_by_key():
    env = {
        "NTBCARE_ACCESS_USERS": "a@x.id=admin",
        "NTBCARE_ACCESS_DOMAINS": "x.id = leader ; y.id=adviser",
        "NTBCARE_ACCESS_CLAIM": "roles",
    }
    cfg = load_config({"users": {"B@X.id": "Adviser"}, "claim": "groups"}, env)
    assert cfg.users == {"b@x.id": "adviser"}
    assert cfg.domains == {"x.id": "leader", "y.id": "adviser"}
    assert cfg.claim == "groups" and cfg.claim_roles == {}
    assert load_config(None, {}).is_empty


@pytest.mark.parametrize(
    "secrets,needle",
    [
        ({"users": {"a@x.id": "superuser"}}, "peran 'superuser' untuk 'a@x.id' tidak dikenal"),
        ({"domains": "x.id:admin"}, "harus berbentuk kunci=peran"),
        ({"claim_roles": ["admin"]}, "harus berupa tabel"),
    ],
)
def test_a_malformed_mapping_says_what_is_wrong(secrets, needle):
    with pytest.raises(AccessConfigError, match=re.escape(needle)):
        load_config(secrets, {})


# --- resolving a user ------------------------------------------------------------------------------------

V = {"email_verified": True}  # the identity provider vouches for the address
CFG = AccessConfig(
    users={"boss@ntbprov.go.id": "admin", "demoted@ntbprov.go.id": "leader"},
    domains={"ntbprov.go.id": "leader"},
    claim="groups",
    claim_roles={"ntbcare-adviser": "adviser", "ntbcare-admin": "admin"},
)


@pytest.mark.parametrize(
    "user,role",
    [
        ({"is_logged_in": True, **V, "email": "Boss@NTBprov.go.id"}, ADMIN),  # exact e-mail, any case
        (
            {"is_logged_in": True, **V, "email": "demoted@ntbprov.go.id", "groups": ["ntbcare-admin"]},
            LEADER,
        ),  # e-mail wins
        (
            {"is_logged_in": True, **V, "email": "x@ntbprov.go.id", "groups": ["ntbcare-adviser"]},
            ADVISER,
        ),  # claim > domain
        (
            {
                "is_logged_in": True,
                **V,
                "email": "x@ntbprov.go.id",
                "groups": ["staff", "ntbcare-adviser", "ntbcare-admin"],
            },
            ADMIN,
        ),  # the strongest of several
        (
            {"is_logged_in": True, **V, "email": "x@ntbprov.go.id", "groups": "ntbcare-adviser"},
            ADVISER,
        ),  # a string claim
        (
            {"is_logged_in": True, **V, "email": "x@ntbprov.go.id", "groups": ["admin"]},
            LEADER,
        ),  # unmapped value: ignored
        ({"is_logged_in": True, **V, "email": "x@ntbprov.go.id"}, LEADER),  # domain
        ({"is_logged_in": True, **V, "email": "x@sub.ntbprov.go.id"}, WALL),  # exact domains only
        ({"is_logged_in": True, "email": "boss@ntbprov.go.id", "email_verified": False}, WALL),  # unverified e-mail
        ({"is_logged_in": True, "email": "boss@ntbprov.go.id", "email_verified": "false"}, WALL),  # ... as text
        ({"is_logged_in": True, "email": "boss@ntbprov.go.id"}, WALL),  # the provider does not vouch for it
        ({"is_logged_in": True, "email": "boss@ntbprov.go.id", "email_verified": "yes"}, WALL),  # only true is true
        ({"is_logged_in": True, "email": "boss@ntbprov.go.id", "email_verified": "true"}, ADMIN),  # text true
        ({"is_logged_in": True, "email": "x@ntbprov.go.id", "email_verified": 1}, WALL),  # not a boolean
        (
            {
                "is_logged_in": True,
                "email": "boss@ntbprov.go.id",
                "email_verified": False,
                "groups": ["ntbcare-adviser"],
            },
            ADVISER,
        ),  # ...but the claim still counts
        ({"is_logged_in": True, **V, "email": "someone@gmail.com"}, WALL),
        ({"is_logged_in": True}, WALL),
        ({"is_logged_in": False, "email": "boss@ntbprov.go.id"}, WALL),
        ({"is_logged_in": "true", "email": "boss@ntbprov.go.id"}, WALL),  # only a real True counts
        ({"email": "boss@ntbprov.go.id"}, WALL),  # AppTest's default user: not logged in
    ],
)
def test_resolve(user, role):
    viewer = resolve(user, CFG)
    assert viewer.role == role
    assert viewer.logged_in == (user.get("is_logged_in") is True)
    assert viewer.unmapped == (viewer.logged_in and role == WALL)


def test_claim_values_name_roles_directly_without_claim_roles():
    cfg = AccessConfig(claim="roles")
    assert resolve({"is_logged_in": True, "roles": ["leader", "Adviser"]}, cfg).role == ADVISER
    assert resolve({"is_logged_in": True, "roles": ["root"]}, cfg).role == WALL
    assert resolve({"is_logged_in": True, "roles": {"admin": 1}}, cfg).role == WALL  # not a list: ignored


def test_viewer_carries_name_and_email():
    v = resolve({"is_logged_in": True, **V, "email": " Boss@ntbprov.go.id ", "name": "Ibu Kepala"}, CFG)
    assert (v.email, v.name, v.role, v.may_see_personal) == ("boss@ntbprov.go.id", "Ibu Kepala", ADMIN, True)
    assert v.pages == access.pages_for(ADMIN)


# --- every role on every page, through app.py ----------------------------------------------------------


PAGE_FILES = {spec.url_path: spec.file for spec in access.PAGES}
QUERY = {"kepatuhan": {"periode": "rentang", "dari": "2026-03-01", "sampai": "2026-03-31"}, "aduan": {"tiket": "T05"}}
REFUSAL = {"anonymous": "Silakan masuk", "unmapped": "belum diberi peran", "leader": "tidak tersedia untuk peran"}
SECRET = ("Baiq Rahasia", "081200000000")  # the reporter of every case in tests/dataset.py


def everything_shown(at) -> str:
    """All the main area's text, table cells included (str(at.main) leaves dataframe cells out)."""
    return "\n".join([str(at.main), *(df.value.to_string() for df in at.main.dataframe)])


def page_shows(at, url_path: str) -> bool:
    """Whether the real page ran (each page's own content), checked on values from the dataset."""
    if url_path == "monitor":
        return len(at.metric) == 7 and any("w-feed" in h.proto.body for h in at.get("html"))
    if url_path == "kepatuhan":
        return [t.value for t in at.title] == ["Kepatuhan OPD"] and "DPMPTSP" in at.dataframe[0].value["OPD"].tolist()
    if url_path == "ringkasan":
        return [t.value for t in at.title] == ["Ringkasan untuk pimpinan"] and len(at.metric) >= 4
    if url_path == "aduan":
        return "Aduan T05" in [s.value for s in at.subheader] and "Tambang ilegal di sungai" in [
            t.value for t in at.text
        ]
    raise AssertionError(url_path)


@pytest.mark.parametrize("who", list(USERS))
@pytest.mark.parametrize("url_path", ["monitor", "kepatuhan", "ringkasan", "aduan"])
def test_each_role_sees_exactly_its_pages_and_fields(app_env, open_page, who, url_path):
    at = open_page(who, url_path, QUERY.get(url_path))  # as a typed URL: app.py decides what runs there
    assert not at.exception
    role = WALL if who in ("anonymous", "unmapped") else who
    main = everything_shown(at)
    if access.may_open(role, url_path):
        assert page_shows(at, url_path)
        assert not any(REFUSAL[w] in m.value for w in REFUSAL for m in [*at.main.info, *at.main.warning])
    else:
        assert not page_shows(at, url_path)
        messages = [m.value for m in [*at.main.info, *at.main.warning]]
        assert len(messages) == 1 and REFUSAL.get(who, "tidak tersedia untuk peran") in messages[0], messages
        # nothing from the page: no table, no figure, no chart, no citizen text
        assert not at.dataframe and not at.metric and not at.get("plotly_chart") and "Tambang" not in main
    # app.py registers the page's script only for roles that may open it (AppTest's switch_page finds only
    # registered scripts): a refused page is a stand-in, its script never runs, even with the check inside it
    if access.may_open(role, url_path):
        at.switch_page(PAGE_FILES[url_path])
    else:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(PAGE_FILES[url_path])
    shown = all(s in main for s in SECRET)
    assert shown == (url_path == "aduan" and access.may_see_personal(role))
    if shown:  # the "Pelapor" block, as a table (never markdown)
        reporter = next(d.value for d in at.dataframe if "Kontak" in d.value.iloc[:, 0].tolist())
        assert reporter.iloc[:, 1].tolist() == list(SECRET) and "Pelapor" in [s.value for s in at.subheader]
    else:
        assert not any(s in main for s in SECRET)


@pytest.mark.parametrize("who", ["anonymous", "unmapped", "leader", "adviser"])
def test_no_restricted_page_script_runs_for_a_role_without_it(app_env, open_page, who):
    """Every restricted page there is (kualitas-data too, once its script exists), opened by its URL path."""
    role = WALL if who in ("anonymous", "unmapped") else who
    refused = [s for s in access.PAGES if (ROOT / s.file).exists() and not access.may_open(role, s.url_path)]
    assert refused or who == "adviser"  # the others lack kepatuhan at least; an adviser only kualitas-data
    for spec in refused:
        at = open_page(who, spec.url_path)
        assert not at.exception
        messages = [m.value for m in [*at.main.info, *at.main.warning]]
        assert len(messages) == 1 and REFUSAL.get(who, "tidak tersedia untuk peran") in messages[0], spec.url_path
        assert len(at.main.children) <= 2  # the message (and the login button): nothing of the page
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(spec.file)


def test_a_page_script_run_without_the_entrypoint_still_refuses(app_env, open_page):
    for who in ("anonymous", "leader"):
        at = open_page(who, "pages/compliance.py", script_alone=True)
        assert not at.exception and not at.dataframe and not at.title
        assert len(at.info) + len(at.warning) == 1
    at = open_page("anonymous", "pages/complaint.py", {"tiket": "T05"}, script_alone=True)
    assert not at.dataframe and not at.text_input and "Silakan masuk" in at.info[0].value
    assert "Baiq Rahasia" not in everything_shown(at) and "Tambang" not in everything_shown(at)


def test_sidebar_shows_who_is_logged_in_and_the_way_out(app_env, open_page):
    at = open_page("adviser", "monitor")
    assert [t.value for t in at.sidebar.text] == ["Staf Ahli"]
    assert [c.value for c in at.sidebar.caption] == ["Peran: staf ahli"]
    assert [b.label for b in at.sidebar.button] == ["Keluar"]
    at = open_page("unmapped", "monitor")
    assert page_shows(at, "monitor")  # the wall, and a clear message why nothing else
    assert [w.value for w in at.sidebar.warning] == [
        "Akun Anda belum diberi peran di NTB Care Monitor, jadi hanya monitor yang dapat dibuka. Hubungi admin NTB Care."
    ]
    assert [b.label for b in at.sidebar.button] == ["Keluar"]


AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "c",
    "client_secret": "s",
    "server_metadata_url": "http://localhost:1/.well-known/openid-configuration",
}


def test_logged_out_viewer_gets_a_login_button_when_login_is_configured(app_env, open_page):
    at = open_page("anonymous")
    assert [b.label for b in at.sidebar.button] == [] and "Login belum dikonfigurasi" in at.sidebar.caption[0].value
    at = open_page("anonymous", secrets={"auth": AUTH})
    assert [b.label for b in at.sidebar.button] == ["Masuk"]


def test_kiosk_has_no_login_and_no_sidebar(app_env, open_page):
    for who in ("anonymous", "adviser"):
        at = open_page(who, query={"kiosk": "1"}, secrets={"auth": AUTH})
        assert page_shows(at, "monitor")
        assert len(at.sidebar.children) == 0 and not at.button


def test_role_mapping_from_secrets_with_a_group_claim(app_env, open_page, monkeypatch):
    monkeypatch.delenv("NTBCARE_ACCESS_USERS")
    at = open_page(
        {"is_logged_in": True, "email": "sa@ntbprov.go.id", "groups": ["pegawai", "ntbcare-staf-ahli"]},
        "kepatuhan",
        QUERY["kepatuhan"],
        secrets={"ntbcare_access": {"claim": "groups", "claim_roles": {"ntbcare-staf-ahli": "adviser"}}},
    )
    assert page_shows(at, "kepatuhan")
    at.user = {"is_logged_in": True, "email": "sa@ntbprov.go.id", "groups": ["pegawai"]}
    at.run()
    assert not page_shows(at, "kepatuhan") and "belum diberi peran" in at.warning[0].value


def test_a_malformed_mapping_fails_closed_with_a_short_message(app_env, open_page, monkeypatch):
    """Nobody gets a role; the detail (which names addresses) goes to the log, the viewers get a short message."""
    at = open_page("admin", "kepatuhan")
    monkeypatch.setenv("NTBCARE_ACCESS_USERS", "admin@ntbprov.go.id=superadmin")
    at.run()
    assert not page_shows(at, "kepatuhan") and not at.dataframe
    assert "belum diberi peran" in at.warning[0].value
    assert [e.value for e in at.sidebar.error] == [
        "Konfigurasi peran salah: semua pengguna hanya dapat membuka monitor. Hubungi admin."
    ]
    assert "@" not in " ".join(e.value for e in at.sidebar.error)
    assert [b.label for b in at.sidebar.button] == ["Keluar"]  # still logged in, so they can log out
    anon = open_page("anonymous", "monitor")
    assert "@" not in " ".join(e.value for e in anon.sidebar.error) and len(anon.sidebar.error) == 1


def test_demo_role_only_on_the_bundled_demo_file_without_login_or_mapping(monkeypatch, tmp_path):
    demo = dict(demo_database=True, login=False, mapping=False)
    assert access.demo_role({"NTBCARE_DEMO_ROLE": "admin"}, **demo) == "admin"
    assert access.demo_role({"NTBCARE_DEMO_ROLE": "admin"}, **{**demo, "demo_database": False}) is None
    assert access.demo_role({"NTBCARE_DEMO_ROLE": "admin"}, **{**demo, "login": True}) is None
    assert access.demo_role({"NTBCARE_DEMO_ROLE": "admin"}, **{**demo, "mapping": True}) is None
    assert access.demo_role({"NTBCARE_DEMO_ROLE": "root"}, **demo) is None and access.demo_role({}, **demo) is None
    # the demo file is recognised by its resolved path, whatever DATABASE_URL says (or when it is missing)
    from core.settings import DEFAULT_SQLITE_PATH

    monkeypatch.delenv("DATABASE_URL", raising=False)  # a production env file that lacks or misspells it
    assert access.is_demo_database()
    odd = DEFAULT_SQLITE_PATH.parent / ".." / DEFAULT_SQLITE_PATH.parent.name / DEFAULT_SQLITE_PATH.name
    assert access.is_demo_database(f"sqlite:///{odd}")
    assert not access.is_demo_database(f"sqlite:///{tmp_path / 'ntbcare_demo.sqlite'}")
    assert not access.is_demo_database("postgresql://x/ntbcare") and not access.is_demo_database("::")
    assert access.mapping_configured(None, {"NTBCARE_ACCESS_DOMAINS": "ntbprov.go.id=leader"})
    assert not access.mapping_configured(None, {"NTBCARE_ACCESS_USERS": " "})


def test_a_production_server_without_database_url_is_a_demo_without_roles(monkeypatch, app_env, open_page):
    """The operator's env file lacks DATABASE_URL but sets the mapping (or [auth]): the demo file is served with
    its banner, and NTBCARE_DEMO_ROLE gives nobody a role."""
    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.setattr("core.settings.DEFAULT_SQLITE_PATH", __import__("pathlib").Path(app_env[len("sqlite:///") :]))
    monkeypatch.setenv("NTBCARE_DEMO_ROLE", "admin")
    at = open_page("anonymous", "kepatuhan")
    assert not at.exception and not page_shows(at, "kepatuhan")
    assert at.warning[0].value.startswith("DEMO: basis data contoh")
    monkeypatch.delenv("NTBCARE_ACCESS_USERS")  # no mapping, but [auth] configured: still no demo role
    at = open_page("anonymous", "kepatuhan", secrets={"auth": {"redirect_uri": "https://x/oauth2callback"}})
    assert not at.exception and not page_shows(at, "kepatuhan")


def test_demo_mode_opens_every_page_and_says_so(monkeypatch, app_env, open_page):
    monkeypatch.delenv("DATABASE_URL")  # the embedded demo database ...
    monkeypatch.delenv("NTBCARE_ACCESS_USERS")  # ... with no role mapping and no [auth]
    monkeypatch.setattr("core.settings.DEFAULT_SQLITE_PATH", __import__("pathlib").Path(app_env[len("sqlite:///") :]))
    monkeypatch.setenv("NTBCARE_DEMO_ROLE", "adviser")
    at = open_page("anonymous", "kepatuhan")  # through app.py (the page script alone would not know the demo)
    assert not at.exception
    assert [w.value for w in at.main.warning][:1] == [
        (
            "DEMO: basis data contoh (data/ntbcare_demo.sqlite), bukan data NTB Care yang sebenarnya. "
            "Mode demo (basis data contoh): semua halaman terbuka tanpa masuk, sebagai staf ahli."
        )
    ]
    assert at.title[0].value == "Kepatuhan OPD"
