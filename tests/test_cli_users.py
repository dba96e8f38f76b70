"""`sitrep users ...` and the demo's admin, as a user runs them: real processes, a real store."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.service import Service
from sitrep.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SITREP = [sys.executable, "-m", "sitrep.cli"]
PASSWORD = "correct horse battery"


@pytest.fixture
def env(tmp_path: Path, small_gazetteer: Path) -> dict[str, str]:
    values = {k: v for k, v in os.environ.items() if not k.startswith("SITREP_")}
    values.update(
        SITREP_DATA_DIR=str(tmp_path / "data"),
        SITREP_GAZETTEER_PATH=str(small_gazetteer),
        SITREP_MIN_WORDS="20",
        COLUMNS="200",
    )
    return values


def run(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*SITREP, *args], env=env, input=stdin, capture_output=True, text=True, timeout=300
    )
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


def service(env: dict[str, str]) -> Service:
    return Service(Settings.load(env=env))


def test_users_add_list_role_and_remove(env: dict[str, str]) -> None:
    added = run(env, "users", "add", "ana", "--role", "analyst", "--password-stdin", stdin=PASSWORD)
    assert added.returncode == 0 and "added user ana (analyst)" in added.stdout
    run(env, "users", "add", "root", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    listed = run(env, "users", "list").stdout
    assert re.search(r"ana\s+│\s+analyst", listed) and re.search(r"root\s+│\s+admin", listed)
    with service(env) as svc:
        assert svc.authenticate("ana", PASSWORD, "test").role == "analyst"

    assert "ana is now viewer" in run(env, "users", "role", "ana", "viewer").stdout
    assert run(env, "users", "remove", "ana").returncode == 0
    assert "ana" not in run(env, "users", "list").stdout


@pytest.mark.parametrize(
    ("args", "stdin", "code", "named"),
    [
        (("users", "add", "bad name", "--password-stdin"), PASSWORD, "E707", "'bad name'"),
        (("users", "add", "ana", "--role", "boss", "--password-stdin"), PASSWORD, "E707", "boss"),
        (("users", "add", "ana", "--password-stdin"), "short", "E707", "5 characters"),
        (("users", "remove", "nobody"), "", "E708", "'nobody'"),
        (("users", "token", "nobody"), "", "E708", "'nobody'"),
        (("users", "revoke", "42"), "", "E708", "42"),
    ],
)
def test_bad_input_names_the_input(
    env: dict[str, str], args: tuple[str, ...], stdin: str, code: str, named: str
) -> None:
    result = run(env, *args, stdin=stdin)
    assert result.returncode == 2
    assert f"[{code}]" in result.stderr and named in result.stderr


def test_a_name_is_taken_once(env: dict[str, str]) -> None:
    run(env, "users", "add", "ana", "--password-stdin", stdin=PASSWORD)
    again = run(env, "users", "add", "ana", "--password-stdin", stdin=PASSWORD)
    assert again.returncode == 2 and "[E709]" in again.stderr and "'ana'" in again.stderr


def test_users_token_prints_the_secret_once(env: dict[str, str]) -> None:
    run(env, "users", "add", "ana", "--password-stdin", stdin=PASSWORD)
    made = run(env, "users", "token", "ana", "--label", "nightly")
    secret = made.stdout.strip()  # stdout holds only the secret, for $(sitrep users token ...)
    assert secret.startswith("sitrep_") and "shown once" in made.stderr
    with service(env) as svc:
        user = svc.token_user(secret)
        assert user is not None and user.name == "ana"
    listed = run(env, "users", "tokens", "ana").stdout
    assert "nightly" in listed and secret[:11] in listed and secret not in listed
    assert "revoked API token 1" in run(env, "users", "revoke", "1").stdout
    with service(env) as svc:
        assert svc.token_user(secret) is None


def test_users_add_and_passwd_ask_for_the_password_twice(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    typed = f"{PASSWORD}\n{PASSWORD}\n"
    added = runner.invoke(app, ["users", "add", "vera"], input=typed)
    assert added.exit_code == 0 and "added user vera (viewer)" in added.output
    assert PASSWORD not in added.output  # hidden while typed
    mismatch = runner.invoke(app, ["users", "passwd", "vera"], input="one password\nother\n" * 2)
    assert mismatch.exit_code != 0
    changed = runner.invoke(app, ["users", "passwd", "vera"], input="a new password\n" * 2)
    assert changed.exit_code == 0 and "password of vera changed" in changed.output
    with service(env) as svc:
        assert svc.authenticate("vera", "a new password", "test").name == "vera"


def test_the_demo_creates_an_admin_once_and_says_how_to_log_in(
    env: dict[str, str], tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "html" / "wire-saraqib.html", corpus)
    first = run(env, "demo", "--no-serve", "--corpus", str(corpus))
    assert first.returncode == 0, first.stdout + first.stderr
    found = re.search(r"log in at (\S+) as admin, password (\S+)", first.stdout)
    assert found and found.group(1) == "http://127.0.0.1:8000/login"
    with service(env) as svc:
        assert svc.authenticate("admin", found.group(2), "test").role == "admin"
    again = run(env, "demo", "--no-serve", "--corpus", str(corpus))
    assert "password" not in again.stdout.replace("lost the password", "")
    assert "log in at http://127.0.0.1:8000/login" in again.stdout
