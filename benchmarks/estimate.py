"""LCMCR sampler speed, memory and multi-chain wall time; optionally the coverage study.

    .venv/bin/python benchmarks/estimate.py                 # speed, memory, chains
    .venv/bin/python benchmarks/estimate.py --coverage      # + simulation study (200 reps)
    .venv/bin/python benchmarks/estimate.py --uk            # + UK 2013 short vs long chains
    .venv/bin/python benchmarks/estimate.py --append        # also append to RESULTS.md

Speed is timed on one thread for two tables: Kosovo (J = 4 lists, M = 15 patterns, K = 10; the
documented run of 500 + 10,000 + 1,000 x 100 = 110,500 sweeps) and a 20-list table of about 100
patterns (K = 15) generated from a seeded three-class latent-class model. Sweeps/s are given
both per wall-clock second and per second of the thread's CPU time (the machine may be shared;
CPU time is what the sampler itself used). The reference figures are the documented R/C++
LCMCR speeds on this machine class (../shared/LCMCR.md): 64,000 sweeps/s on Kosovo and 9,800 on a
20-list stratum with 103 patterns, K = 15. R is not installed here, so they are quoted, not
re-measured.

Memory: each run length is sampled in a fresh child process, which reports its peak resident
set size (ru_maxrss) before and after the chain; only kept draws are stored, so the peak must
not grow with the number of sweeps.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import append_results, machine

ROOT = Path(__file__).resolve().parent.parent
KOSOVO = ROOT / "tests" / "data" / "mse" / "kosovo_aggregate.csv"
UK = ROOT / "tests" / "data" / "mse" / "sparsemse_UKdat_5.csv"
REFERENCE = {"kosovo": 64_000, "20-list": 9_800}


def twenty_list_table(seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """A 20-list, ~100-pattern table: 600 people from three latent classes (60/30/10%)."""
    from reckon.estimate.lcmcr import simulate_latent_class

    rng = np.random.default_rng(seed)
    low = rng.uniform([0.005, 0.02, 0.05], [0.03, 0.06, 0.15], size=(20, 3))
    histories = simulate_latent_class(600, [0.6, 0.3, 0.1], low, seed=rng)
    return np.array(histories.patterns), np.array(histories.counts)


def kosovo_table() -> tuple[np.ndarray, np.ndarray]:
    from reckon.estimate.histories import CaptureHistories

    histories = CaptureHistories.from_csv(KOSOVO)
    return np.array(histories.patterns), np.array(histories.counts)


def time_chain(table, K, warmup, burnin, samples, thinning, seeds) -> dict:
    """Run one chain per seed on this thread; sweeps/s by wall clock and by thread CPU time."""
    from reckon.estimate._lcmcr_kernel import run_chain

    patterns, counts = table
    run_chain(patterns, counts, K, 0.25, 0.25, 2, 2, 2, 1, 0)  # compile or load the cache
    sweeps = warmup + burnin + samples * thinning
    wall, cpu = [], []
    for seed in seeds:
        w0, c0 = time.perf_counter(), time.thread_time()
        run_chain(patterns, counts, K, 0.25, 0.25, warmup, burnin, samples, thinning, seed)
        wall.append(time.perf_counter() - w0)
        cpu.append(time.thread_time() - c0)
    return {
        "sweeps": sweeps,
        "wall_per_s": sweeps / float(np.median(wall)),
        "best_wall_per_s": sweeps / min(wall),
        "cpu_per_s": sweeps / float(np.median(cpu)),
        "M": int(patterns.shape[0]),
        "J": int(patterns.shape[1]),
        "K": K,
    }


def _memory_child(samples: int, thinning: int) -> None:
    """In a child process: peak RSS (KiB) after a tiny run, then after the real one."""
    from reckon.estimate._lcmcr_kernel import run_chain

    patterns, counts = kosovo_table()
    run_chain(patterns, counts, 10, 0.25, 0.25, 2, 2, 2, 1, 0)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    draws = run_chain(patterns, counts, 10, 0.25, 0.25, 500, 1000, samples, thinning, 1)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"before_kib": before, "after_kib": after, "draws": int(draws[0].size)}))


def memory_runs(lengths) -> list[dict]:
    rows = []
    for samples, thinning in lengths:
        out = subprocess.run(
            [sys.executable, __file__, "--memory-child", f"{samples},{thinning}"],
            check=True,
            capture_output=True,
            text=True,
        )
        data = json.loads(out.stdout.strip().splitlines()[-1])
        data["sweeps"] = 1500 + samples * thinning
        data["samples"] = samples
        rows.append(data)
    return rows


def _process_chain(args):
    from reckon.estimate._lcmcr_kernel import run_chain

    patterns, counts, seed = args
    return run_chain(patterns, counts, 10, 0.25, 0.25, 500, 10_000, 1_000, 100, seed)[0]


def multichain(chains: int = 4) -> dict:
    """Wall time of the documented Kosovo run with several chains: serial, threads, processes."""
    from reckon.estimate.lcmcr import chain_seeds, run_chains

    patterns, counts = kosovo_table()
    settings = dict(K=10, a=0.25, b=0.25, warmup=500, burnin=10_000, samples=1_000, thinning=100)
    out = {"chains": chains, "cpus": os.cpu_count(), "load": os.getloadavg()[0]}
    for label, n_jobs in (("serial", 1), ("threads", None)):
        start, cpu = time.perf_counter(), time.process_time()
        run_chains(patterns, counts, seed=1, chains=chains, n_jobs=n_jobs, **settings)
        out[label] = time.perf_counter() - start
        out[f"{label}_cpu"] = time.process_time() - cpu
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        list(pool.map(_process_chain, [(patterns, counts, s) for s in chain_seeds(1, chains)]))
    out["processes"] = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    out["processes_cpu"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return out


def _load_simulation_module():
    path = ROOT / "tests" / "estimate" / "test_lcmcr_simulation.py"
    spec = importlib.util.spec_from_file_location("lcmcr_simulation", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Harder tables than the tested scenarios, reported to show where LCMCR's intervals fall short.
HARDER = {
    "low-capture majority (80% at 0.10-0.20, 20% at 0.40-0.60, 5 lists)": {
        "N": 2000,
        "shares": [0.8, 0.2],
        "capture": [[0.10, 0.5], [0.15, 0.45], [0.12, 0.6], [0.20, 0.4], [0.10, 0.55]],
    },
    "strong heterogeneity, 4 lists (50% at 0.10-0.20, 50% at 0.30-0.50)": {
        "N": 2000,
        "shares": [0.5, 0.5],
        "capture": [[0.1, 0.4], [0.2, 0.5], [0.15, 0.45], [0.1, 0.3]],
    },
}


def coverage(replications: int) -> list[dict]:
    sim = _load_simulation_module()
    rows = []
    for group, scenarios in (("tested", sim.SCENARIOS), ("harder", HARDER)):
        for name, scenario in scenarios.items():
            summary = sim.coverage_study(scenario, replications)
            rows.append({"group": group, "scenario": name, **summary})
            print(f"  {name}: {summary}", flush=True)
    return rows


def uk_runs() -> list[dict]:
    import warnings

    from reckon.estimate.histories import CaptureHistories
    from reckon.estimate.lcmcr import LCMCR

    histories = CaptureHistories.from_csv(UK)
    rows = []
    for burnin, samples, thinning in (
        (10_000, 1_000, 10),
        (10_000, 1_000, 100),
        (100_000, 2_000, 500),
    ):
        model = LCMCR(K=10, burnin=burnin, samples=samples, thinning=thinning, chains=4, seed=7)
        start = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = model.fit(histories)
        d = result.diagnostics
        rows.append(
            {
                "run": f"4 chains x ({burnin:,} + {samples:,} x {thinning})",
                "median": result.estimate,
                "interval": f"{result.lower:,.0f}–{result.upper:,.0f}",
                "chain_medians": ", ".join(f"{m:,.0f}" for m in d["chain_medians"]),
                "rhat": d["rhat"],
                "ess": d["ess"],
                "warned": bool(caught),
                "seconds": time.perf_counter() - start,
            }
        )
        print(f"  {rows[-1]}", flush=True)
    return rows


def render(speed, memory, chains, cover, uk, load: float) -> str:
    lines = [
        f"Command: `{' '.join(['.venv/bin/python', 'benchmarks/estimate.py', *sys.argv[1:]])}`",
        f"Load average at the start: {load:.2f}, at the end: {os.getloadavg()[0]:.2f} "
        f"({os.cpu_count()} cores; on a shared machine compare the CPU-time figures).",
        "",
        "Sweeps per second, one thread (reference: R/C++ LCMCR, documented figures, not re-run):",
        "",
        "| table | J | M | K | sweeps/run | sweeps/s (CPU) | sweeps/s (wall, median) | "
        "best wall | reference | ratio (CPU) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, row in speed.items():
        ref = REFERENCE[name]
        lines.append(
            f"| {name} | {row['J']} | {row['M']} | {row['K']} | {row['sweeps']:,} | "
            f"{row['cpu_per_s']:,.0f} | {row['wall_per_s']:,.0f} | {row['best_wall_per_s']:,.0f} | "
            f"{ref:,} | {row['cpu_per_s'] / ref:.2f}x |"
        )
    lines += [
        "",
        "Peak memory (max RSS of a fresh process, Kosovo, K = 10) against run length:",
        "",
        "| sweeps | kept draws | max RSS before chain | max RSS after chain |",
        "|---|---|---|---|",
    ]
    for row in memory:
        lines.append(
            f"| {row['sweeps']:,} | {row['samples']:,} | {row['before_kib'] / 1024:.1f} MiB | "
            f"{row['after_kib'] / 1024:.1f} MiB |"
        )
    lines += [
        "",
        f"Multi-chain wall time, Kosovo documented run x {chains['chains']} chains "
        f"({chains['cpus']} CPUs, load average {chains['load']:.2f}), wall (CPU) seconds: "
        f"serial {chains['serial']:.1f} ({chains['serial_cpu']:.1f}), threads "
        f"{chains['threads']:.1f} ({chains['threads_cpu']:.1f}), processes (fork) "
        f"{chains['processes']:.1f} ({chains['processes_cpu']:.1f}).",
    ]
    if cover:
        lines += [
            "",
            "Coverage of 95% intervals, N = 2,000, one chain of 500 + 2,000 + 500 x 10 sweeps, "
            "K = 10 (tests/estimate/test_lcmcr_simulation.py):",
            "",
            "| scenario | reps | coverage | mean median | relative bias | mean width | "
            "mean n | seconds |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for row in cover:
            tag = "" if row["group"] == "tested" else " (not tested)"
            lines.append(
                f"| {row['scenario']}{tag} | {row['replications']} | {row['coverage']:.3f} | "
                f"{row['mean_median']:,.0f} | {row['relative_bias']:+.3f} | "
                f"{row['mean_width']:,.0f} | {row['mean_observed']:,.0f} | {row['seconds']:.0f} |"
            )
        lines += [
            "",
            "The harder scenarios are not asserted by the tests: there LCMCR's intervals cover less "
            "than 95% and the posterior median sits below the truth (most people hard to "
            "document, or strong heterogeneity with only 4 lists: the stick-breaking prior "
            "favours few classes). The compiled sampler agrees with an independent plain-numpy "
            "sampler of the same method (tests/estimate/test_lcmcr_kernel.py) and with the R "
            "reference on Kosovo, so this is the model's behaviour, not a coding error.",
        ]
    if uk:
        lines += [
            "",
            "UK 2013 (sparsemse_UKdat_5.csv), K = 10, seed 7:",
            "",
            "| run | median | 95% interval | chain medians | R-hat | ESS | warned | seconds |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for row in uk:
            lines.append(
                f"| {row['run']} | {row['median']:,.0f} | {row['interval']} | "
                f"{row['chain_medians']} | {row['rhat']:.3f} | {row['ess']:.0f} | "
                f"{'yes' if row['warned'] else 'no'} | {row['seconds']:.0f} |"
            )
        lines += [
            "",
            "Short chains stick in one of two modes (about 12,500 and 21,000) and are flagged by "
            "the ConvergenceWarning (R-hat > 1.05, ESS < 100); long chains agree.",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coverage", action="store_true", help="run the simulation study")
    parser.add_argument("--reps", type=int, default=200, help="replications per scenario")
    parser.add_argument("--uk", action="store_true", help="UK 2013 short and long chains")
    parser.add_argument("--append", action="store_true", help="append to RESULTS.md")
    parser.add_argument("--memory-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        samples, thinning = (int(v) for v in args.memory_child.split(","))
        _memory_child(samples, thinning)
        return

    print(f"Machine: {machine()}", flush=True)
    load = os.getloadavg()[0]
    speed = {
        "kosovo": time_chain(kosovo_table(), 10, 500, 10_000, 1_000, 100, seeds=range(5)),
        "20-list": time_chain(twenty_list_table(), 15, 500, 10_000, 1_000, 10, seeds=range(5)),
    }
    print(speed, flush=True)
    memory = memory_runs([(1_000, 10), (1_000, 100), (1_000, 1_000), (100_000, 10)])
    print(memory, flush=True)
    chains = multichain(4)
    print(chains, flush=True)
    cover = coverage(args.reps) if args.coverage else []
    uk = uk_runs() if args.uk else []
    text = render(speed, memory, chains, cover, uk, load)
    print()
    print(text)
    if args.append:
        append_results("Estimation (issue 5): LCMCR sampler", text)


if __name__ == "__main__":
    main()
