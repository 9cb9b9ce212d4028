"""The `sim` command: run, validate, report, trial, sweep, calibrate, bench, params.

Every subcommand validates its input before any work starts; a bad config exits with status 2
and a message naming the file, the key and what was expected.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import ConfigError


def _sets(values) -> dict:
    from .config import parse_set

    return dict(parse_set(v) for v in values or [])


def cmd_run(args) -> int:
    from .run.experiment import run_experiment, resolve_experiment

    exp = resolve_experiment(args.config, _sets(args.set))
    print(f"experiment {exp.name}: {len(exp.scenarios)} scenarios x {exp.replications} replications, "
          f"{exp.households:,} households, {exp.years} years from {exp.start_year}", file=sys.stderr)
    folder = run_experiment(exp, out=args.out, workers=args.workers, scheduler=args.scheduler,
                            progress=not args.quiet)
    print(folder)
    return 0


def cmd_validate(args) -> int:
    from .run.experiment import resolve_experiment

    exp = resolve_experiment(args.config, _sets(args.set))
    print(f"{args.config}: valid — {len(exp.scenarios)} scenarios ({', '.join(exp.scenarios)}), "
          f"{exp.replications} replications, {exp.households:,} households, {exp.years} years, config hash "
          f"{exp.config_hash}")
    return 0


def cmd_report(args) -> int:
    from .analysis.pipeline import analyse_folder

    print(analyse_folder(Path(args.results), language=args.language, only_report=True))
    return 0


def cmd_bench(args) -> int:
    from . import bench

    bench.run(args.households, args.years, bare=args.bare, seed=args.seed)
    return 0


def cmd_params(args) -> int:
    from .params import default_leaves

    print("| parameter | value | unit | source | range |\n|---|---|---|---|---|")
    for leaf in default_leaves().values():
        rng = "" if leaf.range is None else f"{leaf.range[0]} – {leaf.range[1]}"
        payer = f" (payer: {leaf.payer}, price year {leaf.price_year})" if leaf.payer else ""
        print(f"| `{leaf.key}` | {leaf.value} | {leaf.unit}{payer} | {leaf.source} | {rng} |")
    from .analysis.catalogue_table import catalogue_markdown

    print("\n" + catalogue_markdown())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sim", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="run an experiment config; prints the results folder last")
    p.add_argument("config")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="override any config key")
    p.add_argument("--out", default="results", help="folder for results (default: results)")
    p.add_argument("--workers", type=int, default=None, help="local processes (default: run.workers; 0 = all)")
    p.add_argument("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://host:8786")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("validate", help="check a config without running it")
    p.add_argument("config")
    p.add_argument("--set", action="append", metavar="KEY=VALUE")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("report", help="(re)write summary, charts and report.html of a results folder")
    p.add_argument("results")
    p.add_argument("--language", choices=["nl", "en"], default=None)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("bench", help="time one simulation; last line is household-months/s")
    p.add_argument("--households", type=int, default=24000)
    p.add_argument("--years", type=float, default=40)
    p.add_argument("--bare", action="store_true", help="every mechanism off, against an object-per-agent Mesa model")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("params", help="print every default parameter and the intervention catalogue (Markdown)")
    p.set_defaults(func=cmd_params)

    from .run.trial_cli import add_parser as add_trial
    add_trial(sub)
    try:
        from .sensitivity.cli import add_parser as add_sweep
        add_sweep(sub)
    except ImportError:
        pass
    try:
        from .calibrate.cli import add_parser as add_calibrate
        add_calibrate(sub)
    except ImportError:
        pass
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # Runs write to a temporary folder that is removed on interruption; sweeps and
        # calibrations keep their finished runs and say how to resume.
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
