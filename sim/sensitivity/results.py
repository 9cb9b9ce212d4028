"""The tables of a sweep, computed from its stored runs: outputs.csv (every run's inputs beside its
outputs), indices.csv | morris.csv (+ s2.csv), oneway.csv; then the charts
(:mod:`sim.analysis.sweep_charts`).

Everything here is a pure function of the spec, the design and the run results, so a finished
sweep can be re-analysed (`sim sweep --resume FOLDER`) without a single new run.
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from pathlib import Path

from ..files import write_text_atomic
from .design import replication_of, run_key

__all__ = ["analyse", "analysed_outputs", "ANALYSED_AS", "INDICES_COLUMNS", "OUTPUTS_FILE"]

#: Outputs that are NaN by design in some runs, and the finite stand-in the indices use.
ANALYSED_AS = {"break_even_year": "break_even_year_capped"}
INDICES_COLUMNS = ["output", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
#: Every design run's inputs beside its outputs; `sim discover` reads it.
OUTPUTS_FILE = "outputs.csv"


def analysed_outputs(spec: Mapping) -> list[str]:
    out = []
    for name in spec["outputs"]:
        name = ANALYSED_AS.get(name, name)
        if name not in out:
            out.append(name)
    return out


def _write_csv(path: Path, frame, **kwargs) -> None:
    write_text_atomic(path, frame.to_csv(**kwargs))


def analyse(spec: Mapping, design, results: Mapping[str, Mapping], folder: Path, notes: list[str]) -> list[str]:
    """Write outputs.csv, indices.csv | morris.csv (+ s2.csv), oneway.csv and charts; return file names.

    ``notes`` receives what the manifest and the screen should say about undefined indices.
    """
    from ..analysis.sweep_charts import draw_sweep_charts

    Y = _outputs_table(spec, design, results, folder)
    written = [OUTPUTS_FILE]
    result, s2 = _indices(spec, design, Y, notes)
    if spec["method"] == "sobol":
        result = result[INDICES_COLUMNS]
        _write_csv(folder / "indices.csv", result, index=False)
        written.append("indices.csv")
        if s2 is not None:
            _write_csv(folder / "s2.csv", s2, index=False)
            written.append("s2.csv")
    else:
        _write_csv(folder / "morris.csv", result, index=False)
        written.append("morris.csv")
    oneway = _oneway(spec, results) if spec["oneway"] else None
    if oneway is not None:
        _write_csv(folder / "oneway.csv", oneway, index=False)
        written.append("oneway.csv")
    charts = folder / "charts"
    charts.mkdir(exist_ok=True)
    written += [f"charts/{p}" for p in draw_sweep_charts(spec, result, oneway, charts)]
    return written


def _outputs_table(spec: Mapping, design, results: Mapping[str, Mapping], folder: Path):
    """Write outputs.csv (key, replication, the design's values, every output); return the outputs."""
    import pandas as pd

    from .model import OUTPUTS

    keys = [run_key(r) for r in design.index]
    Y = pd.DataFrame([{name: float(results[k][name]) for name in OUTPUTS} for k in keys], index=design.index)
    table = design.copy()
    table.insert(0, "replication", [replication_of(spec, r) for r in design.index])
    table.insert(0, "key", keys)
    table = pd.concat([table, Y], axis=1)
    table.index.name = "run"
    _write_csv(folder / OUTPUTS_FILE, table)
    return Y


def _indices(spec: Mapping, design, Y, notes: list[str]):
    """(indices of every analysed output, the S2 table or None); undefined ones NaN, with a note."""
    import pandas as pd

    from . import analyze

    frames, s2_frames = [], []
    for name in analysed_outputs(spec):
        res = _indices_of_output(spec, design, Y[[name]], notes)
        if spec["method"] == "sobol" and spec["calc_second_order"] and "S2" in res.attrs:
            s2_frames.append(analyze.second_order(res))
        frames.append(res)
    s2 = pd.concat(s2_frames, ignore_index=True) if s2_frames else None
    return pd.concat(frames, ignore_index=True), s2


def _indices_of_output(spec: Mapping, design, y, notes: list[str]):
    import numpy as np
    import pandas as pd

    from . import analyze

    name = y.columns[0]
    params = list(spec["parameters"])
    bad = int((~np.isfinite(y[name].to_numpy())).sum())
    if bad:
        notes.append(f"output {name!r}: {bad} of {len(y)} runs are not finite (NaN); its indices are NaN")
        cols = INDICES_COLUMNS if spec["method"] == "sobol" else analyze.MORRIS_COLUMNS
        return pd.DataFrame([[name, p] + [math.nan] * (len(cols) - 2) for p in params], columns=cols)
    estimate = analyze.sobol if spec["method"] == "sobol" else analyze.morris
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = estimate(design, y, num_resamples=spec["num_resamples"])
    for w in caught:
        text = str(w.message)
        notes.append(text if name in text else f"output {name!r}: {text}")
    numeric = list(res.columns[2:])
    void = ~np.isfinite(res[numeric].to_numpy(float)).all(axis=1)
    if void.any():
        # A nearly constant output: the A and B rows (or a bootstrap resample of them) have zero
        # variance and the ratio estimators divide by it. An estimate whose interval is undefined
        # is not reported: the whole row becomes NaN.
        res.loc[void, numeric] = math.nan
        notes.append(f"output {name!r}: the indices of {int(void.sum())} of {len(void)} parameters (or their "
                     "intervals) were not finite - the output hardly varies over the design's A and B rows - "
                     "and are reported as NaN; more runs (a larger n) or another output are needed")
    return res


def _oneway(spec: Mapping, results: Mapping[str, Mapping]):
    """Per output and parameter: the output at the parameter's low and high bound, others at defaults."""
    import pandas as pd

    ref = results["oneway__reference"]
    rows = []
    for name in analysed_outputs(spec):
        for key, p in spec["parameters"].items():
            lo, hi = results[f"oneway__{key}__low"][name], results[f"oneway__{key}__high"][name]
            rows.append({"output": name, "parameter": key, "low": p["range"][0], "high": p["range"][1],
                         "scale": p["scale"], "reference": float(ref[name]), "output_low": float(lo),
                         "output_high": float(hi), "swing": abs(float(hi) - float(lo))})
    return pd.DataFrame(rows)
