"""`sim trial`: re-run the studies behind catalogue entries and compare with what they published."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
from pathlib import Path

from ..errors import ConfigError
from ..files import path_argument


def add_parser(sub) -> None:
    p = sub.add_parser("trial", help="re-run the trial behind a catalogue intervention (virtual trial)")
    p.add_argument("name", nargs="?", help="a catalogue intervention with a [trial] table")
    p.add_argument("--all", action="store_true", help="every intervention with a trial; writes a table and a forest plot")
    p.add_argument("--fit", action="store_true", help="fit the entry's rate ratios to the published effect and interval")
    p.add_argument("--households", type=int, default=None, help="population of each virtual trial (default 60,000)")
    p.add_argument("--out", default="results", type=path_argument, help="folder for --all (default: results)")
    p.add_argument("--language", choices=["nl", "en"], default="en")
    p.set_defaults(func=cmd_trial)


def _line(r) -> str:
    ci = f"{r.published_ci[0]:.3g}-{r.published_ci[1]:.3g}" if r.published_ci else "not published"
    verdict = "within" if r.within else "OUTSIDE"
    return (f"{r.id}: published {r.measure} {r.published:.3g} (95% CI {ci}); simulated {r.simulated:.3g} "
            f"(95% CI {r.simulated_ci[0]:.3g}-{r.simulated_ci[1]:.3g}), {r.participants:,} participants, "
            f"risk {r.risk_intervention:.3f} vs {r.risk_control:.3f} — {verdict} the published interval")


def cmd_trial(args) -> int:
    from .trial import TRIAL_HOUSEHOLDS, fitted_ratios, run_trial, trial_ids, trial_table

    households = args.households if args.households is not None else TRIAL_HOUSEHOLDS
    if not 1000 <= households <= 2_000_000:
        raise ConfigError("population out of range", key="--households", found=households,
                          expected="a whole number from 1,000 to 2,000,000")
    if args.all == bool(args.name):
        raise ConfigError("name one intervention or give --all", key="trial", found=args.name,
                          expected=" | ".join(trial_ids()) + " | --all")
    if args.name:
        from ..params.catalogue import entry

        entry(args.name)  # an unknown name is an error with a suggestion, before any work
        if args.fit:
            print(json.dumps(fitted_ratios(args.name, households=households), indent=2))
        print(_line(run_trial(args.name, households=households)))
        return 0
    results = []
    for name in trial_ids():
        results.append(run_trial(name, households=households))
        print(_line(results[-1]), file=sys.stderr)
    root = Path(args.out)
    root.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
    tmp = root / f".tmp-trials-{stamp}-{os.getpid()}"
    try:
        tmp.mkdir()
        trial_table(results).to_csv(tmp / "trials.csv", index=False)
        from ..analysis.charts import forest_plot

        forest_plot(results, language=args.language, out_dir=tmp)
        target = root / f"trials-{stamp}"
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    print(target)
    return 0 if all(r.within for r in results) else 1
