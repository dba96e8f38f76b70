"""Errors and skips.

Every user-facing failure is a :class:`SitrepError` with a stable code (searchable in
docs/errors.md), a message naming the input, and a hint. A :class:`Skip` is not an
error: it drops one item with a recorded reason (empty page, no article, ...).
"""

from __future__ import annotations

__all__ = [
    "ERROR_CODES",
    "AccessError",
    "ConfigError",
    "ExtractError",
    "FetchError",
    "InputError",
    "SitrepError",
    "Skip",
    "StoreError",
]

# Stable codes. Tests check that every code raised in the source is listed here and
# that docs/errors.md documents each one.
ERROR_CODES: dict[str, str] = {
    # configuration
    "E001": "A setting has a value of the wrong type or out of range.",
    "E002": "The configuration file cannot be read or parsed.",
    "E003": "An optional package that a feature needs is not installed.",
    # inputs
    "E101": "The input path does not exist.",
    "E102": "The input is of a kind sitrep cannot ingest.",
    "E103": "The input file is larger than the size limit.",
    "E104": "The input is binary, not text or HTML.",
    "E105": "A JSON Lines record is malformed.",
    "E106": "A feed cannot be parsed.",
    "E107": "A sitemap cannot be parsed.",
    "E108": "The input cannot be decoded as text.",
    "E109": "A duration or interval is malformed.",
    "E110": "No event, actor or place has that id.",
    "E111": "The export format is not one sitrep can write.",
    "E112": "A paging cursor or sort order is not valid for the request.",
    "E113": "A brief's region names no area, country or place in the gazetteer.",
    "E114": "A date is not a calendar date in YYYY-MM-DD form.",
    "E115": "A pinned value does not have the form of its field (a count, a date, a type, a name).",
    # network
    "E201": "The URL is malformed or uses a scheme other than http(s).",
    "E202": "The host resolves to an address that the settings do not allow.",
    "E203": "The host cannot be resolved or reached.",
    "E204": "The server answered with an error status.",
    "E205": "The request timed out.",
    "E206": "The response is larger than the size limit.",
    "E207": "Too many redirects, or a redirect loop.",
    "E208": "robots.txt disallows the URL for sitrep's user agent.",
    "E209": "The connection failed while the response was being read.",
    # store
    "E301": "The database URL is malformed or names an unsupported backend.",
    "E302": "The database cannot be opened or migrated.",
    "E303": "No record has that id.",
    "E304": "A feed with that URL is already registered.",
    # extraction
    "E401": "The extractor failed on the input.",
    # actor knowledge base
    "E501": "An actor file cannot be read, is not valid YAML, or has a malformed entry.",
    "E502": "A relation in an actor file names an actor id that no actor file defines.",
    "E503": "Two actors share an alias that is not marked ambiguous in both.",
    "E504": "No actor has that id.",
    # gazetteer data
    "E601": "A country code names no GeoNames dump, or no country was named.",
    "E602": "A GeoNames dump is not a valid zip file, or lacks the table it should hold.",
    "E603": "A line of a GeoNames dump is malformed.",
    # accounts and access
    "E701": "The user name or password is wrong.",
    "E702": "Too many failed logins for that name from this client; wait and try again.",
    "E703": "Not logged in: the page or action needs an account.",
    "E704": "The account's role does not allow the page or action.",
    "E705": "A form or cookie-authenticated request lacks a valid CSRF token.",
    "E706": "The API token is unknown or was revoked.",
    "E707": "A user name, role or password is not acceptable.",
    "E708": "No user has that name, or no API token has that id.",
    "E709": "A user with that name already exists.",
    # saved searches, feeds and alerts
    "E801": "A saved search's query is not a valid event filter.",
    "E802": "No saved search or subscription has that id, or it is not yours.",
    "E803": "A search name, or a subscription's address, mode or threshold, is not valid.",
    "E804": "The unsubscribe or feed link's token is not valid.",
    "E805": "The mail server refused the message or could not be reached.",
    "E806": "Mail is not configured: smtp_host or mail_from is empty.",
    "E807": "You already have a saved search of that name.",
    "E808": "The feed format is not one sitrep writes (atom or json).",
}

SKIP_REASONS: dict[str, str] = {
    "empty": "the input holds no text",
    "no-article": "no article body was found",
    "too-short": "the article body is too short to be news",
    "not-modified": "the server says the page has not changed since the last fetch",
    "robots": "robots.txt disallows the URL",
    "too-deep": "sitemap indexes nest deeper than sitrep follows",
}


class SitrepError(Exception):
    """A failure the user can act on: a code, a message naming the input, and a hint."""

    def __init__(self, code: str, message: str, hint: str = "") -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unregistered error code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}" + (f" ({self.hint})" if self.hint else "")


class ConfigError(SitrepError):
    """A setting or configuration file is wrong."""


class InputError(SitrepError):
    """An input named by the user cannot be read or is of an unknown kind."""


class FetchError(SitrepError):
    """A URL could not be fetched."""


class StoreError(SitrepError):
    """The store cannot be opened, migrated or queried as asked."""


class ExtractError(SitrepError):
    """The extractor failed on an input."""


class AccessError(SitrepError):
    """A request is not allowed: not logged in (401), or not permitted (403), or too many
    failed logins (429). ``status`` is the HTTP status the web layer answers with."""

    def __init__(self, code: str, message: str, hint: str = "", status: int = 403) -> None:
        super().__init__(code, message, hint)
        self.status = status


class Skip(Exception):  # noqa: N818 - a skip is a decision, not an error
    """Drop one item with a reason code from :data:`SKIP_REASONS`."""

    def __init__(self, reason: str, detail: str = "") -> None:
        if reason not in SKIP_REASONS:
            raise ValueError(f"unregistered skip reason {reason!r}")
        super().__init__(detail or SKIP_REASONS[reason])
        self.reason = reason
        self.detail = detail or SKIP_REASONS[reason]
