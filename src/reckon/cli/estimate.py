"""`reckon estimate`: how many victims no list recorded (multiple systems estimation)."""

from __future__ import annotations

import json
import math
import shlex
import warnings
from enum import Enum, StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from reckon.cli.app import app, err_console, options
from reckon.errors import EstimationError
from reckon.estimate.pooling import MIN_STRATUM


class Method(StrEnum):
    lcmcr = "lcmcr"
    loglinear = "loglinear"
    chao = "chao"
    chapman = "chapman"
    dga = "dga"


class Model(StrEnum):
    independence = "independence"
    all_2way = "all-2way"
    select = "select"


class Criterion(StrEnum):
    aic = "aic"
    bic = "bic"


def _n(value: float) -> str:
    if not math.isfinite(value):
        return "∞" if value > 0 else str(value)
    return f"{value:,.0f}"


def _command_line(ctx: typer.Context, values: dict) -> str:
    """The command as typed, rebuilt from the options the user set (for the report)."""
    words = ["reckon", "estimate"]
    for param in ctx.command.params:
        if getattr(param, "param_type_name", "") != "option" or param.name is None:
            continue
        source = ctx.get_parameter_source(param.name)
        if source is None or source.name == "DEFAULT":
            continue
        value = values.get(param.name)
        if isinstance(value, Enum):
            value = value.value
        flag = param.opts[0]
        if param.is_flag:
            if value:
                words.append(flag)
        elif isinstance(value, (list, tuple)):
            for item in value:
                words += [flag, str(item)]
        elif value is not None:
            words += [flag, str(value)]
    return shlex.join(words)


def _render(result, console: Console) -> None:
    from reckon.estimate.stratify import StratifiedResult

    if isinstance(result, StratifiedResult):
        total = result.total
        table = Table(title=f"Estimate by stratum — {result.method}", title_justify="left")
        for column in ("stratum", "documented", "estimate", f"{total.level:.0%} interval"):
            table.add_column(column, justify="left" if column == "stratum" else "right")
        for name, r in result.strata.items():
            table.add_row(
                name, f"{r.n_observed:,}", _n(r.estimate), f"{_n(r.lower)} – {_n(r.upper)}"
            )
        table.add_row(
            "[bold]total[/]",
            f"{total.n_observed:,}",
            f"[bold]{_n(total.estimate)}[/]",
            f"{_n(total.lower)} – {_n(total.upper)}",
        )
        console.print(table)
        console.print(f"Total: {total.diagnostics.get('combination', '')}.", style="dim")
        for note in result.notes():
            console.print(note, markup=False)
        return
    table = Table(title=f"Estimate — {result.method}", title_justify="left", show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("lists", ", ".join(result.lists))
    table.add_row("documented", f"{result.n_observed:,}")
    table.add_row("estimate of total", _n(result.estimate))
    table.add_row(f"{result.level:.0%} interval", f"{_n(result.lower)} – {_n(result.upper)}")
    table.add_row("undocumented (estimate)", _n(result.estimate - result.n_observed))
    for key in ("model", "rhat", "ess", "converged", "f1", "f2", "m", "se"):
        if key in result.diagnostics:
            value = result.diagnostics[key]
            if isinstance(value, float):
                shown = f"{value:,.1f}" if abs(value) >= 100 else f"{value:.3g}"
            else:
                shown = str(value)
            table.add_row(key, shown)
    console.print(table)


@app.command("estimate")
def estimate(
    ctx: typer.Context,
    histories: Path | None = typer.Option(
        None,
        "--histories",
        help="CSV of capture histories: one 0/1 column per list and a `count` column.",
    ),
    method: Method = typer.Option(
        Method.lcmcr,
        "--method",
        help="Estimator: lcmcr, loglinear, chao (lower bound), chapman (two lists), dga.",
    ),
    model: Model = typer.Option(
        Model.independence,
        "--model",
        help="Log-linear model: independence, all-2way, or select (by --criterion, averaged).",
    ),
    criterion: Criterion = typer.Option(
        Criterion.aic, "--criterion", help="Model selection criterion."
    ),
    merge: list[str] = typer.Option(
        [], "--merge", help="Treat lists as one, e.g. --merge A+B (repeatable)."
    ),
    drop: list[str] = typer.Option([], "--drop", help="Leave a list out (repeatable)."),
    by: str | None = typer.Option(
        None,
        "--by",
        help="Estimate per stratum: a column of the histories CSV (or, with a project, a record "
        "field such as city) whose values are the strata; the total is the sum's posterior.",
    ),
    min_stratum: int = typer.Option(
        MIN_STRATUM,
        "--min-stratum",
        min=0,
        help="With --by: pool strata with fewer documented people than this into one stratum "
        "(strata that cannot be estimated alone join it too); 0 disables pooling.",
    ),
    K: int | None = typer.Option(None, "--K", help="LCMCR: maximum number of latent classes."),
    a: float | None = typer.Option(None, "--a", help="LCMCR: Gamma shape of the concentration."),
    b: float | None = typer.Option(None, "--b", help="LCMCR: Gamma rate of the concentration."),
    burnin: int | None = typer.Option(None, "--burnin", help="LCMCR: burn-in sweeps."),
    samples: int | None = typer.Option(None, "--samples", help="LCMCR: posterior draws kept."),
    thinning: int | None = typer.Option(None, "--thinning", help="LCMCR: sweeps per kept draw."),
    seed: int | None = typer.Option(None, "--seed", help="Random seed (Bayesian methods)."),
    chains: int | None = typer.Option(None, "--chains", help="LCMCR: independent chains."),
    level: float = typer.Option(0.95, "--level", min=0.5, max=0.999, help="Interval level."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    report: Path | None = typer.Option(
        None, "--report", help="Write a self-contained HTML report to this file."
    ),
    linkage_sensitivity: bool = typer.Option(
        False,
        "--linkage-sensitivity",
        help="Re-link the project at several match thresholds and show how the estimate moves.",
    ),
    thresholds: str = typer.Option(
        "0.2,0.3,0.5,0.7,0.9",
        "--thresholds",
        help="Match-probability thresholds for --linkage-sensitivity (comma-separated).",
    ),
) -> None:
    """Estimate how many victims no list recorded, from how the lists overlap."""
    given = dict(locals())
    from reckon.estimate import service

    method_name = method.value
    settings = {
        "model": model.value,
        "criterion": criterion.value,
        "K": K,
        "a": a,
        "b": b,
        "burnin": burnin,
        "samples": samples,
        "thinning": thinning,
        "seed": seed,
        "chains": chains,
        "level": level,
    }
    if linkage_sensitivity:
        if histories is not None:
            raise EstimationError(
                "--linkage-sensitivity re-links a project's records; it cannot be used with "
                "--histories"
            )
        try:
            values = sorted({float(t) for t in thresholds.split(",") if t.strip()})
        except ValueError:
            raise typer.BadParameter(
                f"not a list of numbers: {thresholds!r}", param_hint="--thresholds"
            ) from None
        by_threshold = {
            t: service.histories_from_project(
                options.project, database_url=options.database_url, threshold=t
            )
            for t in values
        }
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            sensitivity = service.run_sensitivity(
                by_threshold, method_name, merge=merge, drop=drop, **settings
            )
        _show_warnings(caught)
        if as_json:
            typer.echo(json.dumps(sensitivity.to_dict(), indent=2))
        else:
            Console().print(sensitivity.summary("text"))
        return
    if histories is not None:
        loaded = service.load_histories(histories, by=by)
    else:
        loaded = service.histories_from_project(
            options.project, database_url=options.database_url, by=by
        )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with err_console.status(f"Fitting {method_name}…"):
            run = service.run_estimate(
                loaded, method_name, merge=merge, drop=drop, min_stratum=min_stratum, **settings
            )
    for message in run.messages:
        err_console.print(message, markup=False)
    _show_warnings(caught)
    if as_json:
        typer.echo(json.dumps(run.result.to_dict(), indent=2, ensure_ascii=False))
    else:
        _render(run.result, Console(highlight=False))
    if report is not None:
        from reckon.estimate.report import write_report

        written = write_report(report, run.result, run.histories, command=_command_line(ctx, given))
        err_console.print(f"Report written to {written}", markup=False)


def _show_warnings(caught: list[warnings.WarningMessage]) -> None:
    for message in {str(w.message) for w in caught}:
        err_console.print(f"Warning: {message}", markup=False, style="yellow")
