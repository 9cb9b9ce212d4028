"""The `sim` command: run, validate, report, trial, sweep, discover, calibrate, bench, params, app.

Every subcommand validates its input before any work starts; a bad config exits with status 2
and a message naming the file, the key and what was expected.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

from .errors import ConfigError
from .files import path_argument
from .run.store import StoreError


def _sets(values) -> dict:
    from .config import parse_set

    return dict(parse_set(v) for v in values or [])


def cmd_run(args) -> int:
    from .run.experiment import experiment_estimate, resolve_experiment, run_experiment
    from .run.resources import check_workers

    if (args.config is None) == (args.resume is None):
        raise ConfigError("give a config to run, or --resume FOLDER to finish a killed run", key="run",
                          expected="sim run CONFIG, or sim run --resume results/.tmp-...")
    if args.resume is not None:
        if args.set:
            raise ConfigError("--set cannot change a run being resumed", key="--set",
                              expected="sim run --resume FOLDER without --set (its config is stored)")
        folder = run_experiment(resume=args.resume, workers=args.workers, scheduler=args.scheduler,
                                progress=not args.quiet, force=args.force)
        print(folder)
        return 0
    exp = resolve_experiment(args.config, _sets(args.set))
    workers = check_workers(args.workers if args.workers is not None else exp.workers,
                            len(exp.scenarios) * exp.replications)
    print(f"experiment {exp.name}: {len(exp.scenarios)} scenarios x {exp.replications} replications, "
          f"{exp.households:,} households, {exp.years} years from {exp.start_year}; estimated "
          f"{experiment_estimate(exp, workers).describe()}", file=sys.stderr)
    folder = run_experiment(exp, out=args.out, workers=args.workers, scheduler=args.scheduler,
                            progress=not args.quiet, force=args.force)
    print(folder)
    return 0


def cmd_validate(args) -> int:
    """Any of the three kinds of config, told apart by its top table ([sweep], [calibration], else
    an experiment), checked by the loader its command uses, before any work."""
    from .files import read_toml

    data = read_toml(args.config)
    if "sweep" in data or "calibration" in data:
        if args.set:
            raise ConfigError("--set applies to experiment configs", key="--set", found=args.set,
                              expected="a sweep's [sweep.set] table, or the calibration config itself")
        if "sweep" in data:
            from .sensitivity.config import load_sweep

            spec = load_sweep(args.config)
            print(f"{args.config}: valid sweep — {spec['method']}, {len(spec['parameters'])} parameters, "
                  f"config hash {spec['config_hash']}")
        else:
            from .calibrate.config import load_config

            cfg = load_config(args.config)
            print(f"{args.config}: valid calibration — {len(cfg.priors)} parameters, {len(cfg.target_names)} "
                  f"targets, config hash {cfg.config_hash}")
        return 0
    from .params.posterior import parameter_draws
    from .run.experiment import experiment_estimate, resolve_experiment

    exp = resolve_experiment(args.config, _sets(args.set))
    parameter_draws(exp)  # the posterior file the run would use is read and checked too
    print(f"{args.config}: valid — {len(exp.scenarios)} scenarios ({', '.join(exp.scenarios)}), "
          f"{exp.replications} replications, {exp.households:,} households, {exp.years} years, config hash "
          f"{exp.config_hash}; estimated {experiment_estimate(exp, None).describe()}")
    return 0


def cmd_report(args) -> int:
    from .analysis.pipeline import analyse_folder
    from .run.experiment import check_results_folder

    check_results_folder(args.results)
    print(analyse_folder(Path(args.results), language=args.language, only_report=True))
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


def cmd_app(args) -> int:
    if not 0 < args.port < 65536:
        raise ConfigError("port out of range", key="--port", found=args.port, expected="a port from 1 to 65535")
    try:
        from .app.server import serve
    except ImportError as err:  # solara is a dependency; a partial install says what is missing
        raise ConfigError(f"the app needs {err.name}", key="app", expected="`make install` (pyproject.toml)") from None
    return serve(args.host, args.port, open_browser=not args.no_browser, cache=args.cache)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sim", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="run an experiment config (or --resume a killed run); prints the results folder last")
    p.add_argument("config", nargs="?")
    p.add_argument("--resume", metavar="FOLDER", default=None,
                   help="finish a killed run from the .tmp-... folder it printed (stored runs are not run again)")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="override any config key")
    p.add_argument("--out", default="results", type=path_argument, help="folder for results (default: results)")
    p.add_argument("--workers", type=int, default=None, help="local processes (default: run.workers; 0 = all)")
    p.add_argument("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://host:8786")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--force", action="store_true",
                   help="run even when the estimate exceeds free memory or two days (or resume after a code change)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("validate", help="check a config (experiment, sweep or calibration) without running it")
    p.add_argument("config")
    p.add_argument("--set", action="append", metavar="KEY=VALUE")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("report", help="(re)write summary, charts and report.html of a results folder")
    p.add_argument("results")
    p.add_argument("--language", choices=["nl", "en"], default=None)
    p.set_defaults(func=cmd_report)

    from .bench.cli import add_parser as add_bench
    add_bench(sub)

    p = sub.add_parser("params", help="print every default parameter and the intervention catalogue (Markdown)")
    p.set_defaults(func=cmd_params)

    p = sub.add_parser("app", help="the advisers' what-if screen: a local web app (Solara), no internet needed")
    p.add_argument("--host", default="127.0.0.1", help="address to serve on (default: this machine only)")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    p.add_argument("--cache", default=None, metavar="DIR",
                   help="keep the runs in DIR (default: a temporary folder removed on exit)")
    p.set_defaults(func=cmd_app)

    from .run.trial_cli import add_parser as add_trial
    add_trial(sub)
    try:
        from .sensitivity.cli import add_parser as add_sweep
        add_sweep(sub)
    except ImportError:
        pass
    try:
        from .discover.cli import add_parser as add_discover
        add_discover(sub)
    except ImportError:
        pass
    try:
        from .calibrate.cli import add_parser as add_calibrate
        add_calibrate(sub)
    except ImportError:
        pass
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM (a cluster scheduler, a container stop), handled exactly like Ctrl-C."""


def _on_sigterm(signum, frame):
    raise Terminated()


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if threading.current_thread() is threading.main_thread() \
        else None
    try:
        return args.func(args)
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except StoreError as err:  # a damaged file in a run store: names it and what to do
        print(f"error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `sim params | head`: the reader has all it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt as err:
        # Runs write to a temporary folder that is removed on interruption, and workers are
        # stopped; sweeps and calibrations keep their finished runs and say how to resume.
        terminated = isinstance(err, Terminated)
        print("terminated" if terminated else "interrupted", file=sys.stderr)
        return 143 if terminated else 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
