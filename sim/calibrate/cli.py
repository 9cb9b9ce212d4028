"""Command-line pieces for ``sim calibrate …`` (mounted on the ``sim`` command by sim/cli.py).

    sim calibrate calibration/calibrate-nl.toml [--workers N] [--scheduler ADDR] [--out DIR] [--force]
    sim calibrate run CONFIG …            (the same, spelled out)
    sim calibrate fetch-cbs --municipality GM1773 --year 2023 --out calibration/targets_olst-wijhe.csv
    sim calibrate report --result DIR --out DIR

Also ``python -m sim.calibrate …`` with the same arguments.
"""
from __future__ import annotations

import argparse
import sys

from ..files import path_argument
from .cbs import add_fetch_cbs_arguments

__all__ = ["add_parser", "add_calibrate_subcommands", "main"]

DEFAULT_COMMAND = "run"


def _run_report(args: argparse.Namespace) -> int:
    from .result import load_result
    from .report import fit_report
    from .targets import load_targets

    res = load_result(args.result)
    targets = load_targets(args.targets) if args.targets else None
    paths = fit_report(res, targets, args.out)
    print(f"wrote {paths['csv']} and {paths['png']}")
    return 0


def _run_config(args: argparse.Namespace) -> int:
    from .config import load_config
    from .run import CalibrationFailed, run_calibration

    cfg = load_config(args.config)  # ConfigError -> exit 2 in sim.cli.main / main below
    from ..run.resources import check_workers

    check_workers(args.workers, 1)  # the same rule as every other verb

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    try:
        outcome = run_calibration(cfg, workers=args.workers, scheduler=args.scheduler, output=args.out,
                                  force=args.force, progress=not args.quiet, log=log)
    except CalibrationFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(outcome.paths["posterior"])
    return 0


class _CommandTable(dict):
    """The subcommand table; once ``open``, any other word counts as a config path for ``run``."""

    open = False

    def __contains__(self, key) -> bool:
        return dict.__contains__(self, key) or (self.open and isinstance(key, str))


class _SubcommandOrConfig(argparse._SubParsersAction):
    """Subparsers where ``calibrate CONFIG …`` means ``calibrate run CONFIG …``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._name_parser_map = _CommandTable()
        self.choices = self._name_parser_map

    def __call__(self, parser, namespace, values, option_string=None):
        if values and not dict.__contains__(self._name_parser_map, values[0]):
            values = [DEFAULT_COMMAND, *values]
        super().__call__(parser, namespace, values, option_string)


def _add_run_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("config", help="calibration config (TOML), e.g. calibration/calibrate-nl.toml")
    p.add_argument("--workers", type=int, default=None,
                   help="local processes (default: run.workers in the config; 0 = all cores, 1 = serial)")
    p.add_argument("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://host:8786")
    p.add_argument("--out", default=None, type=path_argument, help="output folder (default: calibration.output in the config, "
                                               "else the project's calibration/)")
    p.add_argument("--force", action="store_true",
                   help="save even when the posterior mean does not fit better than the defaults")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_run_config)


def add_calibrate_subcommands(subparsers) -> None:
    """Add ``run`` (the default), ``fetch-cbs`` and ``report`` to a ``calibrate`` command's subparsers."""
    _add_run_arguments(subparsers.add_parser(
        DEFAULT_COMMAND, help="run a calibration config (also: `calibrate CONFIG` without `run`)"))
    add_fetch_cbs_arguments(subparsers.add_parser(
        "fetch-cbs", help="write a municipality's CBS figures as a targets CSV"))
    rep = subparsers.add_parser("report", help="fit.csv and fit.png from a saved calibration result")
    rep.add_argument("--result", required=True, help="directory written by CalibrationResult.save")
    rep.add_argument("--targets", help="targets CSV to compare with (default: the calibration's own)")
    rep.add_argument("--out", required=True, type=path_argument, help="directory for fit.csv and fit.png")
    rep.set_defaults(func=_run_report)
    if isinstance(subparsers, _SubcommandOrConfig):
        subparsers._name_parser_map.open = True


def _subparsers(parser: argparse.ArgumentParser, dest: str):
    return parser.add_subparsers(dest=dest, required=True, action=_SubcommandOrConfig,
                                 metavar="{CONFIG,run,fetch-cbs,report}")


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Mount ``calibrate`` (config runs, ``fetch-cbs``, ``report``) on the top-level ``sim`` subparsers."""
    cal = subparsers.add_parser("calibrate", help="calibrate the model to targets (CONFIG), fetch CBS targets, "
                                                  "fit report",
                                description="sim calibrate CONFIG runs a calibration config (see "
                                            "docs/calibration.md); fetch-cbs and report are subcommands.")
    add_calibrate_subcommands(_subparsers(cal, "calibrate_command"))
    return cal


def main(argv: list[str] | None = None) -> int:
    from ..errors import ConfigError

    parser = argparse.ArgumentParser(prog="python -m sim.calibrate", description=__doc__.splitlines()[0])
    add_calibrate_subcommands(_subparsers(parser, "command"))
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
