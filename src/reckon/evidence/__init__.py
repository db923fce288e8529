"""Evidence: the content-addressed file store (custody, encryption and export come with it)."""

from reckon.evidence.filestore import FileStore, StoredFile, sha256_file

__all__ = ["FileStore", "StoredFile", "sha256_file"]
