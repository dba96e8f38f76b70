"""The service's account methods: users, roles, passwords, sessions and API tokens.

A part of :class:`sitrep.service.Service` (mixed into it), kept in its own module so that
each stays small. Passwords are kept as argon2 hashes; session ids and API tokens are
random 256-bit secrets that are handed out once and stored only as SHA-256 hashes (they
are too random to guess, so a fast hash is enough and lookups stay cheap).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from sitrep.errors import AccessError, InputError
from sitrep.service_base import ServiceMixin
from sitrep.settings import parse_duration
from sitrep.store.accounts import ApiToken, User

__all__ = ["ANONYMOUS", "ROLES", "AccountsService", "ApiToken", "User", "role_allows"]

ROLES = ("viewer", "analyst", "admin")  # each may do what the ones before it may
ANONYMOUS = User(0, "", "viewer")
TOKEN_PREFIX = "sitrep_"
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # hashing is deliberately slow: refuse megabyte "passwords"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}")
_HASHER = PasswordHasher()


def role_allows(role: str, needed: str) -> bool:
    return ROLES.index(role) >= ROLES.index(needed)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class AccountsService(ServiceMixin):
    # -- users

    def add_user(self, name: str, password: str, role: str) -> User:
        _check_name(name)
        _check_role(role)
        _check_password(password)
        return self.store.add_user(name, _HASHER.hash(password), role, _now())

    def users(self) -> list[User]:
        return self.store.list_users()

    def user(self, name: str) -> User:
        found = self.store.get_user(name)
        if found is None:
            raise InputError("E708", f"no user named {name!r}", "see: sitrep users list")
        return found[0]

    def set_role(self, name: str, role: str) -> User:
        _check_role(role)
        user = self.user(name)
        if user.role == "admin" and role != "admin":
            self._keep_an_admin(user)
        self.store.update_user(user.id, role=role)
        return User(user.id, user.name, role, user.created_at)

    def set_password(self, name: str, password: str) -> None:
        _check_password(password)
        self.store.update_user(self.user(name).id, password_hash=_HASHER.hash(password))

    def remove_user(self, name: str) -> None:
        """Remove a user; their sessions and API tokens stop working at once."""
        user = self.user(name)
        if user.role == "admin":
            self._keep_an_admin(user)
        self.store.remove_user(user.id)

    def ensure_admin(self, name: str = "admin") -> str | None:
        """Create an admin with a random password when there is none; that password."""
        if self.store.count_admins():
            return None
        password = secrets.token_urlsafe(12)
        self.add_user(name, password, "admin")
        return password

    def _keep_an_admin(self, user: User) -> None:
        if self.store.count_admins() <= 1:
            raise InputError(
                "E707",
                f"{user.name!r} is the only admin",
                "make another user admin first: sitrep users role NAME admin",
            )

    # -- logging in

    def authenticate(self, name: str, password: str, client: str) -> User:
        """The user, if the password is theirs; failures are counted per name and client."""
        now = _now()
        window = timedelta(seconds=parse_duration(self.settings.login_window))
        if self.store.count_login_failures(name, client, now - window) >= (
            self.settings.login_max_failures
        ):
            raise AccessError(
                "E702",
                f"too many failed logins for {name!r} from {client}",
                f"wait {self.settings.login_window} and try again",
                status=429,
            )
        found = self.store.get_user(name) if _NAME.fullmatch(name) else None
        # Unknown names are checked against a stand-in hash, so timing does not tell them.
        matches = _verify(found[1] if found else _stand_in_hash(), password)
        if found is None or not matches:
            self.store.record_login_failure(name, client, now, now - window)
            raise AccessError("E701", f"wrong user name or password for {name!r}", status=401)
        user, stored = found
        self.store.clear_login_failures(name, client)
        if _HASHER.check_needs_rehash(stored):
            self.store.update_user(user.id, password_hash=_HASHER.hash(password))
        return user

    def create_session(self, user: User) -> str:
        """A new session for the user: its secret id, to be kept in a cookie."""
        secret = secrets.token_urlsafe(32)
        now = _now()
        lifetime = timedelta(seconds=parse_duration(self.settings.session_lifetime))
        self.store.add_session(secret_hash(secret), user.id, now, now + lifetime)
        return secret

    def session_user(self, secret: str) -> User | None:
        """The user of a live session, or None for an unknown or expired one."""
        return self.store.session_user(secret_hash(secret), _now()) if secret else None

    def end_session(self, secret: str) -> None:
        self.store.remove_session(secret_hash(secret))

    # -- API tokens

    def create_token(self, name: str, label: str = "") -> str:
        """A new API token for the user: the secret, shown this once and never stored."""
        user = self.user(name)
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        hint = secret[: len(TOKEN_PREFIX) + 4]
        self.store.add_token(secret_hash(secret), user.id, label.strip()[:200], hint, _now())
        return secret

    def token_user(self, secret: str) -> User | None:
        return self.store.token_user(secret_hash(secret)) if secret else None

    def tokens(self, name: str | None = None) -> list[ApiToken]:
        return self.store.list_tokens(self.user(name).id if name else None)

    def revoke_token(self, token_id: int, owner: str | None = None) -> None:
        """Revoke a token (only one of ``owner``'s when given)."""
        mine = {t.id for t in self.tokens(owner)}
        if token_id not in mine or not self.store.remove_token(token_id):
            whose = f" of {owner!r}" if owner else ""
            raise InputError("E708", f"no API token{whose} with id {token_id}")


def _check_name(name: str) -> None:
    if not _NAME.fullmatch(name):
        raise InputError(
            "E707",
            f"user name {name!r} is not acceptable",
            "use 1-64 letters, digits, '.', '_', '-' or '@', starting with a letter or digit",
        )


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InputError("E707", f"role {role!r} is not one of {', '.join(ROLES)}")


def _check_password(password: str) -> None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InputError(
            "E707",
            f"the password has {len(password)} characters",
            f"use {MIN_PASSWORD} to {MAX_PASSWORD} characters",
        )


def _verify(stored: str, password: str) -> bool:
    if len(password) > MAX_PASSWORD:
        return False
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _stand_in_hash() -> str:
    return _HASHER.hash(secrets.token_urlsafe(16))


def _now() -> datetime:
    return datetime.now(UTC)
