"""A self-contained HTML report of an estimate: method, data, figures, diagnostics, provenance.

The file needs nothing from the network: styles are inline and figures are PNGs embedded as
base64 data URIs. It states the exact command and package versions that produced it.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from reckon.estimate import plots
from reckon.estimate.histories import CaptureHistories, pool_histories
from reckon.estimate.result import EstimateResult, collect_versions
from reckon.estimate.sensitivity import SensitivityResult, format_sensitivity
from reckon.estimate.stratify import StratifiedResult

METHOD_TEXT = {
    "lcmcr": (
        "Bayesian non-parametric latent-class capture–recapture (LCMCR; Manrique-Vallier 2016, "
        "Biometrics 72:1246–1254). People fall into latent classes with their own probability of "
        "being on each list; a Dirichlet-process mixture lets the data decide how many classes "
        "matter. Heterogeneity and dependence between lists are absorbed by the classes. The "
        "result is the posterior distribution of N; the interval is its equal-tailed credible "
        "interval."
    ),
    "loglinear": (
        "Poisson log-linear models of the list-overlap table (Fienberg 1972): main effects for "
        "each list and two-way interactions for dependence between pairs of lists; the count of "
        "people on no list is extrapolated from the fitted model. Intervals are profile-likelihood "
        "intervals (Cormack 1992). With model selection, models are weighted by exp(-Δ/2) of "
        "their AIC or BIC and averaged (Buckland et al. 1997); the averaged interval is the "
        "model-averaged tail-area profile interval (Fletcher & Turek 2012)."
    ),
    "chao": (
        "Chao's lower bound (Chao 1987): N ≥ n + f1²/(2 f2), from the people seen on exactly one "
        "(f1) and exactly two (f2) lists, with Chao's log-normal interval. It is a lower bound "
        "under heterogeneous capture probabilities, not an estimate of N."
    ),
    "chapman": (
        "Chapman's bias-corrected Lincoln–Petersen estimator for two lists: "
        "N = (n1+1)(n2+1)/(m+1) − 1, with Seber's variance. It assumes the lists are independent "
        "and every person equally likely to be listed."
    ),
    "dga": (
        "Bayesian model averaging over decomposable graphical log-linear models (Madigan & York "
        "1997): each graph of dependence between lists gets its posterior probability, and the "
        "posterior of N is the mixture over graphs."
    ),
}

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:960px;margin:2em auto;
padding:0 1em;color:#1d1d1d;line-height:1.45}
h1{font-size:1.6em}h2{font-size:1.25em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.8em}
table{border-collapse:collapse;margin:.6em 0;font-size:.92em}
th,td{border:1px solid #d4d4d4;padding:.25em .6em;text-align:right}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}
table.estimate-result th{text-align:left}
img{max-width:100%;height:auto;display:block;margin:.6em 0}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;background:#f6f6f6}
pre{padding:.6em;overflow-x:auto;white-space:pre-wrap}
.note{color:#555;font-size:.9em}
"""


def _img(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def _esc(text: object) -> str:
    return html.escape(str(text))


def _as_list(
    results: EstimateResult | StratifiedResult | Sequence[EstimateResult | StratifiedResult],
) -> list[EstimateResult | StratifiedResult]:
    if isinstance(results, (EstimateResult, StratifiedResult)):
        return [results]
    return list(results)


def _overlap_section(histories: CaptureHistories) -> str:
    sizes = histories.list_sizes()
    size_rows = "".join(f"<tr><td>{_esc(k)}</td><td>{v:,}</td></tr>" for k, v in sizes.items())
    overlap = histories.overlap_table()
    return (
        "<h2>The lists</h2>"
        f"<p>{histories.n_observed:,} documented people on {histories.n_lists} lists, "
        f"{histories.n_patterns} distinct capture patterns.</p>"
        f"<table><tr><th>list</th><th>people</th></tr>{size_rows}</table>"
        "<h3>Overlap between lists</h3><p class='note'>People on both lists of each pair "
        "(list sizes on the diagonal).</p>"
        + overlap.to_html(border=0, classes="overlap")
        + _img(plots.upset_plot(histories), "capture patterns (UpSet plot)")
    )


def _result_section(result: EstimateResult) -> str:
    parts = [result.summary("html")]
    if result.draws is not None and result.draws.size:
        parts.append(_img(plots.posterior_plot(result), f"posterior of N, {result.method}"))
    models = result.diagnostics.get("models")
    if isinstance(models, list) and models:
        head = "<tr><th>model</th><th>N</th><th>SE</th><th>Δ</th><th>weight</th></tr>"
        rows = "".join(
            f"<tr><td>{_esc(m.get('model'))}</td><td>{_num(m.get('estimate'), 1)}</td>"
            f"<td>{_num(m.get('se'), 1)}</td><td>{_num(m.get('delta'), 2)}</td>"
            f"<td>{_num(m.get('weight'), 3)}</td></tr>"
            for m in models[:15]
        )
        parts.append(f"<h4>Models considered (best first)</h4><table>{head}{rows}</table>")
    return "".join(parts)


def _diagnostics_section(results: list[EstimateResult]) -> str:
    parts = []
    for result in results:
        d = result.diagnostics
        chains = d.get("chains")
        keys = [k for k in ("rhat", "ess", "chain_medians", "converged") if k in d]
        if chains is None and not keys:
            continue
        label = result.method + (f", {result.stratum}" if result.stratum else "")
        parts.append(f"<h3>{_esc(label)}</h3>")
        if keys:
            rows = "".join(f"<tr><th>{_esc(k)}</th><td>{_esc(_fmt(d[k]))}</td></tr>" for k in keys)
            parts.append(f"<table>{rows}</table>")
            rhat = d.get("rhat")
            if isinstance(rhat, (int, float)) and rhat > 1.05:
                parts.append(
                    f"<p><strong>Warning:</strong> R-hat {rhat:.3f} > 1.05: the chains disagree; "
                    "run longer chains before relying on this estimate.</p>"
                )
        if chains is not None and np.asarray(chains).size:
            parts.append(_img(plots.trace_plot(np.asarray(chains)), f"trace plot, {label}"))
    if not parts:
        return ""
    return "<h2>Diagnostics</h2>" + "".join(parts)


def _num(value: object, digits: int) -> str:
    if not isinstance(value, (int, float)) or not np.isfinite(value):
        return "–"
    return f"{value:,.{digits}f}"


def _fmt(value: object) -> str:
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(_fmt(v) for v in value)
    return str(value)


def render_report(
    results: EstimateResult | StratifiedResult | Sequence[EstimateResult | StratifiedResult],
    histories: CaptureHistories | Mapping[str, CaptureHistories],
    *,
    command: str | None = None,
    title: str = "Estimate of the undocumented",
    sensitivity: SensitivityResult | None = None,
    notes: Sequence[str] = (),
) -> str:
    """The report as one HTML string (see :func:`write_report`)."""
    items = _as_list(results)
    if isinstance(histories, CaptureHistories):
        pooled = histories
    else:
        pooled = pool_histories(histories.values())
    flat: list[EstimateResult] = []
    for item in items:
        if isinstance(item, StratifiedResult):
            flat += [*item.strata.values(), item.total]
        else:
            flat.append(item)
    methods = list(dict.fromkeys(r.method for item in items for r in _method_results(item)))
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    out = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{_esc(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_esc(title)}</h1>",
        f"<p class='note'>Generated {now} by Reckon.</p>",
    ]
    out += [f"<p>{_esc(n)}</p>" for n in notes]
    out.append("<h2>Method</h2>")
    for method in methods:
        for part in method.split("+"):
            text = METHOD_TEXT.get(part, "")
            out.append(f"<p><strong>{_esc(part)}</strong>: {_esc(text)}</p>")
    out.append(_overlap_section(pooled))
    out.append("<h2>Estimates</h2>")
    for item in items:
        if isinstance(item, StratifiedResult):
            out.append(f"<h3>By stratum ({_esc(item.method)})</h3>")
            out.append(item.summary("html"))
            out.append(_img(plots.strata_plot({**item.strata, "total": item.total}), "strata"))
            out.append(
                "<p class='note'>Total: "
                + _esc(item.total.diagnostics.get("combination", ""))
                + ".</p>"
            )
            if item.dropped_lists:
                dropped = "; ".join(f"{k}: {', '.join(v)}" for k, v in item.dropped_lists.items())
                out.append(f"<p class='note'>Empty lists dropped by stratum — {_esc(dropped)}.</p>")
            out.append(_result_section(item.total))
        else:
            title_m = item.method + (f" — {item.stratum}" if item.stratum else "")
            out.append(f"<h3>{_esc(title_m)}</h3>")
            out.append(_result_section(item))
    if sensitivity is not None:
        out.append("<h2>Linkage sensitivity</h2>")
        out.append(format_sensitivity(sensitivity, "html"))
    out.append(_diagnostics_section(flat))
    versions = next((r.versions for r in flat if r.versions), None) or collect_versions()
    out.append("<h2>Reproduce</h2>")
    if command:
        out.append(f"<p>Command:</p><pre>{_esc(command)}</pre>")
    digests = sorted({r.input_digest for r in flat if r.input_digest})
    if digests:
        out.append(
            "<p>Input SHA-256: " + ", ".join(f"<code>{_esc(d)}</code>" for d in digests) + "</p>"
        )
    settings = next((r.settings for r in flat if r.settings), {})
    if settings:
        out.append(
            "<p>Settings: "
            + _esc(", ".join(f"{k}={_fmt(v)}" for k, v in settings.items()))
            + "</p>"
        )
    rows = "".join(f"<tr><td>{_esc(k)}</td><td>{_esc(v)}</td></tr>" for k, v in versions.items())
    out.append(f"<table><tr><th>package</th><th>version</th></tr>{rows}</table>")
    out.append("</body></html>")
    return "\n".join(out)


def _method_results(item: EstimateResult | StratifiedResult) -> list[EstimateResult]:
    return [item.total] if isinstance(item, StratifiedResult) else [item]


def write_report(
    path: str | Path,
    results: EstimateResult | StratifiedResult | Sequence[EstimateResult | StratifiedResult],
    histories: CaptureHistories | Mapping[str, CaptureHistories],
    *,
    command: str | None = None,
    title: str = "Estimate of the undocumented",
    sensitivity: SensitivityResult | None = None,
    notes: Sequence[str] = (),
) -> Path:
    """Write a self-contained HTML report and return its path.

    Parameters
    ----------
    results:
        One result, a stratified result, or several (e.g. one per method).
    histories:
        The capture histories used (or a mapping stratum -> histories; they are pooled for the
        overlap table and plot).
    command:
        The exact command line that produced the results.
    sensitivity:
        A linkage-sensitivity table to include.
    """
    path = Path(path)
    text = render_report(
        results, histories, command=command, title=title, sensitivity=sensitivity, notes=notes
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
