"""Evidence: the content-addressed file store, chain of custody, encryption at rest, case export.

Services (each takes the Project and the acting `reckon.access.Actor`):

* :func:`add_evidence`, :func:`list_evidence`, :func:`show_evidence`, :func:`get_evidence`,
  :func:`link_evidence`, :func:`transfer_evidence`, :func:`verify_evidence` — the locker;
* :func:`init_keys`, :func:`unlock`, :func:`rotate_keys` — keys (see :mod:`reckon.evidence.crypto`);
* :func:`seal_fields`, :func:`reveal_fields` — restricted record fields;
* :func:`export_case`, :func:`verify_case_bag` — BagIt case files.
"""

from reckon.evidence.checks import (
    EvidenceCheckResult,
    ItemCheck,
    check_item,
    needs_key,
    plaintext_check,
    verify_evidence,
)
from reckon.evidence.crypto import (
    Argon2Params,
    Keyring,
    KeySource,
    KeyStatus,
    generate_key_file,
    init_keys,
    key_status,
    rotate_keys,
    unlock,
)
from reckon.evidence.custody import CustodyAction, CustodyRecord
from reckon.evidence.export import BagCheck, CaseExportResult, export_case, verify_case_bag
from reckon.evidence.fields import SealResult, reveal_fields, seal_fields
from reckon.evidence.filestore import FileStore, StoredFile, sha256_file
from reckon.evidence.locker import (
    AddResult,
    add_evidence,
    link_evidence,
    parse_link,
    transfer_evidence,
)
from reckon.evidence.viewing import (
    EvidenceDetail,
    EvidenceSummary,
    get_evidence,
    list_evidence,
    show_evidence,
)

__all__ = [
    "AddResult",
    "Argon2Params",
    "BagCheck",
    "CaseExportResult",
    "CustodyAction",
    "CustodyRecord",
    "EvidenceCheckResult",
    "EvidenceDetail",
    "EvidenceSummary",
    "FileStore",
    "ItemCheck",
    "KeySource",
    "KeyStatus",
    "Keyring",
    "SealResult",
    "StoredFile",
    "add_evidence",
    "check_item",
    "export_case",
    "generate_key_file",
    "get_evidence",
    "init_keys",
    "key_status",
    "link_evidence",
    "list_evidence",
    "needs_key",
    "parse_link",
    "plaintext_check",
    "reveal_fields",
    "rotate_keys",
    "seal_fields",
    "sha256_file",
    "show_evidence",
    "transfer_evidence",
    "unlock",
    "verify_case_bag",
    "verify_evidence",
]
