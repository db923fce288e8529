"""What `reckon verify` reports: findings, the result, and the collector that caps them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from reckon.audit.log import RowSet
from reckon.errors import IntegrityError

MAX_FINDINGS_PER_KIND = 200


@dataclass(frozen=True)
class Finding:
    """One thing that is not as the log says: what, where, and how."""

    kind: str  # altered | deleted | inserted | reordered | forged | untrusted
    target: str  # audit_entry | audit_head | checkpoint | row | row_index | file
    detail: str
    seq: int | None = None
    table: str | None = None
    row_id: str | None = None
    sha256: str | None = None

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class VerifyResult:
    """What `verify_project` checked and found; intact only when there are no findings."""

    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    entries: int = 0
    checkpoints: int = 0
    rows: int = 0
    files: int = 0
    bytes_hashed: int = 0
    seconds: float = 0.0
    signing_keys: dict[str, int] = field(default_factory=dict)  # fingerprint → checkpoints
    suppressed: dict[str, int] = field(default_factory=dict)  # kind → findings not listed

    @property
    def ok(self) -> bool:
        return not self.findings and not self.suppressed

    def summary(self) -> str:
        status = "INTACT" if self.ok else "NOT INTACT"
        lines = [
            f"{status}: {self.entries} audit entries, {self.checkpoints} signed checkpoints, "
            f"{self.rows} covered rows, {self.files} stored files "
            f"({self.bytes_hashed / 1e6:.1f} MB hashed) checked in {self.seconds:.1f} s."
        ]
        lines += [f"  {finding}" for finding in self.findings]
        lines += [f"  … and {n} more {kind} finding(s)" for kind, n in self.suppressed.items()]
        lines += [f"  note: {note}" for note in self.notes]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        data["findings"] = [f.to_dict() for f in self.findings]
        return data

    def raise_for_findings(self) -> None:
        """Raise IntegrityError (with `.findings`) unless everything is intact."""
        if self.ok:
            return
        error = IntegrityError(
            f"{len(self.findings)} integrity finding(s); first: {self.findings[0]}"
            if self.findings
            else "integrity findings (see the report)"
        )
        error.findings = list(self.findings)  # type: ignore[attr-defined]
        raise error


class FindingCollector:
    def __init__(self, result: VerifyResult) -> None:
        self.result = result
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, finding: Finding) -> None:
        self.counts[finding.kind] += 1
        if self.counts[finding.kind] <= MAX_FINDINGS_PER_KIND:
            self.result.findings.append(finding)
        else:
            self.result.suppressed[finding.kind] = self.result.suppressed.get(finding.kind, 0) + 1


@dataclass
class LoggedCover:
    seq: int
    number: int
    rowset: RowSet
    data: dict[str, Any]
