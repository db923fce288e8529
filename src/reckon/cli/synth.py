"""`reckon synth`: write a synthetic multi-list scenario with ground truth."""

from __future__ import annotations

import time
from datetime import datetime
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from reckon.cli.app import app
from reckon.errors import ProjectError
from reckon.synth import ScenarioConfig, generate_scenario, people_for_records, write_scenario

console = Console(highlight=False)
LARGE = 50_000  # show progress bars from this many people on


class OutputFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    both = "both"


@app.command("synth")
def synth(
    outdir: Path = typer.Argument(
        ..., help="Folder to write the lists, truth.csv, population.csv and scenario.json into."
    ),
    people: int | None = typer.Option(
        None,
        "--people",
        "-n",
        min=1,
        help="True number of people (N), listed or not (default 2000).",
    ),
    records: int | None = typer.Option(
        None,
        "--records",
        min=1,
        help="Aim for about this many records over all lists instead of giving --people.",
    ),
    lists: int = typer.Option(4, "--lists", "-k", min=1, max=26, help="Number of lists."),
    seed: int = typer.Option(
        1, "--seed", min=0, help="Random seed; the same seed gives the same files."
    ),
    start: datetime = typer.Option(
        "1988-07-19", "--start", formats=["%Y-%m-%d"], help="First day of the executions."
    ),
    end: datetime = typer.Option(
        "1988-09-30", "--end", formats=["%Y-%m-%d"], help="Last day of the executions."
    ),
    output_format: OutputFormat = typer.Option(
        OutputFormat.csv,
        "--format",
        case_sensitive=False,
        help="Write each list as csv, xlsx or both.",
    ),
    legacy_encodings: bool = typer.Option(
        False,
        "--legacy-encodings",
        help="Write some lists as UTF-8 with BOM, UTF-16 and Windows-1256, as old files are.",
    ),
    force: bool = typer.Option(False, "--force", help="Write into OUTDIR even if it is not empty."),
) -> None:
    """Invent victims and partial lists of them, with the truth, for demos, tests and benchmarks.

    Every person is invented from name units; no real victim's data is used.
    """
    if people is not None and records is not None:
        raise typer.BadParameter("give --people or --records, not both", param_hint="--records")
    if end < start:
        raise typer.BadParameter(
            f"{end:%Y-%m-%d} is before --start {start:%Y-%m-%d}", param_hint="--end"
        )
    if outdir.exists() and not outdir.is_dir():
        raise ProjectError(f"{outdir} exists and is not a folder")
    if outdir.is_dir() and any(outdir.iterdir()) and not force:
        raise ProjectError(f"{outdir} is not empty; choose another folder or add --force")
    config = ScenarioConfig(
        people=people or 2000, lists=lists, seed=seed, start=start.date(), end=end.date(),
        legacy_encodings=legacy_encodings,
    )  # fmt: skip
    if records is not None:
        config = ScenarioConfig(
            people=people_for_records(records, config), lists=lists, seed=seed,
            start=start.date(), end=end.date(), legacy_encodings=legacy_encodings,
        )  # fmt: skip
    formats = ("csv", "xlsx") if output_format is OutputFormat.both else (output_format.value,)

    began = time.perf_counter()
    if config.people >= LARGE:
        with Progress(
            TextColumn("{task.description:<24}"), BarColumn(), TimeElapsedColumn(),
            console=Console(stderr=True), transient=True,
        ) as bar:  # fmt: skip
            task = bar.add_task("generating", total=1)

            def report(step: str, done: int, total: int) -> None:
                bar.update(task, description=step, completed=done, total=total)

            scenario = generate_scenario(config, progress=report)
            bar.reset(task, description="writing")
            paths = write_scenario(scenario, outdir, formats=formats, progress=report)
    else:
        scenario = generate_scenario(config)
        paths = write_scenario(scenario, outdir, formats=formats)
    seconds = time.perf_counter() - began

    console.print(
        f"N = {scenario.size:,} people, {scenario.observed:,} on at least one list, "
        f"{scenario.records:,} records (seed {seed}, {seconds:.1f} s)."
    )
    table = Table("list", "file", "records", "people", "duplicates", "Persian rows", "encoding")
    files: dict[str, list[str]] = {}
    for path in paths:
        files.setdefault(path.stem, []).append(path.name)
    for source, (code, c) in zip(scenario.lists, scenario.counts().items(), strict=True):
        table.add_row(
            code, ", ".join(files[code]), f"{c['records']:,}", f"{c['people']:,}", f"{c['duplicates']:,}",
            f"{c['persian_rows']:,}", source.encoding,
        )  # fmt: skip
    console.print(table)
    console.print(
        f"Wrote {len(paths)} files to {outdir} (truth.csv, population.csv, scenario.json)."
    )
