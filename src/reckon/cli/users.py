"""`reckon users`: who may act on the project, and with what role."""

from __future__ import annotations

import os
from contextlib import closing

import typer
from rich.table import Table

from reckon.access import add_user, list_users, parse_role, resolve_actor, set_role
from reckon.cli.app import app
from reckon.cli.context import console, current_project
from reckon.cli.keys import add_text_row

users_app = typer.Typer(
    help="Users and roles: viewer < documenter < analyst < investigator < admin.",
    no_args_is_help=True,
)
app.add_typer(users_app, name="users")

PASSWORD_ENV = "RECKON_NEW_PASSWORD"


@users_app.command("add")
def add(
    username: str = typer.Argument(..., help="Login name."),
    role: str = typer.Option(
        ..., "--role", "-r", help="viewer|documenter|analyst|investigator|admin."
    ),
    display_name: str | None = typer.Option(None, "--name", help="Full name to display."),
    password: bool = typer.Option(
        False, "--password", help="Set a password for the web app (RECKON_NEW_PASSWORD or prompt)."
    ),
) -> None:
    """Add a user (admin). The first user must be an admin."""
    with closing(current_project()) as project:
        actor = resolve_actor(project)
        secret = None
        if password:
            secret = os.environ.get(PASSWORD_ENV) or typer.prompt(
                "Password", hide_input=True, confirmation_prompt=True
            )
        info = add_user(
            project, actor, username, parse_role(role), password=secret, display_name=display_name
        )
        console.print(f"Added {info.username} as {info.role}.")
        if actor.single_user and actor.username != info.username:
            console.print(
                f"This project now has users: you act as {actor.username!r}, who is not one of them. "
                f"Add yourself, or set RECKON_USER={info.username}."
            )


@users_app.command("list")
def list_() -> None:
    """List users and their roles (admin)."""
    with closing(current_project()) as project:
        users = list_users(project, resolve_actor(project))
        if not users:
            console.print("No users: this is a single-user project and you act as its admin.")
            return
        table = Table("user", "name", "role", "active", "password")
        for user in users:
            add_text_row(
                table,
                user.username,
                user.display_name or "",
                user.role,
                "yes" if user.active else "no",
                "set" if user.has_password else "-",
            )
        console.print(table)


@users_app.command("set-role")
def set_role_(
    username: str = typer.Argument(..., help="Login name."),
    role: str = typer.Argument(..., help="viewer|documenter|analyst|investigator|admin."),
) -> None:
    """Change a user's role (admin)."""
    with closing(current_project()) as project:
        info = set_role(project, resolve_actor(project), username, parse_role(role))
        console.print(f"{info.username} is now {info.role}.")


@users_app.command("whoami")
def whoami() -> None:
    """Show who you act as on this project, and your role."""
    with closing(current_project()) as project:
        actor = resolve_actor(project)
        note = " (single-user project)" if actor.single_user else ""
        console.print(f"{actor.username}: {actor.role.value}{note}")
