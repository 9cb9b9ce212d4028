"""Estimators for designs made by :mod:`sim.sensitivity.sample`.

Results are tidy DataFrames (one row per output x parameter) so several
outputs of one model (costs per payer, break-even year, ...) can be analysed
from one sweep and filtered, plotted or compared with ordinary pandas.

Sobol indices (:func:`sobol`):

* ``S1`` - Saltelli et al. (2010) estimator ``mean(f(B) (f(AB_i) - f(A))) / V``
  (default) or Jansen (1999) ``1 - mean((f(B) - f(AB_i))^2) / (2V)``;
* ``ST`` - Jansen (1999) ``mean((f(A) - f(AB_i))^2) / (2V)``;
* ``S2`` - Saltelli (2002) ``mean(f(BA_i) f(AB_j) - f(A) f(B)) / V - S1_i - S1_j``;
* ``V`` is the variance of the pooled ``A`` and ``B`` outputs.

Outputs are standardised (``(y - mean) / sd`` over all rows) first: the
indices are ratios and do not change, but the Saltelli-2010 ``S1`` estimator
is not shift-invariant in finite samples, and centring removes that noise
term. Confidence intervals are bootstrap intervals: the ``n`` base points are
resampled with replacement ``num_resamples`` times, and ``*_conf`` is the
half-width ``z * sd(bootstrap replicates)`` (normal approximation, ``z = 1.96``
for 95 %). These choices match SALib 1.6 exactly, which the tests use as a
reference. With scrambled Sobol' points the bootstrap (which assumes i.i.d.
points) is conservative: the true error is usually smaller.

Morris (:func:`morris`): elementary effects ``EE = dy / (+-delta)`` with the
step measured in fractions of each parameter's range, so ``mu_star`` of
different parameters is comparable ("output change per full range sweep"),
whatever their units. ``mu_star_conf`` is a bootstrap half-width over
trajectories.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm

__all__ = ["sobol", "morris", "second_order", "design_info", "output_columns"]

SOBOL_COLUMNS = ["output", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
S2_COLUMNS = ["output", "parameter_1", "parameter_2", "S2", "S2_conf"]
MORRIS_COLUMNS = ["output", "parameter", "mu", "mu_star", "sigma", "mu_star_conf"]

_FIRST_ORDER = ("saltelli2010", "jansen")


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


def _bootstrap_rng(seed, info: dict) -> np.random.Generator:
    # Default: a stream derived from the design seed, distinct from the one
    # that scrambled the design, so analysis is reproducible without a new seed.
    if seed is None:
        seed = np.random.SeedSequence([int(info["seed"]), 0x5EED])
    return np.random.default_rng(seed)


# ---------------------------------------------------------------------- Sobol
def _sobol_parts(y: np.ndarray, n: int, k: int, calc_second_order: bool):
    step = 2 * k + 2 if calc_second_order else k + 2
    blocks = y.reshape(n, step)
    a, b = blocks[:, 0], blocks[:, step - 1]
    ab = blocks[:, 1 : k + 1]
    ba = blocks[:, k + 1 : 2 * k + 1] if calc_second_order else None
    return a, b, ab, ba


_NO_VARIANCE = 1e-12  # variance of outputs scaled to unit standard deviation, counted as none


def _first(a, b, ab_i, var, estimator):
    if estimator == "saltelli2010":
        return np.mean(b * (ab_i - a), axis=0) / var
    return 1.0 - 0.5 * np.mean((b - ab_i) ** 2, axis=0) / var


def _total(a, ab_i, var):
    return 0.5 * np.mean((a - ab_i) ** 2, axis=0) / var


def sobol(
    design: pd.DataFrame | Mapping[str, Any],
    Y: Any,
    *,
    num_resamples: int = 1000,
    conf_level: float = 0.95,
    seed: int | np.random.SeedSequence | None = None,
    outputs: Sequence[str] | None = None,
    first_order: str = "saltelli2010",
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
    first_order:
        ``"saltelli2010"`` (default, as SALib) or ``"jansen"``.

    Returns
    -------
    DataFrame with columns ``output, parameter, S1, S1_conf, ST, ST_conf``.
    With a second-order design, ``S2`` is in ``attrs["S2"]``; use
    :func:`second_order` to get it as a DataFrame. An output that is constant, or so nearly
    constant that the A and B rows (or bootstrap resamples of them) have no variance, gets NaN
    indices (or NaN ``*_conf``) and a ``UserWarning`` that names it.
    """
    info = design_info(design, "sobol")
    if first_order not in _FIRST_ORDER:
        raise ValueError(f"first_order must be one of {_FIRST_ORDER}, got {first_order!r}")
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

    # One resample matrix for all outputs and parameters (as SALib), so
    # indices of different parameters are bootstrapped jointly.
    boot = _bootstrap_rng(seed, info).integers(n, size=(n, num_resamples))
    z = norm.ppf(0.5 + conf_level / 2)

    rows, s2_rows = [], []
    for out, y in columns.items():
        sd = y.std()
        if sd <= np.finfo(float).eps * max(1.0, abs(y.mean())):
            warnings.warn(f"output {out!r} is constant: its Sobol indices are undefined (NaN)", stacklevel=2)
            rows += [[out, p, np.nan, np.nan, np.nan, np.nan] for p in names]
            if s2:
                s2_rows += [[out, names[i], names[j], np.nan, np.nan] for i in range(k) for j in range(i + 1, k)]
            continue
        a, b, ab, ba = _sobol_parts((y - y.mean()) / sd, n, k, s2)
        var = np.var(np.r_[a, b])
        a_r, b_r = a[boot], b[boot]
        var_r = np.var(np.r_[a_r, b_r], axis=0)
        # The estimators divide by the variance of the A and B rows (of the output scaled to unit
        # standard deviation). Where it is nil but for rounding, the ratio is noise: undefined (NaN),
        # and said so in words rather than as numpy's 'invalid value encountered in divide'.
        flat = var_r <= _NO_VARIANCE
        if var <= _NO_VARIANCE:
            var = np.nan
            warnings.warn(f"output {out!r} hardly varies: the A and B rows have no variance, so its indices are "
                          "undefined (NaN); a larger n, or another output, is needed", stacklevel=2)
        elif flat.any():
            warnings.warn(f"output {out!r} hardly varies: {int(flat.sum())} of {num_resamples} bootstrap resamples "
                          "of the A and B rows have no variance, so its confidence intervals are undefined (NaN); "
                          "a larger n, or another output, is needed", stacklevel=2)
        var_r = np.where(flat, np.nan, var_r)
        with np.errstate(divide="ignore", invalid="ignore"):  # reported by the warning above
            s1 = np.empty(k)
            s1_r = np.empty((k, num_resamples))
            for i in range(k):
                s1[i] = _first(a, b, ab[:, i], var, first_order)
                s1_r[i] = _first(a_r, b_r, ab[boot, i], var_r, first_order)
                st = _total(a, ab[:, i], var)
                st_r = _total(a_r, ab[boot, i], var_r)
                rows.append([out, names[i], s1[i], z * s1_r[i].std(ddof=1), st, z * st_r.std(ddof=1)])
            if s2:
                for i in range(k):
                    for j in range(i + 1, k):
                        v = np.mean(ba[:, i] * ab[:, j] - a * b) / var - s1[i] - s1[j]
                        v_r = (
                            np.mean(ba[boot, i] * ab[boot, j] - a_r * b_r, axis=0) / var_r
                            - s1_r[i]
                            - s1_r[j]
                        )
                        s2_rows.append([out, names[i], names[j], v, z * v_r.std(ddof=1)])

    result = pd.DataFrame(rows, columns=SOBOL_COLUMNS)
    result.attrs["sensitivity"] = {
        "method": "sobol",
        "first_order": first_order,
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
    if not isinstance(design, pd.DataFrame):
        raise TypeError("morris analysis needs the design DataFrame itself (it reads the steps from it)")
    info = design_info(design, "morris")
    names = list(info["parameters"])
    k, r, delta = len(names), int(info["r"]), float(info["delta"])
    n_rows = r * (k + 1)
    if len(design) != n_rows:
        raise ValueError(f"design has {len(design)} rows, its metadata implies {n_rows}")
    if not 0 < conf_level < 1:
        raise ValueError("conf_level must be between 0 and 1")
    columns = output_columns(Y, n_rows, index=design.index, outputs=outputs)

    low = np.array([info["bounds"][p][0] for p in names])
    high = np.array([info["bounds"][p][1] for p in names])
    unit = (design[names].to_numpy(dtype=float) - low) / (high - low)
    steps = np.diff(unit.reshape(r, k + 1, k), axis=1)  # (r, k steps, k params)
    moved = np.abs(steps) > delta / 2
    if not (np.all(moved.sum(axis=2) == 1) and np.all(moved.sum(axis=1) == 1)):
        raise ValueError("design rows are not Morris trajectories (reordered or edited?)")
    changed = np.argmax(moved, axis=2)  # (r, k): parameter moved at each step
    sign = np.sign(np.take_along_axis(steps, changed[..., None], axis=2)[..., 0])

    rng = _bootstrap_rng(seed, info)
    boot = rng.integers(r, size=(num_resamples, r))
    z = norm.ppf(0.5 + conf_level / 2)
    rows = []
    t_index = np.arange(r)[:, None]
    for out, y in columns.items():
        ee_steps = np.diff(y.reshape(r, k + 1), axis=1) / (sign * delta)
        ee = np.empty((r, k))
        ee[t_index, changed] = ee_steps  # column i: effect of parameter i
        abs_ee = np.abs(ee)
        mu_star_boot = abs_ee[boot].mean(axis=1)  # (num_resamples, k)
        mu_star_conf = z * mu_star_boot.std(axis=0, ddof=1)
        sigma = ee.std(axis=0, ddof=1)
        for i, p in enumerate(names):
            rows.append([out, p, ee[:, i].mean(), abs_ee[:, i].mean(), sigma[i], mu_star_conf[i]])
    result = pd.DataFrame(rows, columns=MORRIS_COLUMNS)
    result.attrs["sensitivity"] = {
        "method": "morris",
        "num_resamples": int(num_resamples),
        "conf_level": float(conf_level),
        "design": info,
    }
    return result
