"""The match-weights chart of a model, drawn offline with matplotlib (PNG, or HTML with the PNG
inline): one bar per comparison level, coloured by sign, grouped by comparison."""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

from reckon.errors import ReckonError
from reckon.link.model import LinkageModel


def _figure(model: LinkageModel):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in model.parameters() if r["weight"] is not None]
    labels = [f"{r['comparison']}: {r['level']}" for r in rows]
    weights = [max(-20.0, min(20.0, r["weight"])) for r in rows]
    height = max(3.0, 0.28 * len(rows) + 1.2)
    figure, axis = plt.subplots(figsize=(8, height))
    colours = ["#2b7a3d" if w >= 0 else "#b23a2a" for w in weights]
    positions = list(range(len(rows)))[::-1]
    axis.barh(positions, weights, color=colours)
    axis.set_yticks(positions, labels, fontsize=8)
    axis.axvline(0, color="black", linewidth=0.8)
    axis.set_xlabel("match weight (log2 Bayes factor; clipped to ±20)")
    axis.set_title(f"Linkage model v{model.version}: match weights (prior {model.prior:.2g})")
    figure.tight_layout()
    return figure, plt


def match_weights_chart(model: LinkageModel, out: Path | str) -> Path:
    """Write the chart to ``out`` (``.png``, or ``.html`` embedding the PNG); return the path."""
    out = Path(out)
    figure, plt = _figure(model)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=120)
    plt.close(figure)
    data = buffer.getvalue()
    try:
        if out.suffix.lower() in {".html", ".htm"}:
            encoded = base64.b64encode(data).decode("ascii")
            title = html.escape(f"Linkage model v{model.version}")
            out.write_text(
                f"<!doctype html><meta charset='utf-8'><title>{title}</title>"
                f"<h1>{title}</h1><img alt='match weights' src='data:image/png;base64,{encoded}'>",
                encoding="utf-8",
            )
        else:
            out.write_bytes(data)
    except OSError as error:
        raise ReckonError(f"cannot write {out}: {error.strerror}") from None
    return out
