"""Fixtures for evidence: an installation home, actors of each role, projects with keys."""

from __future__ import annotations

import pytest

from reckon.access import Actor
from reckon.evidence import Argon2Params, KeySource, init_keys, unlock
from reckon.model import Role

PASSPHRASE = "correct horse battery staple"
# Cheap argon2id for tests only; the stored parameters are what unlocking uses.
FAST_ARGON2 = Argon2Params(time_cost=1, memory_cost=8192, parallelism=1)


@pytest.fixture(autouse=True)
def reckon_home(tmp_path, monkeypatch):
    """This installation's home (signing key, trusted keys), fresh for each test."""
    home = tmp_path / "reckon-home"
    monkeypatch.setenv("RECKON_HOME", str(home))
    monkeypatch.delenv("RECKON_PASSPHRASE", raising=False)
    monkeypatch.delenv("RECKON_KEY_FILE", raising=False)
    return home


def actor(role: Role | str) -> Actor:
    role = Role(role)
    return Actor(role.value, role)


@pytest.fixture
def as_role():
    """Build the Actor of a given role (named after it)."""
    return actor


@pytest.fixture
def admin() -> Actor:
    return actor(Role.ADMIN)


@pytest.fixture
def documenter() -> Actor:
    return actor(Role.DOCUMENTER)


@pytest.fixture
def keyed_project(empty_project, admin):
    """A project (each backend) whose encryption keys are set up with PASSPHRASE."""
    init_keys(empty_project, admin, KeySource(passphrase=PASSPHRASE), argon2=FAST_ARGON2)
    return empty_project


@pytest.fixture
def keyring(keyed_project):
    return unlock(keyed_project, KeySource(passphrase=PASSPHRASE))


@pytest.fixture
def make_file(tmp_path):
    """Write a file of given bytes under a given name and return its path."""

    def make(name: str, data: bytes) -> object:
        path = tmp_path / "incoming" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        return path

    return make
