"""Accounts through the service, on SQLite and PostgreSQL: users, logins, sessions, tokens."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from sitrep.errors import AccessError, InputError
from sitrep.service import Service
from sitrep.store.schema import api_tokens, sessions, users

PASSWORD = "correct horse battery"


@pytest.fixture
def accounts(any_service: Service) -> Service:
    """The service over each backend, with tight login limits so tests stay quick."""
    return Service(any_service.settings.with_(login_max_failures=3), store=any_service.store)


def with_settings(service: Service, **changes: str) -> Service:
    """The same store seen with other settings (a shorter window or session lifetime)."""
    return Service(service.settings.with_(**changes), store=service.store)


def test_a_user_logs_in_with_their_password_only(accounts: Service) -> None:
    alice = accounts.add_user("alice", PASSWORD, "analyst")
    assert (alice.name, alice.role, alice.is_anonymous) == ("alice", "analyst", False)
    assert accounts.authenticate("alice", PASSWORD, "10.0.0.1") == alice
    for name, password in (("alice", "wrong password"), ("nobody", PASSWORD)):
        with pytest.raises(AccessError) as caught:
            accounts.authenticate(name, password, "10.0.0.1")
        assert caught.value.code == "E701" and caught.value.status == 401
        assert repr(name) in caught.value.message
    assert [u.name for u in accounts.users()] == ["alice"]


def test_passwords_are_stored_as_argon2_hashes(accounts: Service) -> None:
    accounts.add_user("alice", PASSWORD, "viewer")
    store = accounts.store
    with store.engine.connect() as conn:  # type: ignore[attr-defined]
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


@pytest.mark.parametrize(
    ("name", "password", "role", "named"),
    [
        ("bad name!", PASSWORD, "viewer", "'bad name!'"),
        ("", PASSWORD, "viewer", "''"),
        ("x" * 65, PASSWORD, "viewer", "xxxxx"),
        ("carol", PASSWORD, "boss", "'boss'"),
        ("carol", "short", "viewer", "5 characters"),
    ],
)
def test_bad_account_input_is_refused_by_name(
    accounts: Service, name: str, password: str, role: str, named: str
) -> None:
    with pytest.raises(InputError) as caught:
        accounts.add_user(name, password, role)
    assert caught.value.code == "E707" and named in caught.value.message
    assert accounts.users() == []


def test_names_are_unique(accounts: Service) -> None:
    accounts.add_user("alice", PASSWORD, "viewer")
    with pytest.raises(InputError) as caught:
        accounts.add_user("alice", PASSWORD, "admin")
    assert caught.value.code == "E709" and "'alice'" in caught.value.message


def test_repeated_failures_lock_out_that_name_and_client_for_the_window(
    accounts: Service,
) -> None:
    accounts.add_user("alice", PASSWORD, "viewer")
    for _ in range(3):
        with pytest.raises(AccessError):
            accounts.authenticate("alice", "guess", "10.0.0.9")
    with pytest.raises(AccessError) as caught:
        accounts.authenticate("alice", PASSWORD, "10.0.0.9")  # even the right password
    assert caught.value.code == "E702" and caught.value.status == 429
    assert "10.0.0.9" in caught.value.message and "15m" in caught.value.hint
    assert accounts.authenticate("alice", PASSWORD, "10.0.0.10").name == "alice"
    time.sleep(1.1)  # the failures are now older than a one-second window
    short_window = with_settings(accounts, login_window="1s")
    assert short_window.authenticate("alice", PASSWORD, "10.0.0.9").name == "alice"


def test_a_success_clears_the_failures(accounts: Service) -> None:
    accounts.add_user("alice", PASSWORD, "viewer")
    for _ in range(2):
        with pytest.raises(AccessError):
            accounts.authenticate("alice", "guess", "c")
    accounts.authenticate("alice", PASSWORD, "c")
    for _ in range(2):
        with pytest.raises(AccessError):
            accounts.authenticate("alice", "guess", "c")
    assert accounts.authenticate("alice", PASSWORD, "c").name == "alice"


def test_sessions_are_stored_hashed_end_on_logout_and_expire(accounts: Service) -> None:
    alice = accounts.add_user("alice", PASSWORD, "viewer")
    secret = accounts.create_session(alice)
    assert len(secret) >= 43  # 256 random bits, base64
    assert accounts.session_user(secret) == alice
    with accounts.store.engine.connect() as conn:  # type: ignore[attr-defined]
        stored = conn.execute(select(sessions.c.id_hash)).scalars().all()
    assert secret not in stored and len(stored) == 1
    accounts.end_session(secret)
    assert accounts.session_user(secret) is None
    short = with_settings(accounts, session_lifetime="1s").create_session(alice)
    time.sleep(1.1)
    assert accounts.session_user(short) is None
    assert accounts.session_user("") is None and accounts.session_user("made-up") is None


def test_api_tokens_are_shown_once_and_stop_working_when_revoked(accounts: Service) -> None:
    alice = accounts.add_user("alice", PASSWORD, "analyst")
    secret = accounts.create_token("alice", "nightly export")
    assert secret.startswith("sitrep_") and accounts.token_user(secret) == alice
    (listed,) = accounts.tokens("alice")
    assert (listed.user, listed.label) == ("alice", "nightly export")
    assert secret.startswith(listed.hint) and len(listed.hint) < 16
    with accounts.store.engine.connect() as conn:  # type: ignore[attr-defined]
        stored = conn.execute(select(api_tokens.c.token_hash)).scalar_one()
    assert secret not in stored
    accounts.add_user("bob", PASSWORD, "viewer")
    with pytest.raises(InputError) as caught:
        accounts.revoke_token(listed.id, owner="bob")  # not bob's to revoke
    assert caught.value.code == "E708"
    accounts.revoke_token(listed.id)
    assert accounts.token_user(secret) is None and accounts.tokens() == []
    with pytest.raises(InputError):
        accounts.revoke_token(listed.id)


def test_removing_a_user_ends_their_sessions_and_tokens(accounts: Service) -> None:
    alice = accounts.add_user("alice", PASSWORD, "analyst")
    session, token = accounts.create_session(alice), accounts.create_token("alice")
    accounts.remove_user("alice")
    assert accounts.session_user(session) is None and accounts.token_user(token) is None
    with pytest.raises(InputError) as caught:
        accounts.remove_user("alice")
    assert caught.value.code == "E708" and "'alice'" in caught.value.message


def test_a_role_change_applies_to_live_sessions(accounts: Service) -> None:
    alice = accounts.add_user("alice", PASSWORD, "viewer")
    secret = accounts.create_session(alice)
    accounts.set_role("alice", "analyst")
    session_user = accounts.session_user(secret)
    assert session_user is not None and session_user.role == "analyst"


def test_the_last_admin_stays(accounts: Service) -> None:
    accounts.add_user("root", PASSWORD, "admin")
    for change in (
        lambda: accounts.set_role("root", "viewer"),
        lambda: accounts.remove_user("root"),
    ):
        with pytest.raises(InputError) as caught:
            change()
        assert caught.value.code == "E707" and "only admin" in caught.value.message
    accounts.add_user("second", PASSWORD, "admin")
    accounts.remove_user("root")
    assert [u.name for u in accounts.users()] == ["second"]


def test_ensure_admin_creates_one_admin_once(accounts: Service) -> None:
    password = accounts.ensure_admin()
    assert password is not None and len(password) >= 12
    assert accounts.authenticate("admin", password, "local").role == "admin"
    assert accounts.ensure_admin() is None
    accounts.set_password("admin", "a new password")
    assert accounts.authenticate("admin", "a new password", "local").name == "admin"
