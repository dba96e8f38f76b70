"""The alert e-mail, and sending it over SMTP.

A message is multipart/alternative: plain text, and HTML with the map as an inline image
(multipart/related). It carries an unsubscribe link that works without logging in, also
as ``List-Unsubscribe`` with RFC 8058's one-click ``List-Unsubscribe-Post``, so that mail
clients can unsubscribe by POST rather than by following a link (link prefetchers follow
links; they do not post).
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from html import escape

from sitrep.alerts.changes import Change
from sitrep.alerts.mapimage import events_map_png
from sitrep.errors import ConfigError, SitrepError
from sitrep.settings import Settings

__all__ = ["AlertMail", "MailError", "compose", "send"]

_MAP_CID = "events-map@sitrep"


class MailError(SitrepError):
    """The mail server refused the message or could not be reached."""


@dataclass(frozen=True)
class AlertMail:
    """What one alert says, and the links it needs."""

    search_name: str
    changes: Sequence[Change]
    digest: str | None  # "daily" | "weekly"; None for an immediate alert
    search_url: str  # the events list with the search's filter
    event_url: str  # with {id} for the event's id
    unsubscribe_url: str


def compose(
    mail: AlertMail, *, sender: str, recipient: str, message_id: str, now: datetime
) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = _subject(mail)
    message["From"] = sender
    message["To"] = recipient
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id
    message["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies, please
    message.set_content(_text(mail), cte="quoted-printable")
    png = events_map_png([{**change.record, "id": change.event_id} for change in mail.changes])
    message.add_alternative(
        _html(mail, with_map=png is not None), subtype="html", cte="quoted-printable"
    )
    if png is not None:
        for part in message.iter_parts():
            if part.get_content_type() == "text/html":
                part.add_related(
                    png, "image", "png", cid=f"<{_MAP_CID}>", filename="events-map.png"
                )
    return message


def send(settings: Settings, recipient: str, message: str) -> None:
    """Send one stored message; :class:`MailError` (E805) if it did not go, E806 if mail is
    not configured."""
    if not settings.smtp_host or not settings.mail_from:
        raise ConfigError(
            "E806",
            "cannot send alerts: smtp_host or mail_from is not set",
            "set SITREP_SMTP_HOST and SITREP_MAIL_FROM",
        )
    sender = parseaddr(settings.mail_from)[1] or settings.mail_from
    try:
        with _connect(settings) as smtp:
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.sendmail(sender, [recipient], message)  # a str: smtplib makes its ends CRLF
    except (smtplib.SMTPException, OSError, UnicodeEncodeError) as exc:
        where = f"{settings.smtp_host}:{settings.smtp_port}"
        raise MailError("E805", f"mail to {recipient} via {where} failed: {exc}") from exc


def _connect(settings: Settings) -> smtplib.SMTP:
    host, port, timeout = settings.smtp_host, settings.smtp_port, settings.smtp_timeout
    if settings.smtp_tls == "ssl":
        return smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    smtp = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if settings.smtp_tls == "starttls":
            smtp.starttls(context=ssl.create_default_context())
    except BaseException:
        smtp.close()
        raise
    return smtp


def _subject(mail: AlertMail) -> str:
    count = len(mail.changes)
    what = f"{count} change{'s' if count != 1 else ''}"
    kind = f"{mail.digest} digest" if mail.digest else "alert"
    return f"[sitrep] {mail.search_name}: {kind}, {what}"


def _intro(mail: AlertMail) -> str:
    if mail.digest:
        return f"Your {mail.digest} digest for the saved search {mail.search_name!r}."
    return f"New or revised events for the saved search {mail.search_name!r}."


def _text(mail: AlertMail) -> str:
    lines = [_intro(mail), ""]
    for change in mail.changes:
        lines.append(f"* {change.headline}")
        lines.extend(f"  - {detail}" for detail in change.details)
        lines.append(f"  {mail.event_url.format(id=change.event_id)}")
    lines += [
        "",
        f"All events of this search: {mail.search_url}",
        f"Unsubscribe (no login needed): {mail.unsubscribe_url}",
    ]
    return "\n".join(lines) + "\n"


def _html(mail: AlertMail, *, with_map: bool) -> str:
    items = "".join(
        f'<li><a href="{escape(mail.event_url.format(id=change.event_id))}">'
        f"{escape(change.headline)}</a><ul>"
        + "".join(f"<li>{escape(detail)}</li>" for detail in change.details)
        + "</ul></li>"
        for change in mail.changes
    )
    picture = (
        f'<p><img src="cid:{_MAP_CID}" alt="Map of the events in this alert" width="360"></p>'
        if with_map
        else ""
    )
    return (
        '<!doctype html><html lang="en"><body>'
        f"<p>{escape(_intro(mail))}</p>{picture}<ul>{items}</ul>"
        f'<p><a href="{escape(mail.search_url)}">All events of this search</a></p>'
        f'<p><a href="{escape(mail.unsubscribe_url)}">Unsubscribe</a> (no login needed)</p>'
        "</body></html>\n"
    )
