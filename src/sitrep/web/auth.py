"""Accounts on the web: who is asking, what they may do, and forms that cannot be forged.

- ``require_role(role)`` returns a FastAPI dependency that lets the request through when the
  current user (session cookie, or ``Authorization: Bearer <token>``) has ``role`` or a higher
  one (viewer < analyst < admin), and returns that :class:`User`. Anonymous visitors count
  as viewers while the ``anonymous_read`` setting is on. Otherwise it answers 401 (pages
  redirect to the login form) or 403, in the one error shape.
- ``csrf_token(request)`` is the token every HTML form posts back as ``csrf_token`` (and
  scripts send as the ``X-CSRF-Token`` header); it is a Jinja global, as is
  ``current_user(request)``.
- :func:`guard`, an app-wide dependency, refuses unsafe requests (POST, PUT, PATCH, DELETE)
  without the right CSRF token unless they carry a bearer token (browsers never add one
  on their own), and keeps anonymous visitors out when ``anonymous_read`` is off.

The CSRF token of a logged-in user is derived from their session id, so it is bound to the
session and changes at every login; before login, it is a random value kept in a cookie of
its own (double submit), which protects the login form itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from inspect import isawaitable
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from sitrep.errors import AccessError, SitrepError
from sitrep.service import Service
from sitrep.service_accounts import ANONYMOUS, ROLES, User, role_allows
from sitrep.settings import parse_duration
from sitrep.web.deps import get_service, get_settings, render

__all__ = [
    "csrf_token",
    "current_user",
    "guard",
    "install",
    "require_login",
    "require_role",
    "router",
]

SESSION_COOKIE = "sitrep_session"
CSRF_COOKIE = "sitrep_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Reachable without an account even when anonymous_read is off.
PUBLIC_PATHS = frozenset({"/login", "/logout"})
# Paths that carry their own secret (a saved search's feed token, an unsubscribe token):
# the route checks it, so they are open without an account; and a forged POST to an
# unsubscribe link gains nothing the link does not give, while mail clients' one-click
# unsubscribe (RFC 8058) posts without a CSRF token.
TOKEN_PATHS = ("/feeds/searches/", "/unsubscribe/")
LOCAL_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
ServiceDep = Annotated[Service, Depends(get_service)]


# -- who is asking


def current_user(request: Request) -> User:
    """The user behind the request (the anonymous user if none); for templates, never fails."""
    try:
        return _identify(request)
    except AccessError:
        return ANONYMOUS


def _identify(request: Request) -> User:
    user: User | None = getattr(request.state, "sitrep_user", None)
    if user is None:
        user = _resolve(request)
        request.state.sitrep_user = user
    return user


def _resolve(request: Request) -> User:
    service = get_service(request)
    bearer = _bearer(request)
    if bearer is not None:
        user = service.token_user(bearer)
        if user is None:
            raise AccessError(
                "E706",
                "the API token in the Authorization header is not valid",
                "create one with: sitrep users token NAME",
                status=401,
            )
        return user
    return service.session_user(request.cookies.get(SESSION_COOKIE, "")) or ANONYMOUS


def _bearer(request: Request) -> str | None:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else None


def require_role(role: str) -> Callable[[Request], User]:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")

    def dependency(request: Request) -> User:
        user = _identify(request)
        if user.is_anonymous:
            if role == "viewer" and get_settings(request).anonymous_read:
                return user
            raise _not_logged_in(request)
        if not role_allows(user.role, role):
            raise AccessError(
                "E704",
                f"{request.url.path} needs the {role} role; {user.name!r} is {user.role}",
                "ask an admin: sitrep users role NAME ROLE",
                status=403,
            )
        return user

    return dependency


def _not_logged_in(request: Request) -> AccessError:
    return AccessError(
        "E703",
        f"{request.url.path} needs you to log in",
        "log in at /login, or send Authorization: Bearer <token>",
        status=401,
    )


# -- CSRF


def csrf_token(request: Request) -> str:
    """The token this request's forms must post back (set as a cookie if it is new)."""
    token = _expected_csrf(request) or getattr(request.state, "sitrep_new_csrf", None)
    if token is None:
        token = secrets.token_urlsafe(32)
        request.state.sitrep_new_csrf = token
    return token


def _expected_csrf(request: Request) -> str | None:
    session = request.cookies.get(SESSION_COOKIE)
    if session and not current_user(request).is_anonymous:
        return hashlib.sha256(b"sitrep-csrf:" + session.encode("utf-8")).hexdigest()
    return request.cookies.get(CSRF_COOKIE) or None


async def _check_csrf(request: Request) -> None:
    sent: object = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(_FORM_TYPES):
        try:
            sent = (await request.form()).get(CSRF_FIELD)
        except Exception:  # a malformed body is a refused form, not a 500
            sent = None
    expected = await run_in_threadpool(_expected_csrf, request)
    if not (isinstance(sent, str) and expected and _same(sent, expected)):
        raise AccessError(
            "E705",
            f"{request.method} {request.url.path} was refused: no valid CSRF token",
            "reload the page and submit the form again; scripts should use an API token",
            status=403,
        )


def _same(sent: str, expected: str) -> bool:
    """Constant-time comparison; bytes, since compare_digest refuses non-ASCII strings."""
    return hmac.compare_digest(sent.encode("utf-8"), expected.encode("utf-8"))


# -- the app-wide gate


async def guard(request: Request) -> None:
    """Runs before every route: anonymous access and CSRF."""
    path = request.url.path
    if path.startswith(TOKEN_PATHS):
        return
    if _bearer(request) is None and not request.cookies.get(SESSION_COOKIE):
        user = request.state.sitrep_user = ANONYMOUS  # nothing to look up: no thread hop
    else:
        user = await run_in_threadpool(_identify, request)
    if user.is_anonymous and path not in PUBLIC_PATHS and not get_settings(request).anonymous_read:
        raise _not_logged_in(request)
    # Anonymous API calls can do nothing a forgery would want, and get a 401 from the
    # route; every form, the login form included, and every cookie-borne call is checked.
    cookie_borne = not user.is_anonymous or not path.startswith("/api/")
    if request.method in UNSAFE_METHODS and _bearer(request) is None and cookie_borne:
        await _check_csrf(request)


def install(app: FastAPI) -> None:
    """Add the redirect-to-login handler (new CSRF tokens go out in :func:`new_cookies`)."""
    fallback = app.exception_handlers[SitrepError]

    @app.exception_handler(AccessError)
    async def access_error(request: Request, exc: AccessError) -> Response:
        page = not request.url.path.startswith("/api/")
        if exc.code == "E703" and page and request.method in ("GET", "HEAD"):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        answer = fallback(request, exc)  # the one error shape, from app.py
        response = await answer if isawaitable(answer) else answer
        if exc.status == 401 and not page:
            response.headers["WWW-Authenticate"] = "Bearer"
        return response


def new_cookies(request: Request) -> list[str]:
    """The Set-Cookie values a response must carry: the CSRF token handed out while the
    route ran, if it is new (the app's header middleware calls this)."""
    token = getattr(request.state, "sitrep_new_csrf", None)
    if not token:
        return []
    carrier = Response()
    _set_cookie(request, carrier, CSRF_COOKIE, token, max_age=None)
    return [value.decode("latin-1") for key, value in carrier.raw_headers if key == b"set-cookie"]


def _set_cookie(
    request: Request, response: Response, name: str, value: str, max_age: int | None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=_secure_cookies(request),
    )


def _secure_cookies(request: Request) -> bool:
    settings = get_settings(request)
    if settings.secure_cookies != "auto":
        return settings.secure_cookies == "on"
    return request.url.scheme == "https" or settings.host not in LOCAL_HOSTS


# -- pages


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "name": "", "error": None})


@router.post("/login")
def login(
    request: Request,
    service: ServiceDep,
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    client = request.client.host if request.client else "unknown"
    try:
        user = service.authenticate(name.strip(), password, client)
    except AccessError as exc:
        context = {"next": _safe_next(next), "name": name, "error": exc}
        return render(request, "login.html", context, status=exc.status)
    _end_current_session(request, service)
    secret = service.create_session(user)
    response = RedirectResponse(_safe_next(next), status_code=303)
    lifetime = parse_duration(get_settings(request).session_lifetime)
    _set_cookie(request, response, SESSION_COOKIE, secret, max_age=lifetime)
    return response


@router.post("/logout")
def logout(request: Request, service: ServiceDep) -> Response:
    _end_current_session(request, service)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def require_login(request: Request) -> User:
    """Like ``require_role("viewer")``, but anonymous readers do not pass."""
    user = _identify(request)
    if user.is_anonymous:
        raise _not_logged_in(request)
    return user


LoggedIn = Annotated[User, Depends(require_login)]


@router.get("/account")
def account_page(request: Request, user: LoggedIn, service: ServiceDep) -> Response:
    return _account(request, user, service, new_token=None)


@router.post("/account/tokens")
def account_new_token(
    request: Request, user: LoggedIn, service: ServiceDep, label: Annotated[str, Form()] = ""
) -> Response:
    secret = service.create_token(user.name, label)
    return _account(request, user, service, new_token=secret)


@router.post("/account/tokens/{token_id}/revoke")
def account_revoke_token(token_id: int, user: LoggedIn, service: ServiceDep) -> Response:
    service.revoke_token(token_id, owner=user.name)
    return RedirectResponse("/account", status_code=303)


def _account(request: Request, user: User, service: Service, new_token: str | None) -> Response:
    context = {"user": user, "tokens": service.tokens(user.name), "new_token": new_token}
    return render(request, "account.html", context)


def _end_current_session(request: Request, service: Service) -> None:
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        service.end_session(secret)


def _safe_next(target: str) -> str:
    """Only paths on this site: an open redirect would make the login form a phishing aid."""
    if target.startswith("/") and not target.startswith(("//", "/\\")) and "\n" not in target:
        return target
    return "/"
