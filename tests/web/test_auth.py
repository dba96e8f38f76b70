"""Accounts on the web, over a real app, service and SQLite store (Starlette's test client):
login and logout, cookies, CSRF, API tokens, roles, anonymous read, headers, escaping."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from sitrep.service import Service
from sitrep.service_accounts import User
from sitrep.settings import Settings
from sitrep.web.app import create_app
from sitrep.web.auth import require_role

XSS = Path(__file__).resolve().parent.parent / "fixtures" / "xss" / "script-in-text.html"
PASSWORD = "correct horse battery"
TOKEN_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def _probe_routes(app: FastAPI) -> None:
    """Routes that only say who passed a role check: roles apart from any feature's routes."""
    for role in ("viewer", "analyst", "admin"):

        def who(user: User = Depends(require_role(role))) -> dict[str, str]:  # noqa: B008
            return {"name": user.name, "role": user.role}

        app.get(f"/api/v1/probe/{role}")(who)
        app.post(f"/api/v1/probe/{role}")(who)
        app.get(f"/probe/{role}")(who)


def _client(settings: Settings) -> Iterator[TestClient]:
    with Service(settings) as service:
        service.add_user("vera", PASSWORD, "viewer")
        service.add_user("ana", PASSWORD, "analyst")
        service.add_user("root", PASSWORD, "admin")
        app = create_app(settings, service)
        _probe_routes(app)
        with TestClient(app) as client:
            yield client


@pytest.fixture
def web_settings(tmp_path: Path) -> Settings:
    return Settings.load(
        env={}, data_dir=str(tmp_path), login_max_failures=3, gazetteer_path=str(tmp_path / "g")
    )


@pytest.fixture
def client(web_settings: Settings) -> Iterator[TestClient]:
    yield from _client(web_settings)


@pytest.fixture
def closed_client(web_settings: Settings) -> Iterator[TestClient]:
    yield from _client(web_settings.with_(anonymous_read=False))


def form_token(client: TestClient, path: str = "/login") -> str:
    match = TOKEN_FIELD.search(client.get(path).text)
    assert match, f"no csrf_token field on {path}"
    return match.group(1)


def log_in(client: TestClient, name: str, password: str = PASSWORD) -> httpx.Response:
    data = {"name": name, "password": password, "csrf_token": form_token(client), "next": "/x"}
    return client.post("/login", data=data, follow_redirects=False)


def service_of(client: TestClient) -> Service:
    service: Service = client.app.state.service  # type: ignore[attr-defined]
    return service


# -- logging in and out


def test_login_sets_a_session_cookie_and_logout_ends_it(client: TestClient) -> None:
    response = log_in(client, "ana")
    assert response.status_code == 303 and response.headers["location"] == "/x"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("sitrep_session=")
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "path=/", "samesite=lax", "max-age=43200"} <= flags
    assert "secure" not in flags  # served on 127.0.0.1: a local demo over plain HTTP
    assert client.get("/api/v1/probe/analyst").json() == {"name": "ana", "role": "analyst"}
    page = client.get("/login")
    assert "Log out (ana)" in page.text and "You are logged in as <strong>ana</strong>" in page.text

    secret = client.cookies["sitrep_session"]
    logout = client.post("/logout", data={"csrf_token": form_token(client)}, follow_redirects=False)
    assert logout.status_code == 303 and 'sitrep_session=""' in logout.headers["set-cookie"]
    client.cookies.set("sitrep_session", secret)  # replaying the old cookie does not work
    assert client.get("/api/v1/probe/analyst").status_code == 401
    assert "Log in" in client.get("/login").text


@pytest.mark.parametrize(
    ("changes", "secure"),
    [({"host": "0.0.0.0"}, True), ({"secure_cookies": "on"}, True), ({}, False)],
)
def test_cookies_are_secure_unless_served_locally(
    web_settings: Settings, changes: dict[str, str], secure: bool
) -> None:
    for client in _client(web_settings.with_(**changes)):
        token_cookie = client.get("/login").headers["set-cookie"]
        assert token_cookie.startswith("sitrep_csrf=") and "HttpOnly" in token_cookie
        assert ("Secure" in token_cookie) is secure


def test_a_wrong_password_is_refused_and_repeated_failures_lock_out(client: TestClient) -> None:
    for _ in range(3):
        response = log_in(client, "ana", "not the password")
        assert response.status_code == 401 and "sitrep_session" not in client.cookies
        assert "wrong user name or password for &#39;ana&#39;" in response.text
        assert "E701" in response.text
    locked = log_in(client, "ana")
    assert locked.status_code == 429 and "E702" in locked.text
    assert "too many failed logins" in locked.text and "sitrep_session" not in client.cookies
    assert log_in(client, "root").status_code == 303  # other names are not locked out


def test_login_only_redirects_within_the_site(client: TestClient) -> None:
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        data = {"name": "ana", "password": PASSWORD, "csrf_token": form_token(client)}
        response = client.post("/login", data=data | {"next": target}, follow_redirects=False)
        assert response.headers["location"] == "/", target


def test_the_login_form_escapes_what_was_typed(client: TestClient) -> None:
    hostile = '"><script>alert(1)</script>'
    data = {"name": hostile, "password": "x" * 10, "csrf_token": form_token(client)}
    page = client.post("/login", data=data).text
    assert "<script>alert(1)</script>" not in page
    assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page


# -- CSRF


def test_forms_need_the_csrf_token(client: TestClient) -> None:
    login = {"name": "ana", "password": PASSWORD}
    form_token(client)  # the visitor has seen the form and holds its cookie
    for extra in ({}, {"csrf_token": "forged"}, {"csrf_token": "ünïcode"}):
        refused = client.post("/login", data=login | extra, follow_redirects=False)
        assert refused.status_code == 403 and "E705" in refused.text
        assert "sitrep_session" not in client.cookies
    assert log_in(client, "ana").status_code == 303

    anonymous_token = client.cookies["sitrep_csrf"]
    for token in (None, "forged", anonymous_token):  # the token is bound to the new session
        data = {"label": "x"} | ({"csrf_token": token} if token else {})
        refused = client.post("/account/tokens", data=data)
        assert refused.status_code == 403 and "E705" in refused.text
    assert service_of(client).tokens("ana") == []
    created = client.post("/account/tokens", data={"label": "x", "csrf_token": form_token(client)})
    assert created.status_code == 200 and len(service_of(client).tokens("ana")) == 1


def test_cookie_authenticated_api_calls_need_the_csrf_header(client: TestClient) -> None:
    log_in(client, "ana")
    for headers in ({}, {"X-CSRF-Token": "forged"}):
        refused = client.post("/api/v1/probe/analyst", headers=headers)
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "E705"
    token = form_token(client)
    passed = client.post("/api/v1/probe/analyst", headers={"X-CSRF-Token": token})
    assert passed.status_code == 200 and passed.json()["name"] == "ana"


def test_a_multipart_form_carries_the_token_too(client: TestClient) -> None:
    log_in(client, "ana")
    token = form_token(client)
    response = client.post(
        "/account/tokens", data={"csrf_token": token}, files={"label": (None, "from a multipart")}
    )
    assert response.status_code == 200 and "from a multipart" in response.text


# -- API tokens


def test_a_bearer_token_works_for_scripts_until_revoked(client: TestClient) -> None:
    service = service_of(client)
    secret = service.create_token("ana", "script")
    script = TestClient(client.app)  # no cookies: a script, not a browser
    bearer = {"Authorization": f"Bearer {secret}"}
    assert script.get("/api/v1/probe/analyst", headers=bearer).json()["name"] == "ana"
    assert script.post("/api/v1/probe/analyst", headers=bearer).status_code == 200  # no CSRF
    assert script.get("/api/v1/probe/admin", headers=bearer).status_code == 403

    service.revoke_token(service.tokens("ana")[0].id)
    refused = script.get("/api/v1/probe/viewer", headers=bearer)
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
    assert refused.json()["error"]["code"] == "E706"


def test_a_removed_users_token_and_session_stop_working(client: TestClient) -> None:
    service = service_of(client)
    bearer = {"Authorization": f"Bearer {service.create_token('ana')}"}
    log_in(client, "ana")
    service.remove_user("ana")
    assert client.get("/api/v1/probe/analyst").status_code == 401
    assert client.get("/api/v1/probe/viewer", headers=bearer).status_code == 401


def test_the_account_page_shows_a_new_token_once(client: TestClient) -> None:
    log_in(client, "vera")
    token = form_token(client, "/account")
    page = client.post("/account/tokens", data={"label": "<b>laptop</b>", "csrf_token": token})
    secret = re.search(r'<code id="new-token">([^<]+)</code>', page.text)
    assert secret and "&lt;b&gt;laptop&lt;/b&gt;" in page.text
    assert secret.group(1) not in client.get("/account").text
    bearer = {"Authorization": f"Bearer {secret.group(1)}"}
    assert TestClient(client.app).get("/api/v1/probe/viewer", headers=bearer).status_code == 200
    token_id = service_of(client).tokens("vera")[0].id
    revoke = client.post(
        f"/account/tokens/{token_id}/revoke", data={"csrf_token": token}, follow_redirects=False
    )
    assert revoke.status_code == 303 and service_of(client).tokens("vera") == []


# -- roles and anonymous read


def test_roles_are_ranked(client: TestClient) -> None:
    expected = {
        "vera": {"viewer": 200, "analyst": 403, "admin": 403},
        "ana": {"viewer": 200, "analyst": 200, "admin": 403},
        "root": {"viewer": 200, "analyst": 200, "admin": 200},
    }
    for name, statuses in expected.items():
        client.cookies.clear()
        log_in(client, name)
        for role, status in statuses.items():
            response = client.get(f"/api/v1/probe/{role}")
            assert response.status_code == status, (name, role)
        denied = client.get("/api/v1/probe/admin") if name != "root" else None
        if denied is not None:
            error = denied.json()["error"]
            assert error["code"] == "E704" and "admin" in error["message"]


def test_anonymous_visitors_read_as_viewers_by_default(client: TestClient) -> None:
    assert client.get("/api/v1/probe/viewer").json() == {"name": "", "role": "viewer"}
    assert client.get("/api/v1/health").status_code == 200
    refused = client.get("/api/v1/probe/analyst")
    assert refused.status_code == 401
    assert refused.json()["error"] == {
        "code": "E703",
        "message": "/api/v1/probe/analyst needs you to log in",
        "detail": "log in at /login, or send Authorization: Bearer <token>",
    }
    assert client.post("/api/v1/probe/analyst").status_code == 401
    page = client.get("/probe/analyst?x=1", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=%2Fprobe%2Fanalyst%3Fx%3D1"


def test_without_anonymous_read_everything_but_login_needs_an_account(
    closed_client: TestClient,
) -> None:
    client = closed_client
    for path in ("/api/v1/health", "/api/v1/probe/viewer", "/api/v1/articles"):
        response = client.get(path)
        assert response.status_code == 401 and response.json()["error"]["code"] == "E703"
    page = client.get("/search?q=idlib", follow_redirects=False)
    assert page.headers["location"] == "/login?next=%2Fsearch%3Fq%3Didlib"
    assert client.get("/login").status_code == 200
    data = {"name": "vera", "password": PASSWORD, "csrf_token": form_token(client)}
    landed = client.post("/login", data=data | {"next": "/search?q=idlib"})
    assert landed.status_code == 200 and str(landed.url).endswith("/search?q=idlib")
    assert client.get("/api/v1/health").status_code == 200


# -- headers and escaping


def test_security_headers_everywhere(client: TestClient) -> None:
    for response in (client.get("/login"), client.get("/api/v1/health"), client.get("/nope")):
        policy = dict(
            directive.strip().split(" ", 1)
            for directive in response.headers["content-security-policy"].split(";")
        )
        assert policy["script-src"] == "'self'" and "unsafe-inline" not in policy["script-src"]
        assert policy["frame-ancestors"] == "'none'"
        assert response.headers["referrer-policy"] == "same-origin"
        assert response.headers["x-content-type-options"] == "nosniff"


def test_the_xss_fixture_renders_as_inert_text(client: TestClient) -> None:
    service = service_of(client)
    report = service.ingest([str(XSS)])
    assert report.ok
    (row,) = service.articles()
    assert '<script>document.title="owned"' in row.article.text  # stored as the text it is
    for path in (f"/articles/{row.id}", "/search?q=volunteers", "/search?q=%3Cscript%3E"):
        page = client.get(path)
        assert page.status_code == 200, path
        body = page.text
        assert "<script>alert" not in body and "<script>document" not in body, path
        assert "<img src=x" not in body and 'onclick="alert' not in body, path
        assert "<script" not in body.replace('<script src="/static/', ""), path
    article = client.get(f"/articles/{row.id}").text
    assert "&lt;script&gt;document.title=&#34;owned&#34;;alert(&#34;xss&#34;)&lt;/script&gt;" in (
        article
    )
    assert "&lt;img src=x onerror=&#34;alert(&#39;onerror&#39;)&#34;&gt;" in article
