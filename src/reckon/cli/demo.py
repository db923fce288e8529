"""`reckon demo`: the main job on an embedded default, start to finish, on invented data.

1. Import three small sample lists (examples/), search them across scripts, link them and show
   the persons found on each list and how the lists overlap.
2. Invent a larger scenario with a known total (reckon.synth), import and link its lists, and
   estimate the number of victims no list recorded — next to the true total.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import typer
from rich.table import Table

from reckon.access import resolve_actor
from reckon.cli.app import app
from reckon.cli.context import console
from reckon.errors import ProjectError, ReckonWarning
from reckon.estimate import LCMCR, LogLinear
from reckon.ingest import import_file
from reckon.link.histories import capture_histories
from reckon.link.service import link_project
from reckon.registry import find_records
from reckon.store import Project, init_project
from reckon.synth import ScenarioConfig, generate_scenario, write_scenario

EXAMPLES = Path("examples")
SAMPLE_SOURCES = {
    "ngo_list.csv": "NGO list",
    "family_testimonies.csv": "Family testimonies",
    "press_reports.tsv": "Press reports",
}
DEMO_MARK = ".demo"


def _fresh_root(directory: Path) -> None:
    """Replace an earlier demo in `directory`; refuse to touch anything else."""
    if directory.exists():
        if not (directory / DEMO_MARK).exists():
            raise ProjectError(f"{directory} exists and is not a demo folder; choose --dir")
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    (directory / DEMO_MARK).write_text("created by `reckon demo`; safe to delete\n")


def _link(project: Project) -> None:
    result = link_project(project, actor="demo")
    console.print(
        f"Linked {result.records} records into {result.clusters} persons "
        f"({result.pairs} scored pairs, threshold {result.threshold})."
    )


def _overlaps(project: Project) -> None:
    histories = capture_histories(project)
    overlap = histories.overlap_table()
    table = Table("persons on…", *overlap.columns, title="Persons per list and overlaps")
    for name, row in overlap.iterrows():
        table.add_row(str(name), *(str(v) for v in row))
    console.print(table)
    console.print(f"{histories.n_observed} distinct persons in all.")


@app.command("demo")
def demo(
    directory: Path = typer.Option(
        Path("demo-project"), "--dir", help="Where to build the demo projects (replaced if a demo)."
    ),
    examples: Path = typer.Option(EXAMPLES, "--examples", help="Folder of sample lists."),
    people: int = typer.Option(3000, min=200, help="Size of the invented population (part 2)."),
    seed: int = typer.Option(1, help="Seed of the invented scenario and of the estimate."),
) -> None:
    """Run the whole job on invented data: import, search, link, estimate."""
    _fresh_root(directory)
    samples = init_project(directory / "samples")
    actor = resolve_actor(samples)

    console.rule("1. Import three sample lists (invented people)")
    for file_name, source in SAMPLE_SOURCES.items():
        result = import_file(samples, examples / file_name, source, actor="demo")
        console.print(
            f"{source:<20} {result.rows_imported:>3} of {result.rows_read} rows "
            f"({result.file_format}, {result.encoding})"
        )
    console.rule("2. Search across scripts and spellings")
    for query in ("Karimi", "قاسمی", "Ghasemi"):
        rows, total = find_records(samples, actor, search=query)
        names = ", ".join(f"{r.display_name} [{r.source.name}]" for r in rows)
        console.print(f"{query!r}: {total} record(s): {names}")
    console.rule("3. Link the lists: who is the same person?")
    _link(samples)
    _overlaps(samples)
    samples.close()

    console.rule("4. An invented scenario with a known total")
    scenario_dir = directory / "scenario-files"
    scenario = generate_scenario(ScenarioConfig(people=people, seed=seed))
    write_scenario(scenario, scenario_dir)
    project = init_project(directory / "scenario")
    for path in sorted(scenario_dir.glob("*.csv")):
        if path.stem in {"truth", "population"}:
            continue
        result = import_file(project, path, path.stem, actor="demo")
        console.print(f"{path.stem:<4} {result.rows_imported:>5} records")
    _link(project)
    _overlaps(project)

    console.rule("5. Estimate the victims no list recorded")
    histories = capture_histories(project)
    project.close()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ReckonWarning)
        lcmcr = LCMCR(K=10, burnin=10_000, samples=1000, thinning=200, chains=2, seed=seed).fit(
            histories
        )
        loglinear = LogLinear(model="select").fit(histories)
    table = Table("", "estimate", "95% interval", title="Total victims")
    table.add_row("true total (invented)", f"{scenario.size:,}", "")
    table.add_row("on at least one list (invented truth)", f"{scenario.observed:,}", "")
    table.add_row("documented (persons found by linkage)", f"{histories.n_observed:,}", "")
    for label, result in (
        ("LCMCR (latent classes)", lcmcr),
        ("log-linear, AIC-averaged", loglinear),
    ):
        table.add_row(
            label, f"{result.estimate:,.0f}", f"{result.lower:,.0f} – {result.upper:,.0f}"
        )
    console.print(table)
    for warning in caught:
        console.print(f"Note: {warning.message}")
    console.print(
        f"\nThe demo projects are in {directory}/ "
        f"(try `reckon -p {directory}/scenario persons` or `reckon -p {directory}/scenario estimate`)."
    )
