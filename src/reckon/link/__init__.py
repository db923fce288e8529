"""Record linkage: which records, in which lists, are the same person.

Features from :mod:`reckon.text` → a Splink model (DuckDB embedded, Spark at scale) → scored
pairs → human decisions (must / cannot link) → clusters with stable person ids. Link, never
merge: records stay as they are; persons are clusters of records.
"""

from reckon.link.clustering import Clusters, cluster_records
from reckon.link.listing import PersonSummary, export_links, list_persons
from reckon.link.model import LinkageModel, TrainingConfig, load_model, model_versions
from reckon.link.review import FieldWeight, ReviewPair, record_decision, review_queue
from reckon.link.service import (
    DEFAULT_THRESHOLD,
    DEFAULT_VETO,
    LinkConfig,
    LinkResult,
    latest_run,
    link_project,
    recluster,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "DEFAULT_VETO",
    "Clusters",
    "FieldWeight",
    "LinkConfig",
    "LinkResult",
    "LinkageModel",
    "PersonSummary",
    "ReviewPair",
    "TrainingConfig",
    "cluster_records",
    "export_links",
    "latest_run",
    "link_project",
    "list_persons",
    "load_model",
    "model_versions",
    "recluster",
    "record_decision",
    "review_queue",
]
