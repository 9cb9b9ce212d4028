"""Sobol and Morris analysis of designs made by :mod:`sim.sensitivity.sample`, computed by SALib.

Results are tidy DataFrames (one row per output x parameter) so several
outputs of one model (costs per payer, break-even year, ...) can be analysed
from one sweep and filtered, plotted or compared with ordinary pandas.

The estimators are SALib's (1.6; ``SALib.analyze.sobol`` and ``SALib.analyze.morris``).
Until 2026-12 this module held its own copies of the same estimators, tested equal
to SALib's to 1e-9; a maintained library replaces them (README, "Dependencies"). What
stays here is what SALib does not do:

* reading the design's layout from its metadata, and outputs from arrays, dicts or
  frames indexed by ``run`` (:func:`output_columns`);
* a bootstrap seed derived from the design seed, so the same call returns the same
  intervals without a seed of its own;
* an output that does not vary (or whose bootstrap resamples do not) gets NaN and a
  warning that names it, where SALib would return 0 or divide by zero;
* a check that a Morris design's rows are still trajectories (SALib reads the steps
  from the rows and trusts them).

Sobol indices (:func:`sobol`): ``S1`` Saltelli et al. (2010), ``ST`` Jansen (1999),
``S2`` Saltelli (2002), over outputs standardised to mean 0 and sd 1. The
``*_conf`` columns are half-widths ``z * sd`` of bootstrap replicates (the ``n``
base points resampled with replacement ``num_resamples`` times; normal
approximation, ``z = 1.96`` for 95 %). With scrambled Sobol' points the bootstrap
(which assumes i.i.d. points) is conservative: the true error is usually smaller.

Morris (:func:`morris`): elementary effects ``EE = dy / (+-delta)`` with the step
measured in fractions of each parameter's range, so ``mu_star`` of different
parameters is comparable ("output change per full range sweep"), whatever their
units. ``mu_star_conf`` is a bootstrap half-width over trajectories.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["sobol", "morris", "second_order", "design_info", "output_columns"]

SOBOL_COLUMNS = ["output", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
S2_COLUMNS = ["output", "parameter_1", "parameter_2", "S2", "S2_conf"]
MORRIS_COLUMNS = ["output", "parameter", "mu", "mu_star", "sigma", "mu_star_conf"]


# ------------------------------------------------------------ design & outputs
def design_info(design: pd.DataFrame | Mapping[str, Any], method: str | None = None) -> dict:
    """The layout metadata of a design: from ``design.attrs`` or the dict itself.

    Accepting the bare dict lets a sweep that stored its design as CSV (which
    drops ``attrs``) keep the metadata in a JSON file and still analyse it.
    """
    if isinstance(design, pd.DataFrame):
        info = design.attrs.get("sensitivity")
        if info is None:
            raise ValueError(
                "design has no attrs['sensitivity'] metadata (lost when saved as CSV "
                "or after concatenation); pass the metadata dict saved with the design instead"
            )
    elif isinstance(design, Mapping):
        info = design
    else:
        raise TypeError(f"design must be a DataFrame from sim.sensitivity.sample or its metadata dict, got {type(design).__name__}")
    if method is not None and info.get("method") != method:
        raise ValueError(f"design was made for {info.get('method')!r}, not {method!r}")
    return dict(info)


def output_columns(
    Y: Any, n_rows: int, *, index: pd.Index | None = None, outputs: Sequence[str] | None = None
) -> dict[str, np.ndarray]:
    """Normalise model outputs to ``{output name: 1-D float array}`` in design row order.

    Accepted ``Y``:

    * 1-D array: one output, named ``outputs[0]`` or ``"y"``;
    * 2-D array (rows x outputs): named by ``outputs`` or ``"y0", "y1", ...``;
    * dict ``{name: 1-D array}``, a Series or a DataFrame (columns = outputs).
      A Series/DataFrame whose index holds the design's ``run`` labels is
      aligned on it, so results gathered out of order are matched correctly.

    For named outputs, ``outputs`` selects (and orders) a subset.
    """
    named: dict[str, Any]
    if isinstance(Y, (pd.DataFrame, pd.Series)):
        frame = Y.to_frame(Y.name if Y.name is not None else "y") if isinstance(Y, pd.Series) else Y
        if index is not None and not frame.index.equals(index):
            if frame.index.has_duplicates or not index.isin(frame.index).all():
                raise ValueError("outputs are indexed but do not cover every design run exactly once")
            frame = frame.loc[index]
        named = {str(c): frame[c].to_numpy() for c in frame.columns}
    elif isinstance(Y, Mapping):
        named = {str(k): np.asarray(v) for k, v in Y.items()}
    else:
        arr = np.asarray(Y, dtype=float)
        if arr.ndim == 1:
            arr = arr[:, None]
        if arr.ndim != 2:
            raise ValueError(f"array outputs must be 1-D or 2-D, got shape {arr.shape}")
        if outputs is not None:
            if len(outputs) != arr.shape[1]:
                raise ValueError(f"{len(outputs)} output names for {arr.shape[1]} output columns")
            names = [str(o) for o in outputs]
        else:
            names = ["y"] if arr.shape[1] == 1 else [f"y{j}" for j in range(arr.shape[1])]
        return {name: _check_column(name, arr[:, j], n_rows) for j, name in enumerate(names)}

    if outputs is not None:
        missing = [o for o in outputs if o not in named]
        if missing:
            raise KeyError(f"outputs {missing} not among model outputs {list(named)}")
        named = {o: named[o] for o in outputs}
    return {name: _check_column(name, col, n_rows) for name, col in named.items()}


def _check_column(name: str, col: Any, n_rows: int) -> np.ndarray:
    arr = np.asarray(col, dtype=float)
    if arr.shape != (n_rows,):
        raise ValueError(f"output {name!r} has shape {arr.shape}, design has {n_rows} runs")
    if not np.all(np.isfinite(arr)):
        bad = int(np.sum(~np.isfinite(arr)))
        raise ValueError(
            f"output {name!r} has {bad} non-finite values; the estimators need every run "
            "(rerun or repair failed runs rather than dropping rows, which breaks the design)"
        )
    return arr


def _bootstrap_seed(seed, info: dict) -> np.random.SeedSequence:
    """The bootstrap's seed as a SeedSequence.

    Default: a stream derived from the design seed, distinct from the one that
    scrambled the design, so analysis is reproducible without a new seed. Why
    never a plain int: SALib's Sobol analysis tests ``if seed:`` and draws
    unseeded resamples for ``seed=0``; ``default_rng(SeedSequence(s))`` draws
    exactly what ``default_rng(s)`` does, so an int seed keeps its meaning.
    """
    if seed is None:
        return np.random.SeedSequence([int(info["seed"]), 0x5EED])
    if isinstance(seed, np.random.SeedSequence):
        return seed
    return np.random.SeedSequence(int(seed))


def _problem(names: Sequence[str], info: dict) -> dict:
    # A new dict per call: SALib adds keys ("groups") to the one it is given.
    return {"num_vars": len(names), "names": list(names), "bounds": [list(info["bounds"][p]) for p in names]}


# ---------------------------------------------------------------------- Sobol
_NO_VARIANCE = 1e-12  # variance of outputs scaled to unit standard deviation, counted as none


def sobol(
    design: pd.DataFrame | Mapping[str, Any],
    Y: Any,
    *,
    num_resamples: int = 1000,
    conf_level: float = 0.95,
    seed: int | np.random.SeedSequence | None = None,
    outputs: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Sobol indices with bootstrap confidence intervals from a Saltelli design.

    Parameters
    ----------
    design:
        DataFrame returned by :func:`sim.sensitivity.sample.saltelli`, or its
        ``attrs["sensitivity"]`` dict.
    Y:
        Model outputs aligned with the design rows; see :func:`output_columns`.
    num_resamples, conf_level:
        Bootstrap size and confidence level of the ``*_conf`` half-widths.
    seed:
        Bootstrap seed; default derives one from the design's seed.
    outputs:
        Names/subset of outputs, see :func:`output_columns`.

    Returns
    -------
    DataFrame with columns ``output, parameter, S1, S1_conf, ST, ST_conf``.
    With a second-order design, ``S2`` is in ``attrs["S2"]``; use
    :func:`second_order` to get it as a DataFrame. An output that is constant, or so nearly
    constant that the A and B rows (or bootstrap resamples of them) have no variance, gets NaN
    indices (or NaN ``*_conf``) and a ``UserWarning`` that names it.
    """
    info = design_info(design, "sobol")
    if not 0 < conf_level < 1:
        raise ValueError("conf_level must be between 0 and 1")
    if num_resamples < 2:
        raise ValueError("num_resamples must be >= 2")
    names = list(info["parameters"])
    k, n, s2 = len(names), int(info["n"]), bool(info["calc_second_order"])
    n_rows = n * (2 * k + 2 if s2 else k + 2)
    index = design.index if isinstance(design, pd.DataFrame) else pd.RangeIndex(n_rows, name="run")
    if len(index) != n_rows:
        raise ValueError(f"design has {len(index)} rows, its metadata implies {n_rows}")
    columns = output_columns(Y, n_rows, index=index, outputs=outputs)
    settings = {"num_resamples": int(num_resamples), "conf_level": float(conf_level),
                "seed": _bootstrap_seed(seed, info), "calc_second_order": s2}

    rows, s2_rows = [], []
    for out, y in columns.items():
        si = _sobol_of_output(out, y, names, info, settings)
        rows += [[out, p, si["S1"][i], si["S1_conf"][i], si["ST"][i], si["ST_conf"][i]] for i, p in enumerate(names)]
        if s2:
            s2_rows += [[out, names[i], names[j], si["S2"][i, j], si["S2_conf"][i, j]]
                        for i in range(k) for j in range(i + 1, k)]

    result = pd.DataFrame(rows, columns=SOBOL_COLUMNS)
    result.attrs["sensitivity"] = {
        "method": "sobol",
        "estimator": "SALib.analyze.sobol",
        "num_resamples": int(num_resamples),
        "conf_level": float(conf_level),
        "design": info,
    }
    if s2:
        # Plain lists, not a DataFrame: attrs are compared with == when pandas
        # combines frames, and DataFrames in attrs make that comparison raise.
        table = pd.DataFrame(s2_rows, columns=S2_COLUMNS)
        result.attrs["S2"] = {c: table[c].tolist() for c in S2_COLUMNS}
    return result


def _sobol_of_output(out: str, y: np.ndarray, names: list[str], info: dict, settings: dict) -> dict:
    """SALib's indices of one output, or NaN (with a warning in our words) where they are undefined."""
    from SALib.analyze import sobol as salib_sobol

    k, n, s2 = len(names), int(info["n"]), settings["calc_second_order"]
    undefined = {key: np.full(k, np.nan) for key in ("S1", "S1_conf", "ST", "ST_conf")}
    undefined.update(S2=np.full((k, k), np.nan), S2_conf=np.full((k, k), np.nan))
    sd = y.std()
    if sd <= np.finfo(float).eps * max(1.0, abs(y.mean())):
        warnings.warn(f"output {out!r} is constant: its Sobol indices are undefined (NaN)", stacklevel=3)
        return undefined
    no_variance, flat_resamples = _variance_of_a_and_b(y, n, k, s2, settings)
    # The estimators divide by the variance of the A and B rows (of the output scaled to unit
    # standard deviation). Where it is nil but for rounding, the ratio is noise: undefined (NaN),
    # and said so in words rather than as SALib's "constant values" warning, a 0, or numpy's
    # "invalid value encountered in divide".
    if no_variance:
        warnings.warn(f"output {out!r} hardly varies: the A and B rows have no variance, so its indices are "
                      "undefined (NaN); a larger n, or another output, is needed", stacklevel=3)
        return undefined
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # the cases SALib warns about are reported above
        si = salib_sobol.analyze(_problem(names, info), y, calc_second_order=s2,
                                 num_resamples=settings["num_resamples"], conf_level=settings["conf_level"],
                                 seed=settings["seed"])
    si = {key: np.asarray(si[key], dtype=float) for key in undefined if key in si}
    if flat_resamples:
        warnings.warn(f"output {out!r} hardly varies: {flat_resamples} of {settings['num_resamples']} bootstrap "
                      "resamples of the A and B rows have no variance, so its confidence intervals are undefined "
                      "(NaN); a larger n, or another output, is needed", stacklevel=3)
        for key in ("S1_conf", "ST_conf", "S2_conf"):
            if key in si:
                si[key] = np.full_like(si[key], np.nan)
    return si


def _variance_of_a_and_b(y: np.ndarray, n: int, k: int, s2: bool, settings: dict) -> tuple[bool, int]:
    """Whether the A and B rows of the standardised output have no variance, and in how many
    bootstrap resamples they have none.

    The resamples are SALib's own: ``default_rng(seed).integers(n, size=(n, num_resamples))``
    (SALib 1.6, ``sobol.analyze``), one matrix for every output and parameter.
    """
    step = 2 * k + 2 if s2 else k + 2
    scaled = (y - y.mean()) / y.std()
    a, b = scaled[0::step], scaled[step - 1::step]
    boot = np.random.default_rng(settings["seed"]).integers(n, size=(n, settings["num_resamples"]))
    var_r = np.var(np.r_[a[boot], b[boot]], axis=0)
    return bool(np.var(np.r_[a, b]) <= _NO_VARIANCE), int((var_r <= _NO_VARIANCE).sum())


def second_order(result: pd.DataFrame) -> pd.DataFrame:
    """The ``S2`` table (``output, parameter_1, parameter_2, S2, S2_conf``) of a Sobol result.

    Raises ``ValueError`` if the design had no second-order blocks.
    """
    table = result.attrs.get("S2")
    if table is None:
        raise ValueError("no S2 in this result: sample with calc_second_order=True")
    return pd.DataFrame(table, columns=S2_COLUMNS)


# --------------------------------------------------------------------- Morris
def morris(
    design: pd.DataFrame,
    Y: Any,
    *,
    num_resamples: int = 1000,
    conf_level: float = 0.95,
    seed: int | np.random.SeedSequence | None = None,
    outputs: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Morris screening measures from a :func:`sim.sensitivity.sample.morris` design.

    ``mu`` (mean elementary effect; signed, so effects of opposite sign
    cancel), ``mu_star`` (mean absolute effect; the screening measure),
    ``sigma`` (standard deviation; large means non-linearity or interactions)
    and ``mu_star_conf`` (bootstrap half-width of ``mu_star``).

    Needs the design's parameter values (not only its metadata), because the
    moved parameter of each step is read from the rows: that also verifies
    the rows are still in trajectory order.
    """
    from SALib.analyze import morris as salib_morris

    if not isinstance(design, pd.DataFrame):
        raise TypeError("morris analysis needs the design DataFrame itself (it reads the steps from it)")
    info = design_info(design, "morris")
    names = list(info["parameters"])
    k, r = len(names), int(info["r"])
    n_rows = r * (k + 1)
    if len(design) != n_rows:
        raise ValueError(f"design has {len(design)} rows, its metadata implies {n_rows}")
    if not 0 < conf_level < 1:
        raise ValueError("conf_level must be between 0 and 1")
    columns = output_columns(Y, n_rows, index=design.index, outputs=outputs)
    X = design[names].to_numpy(dtype=float)
    _check_trajectories(X, info)

    rows = []
    for out, y in columns.items():
        si = salib_morris.analyze(_problem(names, info), X, y, num_resamples=int(num_resamples),
                                  conf_level=float(conf_level), num_levels=int(info["levels"]),
                                  seed=_bootstrap_seed(seed, info))
        rows += [[out, p] + [float(si[key][i]) for key in MORRIS_COLUMNS[2:]] for i, p in enumerate(names)]
    result = pd.DataFrame(rows, columns=MORRIS_COLUMNS)
    result.attrs["sensitivity"] = {
        "method": "morris",
        "estimator": "SALib.analyze.morris",
        "num_resamples": int(num_resamples),
        "conf_level": float(conf_level),
        "design": info,
    }
    return result


def _check_trajectories(X: np.ndarray, info: dict) -> None:
    """Every step of every trajectory moves exactly one parameter by delta, and each parameter
    once: SALib takes the moved parameter of each step from the rows without checking them."""
    names = list(info["parameters"])
    k, r, delta = len(names), int(info["r"]), float(info["delta"])
    low = np.array([info["bounds"][p][0] for p in names])
    high = np.array([info["bounds"][p][1] for p in names])
    steps = np.diff(((X - low) / (high - low)).reshape(r, k + 1, k), axis=1)  # (r, k steps, k params)
    moved = np.abs(steps) > delta / 2
    still = np.diff(X.reshape(r, k + 1, k), axis=1) == 0  # SALib counts any change as a move
    if not (np.all(moved.sum(axis=2) == 1) and np.all(moved.sum(axis=1) == 1) and np.all(moved | still)):
        raise ValueError("design rows are not Morris trajectories (reordered or edited?)")
