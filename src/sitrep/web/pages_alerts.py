"""Saved searches on the web: save the current filter, list searches with their feeds and
subscriptions, the feeds themselves, and unsubscribing from an e-mail's link.

Feed readers and mail recipients have no session: a feed may be read with its search's
token in the URL (``?token=``) when anonymous reading is off, and an unsubscribe link's
token is the whole authority to unsubscribe. Unsubscribing takes a POST: following the
link shows a confirmation button (link prefetchers follow links), and mail clients use
the ``List-Unsubscribe-Post`` one-click POST (RFC 8058) to the same address.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from sitrep.errors import InputError
from sitrep.service import Service
from sitrep.service_accounts import User
from sitrep.service_alerts import SavedSearch
from sitrep.web.auth import require_role
from sitrep.web.deps import get_service, render

__all__ = ["router"]

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
Svc = Annotated[Service, Depends(get_service)]
Analyst = Annotated[User, Depends(require_role("analyst"))]
FEED_FORMATS = {"atom": "Atom", "json": "JSON Feed"}


@router.post("/searches")
def save_search(
    user: Analyst,
    service: Svc,
    name: Annotated[str, Form(max_length=200)],
    query: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    service.save_search(user.name, name, query)
    return RedirectResponse("/searches", status_code=303)


@router.get("/searches")
def searches_page(request: Request, user: Analyst, service: Svc) -> Response:
    searches = service.saved_searches(None if user.role == "admin" else user.name)
    rows = [
        {
            "search": search,
            "feeds": {label: service.feed_url(search, fmt) for fmt, label in FEED_FORMATS.items()},
            "subscriptions": service.subscriptions(search.id),
        }
        for search in searches
    ]
    return render(request, "saved_searches.html", {"rows": rows, "modes": _modes()})


@router.post("/searches/{search_id}/remove")
def remove_search(search_id: int, user: Analyst, service: Svc) -> Response:
    service.delete_search(search_id, _owner(user))
    return RedirectResponse("/searches", status_code=303)


@router.post("/searches/{search_id}/subscribe")
def subscribe(
    search_id: int,
    user: Analyst,
    service: Svc,
    email: Annotated[str, Form(max_length=320)],
    mode: Annotated[str, Form(max_length=16)] = "immediate",
    min_confidence: Annotated[float, Form(ge=0.0, le=1.0)] = 0.0,
) -> Response:
    service.subscribe(search_id, email, mode, min_confidence, owner=_owner(user))
    return RedirectResponse("/searches", status_code=303)


@router.get("/feeds/searches/{search_id}.atom")
def atom_feed(
    request: Request, search_id: int, service: Svc, token: Annotated[str, Query()] = ""
) -> Response:
    return _feed(request, service, search_id, "atom", token)


@router.get("/feeds/searches/{search_id}.json")
def json_feed(
    request: Request, search_id: int, service: Svc, token: Annotated[str, Query()] = ""
) -> Response:
    return _feed(request, service, search_id, "json", token)


@router.get("/unsubscribe/{token}")
def unsubscribe_page(request: Request, token: str, service: Svc) -> Response:
    subscription, search = service.subscription_for_token(token)
    context = {"subscription": subscription, "search": search, "token": token, "done": False}
    return render(request, "unsubscribe.html", context)


@router.post("/unsubscribe/{token}")
def unsubscribe(request: Request, token: str, service: Svc) -> Response:
    subscription = service.unsubscribe(token)
    search = service.saved_search(subscription.search_id)
    context = {"subscription": subscription, "search": search, "token": token, "done": True}
    return render(request, "unsubscribe.html", context)


def _feed(request: Request, service: Service, search_id: int, fmt: str, token: str) -> Response:
    search = service.saved_search(search_id)
    if token:
        _check_feed_token(search, token)
    else:  # no token: whoever may read the events may read their feed
        require_role("viewer")(request)
    media_type, body = service.search_feed(search_id, fmt)
    return Response(body, media_type=media_type)


def _check_feed_token(search: SavedSearch, token: str) -> None:
    if not hmac.compare_digest(token.encode("utf-8"), search.feed_token.encode("utf-8")):
        raise InputError("E804", f"the token of saved search {search.id}'s feed link is not valid")


def _owner(user: User) -> str | None:
    """Whose searches a user may change: their own; an admin, anyone's."""
    return None if user.role == "admin" else user.name


def _modes() -> tuple[str, ...]:
    from sitrep.alerts.schedule import MODES

    return MODES
