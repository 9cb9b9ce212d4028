"""Command-line pieces for ``sim calibrate …`` (the lead mounts them on the ``sim`` command).

Until then: ``python -m sim.calibrate fetch-cbs --municipality GM1773 --year 2023 --out
calibration/targets_olst-wijhe.csv`` and ``python -m sim.calibrate report --result DIR --out DIR``.
"""
from __future__ import annotations

import argparse
import sys

from .cbs import add_fetch_cbs_arguments

__all__ = ["add_parser", "add_calibrate_subcommands", "main"]


def _run_report(args: argparse.Namespace) -> int:
    from .method import load_result
    from .report import fit_report
    from .targets import load_targets

    res = load_result(args.result)
    targets = load_targets(args.targets) if args.targets else None
    paths = fit_report(res, targets, args.out)
    print(f"wrote {paths['csv']} and {paths['png']}")
    return 0


def add_calibrate_subcommands(subparsers) -> None:
    """Add ``fetch-cbs`` and ``report`` to the subparsers of a ``calibrate`` command."""
    add_fetch_cbs_arguments(subparsers.add_parser(
        "fetch-cbs", help="write a municipality's CBS figures as a targets CSV"))
    rep = subparsers.add_parser("report", help="fit.csv and fit.png from a saved calibration result")
    rep.add_argument("--result", required=True, help="directory written by CalibrationResult.save")
    rep.add_argument("--targets", help="targets CSV to compare with (default: the calibration's own)")
    rep.add_argument("--out", required=True, help="directory for fit.csv and fit.png")
    rep.set_defaults(func=_run_report)


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Mount ``calibrate`` (with ``fetch-cbs`` and ``report``) on the top-level ``sim`` subparsers."""
    cal = subparsers.add_parser("calibrate", help="calibration: fetch CBS targets, fit report")
    add_calibrate_subcommands(cal.add_subparsers(dest="calibrate_command", required=True))
    return cal


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sim.calibrate", description=__doc__.splitlines()[0])
    add_calibrate_subcommands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
