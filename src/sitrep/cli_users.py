"""Account commands of the CLI: `sitrep users add|list|role|passwd|remove|token|tokens|revoke`.

Added to the main Typer app by :mod:`sitrep.cli`; as thin as the rest of the CLI, the work
is the service's (:mod:`sitrep.service_accounts`). Also prints the demo's login.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from sitrep.service_accounts import ROLES

if TYPE_CHECKING:
    from sitrep.service import Service

__all__ = ["app", "print_demo_login"]

app = typer.Typer(help="User accounts, roles and API tokens.", no_args_is_help=True)

PasswordStdin = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password from the first line of stdin."),
]


@app.command("add")
def add(
    name: str,
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")] = "viewer",
    password_stdin: PasswordStdin = False,
) -> None:
    """Create a user (asks for the password unless --password-stdin)."""
    from sitrep.cli import _service, out  # the CLI module adds these commands

    password = _password(password_stdin)
    with _service() as service:
        user = service.add_user(name, password, role)
    out.print(f"added user {escape(user.name)} ({user.role})")


@app.command("list")
def list_() -> None:
    """List the users and their roles."""
    from sitrep.cli import _service, out

    with _service() as service:
        users = service.users()
    table = Table("name", "role", "created")
    for user in users:
        created = user.created_at.strftime("%Y-%m-%d %H:%M") if user.created_at else "-"
        table.add_row(escape(user.name), user.role, created)
    out.print(table if users else "no users yet: sitrep users add NAME --role admin")


@app.command("role")
def role(name: str, new_role: Annotated[str, typer.Argument(metavar="ROLE")]) -> None:
    """Change a user's role (viewer, analyst or admin)."""
    from sitrep.cli import _service, out

    with _service() as service:
        user = service.set_role(name, new_role)
    out.print(f"{escape(user.name)} is now {user.role}")


@app.command("passwd")
def passwd(name: str, password_stdin: PasswordStdin = False) -> None:
    """Set a user's password."""
    from sitrep.cli import _service, out

    password = _password(password_stdin)
    with _service() as service:
        service.set_password(name, password)
    out.print(f"password of {escape(name)} changed")


@app.command("remove")
def remove(name: str) -> None:
    """Remove a user; their sessions and API tokens stop working at once."""
    from sitrep.cli import _service, out

    with _service() as service:
        service.remove_user(name)
    out.print(f"removed user {escape(name)}")


@app.command("token")
def token(
    name: str, label: Annotated[str, typer.Option(help="What the token is for.")] = ""
) -> None:
    """Create an API token for a user; scripts send it as Authorization: Bearer TOKEN."""
    from sitrep.cli import _service, err

    with _service() as service:
        secret = service.create_token(name, label)
    err.print(f"API token for {escape(name)} (shown once; store it safely):")
    sys.stdout.write(secret + "\n")


@app.command("tokens")
def tokens(name: Annotated[str | None, typer.Argument(help="Only this user's.")] = None) -> None:
    """List API tokens (never their secrets)."""
    from sitrep.cli import _service, out

    with _service() as service:
        rows = service.tokens(name)
    table = Table("id", "user", "token", "label", "created")
    for row in rows:
        created = row.created_at.strftime("%Y-%m-%d %H:%M")
        table.add_row(str(row.id), escape(row.user), f"{row.hint}…", escape(row.label), created)
    out.print(table if rows else "no API tokens")


@app.command("revoke")
def revoke(token_id: int) -> None:
    """Revoke an API token by its id (see: sitrep users tokens)."""
    from sitrep.cli import _service, out

    with _service() as service:
        service.revoke_token(token_id)
    out.print(f"revoked API token {token_id}")


def print_demo_login(service: Service) -> None:
    """Make sure the demo has an admin, and say how to log in."""
    from sitrep.cli import out

    settings = service.settings
    password = service.ensure_admin()
    login = f"http://{settings.host}:{settings.port}/login"
    if password is not None:
        out.print(f"created the admin user: log in at {login} as admin, password {password}")
        out.print("  (shown once; change it with: sitrep users passwd admin)")
    else:
        out.print(f"log in at {login} (lost the password? sitrep users passwd NAME)")
    if settings.anonymous_read:
        out.print("  reading needs no login (anonymous_read is on)")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password
