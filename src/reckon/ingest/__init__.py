"""Reading lists into records: readers, column mapping, validation, the import service."""

from reckon.ingest.mapping import FIELDS, ColumnMapping, automatic_mapping, resolve_mapping
from reckon.ingest.readers import Table, open_table
from reckon.ingest.renormalize import RenormalizeResult, keys_outdated, renormalize
from reckon.ingest.service import ImportResult, SourceInfo, get_or_create_source, import_file
from reckon.ingest.validate import RowResult, normalize_row

__all__ = [
    "FIELDS",
    "ColumnMapping",
    "ImportResult",
    "RenormalizeResult",
    "RowResult",
    "SourceInfo",
    "Table",
    "automatic_mapping",
    "get_or_create_source",
    "import_file",
    "keys_outdated",
    "normalize_row",
    "open_table",
    "renormalize",
    "resolve_mapping",
]
