"""Linkage benchmark: Reckon against plain Splink on synthetic scenarios with ground truth.

For each size (records over four lists, `reckon.synth`): generate the scenario, import it into a
project (timed apart: not part of linkage), then in a child process each:

* **reckon** — `reckon.link.link_project`: features, training, prediction, clustering, persons;
* **baseline** — what a user without Reckon would do: Splink on the raw names (lower-cased full
  name), `cl.NameComparison` on the full and father's names, `cl.DateOfBirthComparison` on
  the death date parsed by pandas (Jalali dates are lost), exact birth year, city, prison and
  gender, standard blocking (full name; first or last word with the death date; last word with
  the father's name), the same training recipe (prior from a deterministic rule, u from the same
  number of random pairs, EM) and Splink's own clustering at the same threshold.

Quality from truth.csv: pairwise precision / recall / F1 over record pairs, B-cubed F1, and the
recall of true pairs written in different scripts (Persian / Latin). Time is wall clock of the
child; memory is the peak of the summed RSS of the child's whole process tree (sampled every
0.1 s, so the JVM of Spark counts).

    python benchmarks/linkage.py                      # 10k, 100k and 1M records (about 45 min)
    python benchmarks/linkage.py --sizes 10000 100000 # quicker
    python benchmarks/linkage.py --sizes 1000000 --skip-baseline

Results are printed and appended to benchmarks/RESULTS.md (section "Linkage (issue 4)").
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import append_results

from reckon.link.service import DEFAULT_THRESHOLD

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)

RECKON_CHILD = """
import json, sys
from reckon.link import LinkConfig, export_links, link_project
from reckon.store import open_project
project = open_project(sys.argv[1])
result = link_project(project, LinkConfig(engine=sys.argv[3], threshold=float(sys.argv[4])),
                      actor="benchmark")
export_links(project, sys.argv[2])
print(json.dumps(result.to_dict()["seconds"]))
"""

BASELINE_CHILD = """
import json, logging, sqlite3, sys, time
import duckdb, pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
logging.getLogger("splink").setLevel(logging.ERROR)
started = time.perf_counter()
con = sqlite3.connect(sys.argv[1] + "/reckon.db")
raw = pd.read_sql("SELECT id AS unique_id, full_name, given_name, family_name, father_name, "
                  "death_text, birth_text, city, place_of_detention AS prison, gender FROM record",
                  con)
name = raw.full_name.fillna(raw.given_name.fillna("") + " " + raw.family_name.fillna(""))
name = name.str.replace(",", " ").str.split().str.join(" ").str.lower()
df = pd.DataFrame({"unique_id": raw.unique_id, "full_name": name.replace("", None)})
words = df.full_name.str.split()
df["first_name"], df["surname"] = words.str[0], words.str[-1]
df["father_name"] = raw.father_name.str.lower()
death = pd.to_datetime(raw.death_text, errors="coerce", format="mixed", dayfirst=True)
df["death_date"] = death.dt.strftime("%Y-%m-%d")
df["birth_year"] = raw.birth_text.str.extract(r"(\\d{4})")[0]
df["city"], df["prison"] = raw.city.str.lower(), raw.prison.str.lower()
df["gender"] = raw.gender
settings = SettingsCreator(
    link_type="dedupe_only",
    comparisons=[
        cl.NameComparison("full_name"),
        cl.NameComparison("father_name"),
        cl.DateOfBirthComparison("death_date", input_is_string=True),
        cl.ExactMatch("birth_year"),
        cl.ExactMatch("city").configure(term_frequency_adjustments=True),
        cl.ExactMatch("prison"),
        cl.ExactMatch("gender"),
    ],
    blocking_rules_to_generate_predictions=[
        block_on("full_name"),
        block_on("first_name", "death_date"),
        block_on("surname", "death_date"),
        block_on("surname", "father_name"),
    ],
)
connection = duckdb.connect()
connection.execute("SET memory_limit = '1500MB'")
linker = Linker(df, settings, DuckDBAPI(connection=connection))
linker.training.estimate_probability_two_random_records_match(
    [block_on("full_name", "death_date")], recall=0.6)
linker.training.estimate_u_using_random_sampling(max_pairs=3e6, seed=1)
for rule in (block_on("full_name"), block_on("surname", "death_date")):
    linker.training.estimate_parameters_using_expectation_maximisation(
        rule, estimate_without_term_frequencies=True)
threshold = float(sys.argv[3])
predictions = linker.inference.predict(threshold_match_probability=threshold)
clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold)
out = clusters.as_pandas_dataframe()[["unique_id", "cluster_id"]]
out.to_csv(sys.argv[2], index=False)
print(json.dumps({"total": round(time.perf_counter() - started, 1)}))
"""


class TreeMemory:
    """Peak of the summed resident memory of a process and all its descendants."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
        out, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo.extend(children.get(pid, []))
        return out

    def _run(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while not self._stop.is_set():
            total = 0
            for pid in self._tree():
                try:
                    with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
                        total += int(handle.read().split()[1]) * page
                except (OSError, IndexError, ValueError):
                    pass
            self.peak = max(self.peak, total)
            time.sleep(0.1)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def run_child(code: str, *args: str) -> tuple[float, int, str]:
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    memory = TreeMemory(process.pid)
    out, err = process.communicate()
    peak = memory.stop()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"child failed ({process.returncode}):\n{err[-3000:]}")
    return seconds, peak, out.strip().splitlines()[-1] if out.strip() else ""


# --------------------------------------------------------------------------- quality


def _pair_count(labels: np.ndarray) -> int:
    _, counts = np.unique(labels, return_counts=True)
    return int((counts * (counts - 1) // 2).sum())


def quality(found: np.ndarray, truth: np.ndarray, script: np.ndarray) -> dict[str, float]:
    """Pairwise P/R/F1, B-cubed F1 and cross-script pair recall of a clustering."""
    found = pd.factorize(found)[0]
    truth = pd.factorize(truth)[0]
    both = found.astype(np.int64) * (truth.max() + 1) + truth
    tp, fp_all, t_all = _pair_count(both), _pair_count(found), _pair_count(truth)
    precision = tp / fp_all if fp_all else 1.0
    recall = tp / t_all if t_all else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    frame = pd.DataFrame({"f": found, "t": truth, "b": both})
    size_f = frame.groupby("f")["f"].transform("size")
    size_t = frame.groupby("t")["t"].transform("size")
    size_b = frame.groupby("b")["b"].transform("size")
    b_precision = float((size_b / size_f).mean())
    b_recall = float((size_b / size_t).mean())
    b_f1 = 2 * b_precision * b_recall / (b_precision + b_recall)
    persian = script == "fa"
    frame["fa"] = persian
    per_truth = frame.groupby("t")["fa"].agg(["sum", "size"])
    cross_true = int((per_truth["sum"] * (per_truth["size"] - per_truth["sum"])).sum())
    per_both = frame.groupby("b")["fa"].agg(["sum", "size"])
    cross_found = int((per_both["sum"] * (per_both["size"] - per_both["sum"])).sum())
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "bcubed_f1": b_f1,
        "cross_script_recall": cross_found / cross_true if cross_true else 1.0,
    }


# --------------------------------------------------------------------------- scenario


def prepare(size: int, seed: int, workdir: Path) -> tuple[Path, Path, float]:
    from reckon.ingest import import_file
    from reckon.store import init_project
    from reckon.synth import ScenarioConfig, generate_scenario, people_for_records, write_scenario

    scenario_dir = workdir / f"synth-{size}"
    for stale in (scenario_dir, workdir / f"project-{size}"):  # a kept workdir: start afresh
        shutil.rmtree(stale, ignore_errors=True)
    config = ScenarioConfig(people=people_for_records(size), seed=seed)
    write_scenario(generate_scenario(config), scenario_dir)
    project = init_project(workdir / f"project-{size}")
    started = time.perf_counter()
    for path in sorted(scenario_dir.glob("*.csv")):
        if path.stem in {"truth", "population"}:
            continue
        result = import_file(project, path, path.stem, actor="benchmark")
        if result.rows_rejected:
            raise RuntimeError(f"{path.name}: {result.rows_rejected} rows rejected on import")
    seconds = time.perf_counter() - started
    project.close()
    return scenario_dir, workdir / f"project-{size}", seconds


def truth_frame(project_dir: Path, scenario_dir: Path) -> pd.DataFrame:
    import sqlite3

    connection = sqlite3.connect(project_dir / "reckon.db")
    records = pd.read_sql(
        "SELECT r.id AS record_id, b.file_name AS file, r.row_number AS row "
        "FROM record r JOIN import_batch b ON b.id = r.batch_id",
        connection,
    )
    connection.close()
    truth = pd.read_csv(scenario_dir / "truth.csv")
    return records.merge(truth, on=["file", "row"], how="left")


def bench(size: int, args: argparse.Namespace, workdir: Path) -> list[dict]:
    scenario_dir, project_dir = workdir / f"synth-{size}", workdir / f"project-{size}"
    if args.reuse and (project_dir / "reckon.db").exists() and scenario_dir.exists():
        print(f"\n== {size:,} records: reusing {project_dir}", flush=True)
        import_seconds = float("nan")
    else:
        print(f"\n== {size:,} records: generating and importing", flush=True)
        scenario_dir, project_dir, import_seconds = prepare(size, args.seed, workdir)
    truth = truth_frame(project_dir, scenario_dir).set_index("record_id")
    print(f"   imported {len(truth):,} records in {import_seconds:.0f} s", flush=True)
    rows = []
    links = workdir / f"links-{size}.csv"
    seconds, peak, detail = run_child(
        RECKON_CHILD, str(project_dir), str(links), args.engine, str(args.threshold)
    )
    found = pd.read_csv(links).set_index("record_id")["person_id"]
    measured = quality(found.reindex(truth.index).to_numpy(), truth["person_id"].to_numpy(),
                       truth["script"].to_numpy())  # fmt: skip
    rows.append({"size": size, "system": f"reckon ({args.engine})", "seconds": seconds,
                 "peak_gb": peak / 2**30, "steps": detail, **measured})  # fmt: skip
    print(f"   reckon: {seconds:.0f} s, {peak / 2**30:.2f} GB, F1 {measured['f1']:.4f}", flush=True)
    for other in args.also_thresholds:
        # the same scored pairs clustered at another threshold (what `reckon link
        # --threshold` or `reckon recluster` would give without scoring again)
        found = recluster_at(project_dir, truth.index.to_numpy(), other)
        measured = quality(found, truth["person_id"].to_numpy(), truth["script"].to_numpy())
        rows.append({"size": size, "system": f"reckon, same run clustered at {other}",
                     "seconds": seconds, "peak_gb": peak / 2**30, "steps": {}, **measured})  # fmt: skip
    if not args.skip_baseline:
        clusters = workdir / f"baseline-{size}.csv"
        seconds, peak, detail = run_child(
            BASELINE_CHILD, str(project_dir), str(clusters), str(args.threshold)
        )
        found = pd.read_csv(clusters).set_index("unique_id")["cluster_id"]
        measured = quality(found.reindex(truth.index).to_numpy(),
                           truth["person_id"].to_numpy(), truth["script"].to_numpy())  # fmt: skip
        rows.append({"size": size, "system": "baseline (Splink, raw names)", "seconds": seconds,
                     "peak_gb": peak / 2**30, "steps": detail, **measured})  # fmt: skip
        print(f"   baseline: {seconds:.0f} s, {peak / 2**30:.2f} GB, F1 {measured['f1']:.4f}",
              flush=True)  # fmt: skip
    return rows


def recluster_at(project_dir: Path, record_ids: np.ndarray, threshold: float) -> np.ndarray:
    """Cluster labels of ``record_ids`` from the project's last run's pairs at ``threshold``."""
    from reckon.link.clustering import cluster_records
    from reckon.link.service import read_pairs

    runs = sorted((project_dir / "linkage" / "runs").iterdir())
    pairs = read_pairs(runs[-1] / "pairs.parquet")
    run = json.loads((runs[-1] / "run.json").read_text(encoding="utf-8"))
    clusters = cluster_records(
        record_ids,
        (pairs["unique_id_l"], pairs["unique_id_r"], pairs["match_probability"]),
        threshold=threshold,
        veto=run.get("veto"),
    )
    return pd.Series(clusters.labels, index=clusters.record_ids).reindex(record_ids).to_numpy()


def table(rows: list[dict]) -> str:
    lines = [
        "| records | system | pairwise P | R | F1 | B-cubed F1 | cross-script recall | time | "
        "peak memory |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['size']:,} | {r['system']} | {r['precision']:.4f} | {r['recall']:.4f} | "
            f"{r['f1']:.4f} | {r['bcubed_f1']:.4f} | {r['cross_script_recall']:.4f} | "
            f"{r['seconds']:.0f} s | {r['peak_gb']:.2f} GB |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument(
        "--also-thresholds",
        type=float,
        nargs="*",
        default=[0.5, 0.9],
        help="Also report the same run's pairs clustered at these thresholds.",
    )
    parser.add_argument("--engine", default="duckdb", choices=["duckdb", "spark"])
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--workdir", type=Path, default=None, help="Keep the projects here.")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Link the projects already in --workdir again instead of generating new ones.",
    )
    parser.add_argument("--no-append", action="store_true", help="Do not write RESULTS.md.")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="reckon-linkage-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    rows: list[dict] = []
    try:
        for size in args.sizes:
            rows.extend(bench(size, args, workdir))
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    text = table(rows)
    print("\n" + text)
    steps = "\n".join(f"- {r['size']:,} {r['system']}: {r['steps']}" for r in rows if r["steps"])
    body = (
        f"`python benchmarks/linkage.py --sizes {' '.join(map(str, args.sizes))}` "
        f"(seed {args.seed}, threshold {args.threshold}, engine {args.engine}; import not "
        "included in the times)\n\n" + text + "\n\nSteps (seconds):\n" + steps + "\n"
    )
    if not args.no_append:
        append_results("Linkage (issue 4)", body)
    print(json.dumps(rows, default=str)[:0])


if __name__ == "__main__":
    main()
