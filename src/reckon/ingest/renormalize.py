"""Refreshing stored records' name columns after the name rules changed (`reckon renormalize`).

An import stores, with each record's names as written, what :mod:`reckon.text` made of them:
the script, the normalized name, its keys, the honorifics, the father's normalized name and key,
and the search text. Those rules keep improving; a record imported before a change keeps its old
keys, so a search (which reads the stored search text) misses what a fresh import would find.
:func:`renormalize` recomputes those columns for every record from its names as written, with
the import's own functions (:func:`~reckon.ingest.validate.name_columns` and
:func:`~reckon.ingest.validate.father_columns`), and writes only the records that change. Names
as written, `raw`, dates, places, persons and link decisions are never touched.

- One transaction: every record and its audit entries, or nothing.
- Tamper-evident: one audit entry per import batch it refreshes, covering the batch row and, when
  records changed, all of the batch's records as they are afterwards. Before vouching for them
  anew it checks they are still as last logged, so a change made behind the log's back is
  refused (:class:`~reckon.errors.IntegrityError`), not laundered.
- Restricted data: sealed fields are never decrypted. Reckon cannot tell a name cell that is
  blank from one whose value was moved into the record's sealed envelope, so a record that has
  a sealed envelope and a blank name cell that its recomputed columns depend on is left as it was
  and counted as skipped. (Today only `notes` and unmapped columns can be sealed; see
  :mod:`reckon.evidence.fields`.)
- Memory stays flat: records are read a chunk at a time, in each batch's row order, and the
  audit cover is digested as they go.

Each batch then records the current :func:`~reckon.text.rules_fingerprint`, which is how
:func:`keys_outdated` (and the hint of `reckon records --search`) knows the keys are current.
Linkage recomputes its keys from the stored normalized names, so after a renormalize that
changed records, run `reckon link` again to let the model see them (decisions are kept).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass

from sqlalchemy import Connection, bindparam, func, or_, select, update

from reckon import audit
from reckon.access import Actor, require_role
from reckon.audit.canonical import RowCodec
from reckon.audit.log import digest_rowset
from reckon.errors import IntegrityError
from reckon.ingest.normalizer import keys_json
from reckon.ingest.validate import (
    FATHER_COLUMNS,
    NAME_COLUMNS,
    composed_name,
    father_columns,
    name_columns,
)
from reckon.model import ImportBatch, Record, Role
from reckon.store.project import Project
from reckon.text import rules_fingerprint

CHUNK_ROWS = 2000
CACHE_LIMIT = 1 << 14  # distinct names remembered; forgotten all at once when full
#: The record columns a renormalize may rewrite (nothing else of a record is touched).
DERIVED_COLUMNS = NAME_COLUMNS + FATHER_COLUMNS
_SKIP = object()  # a record left alone: a name its columns depend on may be sealed
_NAME_FIELDS = ("full_name", "given_name", "family_name")

Progress = Callable[[int, int], None]  # (records checked, records in all)


@dataclass(frozen=True)
class RenormalizeResult:
    """What a renormalize did (or, with `dry_run`, would do)."""

    dry_run: bool
    checked: int  # records read
    changed: int  # records whose name columns were (would be) rewritten
    skipped: int  # records left alone: a name they depend on may be sealed
    batches: int  # import batches refreshed (records or fingerprint), one audit entry each
    fingerprints_before: tuple[str | None, ...]  # distinct, of every batch; None: unknown
    fingerprint_after: str  # the current rules'

    def summary(self) -> str:
        """A few lines for a person."""
        verb = "would change" if self.dry_run else "changed"
        before = ", ".join(f or "unrecorded" for f in self.fingerprints_before) or "none"
        lines = [
            f"{self.checked} record(s) checked; {self.changed} {verb}; "
            f"{self.skipped} skipped (sealed fields, a name may be sealed).",
            f"Import batches {'to refresh' if self.dry_run else 'refreshed'}: {self.batches}.",
            f"Name rules: {before} -> {self.fingerprint_after}.",
        ]
        if self.dry_run:
            lines.append("Dry run: nothing was written.")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return asdict(self)


def keys_outdated(project: Project) -> bool:
    """Whether any import's name keys were made by other rules than this Reckon's (or before
    imports recorded their rules): `reckon renormalize` would refresh them."""
    with project.session() as session:
        stale = session.scalar(
            select(ImportBatch.id)
            .where(
                or_(
                    ImportBatch.rules_fingerprint.is_(None),
                    ImportBatch.rules_fingerprint != rules_fingerprint(),
                )
            )
            .limit(1)
        )
    return stale is not None


def renormalize(
    project: Project,
    actor: Actor,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> RenormalizeResult:
    """Recompute every record's name columns with the current rules; write those that change.

    Parameters:
        project: the open project.
        actor: who acts; needs the role importing needs (documenter or above).
        dry_run: count what would change, write nothing.
        progress: called with (records checked, records in all) after each chunk.

    Returns:
        A :class:`RenormalizeResult`.

    Raises:
        PermissionDenied: the actor's role is below documenter.
        IntegrityError: a batch's records or batch row differ from the audit log (run
            `reckon verify`); nothing is written.

    Example:
        >>> result = renormalize(project, actor)  # doctest: +SKIP
        >>> result.changed, result.skipped  # doctest: +SKIP
        (12, 0)
    """
    require_role(actor, Role.DOCUMENTER, "renormalize records")
    current = rules_fingerprint()
    context = project.session() if dry_run else project.transaction()
    with context as session:
        connection = session.connection()
        batches = session.execute(
            select(ImportBatch.id, ImportBatch.mapping, ImportBatch.rules_fingerprint).order_by(
                ImportBatch.id
            )
        ).all()
        total = session.scalar(select(func.count()).select_from(Record)) or 0
        run = _Run(connection, total, progress, write=not dry_run)
        refreshed = 0
        for batch_id, mapping, fingerprint in batches:
            changed, skipped, cover = run.batch(batch_id, _mapped_name_fields(mapping))
            try:
                if not changed and fingerprint == current:
                    continue
                refreshed += 1
                _check_as_logged(connection, batch_id, cover.before if changed else None)
                if dry_run:
                    continue
                connection.execute(
                    update(ImportBatch.__table__)
                    .where(ImportBatch.__table__.c.id == batch_id)
                    .values(rules_fingerprint=current)
                )
                audit.append(
                    session,
                    actor=actor.username,
                    action="record.renormalize",
                    object_type="import_batch",
                    object_id=batch_id,
                    change={
                        "records_changed": changed,
                        "records_skipped": skipped,  # counts only: nothing of what they say
                        "rules_fingerprint": {"from": fingerprint, "to": current},
                    },
                    covers=[audit.RowSet.row("import_batch", batch_id)]
                    + ([cover.after] if changed else []),
                )
            finally:
                cover.close()
    before = {fingerprint for _, _, fingerprint in batches}
    return RenormalizeResult(
        dry_run=dry_run,
        checked=run.checked,
        changed=run.changed,
        skipped=run.skipped,
        batches=refreshed,
        fingerprints_before=tuple(sorted(before, key=lambda f: (f is not None, f or ""))),
        fingerprint_after=current,
    )


def _mapped_name_fields(mapping: dict | None) -> frozenset[str]:
    """The name fields an import's mapping fills (all of them when it does not say)."""
    columns = (mapping or {}).get("columns")
    if not isinstance(columns, dict):
        return frozenset((*_NAME_FIELDS, "father_name"))
    return frozenset(columns) & {*_NAME_FIELDS, "father_name"}


@dataclass
class _Cover:
    """A batch's records as they were (count, digest) and as they are after the pass."""

    before: tuple[int, str]
    after: audit.DigestedRows

    def close(self) -> None:
        self.after.close()


class _Run:
    """One pass over the records, batch by batch, in each batch's row order."""

    def __init__(
        self, connection: Connection, total: int, progress: Progress | None, *, write: bool
    ) -> None:
        self.connection = connection
        self.total = total
        self.progress = progress
        self.write = write
        self.checked = self.changed = self.skipped = 0
        table = Record.__table__
        self.codec = RowCodec(table, connection.dialect.name)
        self.at = {name: i for i, name in enumerate(self.codec.names)}
        self.query = (
            select(*self.codec.columns)
            .where(table.c.batch_id == bindparam("batch"), table.c.row_number > bindparam("after"))
            .order_by(table.c.row_number)
            .limit(CHUNK_ROWS)
        )
        postgres = connection.dialect.name == "postgresql"
        marker = "%s" if postgres else "?"
        values = ", ".join(
            f"{name} = {marker}{'::json' if postgres and name == 'name_keys' else ''}"
            for name in DERIVED_COLUMNS
        )
        # Straight through the driver, as the import writes: name_keys goes in as the JSON
        # text the import stores (SQLAlchemy's JSON type would write it another way).
        self.update_sql = f"UPDATE record SET {values} WHERE id = {marker}"
        self._names: dict[str, tuple] = {}
        self._fathers: dict[str | None, tuple] = {}

    def batch(self, batch_id: int, mapped: frozenset[str]) -> tuple[int, int, _Cover]:
        """Recompute one batch's records; (changed, skipped, its cover before and after)."""
        at, digest = self.at, self.codec.digest
        i_id, i_row = at["id"], at["row_number"]
        i_sealed = at["sealed"]
        before, count = hashlib.sha256(), 0
        after = audit.DigestedRows(audit.RowSet("record", {"batch_id": batch_id}, "row_number"))
        changed = skipped = 0
        last = 0
        try:
            while rows := self.connection.execute(
                self.query, {"batch": batch_id, "after": last}
            ).all():
                last = rows[-1][i_row]
                ids, digests, pending = [], [], []
                for row in rows:
                    old = digest(row)
                    before.update(old)
                    count += 1
                    values = self._recompute(row, mapped if row[i_sealed] is not None else None)
                    if values is None:
                        new = old
                    elif values is _SKIP:
                        skipped += 1
                        new = old
                    else:
                        updated = list(row)
                        for name, value in zip(DERIVED_COLUMNS, values, strict=True):
                            updated[at[name]] = value
                        new = digest(updated)  # the row as the database will return it
                        pending.append((*values, row[i_id]))
                    ids.append(row[i_id])
                    digests.append(new)
                after.add(ids, digests)
                if pending and self.write:
                    self._update(pending)
                changed += len(pending)
                self.checked += len(rows)
                if self.progress:
                    self.progress(self.checked, self.total)
        except BaseException:
            after.close()
            raise
        self.changed += changed
        self.skipped += skipped
        return changed, skipped, _Cover((count, before.hexdigest()), after)

    def _recompute(self, row, sealed_mapping: frozenset[str] | None):
        """The new values of :data:`DERIVED_COLUMNS` for a row, None if none changes, or _SKIP
        when they would change but depend on a name that may be sealed (`sealed_mapping` is the
        batch's mapped name fields when the record has a sealed envelope, else None)."""
        at = self.at
        full, given, family = (row[at[f]] for f in _NAME_FIELDS)
        father = row[at["father_name"]]
        name = self._name(composed_name(full, given, family))
        stored_keys = row[at["name_keys"]]
        if stored_keys != name[3] and _parsed(stored_keys) == json.loads(name[3]):
            name = (*name[:3], stored_keys, *name[4:])  # same keys, written another way: keep
        name_changed = any(row[at[c]] != v for c, v in zip(NAME_COLUMNS, name, strict=True))
        fathers = self._fathers
        father_values = fathers.get(father)
        if father_values is None:
            if len(fathers) > CACHE_LIMIT:
                fathers.clear()
            father_values = fathers[father] = father_columns(father)
        father_changed = any(
            row[at[c]] != v for c, v in zip(FATHER_COLUMNS, father_values, strict=True)
        )
        if not (name_changed or father_changed):
            return None
        if sealed_mapping is not None:
            blank = [f for f, v in zip(_NAME_FIELDS, (full, given, family), strict=True) if not v]
            name_uncertain = not full and any(f in sealed_mapping for f in blank)
            father_uncertain = father is None and "father_name" in sealed_mapping
            if (name_changed and name_uncertain) or (father_changed and father_uncertain):
                return _SKIP
        return (*name, *father_values)

    def _name(self, composed: str) -> tuple:
        names = self._names
        found = names.get(composed)
        if found is None:
            if len(names) > CACHE_LIMIT:
                names.clear()
            script, normalized, key, keys, honorifics, search = name_columns(composed)
            found = names[composed] = (script, normalized, key, keys_json(keys), honorifics, search)
        return found

    def _update(self, pending: list[tuple]) -> None:
        cursor = self.connection.connection.driver_connection.cursor()
        try:
            cursor.executemany(self.update_sql, pending)
        finally:
            cursor.close()


def _parsed(text: str | list | None):
    """Stored name keys as a list (the driver may return the JSON text or the list)."""
    if isinstance(text, str):
        try:
            return json.loads(text)
        except ValueError:
            return None
    return text


def _check_as_logged(
    connection: Connection, batch_id: int, records: tuple[int, str] | None
) -> None:
    """Refuse to vouch anew for a batch whose rows differ from their latest audit cover."""
    batch_rows = audit.RowSet.row("import_batch", batch_id)
    record_rows = audit.RowSet("record", {"batch_id": batch_id}, "row_number")
    wanted = [batch_rows] + ([record_rows] if records is not None else [])
    logged = audit.latest_covers(connection, wanted)
    state = digest_rowset(connection, batch_rows)
    now = {batch_rows.key: (state.count, state.digest)}
    if records is not None:
        now[record_rows.key] = records
    for rowset in wanted:
        cover = logged.get(rowset.key)
        what = (
            f"the row of import batch {batch_id} is"
            if rowset is batch_rows
            else f"the records of import batch {batch_id} are"
        )
        if cover is None:
            raise IntegrityError(
                f"{what} not covered by the audit log; nothing was changed. Run `reckon verify` "
                "(and `reckon audit baseline` for a project from before the log)"
            )
        if now[rowset.key] != (cover.data["count"], cover.data["digest"]):
            raise IntegrityError(
                f"{what} not as logged by audit entry {cover.seq}; nothing was changed. Run "
                "`reckon verify` to see what changed"
            )
