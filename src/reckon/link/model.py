"""The linkage model: Splink settings, unsupervised training, and versioned model files.

Training needs no labels. The prior (the probability that two random records are the same
person) comes from deterministic rules whose recall is assumed; the u probabilities from random
pairs (almost all non-matches); the m probabilities from expectation maximisation on blocked
pairs. Training is capped: above ``max_training_records`` it runs on a sample of whole name
blocks (records sampled by a hash of their family-name key, so that a person's records stay
together), and u uses at most ``u_max_pairs`` random pairs.

A trained model is saved under ``models/linkage-v<N>.json`` in the project: Reckon's metadata
plus the Splink settings (loadable by Splink itself). Parameters are portable between engines:
the comparison SQL is rebuilt for the engine's dialect and the trained values copied in.
"""

from __future__ import annotations

import copy
import json
import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reckon import __version__
from reckon.errors import LinkageConfigError, NotFoundError
from reckon.link.blocking import similarity_pairs
from reckon.link.comparisons import (
    DETERMINISTIC_RECALL,
    DETERMINISTIC_RULES,
    EM_SESSIONS,
    blocking_rules,
    comparisons,
)
from reckon.link.engines.base import Engine
from reckon.link.features import FEATURES_VERSION, model_input
from reckon.link.functions import NameSimilarity

MODEL_FORMAT = "reckon-linkage-model/1"
MODELS_DIR = "models"
_MODEL_FILE = re.compile(r"^linkage-v(\d+)\.json$")

Progress = Callable[[str], None]


@dataclass(frozen=True)
class TrainingConfig:
    """How the model is trained (see the module docs)."""

    max_training_records: int = 300_000
    u_max_pairs: float = 3e6
    em_max_iterations: int = 25
    deterministic_recall: float = DETERMINISTIC_RECALL
    seed: int = 1


@dataclass
class LinkageModel:
    """A trained model: Splink settings (with m, u and the prior) plus Reckon's metadata."""

    settings: dict[str, Any]
    version: int | None = None
    created_at: str | None = None
    training: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    @property
    def prior(self) -> float:
        """The probability that two random records are the same person."""
        return float(self.settings["probability_two_random_records_match"])

    def for_dialect(self, dialect: str) -> dict[str, Any]:
        """Splink settings for ``dialect`` with this model's trained values."""
        return apply_parameters(settings_for(dialect), self.settings)

    def parameters(self) -> list[dict[str, Any]]:
        """One row per comparison level: comparison, level, m, u, match weight (log2 m/u)."""
        rows = []
        for comparison in self.settings["comparisons"]:
            for level in comparison["comparison_levels"]:
                if level.get("is_null_level"):
                    continue
                m, u = level.get("m_probability"), level.get("u_probability")
                weight = math.log2(m / u) if m and u else None
                rows.append(
                    {
                        "comparison": comparison["output_column_name"],
                        "level": level.get("label_for_charts", level["sql_condition"]),
                        "m": m,
                        "u": u,
                        "weight": weight,
                        "tf": bool(level.get("tf_adjustment_column")),
                    }
                )
        return rows

    def level_weights(self) -> dict[str, list[tuple[str, float | None]]]:
        """comparison -> [(level label, log2 bayes factor)] in level order (null levels: 0)."""
        out: dict[str, list[tuple[str, float | None]]] = {}
        for comparison in self.settings["comparisons"]:
            levels = []
            for level in comparison["comparison_levels"]:
                label = level.get("label_for_charts", "")
                if level.get("is_null_level"):
                    levels.append((label, 0.0))
                    continue
                m, u = level.get("m_probability"), level.get("u_probability")
                levels.append((label, math.log2(m / u) if m and u else None))
            out[comparison["output_column_name"]] = levels
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT,
            "version": self.version,
            "created_at": self.created_at,
            "reckon_version": __version__,
            "features_version": FEATURES_VERSION,
            "training": self.training,
            "splink_settings": self.settings,
        }


# --------------------------------------------------------------------------- settings


def settings_for(dialect: str) -> dict[str, Any]:
    """Untrained Splink settings of the model for ``dialect``."""
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": 1e-4,
        "comparisons": comparisons(dialect),
        "blocking_rules_to_generate_predictions": [
            {**rule, "sql_dialect": dialect} for rule in blocking_rules()
        ],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": True,
        "additional_columns_to_retain": [],
        "em_convergence": 0.0001,
        "max_iterations": 25,
        "sql_dialect": dialect,
    }


_PARAMETER_KEYS = ("m_probability", "u_probability")
#: Floors of the m and u probabilities (see :func:`_fill_untrained`).
MIN_PROBABILITY = {"m_probability": 1e-4, "u_probability": 1e-9}


def apply_parameters(settings: dict[str, Any], trained: dict[str, Any]) -> dict[str, Any]:
    """``settings`` with the prior and every level's m and u taken from ``trained``."""
    out = copy.deepcopy(settings)
    out["probability_two_random_records_match"] = trained["probability_two_random_records_match"]
    source = {c["output_column_name"]: c for c in trained["comparisons"]}
    for comparison in out["comparisons"]:
        name = comparison["output_column_name"]
        if name not in source:
            raise LinkageConfigError(f"the saved model has no comparison {name!r}: retrain it")
        levels = source[name]["comparison_levels"]
        if len(levels) != len(comparison["comparison_levels"]):
            raise LinkageConfigError(
                f"the saved model's {name!r} comparison has other levels: retrain it"
            )
        for level, saved in zip(comparison["comparison_levels"], levels, strict=True):
            for key in _PARAMETER_KEYS:
                if saved.get(key) is not None:
                    level[key] = saved[key]
    return out


# --------------------------------------------------------------------------- training


def training_sample(features: pd.DataFrame, max_records: int, seed: int) -> pd.DataFrame:
    """Whole blocks of records (by family-name key, else name key) up to ``max_records``."""
    if len(features) <= max_records:
        return features
    block = features["family_key"].fillna(features["name_key"]).fillna("")
    hashed = pd.util.hash_pandas_object(block.astype(str) + f"#{seed}", index=False).to_numpy()
    share = max_records / len(features)
    keep = (hashed % 1_000_003) < share * 1_000_003
    return features[keep].reset_index(drop=True)


def _quiet_splink() -> None:
    for name in ("splink", "splink.internals"):
        logging.getLogger(name).setLevel(logging.ERROR)


def train(
    engine: Engine,
    features: pd.DataFrame,
    similarity: NameSimilarity,
    config: TrainingConfig | None = None,
    progress: Progress | None = None,
) -> LinkageModel:
    """Train the model on ``features`` without labels (see the module docs).

    Raises LinkageConfigError with the reason when the records give nothing to learn from
    (too few records, or no pair that looks like the same person).
    """
    from splink import Linker

    config = config or TrainingConfig()
    say = progress or (lambda _message: None)
    _quiet_splink()
    n = len(features)
    if n < 2:
        raise LinkageConfigError(f"linkage needs at least two records; the project has {n}")
    started = time.perf_counter()
    sample = training_sample(features, config.max_training_records, config.seed)
    m = len(sample)
    say(f"training on {m:,} of {n:,} records: name similarities of the training pairs")
    similarity.precompute(*similarity_pairs(sample, rules=[r for r, _ in EM_SESSIONS],
                                            blocking=False))  # fmt: skip
    engine.register_functions(similarity)
    sample = model_input(sample)
    table = engine.input_table(sample)
    linker = Linker(table, settings_for(engine.dialect), engine.db_api())
    say(f"training on {m:,} of {n:,} records: prior")
    matches = deterministic_matches(sample)
    if matches == 0:
        raise LinkageConfigError(
            f"training found no pair of records that looks like the same person among {m:,} "
            "records (no two share a name key and a death date or a father's name), so the "
            "model cannot learn what a match looks like. Linkage needs lists that overlap; "
            "import more lists, or check that names and dates were mapped to the right columns."
        )
    total_pairs = m * (m - 1) / 2
    prior_sample = min(0.5, matches / config.deterministic_recall / total_pairs)
    # whole blocks were sampled: matches scale with the share kept, all pairs with its square
    prior = prior_sample * (m / n) if m < n else prior_sample
    linker._settings_obj._probability_two_random_records_match = prior_sample

    say(f"training: u probabilities from {min(config.u_max_pairs, total_pairs):,.0f} random pairs")
    u_pairs = min(config.u_max_pairs, total_pairs)
    try:
        linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=config.seed)
    except Exception as error:  # noqa: BLE001 - Splink raises many types
        raise LinkageConfigError(f"estimating u probabilities failed: {error}") from None

    sessions = []
    for rule, estimated in EM_SESSIONS:
        say(f"training: m probabilities by expectation maximisation ({rule})")
        if estimated is not None:
            # a fresh linker in which only the ``estimated`` comparisons may move: the others
            # keep the m probabilities learnt so far, so that the E step can tell matches apart
            trained = linker.misc.save_model_to_json()
            for comparison in trained["comparisons"]:
                fixed = comparison["output_column_name"] not in estimated
                for level in comparison["comparison_levels"]:
                    if fixed and not level.get("is_null_level"):
                        level["fix_m_probability"] = True
            linker = Linker(table, trained, engine.db_api())
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
        except Exception as error:  # noqa: BLE001
            raise LinkageConfigError(
                f"expectation maximisation on pairs with {rule!r} failed ({error}); the "
                "records may have too few likely matches to learn from"
            ) from None
        sessions.append(rule)
    settings = linker.misc.save_model_to_json()
    settings["probability_two_random_records_match"] = prior
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            level.pop("fix_m_probability", None)
    untrained = _fill_untrained(settings)
    seconds = time.perf_counter() - started
    return LinkageModel(
        settings=settings,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        training={
            "records": n,
            "training_records": m,
            "deterministic_rules": list(DETERMINISTIC_RULES),
            "deterministic_matches": int(matches),
            "deterministic_recall": config.deterministic_recall,
            "prior": prior,
            "u_max_pairs": u_pairs,
            "em_sessions": sessions,
            "untrained_levels": untrained,
            "seed": config.seed,
            "engine": engine.name,
            "seconds": round(seconds, 1),
        },
    )


def _pair_count(frame: pd.DataFrame, columns: list[str]) -> int:
    sizes = frame.dropna(subset=columns).groupby(columns, sort=False).size().to_numpy()
    return int((sizes * (sizes - 1) // 2).sum())


def deterministic_matches(features: pd.DataFrame) -> int:
    """Distinct pairs found by :data:`DETERMINISTIC_RULES` (same name key and the same day of
    death, or same name key and father's name key), counted exactly from the features."""
    f = features[["name_key", "father_key", "death_lo", "death_width"]].copy()
    f["day"] = f["death_lo"].where(f["death_width"] == 0)
    by_day = _pair_count(f, ["name_key", "day"])
    by_father = _pair_count(f, ["name_key", "father_key"])
    both = _pair_count(f, ["name_key", "day", "father_key"])
    return by_day + by_father - both


def _fill_untrained(settings: dict[str, Any]) -> list[str]:
    """Give levels training never observed the match weight of the level above them.

    A level no training pair fell into (rare in a small project: words reordered, say) has no
    estimate; borrowing the weight of the next stronger level keeps its evidence in the right
    direction. Returns "comparison: level" for each level filled. Raises LinkageConfigError
    when a comparison has no trained level at all.
    """
    filled = []
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            # no level is impossible among matches or non-matches: one data error must not
            # veto a link (m = 0 would be a weight of minus infinity)
            for key in _PARAMETER_KEYS:
                value = level.get(key)
                if value is not None and np.isfinite(value):
                    level[key] = float(min(1.0, max(value, MIN_PROBABILITY[key])))
        previous: tuple[float, float] | None = None
        name = comparison["output_column_name"]
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            ok_m = m is not None and np.isfinite(m) and m > 0
            ok_u = u is not None and np.isfinite(u) and u > 0
            if ok_m and ok_u:
                previous = (m, u)
                continue
            if previous is None:
                continue
            pm, pu = previous
            if ok_u:
                level["m_probability"] = min(1.0, u * pm / pu)
            elif ok_m:
                level["u_probability"] = min(1.0, m * pu / pm)
            else:
                level["m_probability"], level["u_probability"] = pm, pu
            filled.append(f"{name}: {level.get('label_for_charts')}")
            previous = (level["m_probability"], level["u_probability"])
        if previous is None:
            if name == "name":
                raise LinkageConfigError(
                    "training could not estimate the name comparison; the records may have "
                    "too few likely matches to learn from"
                )
            # a field no record has (or no training pair compared): no evidence either way
            levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
            for level in levels:
                level["m_probability"] = level["u_probability"] = 1.0 / len(levels)
            filled.append(f"{name}: all levels (no evidence)")
    return filled


# --------------------------------------------------------------------------- files


def models_dir(root: Path) -> Path:
    return Path(root) / MODELS_DIR


def model_versions(root: Path) -> list[int]:
    """Saved model versions, ascending."""
    folder = models_dir(root)
    if not folder.is_dir():
        return []
    found = (_MODEL_FILE.match(p.name) for p in folder.iterdir())
    return sorted(int(m.group(1)) for m in found if m)


def save_model(root: Path, model: LinkageModel) -> LinkageModel:
    """Save ``model`` as the next version; returns it with ``version`` and ``path`` set."""
    folder = models_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    versions = model_versions(root)
    model.version = (versions[-1] + 1) if versions else 1
    path = folder / f"linkage-v{model.version}.json"
    text = json.dumps(model.to_dict(), ensure_ascii=False, indent=2, default=str) + "\n"
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
    model.path = path
    return model


def load_model(root: Path, version: int | None = None) -> LinkageModel:
    """A saved model (the newest when ``version`` is None)."""
    versions = model_versions(root)
    if not versions:
        raise NotFoundError("no linkage model yet: run `reckon link` to train one")
    version = versions[-1] if version is None else version
    path = models_dir(root) / f"linkage-v{version}.json"
    if not path.is_file():
        raise NotFoundError(
            f"no linkage model version {version}; versions: {', '.join(map(str, versions))}"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise LinkageConfigError(f"{path}: not a readable model file ({error})") from None
    if data.get("format") != MODEL_FORMAT:
        raise LinkageConfigError(f"{path}: not a Reckon linkage model ({data.get('format')!r})")
    if data.get("features_version") != FEATURES_VERSION:
        raise LinkageConfigError(
            f"{path} was trained on features version {data.get('features_version')}, this "
            f"Reckon computes version {FEATURES_VERSION}: retrain with `reckon link`"
        )
    return LinkageModel(
        settings=data["splink_settings"],
        version=data.get("version", version),
        created_at=data.get("created_at"),
        training=data.get("training", {}),
        path=path,
    )
