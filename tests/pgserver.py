"""A throwaway PostgreSQL cluster for the test session (pytest plugin).

Starts `initdb` + `pg_ctl` from Debian's postgresql package on a free port in a temporary
folder (as the `postgres` user when running as root, since initdb refuses root), and
creates a fresh database per test. With SITREP_TEST_POSTGRES=required (set by
`make test`) a missing server is an error rather than a skip.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(args: list[str], as_postgres: bool) -> None:
    if as_postgres:
        command = " ".join(f"'{a}'" for a in args)
        args = ["su", "postgres", "-s", "/bin/sh", "-c", command]
    subprocess.run(args, check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Base URL (without database) of a running throwaway cluster."""
    bindir = _bindir()
    if bindir is None:
        if os.environ.get("SITREP_TEST_POSTGRES") == "required":
            pytest.fail("PostgreSQL is required (SITREP_TEST_POSTGRES=required) but not installed")
        pytest.skip("PostgreSQL server binaries not installed (make test installs them)")
    as_postgres = os.geteuid() == 0
    root = Path(tempfile.mkdtemp(prefix="sitrep-pg-"))
    if as_postgres:
        shutil.chown(root, user="postgres")
    data, port = root / "data", _free_port()
    _run(
        [
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        as_postgres,
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    _run(
        [
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(root / "log"),
            "-w",
            "start",
        ],
        as_postgres,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        _run(
            [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], as_postgres
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """URL of a new, empty database on the session's cluster."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    dsn = postgres_server.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{postgres_server}/{name}"
