"""Known-answer tests for sim.analysis.summary, on synthetic tables built from known cost streams."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from sim.analysis.summary import (
    BREAK_EVEN_WITHIN,
    LEVEL_METRICS,
    Summary,
    break_even_index,
    cumulative_net_cost,
    differences,
    discount_factors,
    npv,
    replication_table,
    summarise,
    wilson_interval,
    yearly,
)
from sim.analysis.synthetic import demo_timeseries, make_streams, timeseries_from_yearly

WMO = "cost__wmo__municipality"
ZVW = "cost__zvw__health_insurer"
INV = "cost__voorliggend_veld_investment__municipality"


def metric(s: Summary, name: str, scenario: str = "invest") -> tuple[float, float, float]:
    return s.metric(scenario, name)


# ---------------------------------------------------------------- the synthetic generator itself


def test_generator_spreads_yearly_amounts_exactly():
    ts = timeseries_from_yearly(make_streams([120, 240], {WMO: [0, 60]}), replications=2)
    assert len(ts) == 2 * 2 * 24  # scenarios × replications × months
    inv = ts[(ts.scenario == "invest") & (ts.replication == 0)].groupby("year")[INV].sum()
    assert inv.tolist() == pytest.approx([120, 240])
    assert ts[(ts.scenario == "invest") & (ts.month == 0)][INV].iloc[0] == pytest.approx(10.0)


# ---------------------------------------------------------------- hand-checkable cases


def test_hand_case_undiscounted_npv_and_break_even():
    """Investment 100/yr for 5 years; savings 0, 0, then 60/yr from year 3 to year 12; rate 0.

    Cumulative net cost: 100 200 240 280 320 260 200 140 80 20 −40 −100 → NPV = 600 − 500 = 100,
    BCR = 600 / 500 = 1.2, break-even in year 11 (calendar 2035 when the run starts in 2025).
    """
    inv = [100] * 5 + [0] * 7
    sav = [0, 0] + [60] * 10
    ts = timeseries_from_yearly(make_streams(inv, {WMO: sav}), replications=3, start_year=2025)
    s = summarise(ts, discount_rate=0.0)

    assert metric(s, "npv") == pytest.approx((100, 100, 100))
    assert metric(s, "investment_discounted")[0] == pytest.approx(500)
    assert metric(s, "savings_discounted")[0] == pytest.approx(600)
    assert metric(s, "benefit_cost_ratio")[0] == pytest.approx(1.2)
    assert metric(s, "break_even_year")[0] == 11
    assert metric(s, "break_even_calendar_year")[0] == 2035
    assert metric(s, "p_break_even_horizon")[0] == 1.0
    assert metric(s, "p_break_even_4y")[0] == 0.0
    assert metric(s, "p_break_even_8y")[0] == 0.0
    assert metric(s, "p_break_even_12y")[0] == 1.0
    assert math.isnan(metric(s, "p_break_even_20y")[0])  # horizon 12 < 20 years: not knowable

    total = s.cumulative.query("view == 'total' and basis == 'nominal' and scenario == 'invest'")
    assert total.sort_values("year")["mean"].tolist() == pytest.approx(
        [100, 200, 240, 280, 320, 260, 200, 140, 80, 20, -40, -100]
    )
    # rate 0: discounted equals nominal
    disc = s.cumulative.query("view == 'total' and basis == 'discounted' and scenario == 'invest'")
    assert disc["mean"].to_numpy() == pytest.approx(total["mean"].to_numpy())
    # by line: investment line cumulates to 500, wmo to −600
    line = s.cumulative.query("view == 'line' and basis == 'nominal' and year == 2036")
    assert line.set_index("key").loc["voorliggend_veld_investment", "mean"] == pytest.approx(500)
    assert line.set_index("key").loc["wmo", "mean"] == pytest.approx(-600)
    assert s.meta["horizon_years"] == 12 and s.meta["first_year"] == 2025


def test_hand_case_discounted_by_hand():
    """Rate 2.25 %: invest 1000 in year 1; save 600 in years 2 and 3.

    NPV = −1000 + 600/1.0225 + 600/1.0225² = −1000 + 586.797066 + 573.884661 = 160.681727.
    Cumulative discounted net cost: 1000, 413.20, −160.68 → break-even in year 3.
    """
    ts = timeseries_from_yearly(make_streams([1000, 0, 0], {WMO: [0, 600, 600]}), replications=2)
    s = summarise(ts, discount_rate=0.0225)
    assert metric(s, "npv")[0] == pytest.approx(160.6817272, abs=1e-6)
    assert metric(s, "benefit_cost_ratio")[0] == pytest.approx(1160.6817272 / 1000, abs=1e-9)
    assert metric(s, "break_even_year")[0] == 3
    disc = s.cumulative.query("view == 'total' and basis == 'discounted'").sort_values("year")["mean"]
    assert disc.tolist() == pytest.approx([1000, 413.2029340, -160.6817272], abs=1e-6)
    nominal = s.cumulative.query("view == 'total' and basis == 'nominal'").sort_values("year")["mean"]
    assert nominal.tolist() == pytest.approx([1000, 400, -200])
    assert npv([1000, 0, 0], [0, 600, 600], 0.0225) == pytest.approx(160.6817272, abs=1e-6)


def test_exact_tie_counts_as_break_even_with_discounting():
    """Invest 100 in year 1, save 121 in year 3 at 10 %: 121 / 1.1² = 100 exactly → NPV 0, break-even year 3."""
    ts = timeseries_from_yearly(make_streams([100, 0, 0], {WMO: [0, 0, 121]}))
    s = summarise(ts, discount_rate=0.10)
    assert metric(s, "npv")[0] == pytest.approx(0.0, abs=1e-9)
    assert metric(s, "break_even_year")[0] == 3


def test_never_pays_back():
    ts = timeseries_from_yearly(make_streams([100] * 10, {WMO: [20] * 10}), replications=4)
    s = summarise(ts)
    assert metric(s, "npv")[0] < 0
    assert metric(s, "benefit_cost_ratio")[0] == pytest.approx(0.2)
    assert math.isnan(metric(s, "break_even_year")[0])
    assert metric(s, "p_break_even_horizon")[0] == 0.0
    assert s.replications.query("scenario == 'invest'")["break_even_year"].isna().all()
    assert metric(s, "p_break_even_8y")[0] == 0.0


def test_pays_back_but_to_another_payer():
    """Municipality invests 100/yr for 3 years; the health insurer saves 80/yr in years 2–10 (rate 0)."""
    ts = timeseries_from_yearly(make_streams([100, 100, 100] + [0] * 7, {ZVW: [0] + [80] * 9}), replications=2)
    s = summarise(ts, discount_rate=0.0)
    assert metric(s, "npv")[0] == pytest.approx(720 - 300)
    assert metric(s, "net_cost_municipality")[0] == pytest.approx(300)  # pays more
    assert metric(s, "net_cost_health_insurer")[0] == pytest.approx(-720)  # saves
    wp = s.wrong_pocket.set_index("payer")
    assert wp.loc["municipality", "mean"] > 0 > wp.loc["health_insurer", "mean"]
    assert wp.loc["total", "mean"] == pytest.approx(-420)
    assert list(s.wrong_pocket.columns) == ["scenario", "payer", "mean", "p05", "p95"]
    payer_view = s.cumulative.query("view == 'payer' and basis == 'nominal' and year == @s.meta['last_year']")
    assert payer_view.set_index("key")["mean"].to_dict() == pytest.approx(
        {"municipality": 300, "health_insurer": -720}
    )
    # break-even: cumulative 100, 120, 140, 60, −20 → year 5
    assert metric(s, "break_even_year")[0] == 5


def test_no_investment_gives_nan_ratio_and_no_break_even():
    ts = timeseries_from_yearly({"baseline": {WMO: [100, 100]}, "invest": {WMO: [90, 90]}})
    s = summarise(ts, discount_rate=0.0)
    assert math.isnan(metric(s, "benefit_cost_ratio")[0])
    assert math.isnan(metric(s, "break_even_year")[0])
    assert metric(s, "npv")[0] == pytest.approx(20)


# ---------------------------------------------------------------- break-even rule


@pytest.mark.parametrize(
    "cum, expected",
    [
        ([5, -1, 2, -3, -4], 4),  # dips below, comes back above, then stays below from year 4
        ([5, -1, -2, 1], math.nan),  # ends above zero
        ([-1, -2], 1),
        ([0, 0], 1),  # at or above means a tie counts
        ([3, 2, 1], math.nan),
        ([], math.nan),
    ],
)
def test_break_even_index(cum, expected):
    got = break_even_index(np.array(cum, dtype=float))
    assert (math.isnan(got) and math.isnan(expected)) or got == expected


def test_break_even_must_hold_to_the_end_of_horizon():
    # cumulative nominal: 100, −20, 60, −40 → break-even only from year 4
    ts = timeseries_from_yearly(make_streams([100, 0, 100, 0], {WMO: [0, 120, 20, 100]}))
    s = summarise(ts, discount_rate=0.0)
    assert metric(s, "break_even_year")[0] == 4


def test_discount_factors_convention():
    assert discount_factors([0, 1, 2], 0.0225).tolist() == pytest.approx([1.0, 1 / 1.0225, 1 / 1.0225**2])


# ---------------------------------------------------------------- replications, intervals, probabilities


def test_common_random_numbers_cancel_shared_noise():
    """Baseline level differs per replication; the scenario shares it → differences identical across reps."""
    reps = 6
    base = np.array([[1000 + 50 * r] * 4 for r in range(reps)], dtype=float)
    streams = {
        "baseline": {WMO: base, INV: np.zeros((reps, 4))},
        "invest": {WMO: base - np.array([0, 30, 30, 30]), INV: np.tile([50, 0, 0, 0], (reps, 1))},
    }
    s = summarise(timeseries_from_yearly(streams, replications=reps), discount_rate=0.0)
    m, lo, hi = metric(s, "npv")
    assert m == pytest.approx(40) and lo == pytest.approx(40) and hi == pytest.approx(40)


def test_mean_and_percentiles_over_replications():
    reps = 20
    scale = np.arange(reps, dtype=float)  # replication r saves 10·r per year in years 2 and 3
    ts = timeseries_from_yearly(
        make_streams([100, 0, 0], {WMO: lambda r: [0, 10 * scale[r], 10 * scale[r]]}), replications=reps
    )
    s = summarise(ts, discount_rate=0.0)
    npvs = 20 * scale - 100
    m, lo, hi = metric(s, "npv")
    assert m == pytest.approx(npvs.mean())
    assert lo == pytest.approx(np.quantile(npvs, 0.05))
    assert hi == pytest.approx(np.quantile(npvs, 0.95))
    # break-even: cum = 100, 100 − 10r, 100 − 20r → year 2 if r ≥ 10, year 3 if 5 ≤ r < 10, never if r < 5
    be = s.replications.query("scenario == 'invest'").set_index("replication")["break_even_year"]
    assert be.loc[12] == 2 and be.loc[7] == 3 and math.isnan(be.loc[3])
    p, plo, phi = metric(s, "p_break_even_horizon")
    assert p == pytest.approx(15 / 20)
    assert (plo, phi) == pytest.approx(wilson_interval(15, 20))
    assert plo < p < phi
    finite = be.dropna().to_numpy()
    assert metric(s, "break_even_year")[0] == pytest.approx(finite.mean())


def test_wilson_interval_known_values():
    lo, hi = wilson_interval(5, 10)
    assert lo == pytest.approx(1 - hi)  # symmetric at p = 0.5
    # z = 1.6449: half-width = z·sqrt(.25/10 + z²/400) / (1 + z²/10) = 0.23073
    assert (lo, hi) == pytest.approx((0.26927, 0.73073), abs=1e-5)
    lo0, hi0 = wilson_interval(0, 10)
    assert lo0 == 0.0 and hi0 == pytest.approx(1.6448536**2 / (10 + 1.6448536**2))


def test_summary_csv_frame_shape_and_metrics():
    ts = demo_timeseries(replications=6, years=12, households=500)
    s = summarise(ts)
    assert list(s.summary.columns) == ["scenario", "metric", "mean", "p05", "p95"]
    required = {
        "npv", "benefit_cost_ratio", "break_even_year", "p_break_even_horizon",
        *(f"p_break_even_{y}y" for y in BREAK_EVEN_WITHIN),
        "net_cost_municipality", "net_cost_central_government", "net_cost_health_insurer", "net_cost_wlz_office",
        *LEVEL_METRICS,
    }
    for scen in ("invest_50", "invest_100", "invest_200"):
        got = set(s.summary.query("scenario == @scen")["metric"])
        assert required <= got, required - got
    assert not s.summary.duplicated(["scenario", "metric"]).any()
    # the baseline gets the level indicators only
    assert set(s.summary.query("scenario == 'baseline'")["metric"]) == set(LEVEL_METRICS)
    # scenario order: baseline first, then as in the input
    assert list(dict.fromkeys(s.summary["scenario"])) == ["baseline", "invest_50", "invest_100", "invest_200"]
    # intervals are ordered
    ok = s.summary.dropna()
    assert (ok["p05"] <= ok["mean"] + 1e-9).all() and (ok["mean"] <= ok["p95"] + 1e-9).all()
    # tidy cumulative frame
    assert list(s.cumulative.columns) == ["scenario", "year", "view", "key", "basis", "mean", "p05", "p95"]
    assert set(s.cumulative["view"]) == {"payer", "line", "total"}
    assert set(s.cumulative["basis"]) == {"nominal", "discounted"}
    # payer view and line view both add up to the total
    last = s.cumulative.query("year == 2036 and basis == 'discounted' and scenario == 'invest_100'")
    total = last.query("view == 'total'")["mean"].iloc[0]
    assert last.query("view == 'payer'")["mean"].sum() == pytest.approx(total)
    assert last.query("view == 'line'")["mean"].sum() == pytest.approx(total)
    # net cost of all payers at horizon = −NPV (per replication, hence in the mean)
    reps = s.replications.query("scenario == 'invest_100'")
    payer_cols = [c for c in reps.columns if c.startswith("net_cost_") and c != "net_cost_total"]
    assert reps[payer_cols].sum(axis=1).to_numpy() == pytest.approx(-reps["npv"].to_numpy())


# ---------------------------------------------------------------- yearly aggregation and indicators


def test_partial_first_year_and_aggregation_rules():
    n = 18  # July 2025 .. December 2026
    extra = {
        s: {
            "gate__queue": np.arange(n, dtype=float),
            "gate__served": np.r_[np.zeros(n - 2), 10.0, 30.0],
            "gate__wait_mean_weeks": np.r_[np.full(n - 2, 99.0), 2.0, 6.0],
            "flow__referral_back__finance": np.ones(n),
        }
        for s in ("baseline", "invest")
    }
    ts = timeseries_from_yearly(
        make_streams([60, 120], {WMO: [0, 0]}), start_month=7, n_months=n, extra=extra
    )
    yr = yearly(ts)
    inv = yr.query("scenario == 'invest'").set_index("year")
    assert inv["months"].tolist() == [6, 12]
    assert inv[INV].tolist() == pytest.approx([60, 120])  # flows: summed
    assert inv["gate__queue"].tolist() == [5, 17]  # stocks: last month of the year
    assert inv["year_index"].tolist() == [0, 1]
    # weighted by served: 2025 has no one served → plain mean; 2026: (10·2 + 30·6) / 40 = 5
    assert inv.loc[2025, "gate__wait_mean_weeks"] == pytest.approx(99.0)
    assert inv.loc[2026, "gate__wait_mean_weeks"] == pytest.approx(5.0)
    s = summarise(ts, discount_rate=0.0)
    assert s.meta["first_year"] == 2025 and s.meta["horizon_years"] == 2
    assert metric(s, "referrals_back")[0] == pytest.approx(4 * 18)  # 4 domains × 18 months × 1
    assert metric(s, "gate_wait_mean_weeks")[0] == pytest.approx(5.0)


def test_quality_and_generation_indicators():
    n = 24
    hh = 1000.0
    sr_start, sr_end = 600.0, 700.0

    def ramp(a, b):
        return np.linspace(a, b, n)

    extra = {
        "baseline": {},
        "invest": {
            **{f"hh__{d}__self_reliant": ramp(sr_start, sr_end) for d in ("finance", "work", "youth", "health")},
            **{f"hh__{d}__emerging": ramp(hh - sr_start - 240, hh - sr_end - 240) for d in ("finance", "work", "youth", "health")},
            "flow__to_maatwerk__youth": np.full(n, 3.0),
            "flow__to_specialist__youth": np.full(n, 2.0),
            "gate__served": np.full(n, 10.0),
            "gate__served_over_8w": np.full(n, 4.0),
            "gen__childhood_mp__adults": ramp(0, 20),
            "gen__childhood_mp__now_mp": ramp(0, 5),
            "gen__childhood_not_mp__adults": ramp(0, 0),
            "gen1__cost": np.full(n, 10.0),
            "gen2__cost": np.full(n, 5.0),
        },
    }
    ts = timeseries_from_yearly(make_streams([0, 0], {WMO: [0, 0]}), extra=extra)
    s = summarise(ts, discount_rate=0.0225)
    assert s.meta["self_reliance_method"] == "domain_mean"
    # default neutral levels sum to the household count: shares 0.6 → 0.7
    assert metric(s, "self_reliance_growth")[0] == pytest.approx(0.1)
    assert metric(s, "delta_self_reliance_growth")[0] == pytest.approx(0.1)
    assert metric(s, "flow_heavier_care")[0] == pytest.approx(
        24 * (3 + 2) + 24 * 1 * 2 * 3  # youth overridden; other 3 domains keep the neutral 1 per kind
    )
    assert metric(s, "gate_share_over_8w")[0] == pytest.approx(0.4)
    assert metric(s, "transmission_mp")[0] == pytest.approx(0.25)
    assert math.isnan(metric(s, "transmission_not_mp")[0])  # no adults yet → NaN, not 0
    assert metric(s, "second_generation_cost")[0] == pytest.approx(180 + 180 / 1.0225)
    assert metric(s, "second_generation_cost", "baseline")[0] == 0


def test_self_reliance_prefers_highest_level_columns():
    ts = demo_timeseries(replications=2, years=3, households=400)
    s = summarise(ts)
    assert s.meta["self_reliance_method"] == "highest"
    first = ts.query("scenario == 'invest_100' and replication == 0 and month == 0")
    last = ts.query("scenario == 'invest_100' and replication == 0 and month == 35")
    levels = [c for c in ts.columns if c.startswith("hh__any__")]
    share = lambda f: float(f["hh__any__self_reliant"].iloc[0] / f[levels].sum(axis=1).iloc[0])  # noqa: E731
    got = s.replications.query("scenario == 'invest_100' and replication == 0")["self_reliance_growth"].iloc[0]
    assert got == pytest.approx(share(last) - share(first))


# ---------------------------------------------------------------- errors and persistence


def test_missing_baseline_is_an_error():
    ts = timeseries_from_yearly(make_streams([1], {WMO: [1]}))
    with pytest.raises(ValueError, match="baseline"):
        summarise(ts, baseline="status_quo")


def test_missing_columns_are_an_error():
    with pytest.raises(ValueError, match="lacks columns"):
        summarise(pd.DataFrame({"scenario": ["baseline"], "month": [0]}))


def test_replication_without_baseline_twin_is_dropped_with_warning():
    ts = timeseries_from_yearly(make_streams([100, 0], {WMO: [0, 150]}), replications=3)
    ts = ts[~((ts.scenario == "baseline") & (ts.replication == 2))]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = summarise(ts, discount_rate=0.0)
    assert any("no baseline twin" in str(w.message) for w in caught)
    assert len(s.replications.query("scenario == 'invest'").dropna(subset=["npv"])) == 2


def test_duplicate_rows_are_counted():
    ts = timeseries_from_yearly(make_streams([1], {WMO: [1]}))
    twice, thrice = ts.iloc[[3]], ts.iloc[[17, 17]]  # one row repeated once, another twice: 3 extra rows
    with pytest.raises(ValueError, match="^3 duplicate scenario"):
        summarise(pd.concat([thrice, ts, twice], ignore_index=True))


def test_replication_table_rows_columns_and_twins():
    """Baseline first, then scenarios as they first appear, replications ascending; a replication
    without a baseline twin keeps its levels but gets no differences; the row order of the input
    does not matter."""
    streams = {"plan_b": {INV: [100, 0], WMO: [0, -150]}, "status_quo": {WMO: [0, 0]},
               "a_plan": {INV: [50, 0], WMO: [0, -40]}}
    extra = {name: {"flow__referral_back__work": lambda rep, k=k: np.full(24, float(k + rep))}
             for k, name in enumerate(streams)}
    ts = timeseries_from_yearly(streams, replications=3, extra=extra)
    ts = ts[~((ts.scenario == "status_quo") & (ts.replication == 2))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reps, horizon = replication_table(ts, baseline="status_quo", discount_rate=0.0)
        # rows shuffled within each scenario, which keeps the scenarios' order of appearance
        first = ts.scenario.map({s: i for i, s in enumerate(pd.unique(ts.scenario))})
        shuffled = ts.sample(frac=1.0, random_state=1).iloc[np.argsort(first.sample(frac=1.0, random_state=1), kind="stable")]
        again, _ = replication_table(shuffled, baseline="status_quo", discount_rate=0.0)
    pd.testing.assert_frame_equal(again, reps, check_exact=True)
    assert horizon == 2
    assert list(zip(reps.scenario, reps.replication)) == [
        ("status_quo", 0), ("status_quo", 1), ("plan_b", 0), ("plan_b", 1), ("plan_b", 2),
        ("a_plan", 0), ("a_plan", 1), ("a_plan", 2)]
    assert reps.columns[:4].tolist() == ["scenario", "replication", "investment_discounted", "savings_discounted"]
    assert reps["npv"].tolist()[2:] == pytest.approx([50, 50, math.nan, -10, -10, math.nan], nan_ok=True)
    # referrals: 24 months of (scenario number + replication) in one domain, 1 a month in the other three
    assert reps["referrals_back"].tolist() == [24 * (1 + r) + 72 for r in (0, 1)] + [
        24 * (0 + r) + 72 for r in (0, 1, 2)] + [24 * (2 + r) + 72 for r in (0, 1, 2)]
    assert reps["delta_referrals_back"].tolist() == pytest.approx(
        [math.nan, math.nan, -24, -24, math.nan, 24, 24, math.nan], nan_ok=True)


def test_differences_are_scenario_minus_baseline():
    ts = timeseries_from_yearly({"baseline": {WMO: [10, 10]}, "a": {WMO: [7, 12]}})
    d = differences(yearly(ts))
    assert d[WMO].tolist() == pytest.approx([-3, 2])
    c = cumulative_net_cost(d, discount_rate=0.0)
    assert c.query("view == 'total' and basis == 'nominal'")["mean"].tolist() == pytest.approx([-3, -1])


def test_summary_round_trip(tmp_path):
    s = summarise(demo_timeseries(replications=3, years=5, households=300))
    s.to_dir(tmp_path)
    assert (tmp_path / "summary.csv").exists()
    assert pd.read_csv(tmp_path / "summary.csv").columns.tolist() == ["scenario", "metric", "mean", "p05", "p95"]
    back = Summary.from_dir(tmp_path)
    pd.testing.assert_frame_equal(back.summary, s.summary, check_dtype=False)
    assert back.meta == s.meta
    assert back.metric("invest_50", "npv") == pytest.approx(s.metric("invest_50", "npv"))
    assert back.yearly is not None and len(back.yearly) == len(s.yearly)


def test_model_specific_columns_are_aggregated_by_kind():
    """Columns the model reports besides the brief's list: flows summed, rates averaged, stocks at year end."""
    n = 24
    extra = {
        s: {
            "demo__births": np.ones(n),
            "spell__youth__maatwerk__ended": np.full(n, 2.0),
            "gate__requests": np.full(n, 3.0),
            "gate__wait_hist__0m": np.full(n, 4.0),
            "prevention__new_contacts": np.full(n, 5.0),
            "prevention__effectiveness": np.r_[np.zeros(12), np.linspace(0, 1, 12)],
            "gen0__multiproblem": np.arange(n, dtype=float),
            "hh__any__self_reliant": np.full(n, 500.0),
        }
        for s in ("baseline", "invest")
    }
    ts = timeseries_from_yearly(make_streams([1, 1], {WMO: [0, 0]}), extra=extra)
    yr = yearly(ts).query("scenario == 'invest'").set_index("year")
    assert yr["demo__births"].tolist() == [12, 12]
    assert yr["spell__youth__maatwerk__ended"].tolist() == [24, 24]
    assert yr["gate__requests"].tolist() == [36, 36]
    assert yr["gate__wait_hist__0m"].tolist() == [48, 48]
    assert yr["prevention__new_contacts"].tolist() == [60, 60]
    assert yr["prevention__effectiveness"].tolist() == pytest.approx([0.0, 0.5])
    assert yr["gen0__multiproblem"].tolist() == [11, 23]
    assert yr["hh__any__self_reliant"].tolist() == [500, 500]
