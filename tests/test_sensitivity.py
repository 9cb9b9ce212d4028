"""Tests for sim.sensitivity: designs, estimators, convenience API."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from sim.sensitivity import analyze, morris, per_row, sample, second_order, sobol

PI = np.pi
ISHIGAMI_BOUNDS = {"x1": (-PI, PI), "x2": (-PI, PI), "x3": (-PI, PI)}


def ishigami(X, a=7.0, b=0.1):
    return np.sin(X[:, 0]) + a * np.sin(X[:, 1]) ** 2 + b * X[:, 2] ** 4 * np.sin(X[:, 0])


def ishigami_analytic(a=7.0, b=0.1):
    """Closed-form indices (Ishigami & Homma 1990; Sobol' & Levitan 1999)."""
    v1 = 0.5 * (1 + b * PI**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * PI**8 * (1 / 18 - 1 / 50)
    var = v1 + v2 + v13
    s1 = np.array([v1, v2, 0.0]) / var
    st = np.array([v1 + v13, v2, v13]) / var
    return s1, st, v13 / var


def unit_values(design: pd.DataFrame) -> np.ndarray:
    info = design.attrs["sensitivity"]
    low = np.array([info["bounds"][p][0] for p in info["parameters"]])
    high = np.array([info["bounds"][p][1] for p in info["parameters"]])
    return (design.to_numpy() - low) / (high - low)


def test_analytic_reference_values_match_the_literature():
    s1, st, s13 = ishigami_analytic()
    np.testing.assert_allclose(s1, [0.3139, 0.4424, 0.0], atol=1e-4)
    np.testing.assert_allclose(st, [0.5576, 0.4424, 0.2437], atol=1e-4)
    assert s13 == pytest.approx(0.2437, abs=1e-4)


# ------------------------------------------------------------------- designs
@pytest.mark.parametrize("engine", ["scipy", "sobol-seq"])
def test_saltelli_design_layout_and_balance(engine):
    n, k = 256, 3
    design = sample.saltelli(ISHIGAMI_BOUNDS, n, seed=11, calc_second_order=True, engine=engine)
    step = 2 * k + 2
    assert design.shape == (n * step, k)
    assert design.index.name == "run" and design.index.equals(pd.RangeIndex(n * step))
    assert list(design.columns) == list(ISHIGAMI_BOUNDS)
    assert design.attrs["sensitivity"]["engine"] == engine
    u = unit_values(design).reshape(n, step, k)
    a, b = u[:, 0], u[:, -1]
    for i in range(k):
        ab, ba = u[:, 1 + i], u[:, 1 + k + i]
        np.testing.assert_array_equal(np.delete(ab, i, axis=1), np.delete(a, i, axis=1))
        np.testing.assert_array_equal(ab[:, i], b[:, i])
        np.testing.assert_array_equal(np.delete(ba, i, axis=1), np.delete(b, i, axis=1))
        np.testing.assert_array_equal(ba[:, i], a[:, i])
    # Balance of the 2k base columns: a (0, m, 1)-net in every coordinate puts
    # exactly one point in each interval [j/n, (j+1)/n), hence uniform
    # marginals and a column mean within 1/(2n) of 0.5.
    base = np.hstack([a, b])
    assert np.all((base >= 0) & (base < 1))
    for col in base.T:
        assert np.array_equal(np.bincount((col * n).astype(int), minlength=n), np.ones(n, int))
        assert abs(col.mean() - 0.5) <= 1 / (2 * n)
    # A and B are not copies of each other (independent halves of the sequence).
    assert not np.allclose(a, b)


def test_sobol_seq_engine_limits_and_differs_from_scipy():
    many = {f"p{i}": (0.0, 1.0) for i in range(21)}  # 42 dims > sobol-seq's 40
    with pytest.raises(ValueError, match="at most 20 parameters"):
        sample.saltelli(many, 8, seed=1, engine="sobol-seq")
    sample.saltelli(many, 8, seed=1, engine="scipy")
    a = sample.saltelli(ISHIGAMI_BOUNDS, 64, seed=1, engine="sobol-seq")
    b = sample.saltelli(ISHIGAMI_BOUNDS, 64, seed=2, engine="sobol-seq")
    c = sample.saltelli(ISHIGAMI_BOUNDS, 64, seed=1, engine="scipy")
    assert not a.equals(b), "the seed must randomise the sobol-seq design"
    assert not a.equals(c)


@pytest.mark.parametrize("engine", ["scipy", "sobol-seq"])
def test_doubling_n_extends_the_design(engine):
    # Sweeps rely on this: keys derived from the run index stay valid at 2n.
    for calc_second_order in (False, True):
        small = sample.saltelli(ISHIGAMI_BOUNDS, 128, seed=9, engine=engine,
                                calc_second_order=calc_second_order)
        large = sample.saltelli(ISHIGAMI_BOUNDS, 256, seed=9, engine=engine,
                                calc_second_order=calc_second_order)
        pd.testing.assert_frame_equal(large.iloc[: len(small)], small, check_exact=True)
        assert not np.allclose(large.iloc[len(small):len(small) + 5].to_numpy(),
                               small.iloc[:5].to_numpy())


def test_design_argument_checks():
    with pytest.raises(ValueError, match="power of two"):
        sample.saltelli(ISHIGAMI_BOUNDS, 1000, seed=1)
    with pytest.raises(ValueError, match="low < high"):
        sample.saltelli({"a": (1.0, 0.0)}, 8, seed=1)
    with pytest.raises(TypeError, match="seed"):
        sample.saltelli(ISHIGAMI_BOUNDS, 8, seed=np.random.default_rng(1))
    with pytest.raises(ValueError, match="engine"):
        sample.saltelli(ISHIGAMI_BOUNDS, 8, seed=1, engine="halton")
    with pytest.raises(ValueError, match="even"):
        sample.morris(ISHIGAMI_BOUNDS, 4, seed=1, levels=5)


def test_morris_design_moves_each_parameter_once_by_delta_on_the_grid():
    bounds = {"a": (0.0, 1.0), "b": (-2.0, 2.0), "c": (10.0, 13.0), "d": (0.0, 0.5)}
    r, k, levels = 30, 4, 4
    design = sample.morris(bounds, r, seed=5, levels=levels)
    assert design.shape == (r * (k + 1), k)
    u = unit_values(design)
    grid = np.arange(levels) / (levels - 1)
    assert np.all(np.isclose(u[..., None], grid).any(axis=-1))
    steps = np.diff(u.reshape(r, k + 1, k), axis=1)
    moved = ~np.isclose(steps, 0)
    assert np.all(moved.sum(axis=2) == 1) and np.all(moved.sum(axis=1) == 1)
    np.testing.assert_allclose(np.abs(steps[moved]), levels / (2 * (levels - 1)))
    # Both directions and all grid levels occur.
    assert (steps[moved] > 0).any() and (steps[moved] < 0).any()
    assert set(np.round(u.ravel() * (levels - 1)).astype(int)) == set(range(levels))


# ---------------------------------------------------------------- estimators
def test_ishigami_indices_contain_analytic_values():
    s1, st, _ = ishigami_analytic()
    result = sobol(ishigami, ISHIGAMI_BOUNDS, 1024, seed=2024)
    assert list(result.columns) == ["output", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
    assert list(result.parameter) == ["x1", "x2", "x3"] and set(result.output) == {"y"}
    # No slack needed: the bootstrap half-widths (0.03-0.09 at n=1024) are
    # wider than the actual errors (~0.01) of the scrambled design.
    assert np.all(np.abs(result.S1 - s1) <= result.S1_conf)
    assert np.all(np.abs(result.ST - st) <= result.ST_conf)
    # ... and the point estimates are close in absolute terms, too.
    np.testing.assert_allclose(result.S1, s1, atol=0.03)
    np.testing.assert_allclose(result.ST, st, atol=0.03)
    # Half-widths are informative, not huge.
    assert result.S1_conf.max() < 0.15 and result.ST_conf.max() < 0.15


def test_ishigami_second_order():
    _, _, s13 = ishigami_analytic()
    result = sobol(ishigami, ISHIGAMI_BOUNDS, 1024, seed=7, calc_second_order=True)
    s2 = second_order(result)
    assert list(s2.columns) == ["output", "parameter_1", "parameter_2", "S2", "S2_conf"]
    assert [tuple(p) for p in s2[["parameter_1", "parameter_2"]].to_numpy()] == [
        ("x1", "x2"), ("x1", "x3"), ("x2", "x3")]
    expected = np.array([0.0, s13, 0.0])
    assert np.all(np.abs(s2.S2 - expected) <= s2.S2_conf)
    np.testing.assert_allclose(s2.S2, expected, atol=0.05)
    with pytest.raises(ValueError, match="calc_second_order"):
        second_order(sobol(ishigami, ISHIGAMI_BOUNDS, 64, seed=7))
    # S1 and ST of a second-order design come from the same blocks, read in its longer layout.
    s1, st, _ = ishigami_analytic()
    assert np.all(np.abs(result.S1 - s1) <= result.S1_conf) and np.all(np.abs(result.ST - st) <= result.ST_conf)


def test_bootstrap_seed_is_reproducible_and_zero_is_a_seed():
    """SALib's Sobol analysis draws unseeded resamples for seed=0 (it tests `if seed:`); the
    wrapper hands it a SeedSequence, so 0 is a seed like any other, an int seed s draws what
    default_rng(s) draws, and no seed derives one from the design's."""
    design = sample.saltelli(ISHIGAMI_BOUNDS, 64, seed=3)
    Y = ishigami(design.to_numpy())

    def analysed(seed=None):
        return analyze.sobol(design, Y, num_resamples=100, seed=seed)

    zero = analysed(0)
    pd.testing.assert_frame_equal(zero, analysed(0), check_exact=True)
    pd.testing.assert_frame_equal(zero, analysed(np.random.SeedSequence(0)), check_exact=True)
    assert not zero.equals(analysed(1))
    pd.testing.assert_series_equal(zero.S1, analysed(1).S1)  # the point estimates do not resample
    pd.testing.assert_frame_equal(analysed(), analysed(np.random.SeedSequence([3, 0x5EED])), check_exact=True)


def test_linear_model_has_known_indices():
    c = np.array([1.0, 2.0, 3.0, 0.5])
    bounds = {"a": (0.0, 1.0), "b": (0.0, 1.0), "c": (-1.0, 1.0), "d": (5.0, 9.0)}
    widths = np.array([hi - lo for lo, hi in bounds.values()])
    share = c**2 * widths**2 / 12
    share /= share.sum()  # S1 = ST = c_i^2 var_i / sum_j c_j^2 var_j
    result = sobol(lambda X: X @ c, bounds, 1024, seed=1)
    np.testing.assert_allclose(result.S1, share, atol=0.01)
    np.testing.assert_allclose(result.ST, share, atol=0.01)
    assert np.all(np.abs(result.S1 - share) <= result.S1_conf)
    assert result.S1.sum() == pytest.approx(1.0, abs=0.02)  # additive: no interactions
    assert np.all(np.abs(result.ST - result.S1) < 0.01)


def test_named_outputs_selection_and_run_alignment():
    def two_outputs(X):
        return {"ishigami": ishigami(X), "linear": X[:, 0] + 2 * X[:, 1]}

    both = sobol(two_outputs, ISHIGAMI_BOUNDS, 128, seed=4, num_resamples=100)
    assert list(both.output.unique()) == ["ishigami", "linear"]
    only = sobol(two_outputs, ISHIGAMI_BOUNDS, 128, seed=4, num_resamples=100, outputs=["linear"])
    pd.testing.assert_frame_equal(only, both[both.output == "linear"].reset_index(drop=True))
    # The linear output does not depend on x3 at all.
    lin = both[both.output == "linear"].set_index("parameter")
    assert lin.loc["x3", "ST"] == pytest.approx(0.0, abs=1e-12)

    # Unnamed 2-D output named through `outputs`; per_row adapter agrees.
    stacked = sobol(lambda X: np.column_stack([ishigami(X), X[:, 0] + 2 * X[:, 1]]),
                    ISHIGAMI_BOUNDS, 128, seed=4, num_resamples=100, outputs=["ishigami", "linear"])
    pd.testing.assert_frame_equal(stacked, both)
    scalar = per_row(lambda x1, x2, x3: float(ishigami(np.array([[x1, x2, x3]]))[0]), ISHIGAMI_BOUNDS)
    by_row = sobol(scalar, ISHIGAMI_BOUNDS, 128, seed=4, num_resamples=100)
    pd.testing.assert_frame_equal(by_row, stacked[stacked.output == "ishigami"]
                                  .reset_index(drop=True).assign(output="y"))

    # Outputs collected out of order but indexed by run are realigned.
    design = sample.saltelli(ISHIGAMI_BOUNDS, 128, seed=4)
    y = pd.Series(ishigami(design.to_numpy()), index=design.index, name="y")
    shuffled = y.sample(frac=1.0, random_state=0)
    pd.testing.assert_frame_equal(analyze.sobol(design, shuffled, seed=1),
                                  analyze.sobol(design, y.to_numpy(), seed=1))
    with pytest.raises(ValueError, match="every design run"):
        analyze.sobol(design, shuffled.iloc[:-1], seed=1)
    with pytest.raises(ValueError, match="non-finite"):
        analyze.sobol(design, np.where(design.index == 3, np.nan, y.to_numpy()), seed=1)


def test_split_api_survives_parquet_and_metadata_only(tmp_path):
    design = sample.saltelli(ISHIGAMI_BOUNDS, 256, seed=8, calc_second_order=True)
    Y = ishigami(design.to_numpy())
    direct = analyze.sobol(design, Y)
    design.to_parquet(tmp_path / "design.parquet")
    reread = pd.read_parquet(tmp_path / "design.parquet")
    pd.testing.assert_frame_equal(analyze.sobol(reread, Y), direct)
    # CSV loses attrs: keep the metadata as JSON and pass it instead.
    info = json.loads(json.dumps(design.attrs["sensitivity"]))
    from_info = analyze.sobol(info, Y)
    pd.testing.assert_frame_equal(from_info, direct)
    pd.testing.assert_frame_equal(second_order(from_info), second_order(direct))
    with pytest.raises(ValueError, match="metadata"):
        analyze.sobol(pd.DataFrame(design.to_numpy()), Y)
    with pytest.raises(ValueError, match="not 'morris'"):
        analyze.morris(design, Y)


def test_constant_output_gives_nan_with_warning():
    design = sample.saltelli(ISHIGAMI_BOUNDS, 64, seed=1)
    with pytest.warns(UserWarning, match="constant"):
        res = analyze.sobol(design, np.full(len(design), 3.0))
    assert res[["S1", "ST"]].isna().all().all()


def test_nearly_constant_output_is_reported_not_a_numpy_warning():
    """One A row differs: the point estimates exist, but resamples without that row have no
    variance. analyze.sobol says so in its own words, and numpy's divide warnings stay silent."""
    import warnings
    design = sample.saltelli(ISHIGAMI_BOUNDS, 64, seed=1)
    y = np.zeros(len(design))
    y[0] = 1.0  # row 0 is the first A row
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = analyze.sobol(design, y, num_resamples=200)
    messages = [str(w.message) for w in caught]
    assert not any(issubclass(w.category, RuntimeWarning) for w in caught), messages
    assert len(messages) == 1 and "hardly varies" in messages[0] and "bootstrap resamples" in messages[0]
    assert np.isfinite(res["S1"]).all() and res["S1_conf"].isna().all() and res["ST_conf"].isna().all()


# -------------------------------------------------------------------- Morris
def morris_test_function(X):
    # x2 has no effect; x1 linear (3 per unit); x3 quadratic; x4 interacts with x1.
    return 3 * X[:, 0] + 0 * X[:, 1] + X[:, 2] ** 2 + np.sin(4 * X[:, 3]) * X[:, 0]


MORRIS_BOUNDS = {"x1": (0.0, 1.0), "x2": (-2.0, 2.0), "x3": (10.0, 13.0), "x4": (0.0, 0.5)}


def test_morris_screens_out_a_parameter_without_effect():
    result = morris(morris_test_function, MORRIS_BOUNDS, 20, seed=3)
    assert list(result.columns) == ["output", "parameter", "mu", "mu_star", "sigma", "mu_star_conf"]
    by = result.set_index("parameter")
    assert by.loc["x2", "mu_star"] == 0.0 and by.loc["x2", "sigma"] == 0.0
    assert by.loc["x2", "mu_star_conf"] == 0.0
    # x3 (quadratic over a wide range) dominates; x1's effect is 3 * range
    # plus the interaction with x4 (sin(4 x4) in [0, 0.91]).
    assert by.mu_star.idxmax() == "x3"
    assert 3.0 <= by.loc["x1", "mu_star"] <= 3.0 + np.sin(2.0) + 1e-9
    assert by.loc["x3", "sigma"] > 0 and by.loc["x4", "sigma"] > 0
    assert np.all(result.mu_star >= np.abs(result.mu) - 1e-12)


def test_morris_exact_for_linear_and_refuses_edited_trajectories():
    design = sample.morris(MORRIS_BOUNDS, 12, seed=9)
    c = np.array([2.0, -1.0, 0.0, 4.0])
    widths = np.array([hi - lo for lo, hi in MORRIS_BOUNDS.values()])
    lin = analyze.morris(design, design.to_numpy() @ c)
    # Effects are per full range: mu = c_i * (high - low), no spread, so no bootstrap interval either.
    np.testing.assert_allclose(lin.mu, c * widths, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(lin.mu_star, np.abs(c) * widths, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(lin.sigma, 0.0, atol=1e-9)
    np.testing.assert_allclose(lin.mu_star_conf, 0.0, atol=1e-9)

    Y = morris_test_function(design.to_numpy())
    shuffled = design.sample(frac=1.0, random_state=1).reset_index(drop=True)
    shuffled.attrs = design.attrs
    with pytest.raises(ValueError, match="trajectories"):
        analyze.morris(shuffled, Y)
    # A parameter the first step does not move, nudged: SALib would count the nudge as a second move.
    unmoved = int(np.flatnonzero(design.iloc[1].to_numpy() == design.iloc[0].to_numpy())[0])
    nudged = design.copy()
    nudged.iloc[1, unmoved] += 1e-9
    with pytest.raises(ValueError, match="trajectories"):
        analyze.morris(nudged, Y)


# -------------------------------------------------------------- determinism
def test_same_seed_gives_identical_results_and_different_seed_does_not():
    a = sobol(ishigami, ISHIGAMI_BOUNDS, 256, seed=5, calc_second_order=True, num_resamples=200)
    b = sobol(ishigami, ISHIGAMI_BOUNDS, 256, seed=5, calc_second_order=True, num_resamples=200)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert a.attrs == b.attrs
    c = sobol(ishigami, ISHIGAMI_BOUNDS, 256, seed=6, calc_second_order=True, num_resamples=200)
    assert not np.allclose(a.S1, c.S1)

    m1 = morris(morris_test_function, MORRIS_BOUNDS, 10, seed=2)
    m2 = morris(morris_test_function, MORRIS_BOUNDS, 10, seed=2)
    pd.testing.assert_frame_equal(m1, m2, check_exact=True)
    assert not morris(morris_test_function, MORRIS_BOUNDS, 10, seed=3).equals(m1)
    pd.testing.assert_frame_equal(sample.morris(MORRIS_BOUNDS, 10, seed=2),
                                  sample.morris(MORRIS_BOUNDS, 10, seed=2), check_exact=True)
