"""Headers every response carries: the security policy, and a new CSRF cookie when the
request was handed a token.

A plain ASGI middleware: Starlette's ``BaseHTTPMiddleware`` (``@app.middleware``) runs
every request through an extra task and a stream, a fixed cost the map's many small API
calls all pay.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ResponseHeaders"]


class ResponseHeaders:
    """Adds ``headers`` a response does not set itself, and the cookies ``cookies``
    returns for the request once the route has run."""

    def __init__(
        self,
        app: ASGIApp,
        headers: Mapping[str, str],
        cookies: Callable[[Request], list[str]],
    ) -> None:
        self.app = app
        self.headers = dict(headers)
        self.cookies = cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    if name not in headers:
                        headers[name] = value
                for cookie in self.cookies(Request(scope)):
                    headers.append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_headers)
