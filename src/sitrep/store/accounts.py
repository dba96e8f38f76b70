"""Store queries for accounts: users, sessions, API tokens and failed logins.

Secrets never reach the store: callers pass the SHA-256 hash of a session id or token.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, RowMapping, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from sitrep.errors import InputError
from sitrep.store.schema import api_tokens, login_failures, sessions, users

__all__ = ["AccountQueries", "ApiToken", "User"]

# The widths of the name and client columns of login_failures.
_NAME_WIDTH = 64
_CLIENT_WIDTH = 64


@dataclass(frozen=True)
class User:
    """A person who can log in, or the anonymous reader (id 0) when that is allowed."""

    id: int
    name: str
    role: str  # viewer | analyst | admin
    created_at: datetime | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.id == 0


@dataclass(frozen=True)
class ApiToken:
    """An API token as listed: never its secret, only the first characters of it."""

    id: int
    user: str
    label: str
    hint: str
    created_at: datetime


class AccountQueries:
    """Mixed into the SQL store; relies on its ``_read`` and ``_write`` transactions."""

    def _read(self) -> AbstractContextManager[Connection]:  # pragma: no cover - provided
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[Connection]:  # pragma: no cover - provided
        raise NotImplementedError

    # -- users

    def add_user(self, name: str, password_hash: str, role: str, now: datetime) -> User:
        row = {"name": name, "password_hash": password_hash, "role": role, "created_at": now}
        try:
            with self._write() as conn:
                user_id = conn.execute(insert(users).values(row).returning(users.c.id)).scalar_one()
        except IntegrityError as exc:
            raise InputError(
                "E709", f"a user named {name!r} already exists", "pick another name"
            ) from exc
        return User(int(user_id), name, role, now)

    def get_user(self, name: str) -> tuple[User, str] | None:
        """The user of that name and their password hash."""
        with self._read() as conn:
            row = conn.execute(select(users).where(users.c.name == name)).one_or_none()
        return None if row is None else (_user(row._mapping), row.password_hash)

    def list_users(self) -> list[User]:
        with self._read() as conn:
            rows = conn.execute(select(users).order_by(users.c.name))
            return [_user(row._mapping) for row in rows]

    def count_admins(self) -> int:
        query = select(func.count()).select_from(users).where(users.c.role == "admin")
        with self._read() as conn:
            return int(conn.execute(query).scalar_one())

    def update_user(self, user_id: int, **values: str) -> None:
        """Change a user's ``role`` or ``password_hash``."""
        with self._write() as conn:
            conn.execute(update(users).where(users.c.id == user_id).values(**values))

    def remove_user(self, user_id: int) -> None:
        """Remove a user with their sessions and tokens, so that none of them works again."""
        with self._write() as conn:
            conn.execute(delete(sessions).where(sessions.c.user_id == user_id))
            conn.execute(delete(api_tokens).where(api_tokens.c.user_id == user_id))
            conn.execute(delete(users).where(users.c.id == user_id))

    # -- sessions

    def add_session(self, id_hash: str, user_id: int, now: datetime, expires: datetime) -> None:
        with self._write() as conn:
            conn.execute(delete(sessions).where(sessions.c.expires_at <= now))
            row = {"id_hash": id_hash, "user_id": user_id, "created_at": now, "expires_at": expires}
            conn.execute(insert(sessions).values(row))

    def session_user(self, id_hash: str, now: datetime) -> User | None:
        query = (
            select(users)
            .join(sessions, sessions.c.user_id == users.c.id)
            .where(sessions.c.id_hash == id_hash, sessions.c.expires_at > now)
        )
        with self._read() as conn:
            row = conn.execute(query).one_or_none()
        return None if row is None else _user(row._mapping)

    def remove_session(self, id_hash: str) -> None:
        with self._write() as conn:
            conn.execute(delete(sessions).where(sessions.c.id_hash == id_hash))

    # -- API tokens

    def add_token(self, token_hash: str, user_id: int, label: str, hint: str, now: datetime) -> int:
        row = {
            "token_hash": token_hash,
            "user_id": user_id,
            "label": label,
            "hint": hint,
            "created_at": now,
        }
        with self._write() as conn:
            inserted = insert(api_tokens).values(row).returning(api_tokens.c.id)
            return int(conn.execute(inserted).scalar_one())

    def token_user(self, token_hash: str) -> User | None:
        query = (
            select(users)
            .join(api_tokens, api_tokens.c.user_id == users.c.id)
            .where(api_tokens.c.token_hash == token_hash)
        )
        with self._read() as conn:
            row = conn.execute(query).one_or_none()
        return None if row is None else _user(row._mapping)

    def list_tokens(self, user_id: int | None = None) -> list[ApiToken]:
        query = (
            select(api_tokens, users.c.name)
            .join(users, api_tokens.c.user_id == users.c.id)
            .order_by(api_tokens.c.id)
        )
        if user_id is not None:
            query = query.where(api_tokens.c.user_id == user_id)
        with self._read() as conn:
            return [
                ApiToken(row.id, row.name, row.label, row.hint, _aware(row.created_at))
                for row in conn.execute(query)
            ]

    def remove_token(self, token_id: int) -> bool:
        with self._write() as conn:
            result = conn.execute(delete(api_tokens).where(api_tokens.c.id == token_id))
            return bool(result.rowcount)

    # -- failed logins

    def count_login_failures(self, name: str, client: str, since: datetime) -> int:
        query = (
            select(func.count())
            .select_from(login_failures)
            .where(
                login_failures.c.name == name[:_NAME_WIDTH],
                login_failures.c.client == client[:_CLIENT_WIDTH],
                login_failures.c.at > since,
            )
        )
        with self._read() as conn:
            return int(conn.execute(query).scalar_one())

    def record_login_failure(self, name: str, client: str, now: datetime, forget: datetime) -> None:
        """Note one failed login; failures from before ``forget`` no longer count, so go."""
        row = {"name": name[:_NAME_WIDTH], "client": client[:_CLIENT_WIDTH], "at": now}
        with self._write() as conn:
            conn.execute(delete(login_failures).where(login_failures.c.at <= forget))
            conn.execute(insert(login_failures).values(row))

    def clear_login_failures(self, name: str, client: str) -> None:
        with self._write() as conn:
            conn.execute(
                delete(login_failures).where(
                    login_failures.c.name == name[:_NAME_WIDTH],
                    login_failures.c.client == client[:_CLIENT_WIDTH],
                )
            )


def _user(row: RowMapping) -> User:
    return User(row["id"], row["name"], row["role"], _aware(row["created_at"]))


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time sitrep stores is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
