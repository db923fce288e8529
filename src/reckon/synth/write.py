"""Write a scenario to a folder: one file per list, the truth, the population, a manifest."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from reckon.errors import ConfigError, ReckonError
from reckon.synth.names import family_names, given_names
from reckon.synth.places import AFFILIATIONS, CITIES, PRISONS
from reckon.synth.population import reference_spellings
from reckon.synth.render import SourceList
from reckon.synth.scenario import Progress, Scenario

FORMATS = ("csv", "xlsx")
EXCEL_MAX_ROWS = 1_048_576  # header included
TRUTH_FIELDS = ("list", "file", "row", "person_id", "script", "copy")
POPULATION_FIELDS = (
    "person_id", "name_persian", "name_latin", "given_persian", "family_persian",
    "given_latin", "family_latin", "father_persian", "father_latin", "title", "gender",
    "birth_date", "birth_year", "execution_date", "age", "prison", "city", "affiliation",
    "sibling_of", "lists",
)  # fmt: skip


def write_scenario(
    scenario: Scenario,
    outdir: str | Path,
    formats: Iterable[str] = ("csv",),
    progress: Progress | None = None,
) -> list[Path]:
    """Write every list (``{code}.csv`` and/or ``{code}.xlsx``), ``truth.csv``,
    ``population.csv`` and ``scenario.json`` into ``outdir``; return the paths written.

    ``truth.csv`` has one row per record: list, file, row (1-based data row, the header is row
    0), person_id, plus the row's script (fa/latin) and copy (2 for a duplicate inside the list).
    With both formats, ``file`` names the CSV; the XLSX rows are the same.
    """
    formats = tuple(dict.fromkeys(formats))
    if not formats or set(formats) - set(FORMATS):
        raise ConfigError(f"formats must be some of {', '.join(FORMATS)}, not {formats}")
    too_long = [s.code for s in scenario.lists if len(s) >= EXCEL_MAX_ROWS]
    if "xlsx" in formats and too_long:
        raise ConfigError(
            f"lists {', '.join(too_long)} have more rows than a spreadsheet holds "
            f"({EXCEL_MAX_ROWS - 1:,}); write them as csv"
        )
    out = Path(outdir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ReckonError(f"cannot create {out}: {error.strerror}") from error
    paths: list[Path] = []
    steps = len(scenario.lists) * len(formats) + 2
    done = 0
    files: dict[str, dict[str, str]] = {}
    for source in scenario.lists:
        for fmt in formats:
            if progress:
                progress(f"writing {source.code}.{fmt}", done, steps)
            path = out / f"{source.code}.{fmt}"
            (_write_csv if fmt == "csv" else _write_xlsx)(source, path)
            paths.append(path)
            files.setdefault(source.code, {})[fmt] = path.name
            done += 1
    if progress:
        progress("writing truth.csv", done, steps)
    paths.append(_write_truth(scenario, out / "truth.csv", formats[0]))
    if progress:
        progress("writing population.csv", done + 1, steps)
    paths.append(_write_population(scenario, out / "population.csv"))
    manifest = scenario.to_dict()
    manifest["files"] = {
        code: {**names, "encoding": source.encoding}
        for (code, names), source in zip(files.items(), scenario.lists, strict=True)
    }
    manifest["truth"] = "truth.csv"
    manifest["population"] = "population.csv"
    path = out / "scenario.json"
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    paths.append(path)
    if progress:
        progress("done", steps, steps)
    return paths


def _write_csv(source: SourceList, path: Path) -> None:
    with path.open("w", encoding=source.encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(source.header)
        writer.writerows(zip(*(source.columns[c] for c in source.fields), strict=True))


def _write_xlsx(source: SourceList, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=source.code)
    sheet.append(source.header)
    for row in zip(*(source.columns[c] for c in source.fields), strict=True):
        sheet.append(list(row))
    book.save(path)


def _write_truth(scenario: Scenario, path: Path, fmt: str) -> Path:
    ids = scenario.population.ids
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(TRUTH_FIELDS)
        for source in scenario.lists:
            name = f"{source.code}.{fmt}"
            n = len(source)
            writer.writerows(
                zip(
                    [source.code] * n,
                    [name] * n,
                    range(1, n + 1),
                    ids[source.person].tolist(),
                    np.where(source.persian, "fa", "latin").tolist(),
                    source.copy.tolist(),
                    strict=True,
                )
            )
    return path


def _plain(column: object) -> list[object]:
    """Python values (numpy scalars are slow to write)."""
    return column.tolist() if isinstance(column, np.ndarray) else list(column)  # type: ignore[call-overload]


def _write_population(scenario: Scenario, path: Path) -> Path:
    from reckon.synth.dates import from_day

    pop = scenario.population
    given_fa = reference_spellings(given_names(), surname=False, persian=True)
    given_la = reference_spellings(given_names(), surname=False, persian=False)
    family_fa = reference_spellings(family_names(), surname=True, persian=True)
    family_la = reference_spellings(family_names(), surname=True, persian=False)
    k = len(scenario.lists)
    history = scenario.capture.astype(np.int64) @ (1 << np.arange(k - 1, -1, -1))
    keys, inverse = np.unique(history, return_inverse=True)
    labels = [
        ";".join(s.code for j, s in enumerate(scenario.lists) if key >> (k - 1 - j) & 1)
        for key in keys.tolist()
    ]
    lists = np.array(labels, dtype=object)[inverse]
    days = np.unique(np.concatenate([pop.birth_day, pop.death_day]))
    iso = dict(zip(days.tolist(), (from_day(d).isoformat() for d in days.tolist()), strict=True))
    ids = pop.ids
    sibling = np.where(pop.sibling_of >= 0, ids[np.maximum(pop.sibling_of, 0)], "")
    columns = (
        ids,
        pop.persian_names(),
        pop.latin_names(),
        given_fa[pop.given],
        family_fa[pop.family],
        given_la[pop.given],
        family_la[pop.family],
        pop.father_names(persian=True),
        pop.father_names(persian=False),
        np.where(pop.seyyed, "Seyyed", ""),
        np.where(pop.female, "F", "M"),
        [iso[d] for d in pop.birth_day.tolist()],
        pop.birth_year.tolist(),
        [iso[d] for d in pop.death_day.tolist()],
        pop.age.tolist(),
        np.array([p.latin[0] for p in PRISONS], dtype=object)[pop.prison],
        np.array([c.latin[0] for c in CITIES], dtype=object)[pop.city],
        np.array([a.code for a in AFFILIATIONS], dtype=object)[pop.affiliation],
        sibling,
        lists,
    )
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(POPULATION_FIELDS)
        writer.writerows(zip(*(_plain(c) for c in columns), strict=True))
    return path
