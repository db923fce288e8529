"""Encryption at rest: AES-256-GCM data keys, wrapped by a key from a passphrase or a key file.

Key hierarchy:

* a **key-encryption key** (KEK) is derived when needed — from a passphrase with argon2id
  (argon2-cffi's low-level API; salt and cost stored in ``key_encryption_key``), or from a key
  file (at least 32 random bytes) with HKDF-SHA256 — and is never stored;
* **data keys** (random 256-bit) encrypt files and record fields; they are stored only wrapped
  (AES-256-GCM) by the KEK, in ``data_key``. ``rotate_keys`` re-wraps them under a new KEK
  (new passphrase or key file, fresh salt) without touching the data.

**A lost passphrase or key file means the restricted data is lost**: there is no back door.

Files are encrypted in 1 MiB segments (a streaming AEAD in the manner of Tink's / age's STREAM):
each segment is sealed with AES-256-GCM under a nonce made of a random per-file prefix, the
segment counter and a last-segment flag, with the file header as associated data — so files of
any size are encrypted and decrypted in constant memory, and any change, reordering or
truncation of the ciphertext fails authentication. Record fields are sealed as one AES-GCM
message each (``rk1.`` + base64url(key id ‖ nonce ‖ ciphertext)).
"""

from __future__ import annotations

import base64
import hashlib
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import func, select

from reckon import audit
from reckon.access import Actor, require_role
from reckon.audit.canonical import canonical_json
from reckon.errors import AuthenticationError, ConfigError, EvidenceError, IntegrityError
from reckon.model import DataKey, KeyEncryptionKey, Role
from reckon.model.base import utcnow
from reckon.store.project import Project

MAGIC = b"RKNENC1\n"
HEADER = struct.Struct(">8sI7sI")  # magic, data key id, nonce prefix, segment size
SEGMENT = 1 << 20
TAG = 16
FIELD_PREFIX = "rk1."
FIELD_AAD = b"reckon-field/1"
WRAP_AAD = b"reckon-data-key/1"
PASSPHRASE_ENV = "RECKON_PASSPHRASE"
KEY_FILE_ENV = "RECKON_KEY_FILE"
MIN_KEY_FILE_BYTES = 32


@dataclass(frozen=True)
class KeySource:
    """Where the key-encryption key comes from: a passphrase or a key file."""

    passphrase: str | None = field(default=None, repr=False)
    key_file: Path | None = None

    @property
    def kind(self) -> str:
        return "key_file" if self.key_file is not None else "passphrase"

    @classmethod
    def from_env(cls, key_file: Path | None = None) -> KeySource | None:
        """`key_file`, else RECKON_KEY_FILE, else RECKON_PASSPHRASE; None if none is set."""
        path = key_file or os.environ.get(KEY_FILE_ENV)
        if path:
            return cls(key_file=Path(path))
        passphrase = os.environ.get(PASSPHRASE_ENV)
        if passphrase:
            return cls(passphrase=passphrase)
        return None


@dataclass(frozen=True)
class Argon2Params:
    """argon2id cost; the defaults take about a quarter of a second and 64 MiB."""

    time_cost: int = 3
    memory_cost: int = 65536  # KiB
    parallelism: int = 4


@dataclass(frozen=True)
class KeyStatus:
    """How the project's keys are set up (no secrets)."""

    initialised: bool
    kind: str | None = None
    kek_id: int | None = None
    data_keys: int = 0
    active_data_key: int | None = None
    created_at: datetime | None = None


def generate_key_file(path: Path | str) -> Path:
    """Write 32 random bytes to a new file readable by its owner only."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ConfigError(f"{path} exists; choose a new path for the key file") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(os.urandom(32))
        handle.flush()
        os.fsync(handle.fileno())
    return path


def _new_params(source: KeySource, argon2: Argon2Params) -> dict[str, Any]:
    salt = os.urandom(16).hex()
    if source.kind == "key_file":
        return {"kdf": "hkdf-sha256", "salt": salt}
    return {
        "kdf": "argon2id",
        "salt": salt,
        "time_cost": argon2.time_cost,
        "memory_cost": argon2.memory_cost,
        "parallelism": argon2.parallelism,
    }


def _derive(kind: str, params: dict[str, Any], source: KeySource) -> bytes:
    if kind != source.kind:
        hint = (
            "a passphrase (RECKON_PASSPHRASE or the prompt)"
            if kind == "passphrase"
            else "a key file (RECKON_KEY_FILE or --key-file)"
        )
        raise AuthenticationError(f"this project's keys are unlocked with {hint}")
    salt = bytes.fromhex(params["salt"])
    if kind == "passphrase":
        if not source.passphrase:
            raise AuthenticationError("an empty passphrase cannot unlock the keys")
        return hash_secret_raw(
            secret=source.passphrase.encode("utf-8"),
            salt=salt,
            time_cost=int(params["time_cost"]),
            memory_cost=int(params["memory_cost"]),
            parallelism=int(params["parallelism"]),
            hash_len=32,
            type=Type.ID,
        )
    assert source.key_file is not None
    try:
        material = Path(source.key_file).read_bytes()
    except OSError as error:
        raise AuthenticationError(
            f"cannot read key file {source.key_file}: {error.strerror}"
        ) from None
    if len(material) < MIN_KEY_FILE_BYTES:
        raise AuthenticationError(
            f"key file {source.key_file} is too short (at least {MIN_KEY_FILE_BYTES} bytes)"
        )
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=salt, info=b"reckon key-encryption key"
    ).derive(material)


def _wrap(kek: bytes, data_key: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(kek).encrypt(nonce, data_key, WRAP_AAD)


def _unwrap(kek: bytes, wrapped: bytes) -> bytes:
    try:
        return AESGCM(kek).decrypt(wrapped[:12], wrapped[12:], WRAP_AAD)
    except InvalidTag:
        raise AuthenticationError(
            "wrong passphrase or key file: it does not unlock this project's data keys"
        ) from None


def _key_covers() -> list[audit.RowSet]:
    return [audit.RowSet("key_encryption_key"), audit.RowSet("data_key")]


def key_status(project: Project) -> KeyStatus:
    """Whether keys are set up, how they are unlocked, how many data keys exist."""
    with project.session() as session:
        kek = session.scalar(
            select(KeyEncryptionKey)
            .where(KeyEncryptionKey.retired_at.is_(None))
            .order_by(KeyEncryptionKey.id.desc())
        )
        if kek is None:
            return KeyStatus(False)
        count = session.scalar(select(func.count()).select_from(DataKey)) or 0
        active = session.scalar(
            select(DataKey.id).where(DataKey.retired_at.is_(None)).order_by(DataKey.id.desc())
        )
        return KeyStatus(True, kek.kind, kek.id, count, active, kek.created_at)


def init_keys(
    project: Project, actor: Actor, source: KeySource, *, argon2: Argon2Params | None = None
) -> KeyStatus:
    """Set up encryption: a KEK from `source` and a first data key (admins only)."""
    require_role(actor, Role.ADMIN, "set up encryption keys")
    with project.transaction() as session:
        if session.scalar(select(func.count()).select_from(KeyEncryptionKey)):
            raise ConfigError("encryption keys are already set up; use `reckon keys rotate`")
        params = _new_params(source, argon2 or Argon2Params())
        kek_row = KeyEncryptionKey(kind=source.kind, params=params, created_by=actor.username)
        session.add(kek_row)
        session.flush()
        kek = _derive(source.kind, params, source)
        data_key = DataKey(kek_id=kek_row.id, wrapped=_wrap(kek, AESGCM.generate_key(256)))
        session.add(data_key)
        session.flush()
        audit.append(
            session,
            actor=actor.username,
            action="keys.init",
            object_type="key_encryption_key",
            object_id=kek_row.id,
            change={"kind": source.kind, "kdf": params["kdf"], "data_key": data_key.id},
            covers=_key_covers(),
        )
    return key_status(project)


def unlock(project: Project, source: KeySource | None) -> Keyring:
    """Derive the KEK from `source` and unwrap every data key; AuthenticationError if wrong."""
    with project.session() as session:
        kek_row = session.scalar(
            select(KeyEncryptionKey)
            .where(KeyEncryptionKey.retired_at.is_(None))
            .order_by(KeyEncryptionKey.id.desc())
        )
        if kek_row is None:
            raise EvidenceError(
                "encryption keys are not set up for this project: an admin runs `reckon keys init`"
            )
        if source is None:
            raise AuthenticationError(
                "restricted data needs the project's key: set RECKON_PASSPHRASE, "
                "RECKON_KEY_FILE or pass --key-file"
            )
        kek = _derive(kek_row.kind, kek_row.params, source)
        rows = session.execute(
            select(DataKey.id, DataKey.kek_id, DataKey.wrapped, DataKey.retired_at)
        ).all()
    keys: dict[int, bytes] = {}
    active = None
    for key_id, kek_id, wrapped, retired_at in rows:
        if kek_id != kek_row.id:
            raise IntegrityError(f"data key {key_id} is wrapped by a retired key-encryption key")
        keys[key_id] = _unwrap(kek, wrapped)
        if retired_at is None and (active is None or key_id > active):
            active = key_id
    if active is None:
        raise IntegrityError("no active data key: the key tables were altered")
    return Keyring(keys, active)


def rotate_keys(
    project: Project,
    actor: Actor,
    old: KeySource,
    new: KeySource,
    *,
    new_data_key: bool = False,
    argon2: Argon2Params | None = None,
) -> KeyStatus:
    """Re-wrap every data key under a KEK from `new` (admins only).

    With `new_data_key`, a fresh data key is made for future writes (existing data stays under
    its old data key, which is re-wrapped too).
    """
    require_role(actor, Role.ADMIN, "rotate encryption keys")
    with project.transaction() as session:
        old_row = session.scalar(
            select(KeyEncryptionKey)
            .where(KeyEncryptionKey.retired_at.is_(None))
            .order_by(KeyEncryptionKey.id.desc())
            .with_for_update()
        )
        if old_row is None:
            raise EvidenceError("encryption keys are not set up: run `reckon keys init`")
        old_kek = _derive(old_row.kind, old_row.params, old)
        data_keys = list(session.scalars(select(DataKey).order_by(DataKey.id)))
        plain = {row.id: _unwrap(old_kek, row.wrapped) for row in data_keys}
        params = _new_params(new, argon2 or Argon2Params())
        new_row = KeyEncryptionKey(kind=new.kind, params=params, created_by=actor.username)
        session.add(new_row)
        session.flush()
        new_kek = _derive(new.kind, params, new)
        for row in data_keys:
            row.wrapped = _wrap(new_kek, plain[row.id])
            row.kek_id = new_row.id
        old_row.retired_at = utcnow()
        created = None
        if new_data_key:
            now = utcnow()
            for row in data_keys:
                row.retired_at = row.retired_at or now
            fresh = DataKey(kek_id=new_row.id, wrapped=_wrap(new_kek, AESGCM.generate_key(256)))
            session.add(fresh)
            session.flush()
            created = fresh.id
        audit.append(
            session,
            actor=actor.username,
            action="keys.rotate",
            object_type="key_encryption_key",
            object_id=new_row.id,
            change={
                "from_kek": old_row.id,
                "kind": new.kind,
                "rewrapped": sorted(plain),
                "new_data_key": created,
            },
            covers=_key_covers(),
        )
    return key_status(project)


def _read_exact(stream: BinaryIO, size: int) -> bytes:
    parts = []
    remaining = size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            break
        parts.append(chunk)
        remaining -= len(chunk)
    return b"".join(parts)


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


class EncryptingReader:
    """A file-like `read()` that yields the encryption of `stream` and hashes its plaintext."""

    def __init__(self, stream: BinaryIO, key_id: int, key: bytes) -> None:
        self._stream = stream
        self._aead = AESGCM(key)
        self._prefix = os.urandom(7)
        self._header = HEADER.pack(MAGIC, key_id, self._prefix, SEGMENT)
        self._pending = self._header
        self._next = _read_exact(stream, SEGMENT)
        self._counter = 0
        self._done = False
        self.plaintext_sha256 = hashlib.sha256()
        self.plaintext_size = 0

    def read(self, _size: int = -1) -> bytes:
        if self._pending:
            out, self._pending = self._pending, b""
            return out
        if self._done:
            return b""
        chunk = self._next
        self._next = _read_exact(self._stream, SEGMENT) if len(chunk) == SEGMENT else b""
        last = not self._next
        if self._counter >= 0xFFFFFFFF:
            raise EvidenceError("file too large to encrypt (more than 4 PiB)")
        sealed = self._aead.encrypt(_nonce(self._prefix, self._counter, last), chunk, self._header)
        self.plaintext_sha256.update(chunk)
        self.plaintext_size += len(chunk)
        self._counter += 1
        self._done = last
        return sealed


class Keyring:
    """Unwrapped data keys, in memory for one operation."""

    def __init__(self, keys: dict[int, bytes], active: int) -> None:
        self._keys = keys
        self.active_key_id = active

    def __repr__(self) -> str:  # never show key material
        return f"Keyring(keys={sorted(self._keys)}, active={self.active_key_id})"

    def _key(self, key_id: int) -> bytes:
        try:
            return self._keys[key_id]
        except KeyError:
            raise IntegrityError(f"data key {key_id} does not exist") from None

    def encrypting_reader(self, stream: BinaryIO) -> EncryptingReader:
        return EncryptingReader(stream, self.active_key_id, self._key(self.active_key_id))

    def decrypt_segments(self, stream: BinaryIO) -> Iterator[bytes]:
        """Yield the plaintext of an encrypted file segment by segment, each authenticated."""
        header = _read_exact(stream, HEADER.size)
        if len(header) != HEADER.size:
            raise IntegrityError("encrypted file is truncated (no complete header)")
        magic, key_id, prefix, segment = HEADER.unpack(header)
        if magic != MAGIC:
            raise IntegrityError("not a Reckon encrypted file (bad header)")
        aead = AESGCM(self._key(key_id))
        current = _read_exact(stream, segment + TAG)
        counter = 0
        while True:
            following = _read_exact(stream, segment + TAG) if len(current) == segment + TAG else b""
            last = not following
            try:
                yield aead.decrypt(_nonce(prefix, counter, last), current, header)
            except InvalidTag:
                raise IntegrityError(
                    f"encrypted file fails authentication at segment {counter}: "
                    "it was altered or truncated"
                ) from None
            if last:
                return
            current = following
            counter += 1

    def seal(self, value: Any) -> str:
        """Encrypt a JSON-able value for storage in a text column."""
        nonce = os.urandom(12)
        ciphertext = AESGCM(self._key(self.active_key_id)).encrypt(
            nonce, canonical_json(value).encode("utf-8"), FIELD_AAD
        )
        blob = struct.pack(">I", self.active_key_id) + nonce + ciphertext
        return FIELD_PREFIX + base64.urlsafe_b64encode(blob).decode("ascii")

    def unseal(self, text: str) -> Any:
        """Decrypt a value sealed by `seal`."""
        import json

        if not text.startswith(FIELD_PREFIX):
            raise IntegrityError("not a sealed value")
        blob = base64.urlsafe_b64decode(text[len(FIELD_PREFIX) :])
        (key_id,) = struct.unpack(">I", blob[:4])
        try:
            plain = AESGCM(self._key(key_id)).decrypt(blob[4:16], blob[16:], FIELD_AAD)
        except InvalidTag:
            raise IntegrityError("a sealed value fails authentication: it was altered") from None
        return json.loads(plain)
