"""`reckon link`, `reckon review`, `reckon persons`, `reckon export links`: linkage commands."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from reckon.cli.app import app, err_console
from reckon.cli.context import console, current_project
from reckon.cli.export import export_app
from reckon.errors import LinkageConfigError
from reckon.link import (
    DEFAULT_THRESHOLD,
    DEFAULT_VETO,
    LinkConfig,
    export_links,
    link_project,
    list_persons,
    load_model,
    recluster,
    record_decision,
    review_queue,
)
from reckon.link.charts import match_weights_chart

link_app = typer.Typer(
    help="Link records into persons: within each list (duplicates) and across lists.",
    invoke_without_command=True,
)
app.add_typer(link_app, name="link")


@link_app.callback()
def link(
    ctx: typer.Context,
    engine: str = typer.Option("duckdb", "--engine", help="Where to run: duckdb or spark."),
    threshold: float = typer.Option(
        DEFAULT_THRESHOLD,
        "--threshold",
        min=0.0,
        max=1.0,
        help="Match probability at or above which two records are linked.",
    ),
    veto: float = typer.Option(
        DEFAULT_VETO,
        "--veto",
        min=0.0,
        max=1.0,
        help="Records whose pair scored below this are never put in one person through other "
        "links (0 turns it off: plain single linkage).",
    ),
    model: int | None = typer.Option(
        None, "--model", help="Reuse saved model version N instead of training a new one."
    ),
    recluster_only: bool = typer.Option(
        False,
        "--recluster",
        help="Only cluster again from the latest stored pairs (new decisions, new threshold).",
    ),
) -> None:
    """Link every record: train (or reuse) the model, score pairs, cluster, update persons."""
    if ctx.invoked_subcommand is not None:
        return
    project = current_project()
    with err_console.status("linking…", spinner="dots") as status:

        def say(message: str) -> None:
            status.update(message)
            if not err_console.is_terminal:
                err_console.print(message, markup=False)

        if recluster_only:
            result = recluster(project, threshold=threshold, veto=veto or None, progress=say)
        else:
            config = LinkConfig(
                engine=engine, threshold=threshold, veto=veto or None, model_version=model
            )
            result = link_project(project, config, progress=say)
    changes = result.changes
    console.print(
        f"Linked {result.records:,} records into {changes.persons:,} persons "
        f"(run {result.run_id}, threshold {result.threshold}, "
        f"model v{result.model_version}, {result.pairs:,} scored pairs stored)."
    )
    console.print(
        f"Persons: {changes.kept:,} kept their id, {len(changes.created):,} new, "
        f"{len(changes.retired):,} retired; {len(changes.merges):,} merges, "
        f"{len(changes.splits):,} splits."
    )
    for merge in changes.merges[:10]:
        console.print(f"  merged into {merge['person_id']}: {merge['from']}")
    for split in changes.splits[:10]:
        console.print(f"  split {split['person_id']} into {split['into']}")
    if result.refused:
        console.print(f"{result.refused:,} links refused because reviewers said 'different'.")
    if result.vetoed:
        console.print(
            f"{result.vetoed:,} links refused because they would have joined records the model "
            f"scored below the veto ({result.veto})."
        )
    for a, b in result.conflicts:
        err_console.print(
            f"Warning: the decision that records {a} and {b} are the same contradicts other "
            "decisions and was not applied."
        )
    if result.seconds:
        timing = ", ".join(f"{k} {v:.1f}s" for k, v in result.seconds.items())
        console.print(f"Time: {timing}.")


@link_app.command("model")
def model_command(
    version: int | None = typer.Option(None, "--version", help="Model version (default: newest)."),
    show: bool = typer.Option(True, "--show/--no-show", help="Print the model's parameters."),
    chart: Path | None = typer.Option(
        None, "--chart", help="Write the match-weights chart to this .png or .html file."
    ),
) -> None:
    """Show a saved linkage model: its parameters and, optionally, a match-weights chart."""
    project = current_project()
    saved = load_model(project.root, version)
    if show:
        training = saved.training
        console.print(
            f"Linkage model v{saved.version} ({saved.path}), trained {saved.created_at} on "
            f"{training.get('training_records', '?'):,} of {training.get('records', '?'):,} "
            f"records; prior probability of a match {saved.prior:.3g}."
        )
        table = Table("comparison", "level", "m", "u", "match weight", "tf")
        for row in saved.parameters():
            table.add_row(
                row["comparison"],
                row["level"],
                f"{row['m']:.4g}" if row["m"] is not None else "",
                f"{row['u']:.4g}" if row["u"] is not None else "",
                f"{row['weight']:+.2f}" if row["weight"] is not None else "",
                "yes" if row["tf"] else "",
            )
        console.print(table)
    if chart is not None:
        written = match_weights_chart(saved, chart)
        console.print(f"Match-weights chart written to {written}.")


@app.command("review")
def review(
    limit: int = typer.Option(20, "--limit", min=1, help="Review at most this many pairs."),
    band: float = typer.Option(
        4.0, "--band", min=0.1, help="Show pairs within this many bits of the threshold."
    ),
    apply: bool = typer.Option(
        True, "--apply/--no-apply", help="Re-cluster at the end so the decisions take effect."
    ),
) -> None:
    """Review uncertain pairs: same / different / unsure, with an optional reason."""
    project = current_project()
    queue = review_queue(project, limit=limit, band=band)
    if not queue:
        console.print("Nothing to review: no undecided pair is near the threshold.")
        return
    decided = 0
    for number, pair in enumerate(queue, start=1):
        table = Table(
            "",
            f"record {pair.record_a['id']}",
            f"record {pair.record_b['id']}",
            title=f"Pair {number} of {len(queue)} — match probability "
            f"{pair.match_probability:.3f} (weight {pair.match_weight:+.1f})",
        )
        for label, value in pair.record_a.items():
            if label == "id":
                continue
            table.add_row(label, str(value), str(pair.record_b.get(label, "")))
        console.print(table)
        weights = Table("comparison", "level", "match weight", title="Why the model thinks so")
        for field in pair.fields:
            weights.add_row(field.comparison, field.level, f"{field.weight:+.2f}")
        console.print(weights)
        answer = (
            typer.prompt(
                "Same person? [s]ame / [d]ifferent / [u]nsure / s[k]ip / [q]uit", default="k"
            )
            .strip()
            .lower()
        )
        if answer in {"q", "quit"}:
            break
        kind = {"s": "same", "same": "same", "d": "different", "different": "different",
                "u": "unsure", "unsure": "unsure"}.get(answer)  # fmt: skip
        if kind is None:
            continue
        reason = typer.prompt("Reason (optional)", default="", show_default=False).strip()
        try:
            record_decision(
                project,
                *pair.ids,
                kind,
                reason=reason or None,
                match_probability=pair.match_probability,
            )
        except LinkageConfigError as error:
            err_console.print(f"Not recorded: {error}", markup=False)
            continue
        decided += 1
        console.print(f"Recorded: records {pair.ids[0]} and {pair.ids[1]} — {kind}.")
    console.print(f"{decided} decision(s) recorded.")
    if decided and apply:
        result = recluster(project)
        console.print(
            f"Re-clustered: {result.changes.persons:,} persons "
            f"({len(result.changes.merges)} merges, {len(result.changes.splits)} splits)."
        )


@app.command("persons")
def persons(
    source: str | None = typer.Option(None, "--source", "-s", help="Only persons on this list."),
    min_lists: int = typer.Option(1, "--min-lists", min=1, help="Only persons on N+ lists."),
    limit: int = typer.Option(50, "--limit", min=1, max=10000, help="Show at most this many."),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip this many persons first."),
) -> None:
    """List persons with the lists they appear on."""
    project = current_project()
    page = list_persons(project, source=source, min_lists=min_lists, limit=limit, offset=offset)
    if not page.persons:
        console.print("No persons match (run `reckon link` first).")
        return
    table = Table("person", "records", "lists", "name (as first written)")
    for person in page.persons:
        table.add_row(
            str(person.id), str(person.records), ", ".join(person.sources), person.name or ""
        )
    console.print(table)
    console.print(
        f"{len(page.persons)} of {page.total:,} person(s) shown. "
        + ", ".join(f"on {k} list(s): {v:,}" for k, v in sorted(page.by_list_count.items()))
    )


@export_app.command("links")
def export_links_command(
    out: Path = typer.Option(..., "--out", "-o", help="CSV file to write."),
) -> None:
    """Write one row per record: person_id, source, file, row, match_probability."""
    project = current_project()
    count = export_links(project, out)
    console.print(f"Wrote {count:,} records to {out}.")
