"""Reading lists into records: readers, column mapping, validation, the import service."""

from reckon.ingest.mapping import FIELDS, ColumnMapping, automatic_mapping, resolve_mapping
from reckon.ingest.readers import Table, open_table
from reckon.ingest.service import ImportResult, SourceInfo, get_or_create_source, import_file
from reckon.ingest.validate import RowResult, normalize_row

__all__ = [
    "FIELDS",
    "ColumnMapping",
    "ImportResult",
    "RowResult",
    "SourceInfo",
    "Table",
    "automatic_mapping",
    "get_or_create_source",
    "import_file",
    "normalize_row",
    "open_table",
    "resolve_mapping",
]
