"""`sim discover`: PRIM finds boxes that are known, says so in two languages, refuses bad input
in one line, and gives the same files twice.

Most tests use a synthetic "finished sweep" folder (sweep.json, manifest.json, outputs.csv as a
sweep writes them) whose outcome is true exactly inside a known box; one runs a real tiny sweep.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.discover.prim import find_boxes
from sim.discover.rule import OutcomeRule
from sim.discover.sentences import box_sentence, fmt_significant

ROOT = Path(__file__).resolve().parents[1]
ESCALATION, NON_TAKE_UP = "prevention.escalation_reduction", "latent_demand.non_take_up"
BUDGET, ONSET = "levers.prevention.per_household", "hazards.finance.onset"
RANGES = {ESCALATION: (0.0, 0.6), NON_TAKE_UP: (0.0, 0.6), BUDGET: (25.0, 200.0), ONSET: (0.0005, 0.0075)}


def uniform(n: int, k: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(rng.uniform(size=(n, k)), columns=[f"x{i}" for i in range(k)])


def restricted(box) -> dict[str, str]:
    """{parameter: "low" | "high" | "both"}: which sides of each parameter the box restricts."""
    return {name: "both" if lo is not None and hi is not None else ("low" if lo is not None else "high")
            for name, (lo, hi) in box.limits.items()}


# ------------------------------------------------------------------------------ known boxes
def test_one_box_is_found_and_nothing_else_is_restricted():
    X = uniform(1000, 5, seed=1)
    cases = ((X.x0 < 0.3) & (X.x2 > 0.6)).to_numpy()
    boxes = find_boxes(X, cases)
    assert len(boxes) == 1  # what is left after the box holds no candidate
    box = boxes[0]
    assert restricted(box) == {"x0": "high", "x2": "low"}  # x1, x3, x4 are irrelevant and stay free
    assert box.limits["x0"][1] == pytest.approx(0.3, abs=0.02)
    assert box.limits["x2"][0] == pytest.approx(0.6, abs=0.02)
    assert box.coverage >= 0.95 and box.density >= 0.95
    assert box.mass == pytest.approx(0.3 * 0.4, abs=0.02)
    assert all(p <= 0.05 for sides in box.p_values.values() for p in sides if p is not None)
    tr = box.trajectory
    assert tr["chosen"].sum() == 1 and tr.loc[tr["chosen"], "step"].item() == box.step
    assert list(tr["coverage"])[0] == 1.0 and list(tr["density"])[0] == pytest.approx(cases.mean())


def test_two_boxes_are_found_by_covering():
    X = uniform(1000, 5, seed=1)
    cases = (((X.x0 < 0.3) & (X.x2 > 0.6)) | ((X.x1 > 0.7) & (X.x3 < 0.4))).to_numpy()
    boxes = find_boxes(X, cases)
    assert len(boxes) == 2
    found = {frozenset(restricted(b)): b for b in boxes}
    assert set(found) == {frozenset({"x0", "x2"}), frozenset({"x1", "x3"})}
    a, b = found[frozenset({"x0", "x2"})], found[frozenset({"x1", "x3"})]
    assert restricted(a) == {"x0": "high", "x2": "low"} and restricted(b) == {"x1": "low", "x3": "high"}
    assert a.limits["x0"][1] == pytest.approx(0.3, abs=0.03) and a.limits["x2"][0] == pytest.approx(0.6, abs=0.03)
    assert b.limits["x1"][0] == pytest.approx(0.7, abs=0.03) and b.limits["x3"][1] == pytest.approx(0.4, abs=0.03)
    assert sum(x.coverage for x in boxes) >= 0.95  # coverage is a share of all cases: they add up
    assert min(x.density for x in boxes) >= 0.9


def test_max_boxes_and_min_density_limit_what_is_reported():
    X = uniform(1000, 5, seed=1)
    cases = (((X.x0 < 0.3) & (X.x2 > 0.6)) | ((X.x1 > 0.7) & (X.x3 < 0.4))).to_numpy()
    assert len(find_boxes(X, cases, max_boxes=1)) == 1
    noise = np.random.default_rng(5).uniform(size=len(X)) < 0.2  # unrelated to X
    assert find_boxes(X, noise) == []  # no box, rather than an empty or chance box


def test_same_table_gives_the_same_boxes():
    X = uniform(600, 4, seed=3)
    cases = ((X.x1 > 0.5) & (X.x3 < 0.5)).to_numpy()
    first, second = find_boxes(X, cases), find_boxes(X, cases)
    assert [b.limits for b in first] == [b.limits for b in second]
    for a, b in zip(first, second):
        pd.testing.assert_frame_equal(a.trajectory, b.trajectory)


# ------------------------------------------------------------------------------ the rule
def test_rules_and_never_paying_back():
    years = np.array([3.0, 8.0, 9.0, np.nan])
    assert OutcomeRule("break_even_year", "within", 8).meets(years).tolist() == [True, True, False, False]
    assert OutcomeRule("break_even_year", "beyond", 8).meets(years).tolist() == [False, False, True, True]
    values = np.array([-1.0, 0.0, 2.0, np.nan])
    assert OutcomeRule("npv", "above", 0).meets(values).tolist() == [False, False, True, False]
    assert OutcomeRule("npv", "below", 0).meets(values).tolist() == [True, False, False, False]
    assert OutcomeRule("break_even_year", "within", 8).slug == "break_even_year-within-8"
    assert OutcomeRule("net_cost_municipality", "below", -2.5e5).slug == "net_cost_municipality-below--250000"


# ------------------------------------------------------------------------------ the sentences
def test_sentences_in_english_and_dutch():
    from sim.discover.prim import Box

    box = Box(number=1, limits={NON_TAKE_UP: (None, 0.1987), ESCALATION: (0.3012, None), "hazards.youth.escalate":
                                (0.8, 1.2549), "made.up_key": (None, 0.5)},
              p_values={}, coverage=0.7, density=0.85, mass=0.123, runs=10, hits=8, step=3, trajectory=pd.DataFrame())
    params = {"hazards.youth.escalate": {"scale": True, "unit": "factor on probability/month"}}
    rule = OutcomeRule("break_even_year", "within", 8)
    assert box_sentence(box, rule, params, "en") == (
        "The investment pays back within 8 years in 85% of runs where non-take-up is below 0.2, the escalation "
        "reduction by prevention is above 0.3, the escalation hazard in the youth domain is between 0.8× its "
        "default and 1.3× its default and 'made.up_key' is below 0.5. These runs are 70% of all runs where that "
        "happens, and 12% of all runs.")
    assert box_sentence(box, rule, params, "nl") == (
        "De investering verdient zich binnen 8 jaar terug in 85% van de runs waarin het niet-gebruik lager is dan "
        "0,2, de vermindering van escalatie door preventie hoger is dan 0,3, de escalatiekans in het jeugddomein "
        "tussen 0,8× de standaardwaarde en 1,3× de standaardwaarde ligt en 'made.up_key' lager is dan 0,5. Deze "
        "runs zijn 70% van alle runs waarin dat gebeurt, en 12% van alle runs.")
    money = OutcomeRule("net_cost_municipality", "below", 0)
    one = Box(number=1, limits={BUDGET: (57.3, None)}, p_values={}, coverage=1.0, density=0.9, mass=0.5, runs=4,
              hits=4, step=1, trajectory=pd.DataFrame())
    budget = {BUDGET: {"scale": False, "unit": "EUR/household/year"}}
    assert box_sentence(one, money, budget, "en").startswith(
        "The net extra cost to the municipality is below €0 in 90% of runs where the prevention budget per "
        "household is above €57.")
    assert box_sentence(one, money, budget, "nl").startswith(
        "Het netto kostenverschil voor de gemeente is lager dan € 0 in 90% van de runs waarin het preventiebudget per "
        "huishouden hoger is dan € 57.")
    assert [fmt_significant(x, "en") for x in (0.29864, 0.0023456, 1234.5, 0.0, -0.05)] == \
        ["0.3", "0.0023", "1,200", "0", "\u22120.05"]


def test_the_verb_agrees_with_a_plural_name():
    """'kosten' is plural in Dutch, 'cost' singular in English; 'years' and 'savings' plural in English."""
    from sim.discover.prim import Box

    def box(limits):
        return Box(number=1, limits=limits, p_values={}, coverage=1.0, density=0.9, mass=0.5, runs=4, hits=4,
                   step=1, trajectory=pd.DataFrame())

    cost, years = "prevention.cost_per_household_reached", "prevention.learning_years"
    units = {cost: {"scale": False, "unit": "EUR/year"}, years: {"scale": False, "unit": "years"}}
    rule = OutcomeRule("break_even_year", "within", 8)
    nl = box_sentence(box({cost: (None, 881.0), years: (1.5, 3.0)}), rule, units, "nl")
    assert "de jaarlijkse kosten per bereikt huishouden lager zijn dan € 881" in nl
    assert "het aantal jaren tot preventie volledig werkt tussen 1,5 en 3 ligt" in nl
    en = box_sentence(box({cost: (None, 881.0), years: (1.5, 3.0)}), rule, units, "en")
    assert "the yearly cost per household reached is below €881" in en
    assert "the years until prevention works fully are between 1.5 and 3" in en
    savings = OutcomeRule("savings_discounted", "above", 1e6)
    assert box_sentence(box({years: (None, 2.0)}), savings, units, "en").startswith(
        "The discounted savings are above")
    assert box_sentence(box({years: (None, 2.0)}), savings, units, "nl").startswith(
        "De verdisconteerde besparing is hoger dan")


# ------------------------------------------------------------------------------ a synthetic sweep folder
def synthetic_sweep(folder: Path, *, n: int = 800, seed: int = 7, finished: bool = True) -> Path:
    """A folder laid out like a finished sweep: the investment pays back within 8 years exactly
    where the escalation reduction is above 0.3 and non-take-up below 0.2; later where only the
    first holds; never elsewhere. Budget and onset play no part."""
    rng = np.random.default_rng(seed)
    inputs = pd.DataFrame({k: rng.uniform(lo, hi, n) for k, (lo, hi) in RANGES.items()})
    strong, reached = inputs[ESCALATION] > 0.3, inputs[NON_TAKE_UP] < 0.2
    years = np.where(strong & reached, 5.0, np.where(strong, 12.0, np.nan))
    table = inputs.copy()
    table.insert(0, "replication", 0)
    table.insert(0, "key", [f"run{i:05d}" for i in range(n)])
    table["npv"] = np.where(np.isnan(years), -1e5, 1e5)
    table["break_even_year"] = years
    table["net_cost_municipality"] = 1e5 - 4e5 * inputs[ESCALATION]
    table["multiproblem_end"] = rng.normal(size=n)  # noise: no box explains it
    table.index.name = "run"
    folder.mkdir(parents=True)
    table.to_csv(folder / "outputs.csv")
    spec = {"name": "synthetic", "experiment": {"years": 20},
            "parameters": {k: {"range": list(r), "scale": False, "unit": "EUR/household/year" if k == BUDGET
                               else "share"} for k, r in RANGES.items()}}
    (folder / "sweep.json").write_text(json.dumps({"format": 1, "spec": spec}), "utf-8")
    if finished:
        (folder / "manifest.json").write_text("{}", "utf-8")
    return folder


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    return synthetic_sweep(tmp_path_factory.mktemp("discover") / "synthetic-20260101T000000")


def test_discover_a_known_box_in_a_sweep_folder(synthetic, capsys):
    assert main(["discover", str(synthetic), "--outcome", "break_even_year", "--within", "8"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    folder = Path(out[-1])
    assert folder == synthetic / "discover-break_even_year-within-8"
    assert out[0].startswith("[en] box 1: The investment pays back within 8 years in 100% of runs where the "
                             "escalation reduction by prevention is above 0.3 and non-take-up is below 0.2.")
    assert out[1].startswith("[nl] box 1: De investering verdient zich binnen 8 jaar terug in 100% van de runs "
                             "waarin de vermindering van escalatie door preventie hoger is dan 0,3 en het "
                             "niet-gebruik lager is dan 0,2.")
    assert sorted(p.name for p in folder.iterdir()) == ["boxes.csv", "peeling.csv", "peeling.png", "peeling.svg",
                                                        "sentences.md", "summary.json"]
    boxes = pd.read_csv(folder / "boxes.csv")
    assert boxes["parameter"].tolist() == [ESCALATION, NON_TAKE_UP]  # budget and onset stay free
    assert boxes["density"].eq(1.0).all() and (boxes["coverage"] >= 0.95).all()
    assert boxes["low"].iloc[0] == pytest.approx(0.3, abs=0.02) and boxes["high"].iloc[1] == pytest.approx(0.2, abs=0.02)
    assert boxes[["sweep_low", "sweep_high"]].iloc[0].tolist() == [0.0, 0.6]
    peeling = pd.read_csv(folder / "peeling.csv")
    assert peeling["chosen"].sum() == 1 and peeling["step"].iloc[0] == 0
    summary = json.loads((folder / "summary.json").read_text("utf-8"))
    assert summary["rule"]["description"] == "break_even_year <= 8 (never pays back: not met)"
    assert summary["sentences"]["en"][0] in (folder / "sentences.md").read_text("utf-8")
    assert (folder / "peeling.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_discover_beyond_and_a_payer_saving(synthetic, capsys):
    """"Does not pay back within 8 years" is the L-shaped complement of the box: two boxes, the
    second described over the runs outside the first."""
    assert main(["discover", str(synthetic), "--outcome", "break_even_year", "--beyond", "8"]) == 0
    out, err = capsys.readouterr()
    assert "[en] box 1: The investment does not pay back within 8 years in 100% of runs where non-take-up is " \
           "above 0.2." in out
    assert "[en] box 2: The investment does not pay back within 8 years in 99% of runs outside box 1 where the " \
           "escalation reduction by prevention is below 0.3" in out
    assert "[nl] box 2: De investering verdient zich niet binnen 8 jaar terug in 99% van de runs buiten box 1 " \
           "waarin de vermindering van escalatie door preventie lager is dan 0,3" in out
    assert "count as meeting the rule" in err  # NaN = never pays back: beyond every N
    assert main(["discover", str(synthetic), "--outcome", "net_cost_municipality", "--below", "0"]) == 0
    out = capsys.readouterr().out
    folder = Path(out.strip().splitlines()[-1])
    assert "where the escalation reduction by prevention is above 0.2" in out
    assert pd.read_csv(folder / "boxes.csv")["low"].item() == pytest.approx(0.25, abs=0.015)  # 1e5 - 4e5 x < 0


def test_same_sweep_gives_identical_files(synthetic, capsys):
    argv = ["discover", str(synthetic), "--outcome", "npv", "--above", "0"]
    assert main(argv) == 0
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1])
    first = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert main(argv) == 0
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == first


# ------------------------------------------------------------------------------ bad input
def unfinished(tmp_path) -> Path:
    return synthetic_sweep(tmp_path / ".sweep-synthetic-20260101T000000", n=50, finished=False)


BAD = {
    "no folder": (lambda s, tmp: [str(tmp / "nowhere"), "--outcome", "npv", "--above", "0"], "no such folder"),
    "not a sweep": (lambda s, tmp: [str(tmp), "--outcome", "npv", "--above", "0"], "not a sweep folder"),
    "unfinished": (lambda s, tmp: [str(unfinished(tmp)), "--outcome", "npv", "--above", "0"],
                   "the sweep has not finished (no manifest.json)"),
    "not recorded": (lambda s, tmp: [str(s), "--outcome", "transmission_mp", "--above", "0"],
                     "the sweep did not record the outcome 'transmission_mp'; found 'transmission_mp'; expected one "
                     "of npv, break_even_year, net_cost_municipality, multiproblem_end"),
    "typo": (lambda s, tmp: [str(s), "--outcome", "nvp", "--above", "0"], "did you mean 'npv'?"),
    "none meets": (lambda s, tmp: [str(s), "--outcome", "break_even_year", "--within", "2"],
                   "none of the 800 runs meets break_even_year <= 2 (never pays back: not met): there is nothing "
                   "to tell apart (break_even_year ranges from 5 to 12, NaN in"),
    "every run meets": (lambda s, tmp: [str(s), "--outcome", "npv", "--above=-1e6"],
                        "every one of the 800 runs meets npv > -1e+06"),
    "within NaN": (lambda s, tmp: [str(s), "--outcome", "break_even_year", "--within", "nan"],
                   "key '--within': the threshold must be a positive, finite number; found nan"),
    "within inf": (lambda s, tmp: [str(s), "--outcome", "break_even_year", "--within", "inf"], "found inf"),
    "within negative": (lambda s, tmp: [str(s), "--outcome", "break_even_year", "--within", "-3"], "found -3.0"),
    "above NaN": (lambda s, tmp: [str(s), "--outcome", "npv", "--above", "nan"], "must be a finite number"),
    "unknown payer": (lambda s, tmp: [str(s), "--outcome", "net_cost_gemeente", "--below", "0"],
                      "unknown payer 'gemeente'; found 'net_cost_gemeente'; expected net_cost_ followed by one of "
                      "municipality, central_government, health_insurer, wlz_office, total"),
    "within on npv": (lambda s, tmp: [str(s), "--outcome", "npv", "--within", "8"], "applies to break_even_year only"),
    "min density": (lambda s, tmp: [str(s), "--outcome", "npv", "--above", "0", "--min-density", "1.5"],
                    "key '--min-density'"),
    "no box": (lambda s, tmp: [str(s), "--outcome", "multiproblem_end", "--above", "0"],
               "PRIM found no box of runs where multiproblem_end > 0 holds in at least 50% of them with only "
               "significant restrictions"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_one_line_and_exit_2(case, synthetic, tmp_path, capsys):
    argv, text = BAD[case]
    folders_before = sorted(p.name for p in synthetic.iterdir())
    assert main(["discover", *argv(synthetic, tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("error: ") and err.count("\n") == 1 and text in err, err
    assert out == ""
    assert sorted(p.name for p in synthetic.iterdir()) == folders_before  # nothing written, no empty box


def test_a_clean_run_prints_no_warning_and_keeps_matplotlib_settings(synthetic):
    """In a fresh interpreter with every warning shown: the workbench's import warnings are
    handled, and its import does not change matplotlib's colour cycle for later charts."""
    code = ("import matplotlib as mpl; cycle = mpl.rcParams['axes.prop_cycle']\n"
            "from sim.cli import main\n"
            f"assert main(['discover', {str(synthetic)!r}, '--outcome', 'npv', '--below', '0']) == 0\n"
            "assert mpl.rcParams['axes.prop_cycle'] == cycle\n")
    done = subprocess.run([sys.executable, "-W", "default", "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr, done.stderr


# ------------------------------------------------------------------------------ a real sweep
@pytest.fixture(scope="module")
def real_sweep(tmp_path_factory) -> Path:
    from test_sweep import sweep, write_config

    config = write_config(tmp_path_factory.mktemp("cfg"), name="discover", n=4,
                          outputs=["npv", "investment_discounted"])
    return sweep(config, tmp_path_factory.mktemp("out"), "--workers", "1")


def test_on_a_real_sweep_the_budget_explains_the_investment(real_sweep, capsys):
    """The discounted investment follows the budget per household (a lever of the scenario):
    PRIM must find a lower bound on the budget and nothing else."""
    runs = pd.read_csv(real_sweep / "outputs.csv")
    threshold = float(runs["investment_discounted"].median())
    argv = ["discover", str(real_sweep), "--outcome", "investment_discounted", "--above", repr(threshold)]
    assert main(argv) == 0
    out = capsys.readouterr().out.strip().splitlines()
    folder = Path(out[-1])
    boxes = pd.read_csv(folder / "boxes.csv")
    assert boxes["parameter"].tolist() == [BUDGET] and np.isnan(boxes["high"].iloc[0])
    low = boxes["low"].iloc[0]
    inside = runs[BUDGET] >= low
    assert (runs.loc[inside, "investment_discounted"] > threshold).mean() == pytest.approx(boxes["density"].iloc[0])
    assert "the prevention budget per household is above €" in out[0]
    first = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert main(argv) == 0
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == first


def _damaged_sweep(tmp, damage):
    folder = synthetic_sweep(tmp / "damaged-20260101T000000")
    damage(folder)
    return folder


def _rewrite_outputs(edit):
    def damage(folder):
        table = pd.read_csv(folder / "outputs.csv")
        table = edit(table)
        table.to_csv(folder / "outputs.csv", index=False)
    return damage


DAMAGED = {  # each was a traceback (AssertionError deep in PRIM, FileExistsError) or read silently
    "parameter NaN": (_rewrite_outputs(lambda t: t.assign(**{ESCALATION: np.nan})), "not a finite number"),
    "outcome text": (_rewrite_outputs(lambda t: t.assign(npv=t["npv"].astype(object).where(t.index > 2, "abc"))),
                     "key 'npv': outputs.csv holds an outcome that is not a number"),
    "rows cut": (_rewrite_outputs(lambda t: t.iloc[1::2]),
                 "does not hold the design's"),
    "cut mid-row": (lambda f: (f / "outputs.csv").write_bytes((f / "outputs.csv").read_bytes()[:-20]),
                    "cut off in its last row"),
    "outputs is a folder": (lambda f: ((f / "outputs.csv").unlink(), (f / "outputs.csv").mkdir()), "a folder"),
    "answer is a file": (lambda f: (f / "discover-npv-above-0").write_text("x"), "not a folder"),
}


@pytest.mark.parametrize("case", list(DAMAGED))
def test_a_damaged_sweep_folder_is_one_line_naming_the_file(case, tmp_path, capsys):
    damage, text = DAMAGED[case]
    folder = _damaged_sweep(tmp_path, damage)
    before = sorted(p.name for p in folder.iterdir())
    assert main(["discover", str(folder), "--outcome", "npv", "--above", "0"]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("error: ") and err.count("\n") == 1 and text in err and "Traceback" not in err, err
    assert sorted(p.name for p in folder.iterdir()) == before
