"""Who acts with which role: single-user projects, users, passwords, and every protected command.

The role matrix runs each protected CLI command as the least role allowed (it succeeds) and as
the role just below, or a stranger (it fails with a one-line permission error).
"""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from reckon import audit
from reckon.access import (
    Actor,
    add_user,
    authenticate,
    can_see,
    list_users,
    require_role,
    resolve_actor,
    set_password,
    set_role,
)
from reckon.cli.app import main
from reckon.errors import AuthenticationError, ConfigError, PermissionDenied
from reckon.model import Role, User

ROLES = list(Role)
ADMIN = Actor("root", Role.ADMIN)


@pytest.fixture(autouse=True)
def reckon_home(tmp_path, monkeypatch):
    monkeypatch.setenv("RECKON_HOME", str(tmp_path / "reckon-home"))
    for name in ("RECKON_USER", "RECKON_PASSPHRASE", "RECKON_KEY_FILE", "RECKON_PROJECT"):
        monkeypatch.delenv(name, raising=False)


def test_a_project_without_users_is_single_user_admin(empty_project, monkeypatch):
    monkeypatch.setenv("RECKON_USER", "maryam")
    actor = resolve_actor(empty_project)
    assert actor == Actor("maryam", Role.ADMIN, single_user=True)


def test_users_roles_and_unknown_actors(empty_project, monkeypatch):
    with pytest.raises(ConfigError, match="first user"):
        add_user(empty_project, ADMIN, "vic", Role.VIEWER)
    add_user(empty_project, ADMIN, "root", Role.ADMIN)
    add_user(empty_project, ADMIN, "dana", "documenter")
    with pytest.raises(ConfigError, match="already exists"):
        add_user(empty_project, ADMIN, "dana", Role.ANALYST)
    monkeypatch.setenv("RECKON_USER", "dana")
    assert resolve_actor(empty_project) == Actor("dana", Role.DOCUMENTER)
    monkeypatch.setenv("RECKON_USER", "stranger")
    with pytest.raises(PermissionDenied, match="not a user of this project"):
        resolve_actor(empty_project)
    set_role(empty_project, ADMIN, "dana", Role.INVESTIGATOR)
    assert resolve_actor(empty_project, "dana").role is Role.INVESTIGATOR
    with pytest.raises(ConfigError, match="last admin"):
        set_role(empty_project, ADMIN, "root", Role.VIEWER)
    with pytest.raises(PermissionDenied, match="admin"):
        add_user(empty_project, Actor("dana", Role.INVESTIGATOR), "eve", Role.VIEWER)
    assert [u.username for u in list_users(empty_project, ADMIN)] == ["dana", "root"]
    assert [e.action for e in reversed(audit.list_entries(empty_project))] == [
        "user.add",
        "user.add",
        "user.set_role",
    ]
    assert audit.verify_project(empty_project).ok
    with empty_project.transaction() as session:
        session.scalar(select(User).where(User.username == "dana")).active = False
    with pytest.raises(PermissionDenied, match="deactivated"):
        resolve_actor(empty_project, "dana")


def test_passwords_are_argon2id_and_checked(empty_project):
    add_user(empty_project, ADMIN, "root", Role.ADMIN, password="a long admin password")
    with empty_project.session() as session:
        stored = session.scalar(select(User.password_hash))
    assert stored.startswith("$argon2id$") and "a long admin" not in stored
    assert PasswordHasher().verify(stored, "a long admin password")
    assert authenticate(empty_project, "root", "a long admin password").role is Role.ADMIN
    for user, password in (("root", "wrong"), ("nobody", "a long admin password")):
        with pytest.raises(AuthenticationError, match="unknown user or wrong password"):
            authenticate(empty_project, user, password)
    add_user(empty_project, ADMIN, "dana", Role.DOCUMENTER)
    with pytest.raises(PermissionDenied):
        set_password(empty_project, Actor("dana", Role.DOCUMENTER), "root", "x" * 20)
    set_password(empty_project, Actor("dana", Role.DOCUMENTER), "dana", "dana's passphrase")
    assert authenticate(empty_project, "dana", "dana's passphrase").username == "dana"


@pytest.mark.parametrize("role", ROLES)
def test_require_role_and_clearance(role):
    actor = Actor("x", role)
    for other in ROLES:
        if ROLES.index(role) >= ROLES.index(other):
            require_role(actor, other)
        else:
            with pytest.raises(PermissionDenied, match=f"at least {other.value}"):
                require_role(actor, other)
    assert can_see(actor, "public")
    assert can_see(actor, "internal") == (role is not Role.VIEWER)
    assert can_see(actor, "restricted") == (role in (Role.INVESTIGATOR, Role.ADMIN))


# ------------------------------------------------------------------ every protected CLI command

PASSPHRASE = "correct horse battery staple"


def _run(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out = capsys.readouterr()
    return exit_info.value.code or 0, out.out, out.err


@pytest.fixture(scope="module")
def role_project(tmp_path_factory, examples_dir_module):
    """A project with one user per role (named after it), keys, records, an event and evidence."""
    import os

    root = tmp_path_factory.mktemp("roles")
    home = root / "home"
    saved = {k: os.environ.get(k) for k in ("RECKON_HOME", "RECKON_USER", "RECKON_PASSPHRASE")}
    os.environ.update(RECKON_HOME=str(home), RECKON_USER="admin", RECKON_PASSPHRASE=PASSPHRASE)
    try:
        from reckon.evidence import KeySource, add_evidence, init_keys, unlock
        from reckon.ingest import import_file
        from reckon.model import Event, Person, PersonRecord
        from reckon.store import init_project

        project = init_project(root / "p")
        for role in [Role.ADMIN, *[r for r in ROLES if r is not Role.ADMIN]]:
            add_user(project, Actor("admin", Role.ADMIN), role.value, role)
        init_keys(project, Actor("admin", Role.ADMIN), KeySource(passphrase=PASSPHRASE))
        keyring = unlock(project, KeySource(passphrase=PASSPHRASE))
        import_file(project, examples_dir_module / "ngo_list.csv", "NGO", actor="admin")
        with project.transaction() as session:
            session.add_all([Person(), Event(kind="execution")])
            session.flush()
            session.add(PersonRecord(record_id=1, person_id=1))
        files = root / "files"
        files.mkdir()
        (files / "internal.txt").write_text("internal document")
        (files / "restricted.txt").write_text("restricted document")
        admin = Actor("admin", Role.ADMIN)
        add_evidence(project, admin, files / "internal.txt", source="S", links=["event:1"])
        add_evidence(
            project, admin, files / "restricted.txt", source="S", sensitivity="restricted",
            keyring=keyring, links=["person:1"],
        )  # fmt: skip
        project.close()
        yield root
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def examples_dir_module():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "examples"


_counter = iter(range(10**6))


def _unique() -> str:
    return str(next(_counter))


# (command builder, least role allowed); {root} is the scratch directory, {n} a fresh number.
PROTECTED = [
    (["evidence", "add", "{root}/files/internal.txt", "-s", "S"], Role.DOCUMENTER),
    (["evidence", "list"], Role.VIEWER),
    (["evidence", "show", "1"], Role.VIEWER),
    (["evidence", "get", "1", "-o", "{root}/out-{n}.txt"], Role.DOCUMENTER),
    (["evidence", "get", "2", "-o", "{root}/out-{n}.txt"], Role.INVESTIGATOR),
    (["evidence", "link", "1", "--link", "record:{n1}"], Role.DOCUMENTER),
    (["evidence", "transfer", "1", "--to", "Court", "--reason", "trial"], Role.DOCUMENTER),
    (["evidence", "verify", "1"], Role.DOCUMENTER),
    (["verify", "--no-files"], Role.VIEWER),
    (["audit", "log"], Role.ANALYST),
    (["audit", "checkpoint"], Role.DOCUMENTER),
    (["audit", "export-checkpoints", "{root}/cp-{n}.json"], Role.VIEWER),
    (["audit", "baseline"], Role.ADMIN),
    (["users", "list"], Role.ADMIN),
    (["users", "add", "new{n}", "--role", "viewer"], Role.ADMIN),
    (["users", "set-role", "viewer", "viewer"], Role.ADMIN),
    (["keys", "rotate"], Role.ADMIN),
    (["keys", "seal-fields", "-s", "NGO", "-c", "Notes"], Role.DOCUMENTER),
    (["keys", "reveal-fields", "1"], Role.INVESTIGATOR),
    (["export", "case", "--event", "1", "-o", "{root}/bag-{n}"], Role.ANALYST),
    (
        ["export", "case", "--person", "1", "--include-restricted", "-o", "{root}/bag-{n}"],
        Role.INVESTIGATOR,
    ),
]


def _argv(template: list[str], root) -> list[str]:
    n = _unique()
    values = {"root": str(root), "n": n, "n1": str(int(n) % 8 + 1)}
    return ["-p", str(root / "p"), *(part.format(**values) for part in template)]


@pytest.mark.parametrize(
    "template,least", PROTECTED, ids=[" ".join(t[:2]) + f" ({r.value})" for t, r in PROTECTED]
)
def test_protected_command_allowed_and_forbidden(
    template, least, role_project, capsys, monkeypatch
):
    monkeypatch.setenv("RECKON_HOME", str(role_project / "home"))
    monkeypatch.setenv("RECKON_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("RECKON_NEW_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("RECKON_USER", least.value)
    code, out, err = _run(_argv(template, role_project), capsys)
    assert code == 0, f"{least.value} should be allowed: {err or out}"
    below = ROLES.index(least) - 1
    forbidden = ROLES[below].value if below >= 0 else "stranger"
    monkeypatch.setenv("RECKON_USER", forbidden)
    code, out, err = _run(_argv(template, role_project), capsys)
    assert code == 1, f"{forbidden} should be refused"
    assert err.startswith("Error:") and ("role of at least" in err or "not a user" in err)
    assert "Traceback" not in err


def test_keys_init_is_admin_only(tmp_path, capsys, monkeypatch):
    project = str(tmp_path / "p")
    assert _run(["init", project], capsys)[0] == 0
    monkeypatch.setenv("RECKON_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("RECKON_USER", "admin")
    assert _run(["-p", project, "users", "add", "admin", "--role", "admin"], capsys)[0] == 0
    assert _run(["-p", project, "users", "add", "inv", "--role", "investigator"], capsys)[0] == 0
    monkeypatch.setenv("RECKON_USER", "inv")
    code, _, err = _run(["-p", project, "keys", "init"], capsys)
    assert code == 1 and "role of at least admin" in err
    monkeypatch.setenv("RECKON_USER", "admin")
    code, out, _ = _run(["-p", project, "keys", "init"], capsys)
    assert code == 0 and "lost passphrase" in out


def test_every_command_of_these_groups_is_in_the_matrix():
    """A new protected command must join PROTECTED (or be listed here as unprotected)."""
    from typer.main import get_command

    from reckon.cli.app import _register, app

    _register()
    root = get_command(app)
    unprotected = {
        ("users", "whoami"),
        ("keys", "init"),  # its own test above: needs a project without keys
        ("keys", "status"),
        ("keys", "trust"),  # trusts a key on this installation, not in the project
        ("export", "verify-case"),  # reads a bag, not the project
    }
    listed = {tuple(t[:2]) for t, _ in PROTECTED} | {("verify",)}
    for group in ("evidence", "audit", "users", "keys"):
        for name in root.commands[group].commands:
            assert (group, name) in listed | unprotected, f"reckon {group} {name} untested"
    assert {("export", "case")} <= listed


def test_every_subcommand_of_these_groups_has_help():
    import click
    from typer.main import get_command

    from reckon.cli.app import _register, app

    _register()
    root = get_command(app)
    for group in ("evidence", "audit", "users", "keys", "export"):
        for name, command in root.commands[group].commands.items():
            assert (command.help or "").strip(), f"reckon {group} {name} has no help"
            for param in command.params:
                if isinstance(param, click.Option) and param.name != "help":
                    assert (param.help or "").strip(), f"{param.opts} of {group} {name}: no help"
