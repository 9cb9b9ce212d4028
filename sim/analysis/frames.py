"""Tables by position: how the analysis keeps pandas' per-call cost off small tables.

A run's monthly table has a few hundred columns in dozens of pandas blocks, and a sweep
summarises one such table per evaluation. Looking columns up by name one at a time, grouping by
string keys, ``set_index``, ``merge`` and pandas' row takes cost far more than the arithmetic. So
the analysis finds its columns by position, takes each dtype's columns out as one array, sorts
and cuts rows with numpy and numbers the row groups itself.

Every number stays the one pandas gave before. Group sums and maxima of int64 are exact in any
order, so numpy does them. Float reductions stay pandas': it adds a group's floats with numpy's
``reduceat`` when the group numbers never decrease down the rows and the block has no NaN, else
with its own compensated loop, and the two can differ in the last bit; so pandas gets the rows,
the group numbers (:func:`group_labels`) and the blocks of columns it got before. Row sums stay
pandas' too (see :func:`row_sums`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.types import is_numeric_dtype

# (reduction, dtype) pairs numpy computes exactly as pandas does, whatever the order of the rows
_EXACT = {("sum", np.dtype(np.int64)): np.add, ("max", np.dtype(np.int64)): np.maximum}


def column_dtypes(frame: pd.DataFrame) -> dict:
    """``{column: dtype}`` in column order, read once rather than looked up by label."""
    return dict(zip(frame.columns.tolist(), frame.dtypes.tolist()))


def numeric_columns(frame: pd.DataFrame, exclude=()) -> list[str]:
    numeric: dict = {}  # a table has a handful of dtypes and hundreds of columns
    out = []
    for c, dtype in column_dtypes(frame).items():
        if c in exclude:
            continue
        if dtype not in numeric:
            numeric[dtype] = is_numeric_dtype(dtype)
        if numeric[dtype]:
            out.append(c)
    return out


def blocks(frame: pd.DataFrame, cols, rows=None) -> list[tuple[list[int], object]]:
    """``frame[cols]`` (at row positions ``rows``) by dtype: each dtype's positions in ``cols``
    and its values, a 2-D array for a numpy dtype, else a frame with positional columns."""
    dtypes = column_dtypes(frame)
    where = {c: i for i, c in enumerate(dtypes)}
    by: dict = {}
    for i, c in enumerate(cols):
        by.setdefault(dtypes[c], []).append(i)
    out = []
    for dtype, idx in by.items():
        sub = frame.take([where[cols[i]] for i in idx], axis=1)
        if isinstance(dtype, np.dtype):
            values = sub.to_numpy()
            out.append((idx, values if rows is None else values[rows]))
        else:
            sub = sub.set_axis(range(len(idx)), axis=1)
            out.append((idx, (sub if rows is None else sub.take(rows)).reset_index(drop=True)))
    return out


def values_of(series: pd.Series, rows=None):
    """A column's values (at ``rows``) in the form :func:`blocks` gives them."""
    if isinstance(series.dtype, np.dtype):
        values = series.to_numpy()
        return values if rows is None else values[rows]
    return pd.DataFrame({0: series.array if rows is None else series.array.take(rows)})


def array_of(x):
    """A Series' values: a numpy array for a numpy dtype, else its pandas array."""
    return x.to_numpy() if isinstance(x.dtype, np.dtype) else x.array


def column_at(series: pd.Series, rows):
    """:func:`array_of` a column at row positions ``rows``."""
    return series.to_numpy()[rows] if isinstance(series.dtype, np.dtype) else series.array.take(rows)


def positive(x):
    """``Series.where(x > 0)``: missing where not positive (a numpy int array becomes float)."""
    if isinstance(x, np.ndarray):
        return np.where(x > 0, x, np.nan)
    s = pd.Series(x)
    return s.where(s > 0).array


def fill_missing(x, y):
    """``Series.fillna``: ``x``, and ``y`` where ``x`` is missing."""
    if isinstance(x, np.ndarray) and isinstance(y, np.ndarray):
        return np.where(np.isnan(x), y, x)
    return pd.Series(x).fillna(pd.Series(y)).array


def spread(values, at, n: int):
    """``values`` placed at row positions ``at`` of ``n`` rows, missing elsewhere: what
    ``reindex`` (and a left merge) makes of them, ints turned float when a row is missing."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":
        at = np.asarray(at, dtype=np.intp)
        full = len(at) == n and (np.sort(at) == np.arange(n)).all()
        dtype = values.dtype if full or values.dtype.kind == "f" else np.dtype(float)
        out = np.empty(n, dtype) if full else np.full(n, np.nan, dtype)
        out[at] = values
        return out
    return pd.Series(values, index=at).reindex(range(n)).array


def block_frame(values, rows=None, cols=None) -> pd.DataFrame:
    """A block of :func:`blocks` (its ``rows`` and ``cols`` if given) as a frame with positional
    columns: one C-ordered pandas block for an array, as pandas' column selections gave."""
    if isinstance(values, np.ndarray):
        values = values if rows is None else values[rows]
        values = values if cols is None or values.ndim == 1 else values[:, cols]
        return pd.DataFrame(values)
    values = values if rows is None else values.take(rows).reset_index(drop=True)
    return values if cols is None else values.take(cols, axis=1).set_axis(range(len(cols)), axis=1)


def reduce_groups(values, labels: np.ndarray, how: str, cols=None) -> pd.DataFrame:
    """``groupby(labels, sort=True)`` of a block's rows (its ``cols`` if given) reduced by ``how``
    ("sum", "mean", "max", "cumsum"), one positional column per column, on a RangeIndex."""
    if cols is not None:
        values = values[:, cols] if isinstance(values, np.ndarray) else block_frame(values, cols=cols)
    ufunc = _EXACT.get((how, values.dtype)) if isinstance(values, np.ndarray) else None
    valid = np.flatnonzero(labels >= 0)  # NaN: a row groupby drops
    if ufunc is None or not valid.size:
        # Positional column names: given an array, pandas first tries it as a column label, and a
        # string column index formats the whole array for the error.
        frame = block_frame(values)
        frame = frame.set_axis(range(frame.shape[1]), axis=1)
        return getattr(frame.groupby(labels, sort=True), how)().reset_index(drop=True)
    group = labels[valid].astype(np.intp)
    if (np.diff(group) < 0).any():
        valid = valid[np.argsort(group, kind="stable")]
        group = labels[valid].astype(np.intp)
    starts = np.flatnonzero(np.diff(group, prepend=-1))
    return pd.DataFrame(ufunc.reduceat(values[valid], starts, axis=0))


def assemble(names, parts) -> pd.DataFrame:
    """One frame with columns ``names`` from ``parts``: (positions in ``names``, frame with
    positional columns) pairs, every frame on the same RangeIndex."""
    frame = pd.concat([p for _, p in parts], axis=1, ignore_index=True)
    order = np.argsort(np.concatenate([np.asarray(pos, dtype=np.intp) for pos, _ in parts]), kind="stable")
    if not (order == np.arange(len(order))).all():
        frame = frame.take(order, axis=1)
    return frame.set_axis(list(names), axis=1)


def take_columns(frame: pd.DataFrame, cols, rows) -> dict:
    """``{column: values at rows}`` as pandas returns group keys: an index level infers its
    dtype, so an object column of strings comes back as str."""
    out = {}
    for c in cols:
        values = column_at(frame[c], rows)
        out[c] = pd.Index(values).array if values.dtype == object else values
    return out


def codes(values) -> np.ndarray:
    """Integer codes in the sort order of the values (a Series or array); -1 for a missing value."""
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "iu":  # none missing: numpy's is cheaper
        return np.unique(np.asarray(values), return_inverse=True)[1]
    return pd.factorize(values, sort=True)[0]


def sort_order(*keys: np.ndarray) -> np.ndarray:
    """Row positions sorted by the key codes, as pandas' stable ``sort_values`` (missing last)."""
    return np.lexsort([np.where(k < 0, k.max(initial=0) + 1, k) for k in reversed(keys)])


def group_labels(*keys: np.ndarray, sort: bool) -> np.ndarray:
    """The group number pandas' ``groupby(keys, sort=sort)`` gives each row (keys as codes);
    passed back as ``groupby(labels, sort=True)``, pandas numbers the groups exactly so. Rows
    with a missing key get NaN, which groupby drops, as it drops them by their keys."""
    missing = np.zeros(len(keys[0]), dtype=bool)
    combined = np.zeros(len(keys[0]), dtype=np.int64)
    for k in keys:
        missing |= k < 0
        combined = pd.factorize(combined * (int(k.max(initial=0)) + 2) + k + 1, sort=True)[0]
    labels = np.full(len(combined), -1, dtype=np.int64)
    labels[~missing] = pd.factorize(combined[~missing], sort=sort)[0]
    return np.where(missing, np.nan, labels) if missing.any() else labels


def group_rows(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each group's first and last row position and its size, by group number."""
    valid = np.flatnonzero(labels >= 0)
    group = labels[valid].astype(np.intp)
    first = np.unique(group, return_index=True)[1]
    last = len(group) - 1 - np.unique(group[::-1], return_index=True)[1]
    return valid[first], valid[last], np.bincount(group)


def duplicate_count(frame: pd.DataFrame, cols) -> int:
    """``frame.duplicated(cols).sum()``: rows whose values in ``cols`` an earlier row has."""
    keys = [pd.factorize(frame[c])[0] for c in cols]  # missing values share one code, as there
    order = np.lexsort(keys[::-1])
    same = np.ones(max(len(order) - 1, 0), dtype=bool)
    for k in keys:
        k = k[order]
        same &= k[1:] == k[:-1]
    return int(same.sum())


def row_sums(frame: pd.DataFrame, cols, subsets, rows=None) -> pd.DataFrame:
    """``frame[[cols[i] for i in s]].sum(axis=1)`` (at ``rows``) for each list of positions
    ``s``, one positional column each, on a RangeIndex.

    The sums are pandas' own: it adds a row's columns in an order that depends on the block it
    is given (under six rows another order; its memory layout; how many blocks). Columns of one
    numpy dtype are given as one C-ordered block, the block pandas' column selection gave from
    the C-ordered tables the analysis made; other columns keep pandas' own selection.
    """
    parts = blocks(frame, cols, rows)
    if len(parts) == 1 and isinstance(parts[0][1], np.ndarray):
        values = parts[0][1]
        sums = [pd.DataFrame(values[:, s]).sum(axis=1).to_numpy() for s in subsets]
        return pd.DataFrame(np.column_stack(sums).reshape(len(values), len(subsets)))
    where = {c: i for i, c in enumerate(frame.columns.tolist())}
    sub = frame.take([where[c] for c in cols], axis=1)
    sub = (sub if rows is None else sub.take(rows)).reset_index(drop=True)
    return pd.concat([sub.take(s, axis=1).sum(axis=1) for s in subsets], axis=1, ignore_index=True)
