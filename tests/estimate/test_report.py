"""The HTML report: complete, self-contained, honest about what it shows."""

from __future__ import annotations

import base64
import re

import numpy as np

from reckon.estimate.histories import CaptureHistories
from reckon.estimate.loglinear import LogLinear
from reckon.estimate.report import render_report, write_report
from reckon.estimate.result import EstimateResult, collect_versions
from reckon.estimate.sensitivity import linkage_sensitivity
from reckon.estimate.simple import Chao, Chapman
from reckon.estimate.stratify import fit_strata

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def bayes_result(n_observed: int, rhat: float = 1.01) -> EstimateResult:
    rng = np.random.default_rng(0)
    chains = n_observed * 2.4 + rng.normal(0, 300, size=(3, 400))
    draws = chains.reshape(-1)
    low, high = np.quantile(draws, [0.025, 0.975])
    return EstimateResult(
        "lcmcr",
        n_observed,
        float(np.median(draws)),
        low,
        high,
        lists=("EXH", "ABA", "OSCE", "HRW"),
        draws=draws,
        diagnostics={"chains": chains, "rhat": rhat, "ess": 950.0, "chain_medians": [1.0, 2.0]},
        settings={"K": 10, "seed": 7},
        input_digest="0" * 64,
        versions=collect_versions(),
    )


def images(text: str) -> list[bytes]:
    return [base64.b64decode(m) for m in re.findall(r'src="data:image/png;base64,([^"]+)"', text)]


def test_report_sections_and_self_contained(tmp_path, kosovo):
    results = [LogLinear(model="all-2way").fit(kosovo), Chao().fit(kosovo), bayes_result(4400)]
    path = write_report(
        tmp_path / "sub" / "report.html",
        results,
        kosovo,
        command="reckon estimate --histories kosovo.csv --method lcmcr",
    )
    text = path.read_text(encoding="utf-8")
    assert not EXTERNAL.search(text)
    assert "<script" not in text
    for heading in (
        "Method",
        "The lists",
        "Overlap between lists",
        "Estimates",
        "Diagnostics",
        "Reproduce",
    ):
        assert heading in text
    assert "reckon estimate --histories kosovo.csv --method lcmcr" in text
    assert kosovo.digest() in text
    assert "statsmodels" in text and "numpy" in text
    assert "Manrique-Vallier" in text and "Cormack" in text and "Chao" in text
    # UpSet plot, posterior histogram, trace plot: all PNG.
    pngs = images(text)
    assert len(pngs) == 3
    assert all(png.startswith(b"\x89PNG") for png in pngs)
    assert "rhat" in text


def test_rhat_warning_shown(kosovo):
    text = render_report(bayes_result(4400, rhat=1.2), kosovo)
    assert "chains disagree" in text


def test_stratified_report(kosovo):
    strata = {"north": kosovo, "south": kosovo.drop("HRW")}
    text = render_report(fit_strata(Chao(), strata), strata)
    assert "By stratum" in text
    assert "north" in text and "south" in text and "total" in text
    assert "variances added" in text
    assert len(images(text)) == 2  # UpSet of the pooled table, strata plot


def test_stratified_report_names_pooled_strata(kosovo):
    tiny = CaptureHistories.from_memberships([{"EXH"}] * 6 + [{"EXH", "ABA"}] * 3, kosovo.lists)
    strata = {"north": kosovo, "south": kosovo.drop("HRW"), "tiny": tiny}
    text = render_report(fit_strata(Chao(), strata), strata)
    assert "other (pooled)" in text
    assert "pools 2 strata: south (smallest stratum" in text
    assert "tiny (fewer than 50 documented)" in text


def test_sensitivity_section(kosovo):
    two = kosovo.merge("EXH", "ABA").merge("OSCE", "HRW")
    sensitivity = linkage_sensitivity(Chapman(), {0.5: two, 0.9: two})
    text = render_report(Chapman().fit(two), two, sensitivity=sensitivity)
    assert "Linkage sensitivity" in text
    assert "moves by 0" in text


def test_escapes_list_names():
    h = CaptureHistories.from_memberships(
        [{"<script>"}] * 5 + [{"B"}] * 4 + [{"<script>", "B"}] * 3
    )
    text = render_report(Chapman().fit(h), h, command="<b>")
    assert "<script>" not in text
    assert "&lt;script&gt;" in text


def test_many_patterns_and_lists_render():
    rng = np.random.default_rng(1)
    patterns = rng.integers(0, 2, size=(200, 8))
    patterns = patterns[patterns.any(axis=1)]
    h = CaptureHistories(tuple(f"L{i}" for i in range(8)), patterns, np.ones(len(patterns)))
    assert h.n_patterns > 30  # the UpSet plot shows the largest 30
    text = render_report(Chao(bias_corrected=True).fit(h), h)
    assert len(images(text)) == 1
