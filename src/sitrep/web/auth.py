"""Accounts on the web: sessions, roles, CSRF, API tokens (being built; see issue 6).

Until this module is complete, its contract is what routes rely on:

- ``require_role(role)`` returns a FastAPI dependency that lets the request through when the
  current user (session cookie, or ``Authorization: Bearer <token>``) has ``role`` or a higher
  one (viewer < analyst < admin), and otherwise answers 401/403 in the one error shape.
- ``csrf_token(request)`` is the token every HTML form posts back as ``csrf_token`` (and
  scripts send as the ``X-CSRF-Token`` header); it is a Jinja global.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request

__all__ = ["csrf_token", "require_role"]

ROLES = ("viewer", "analyst", "admin")


def require_role(role: str) -> Callable[[Request], Any]:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")

    def dependency(request: Request) -> Any:  # placeholder: everyone passes
        return None

    return dependency


def csrf_token(request: Request) -> str:  # placeholder
    return ""
