"""`sim sweep CONFIG`: a Sobol or Morris sensitivity sweep of the whole model, resumable.

The command line only: the config is read by :mod:`sim.sensitivity.config`, the folder's life
(run, resume, analyse, manifest) is :func:`sim.sensitivity.sweep.run_sweep`.
"""
from __future__ import annotations

import sys

from ..files import path_argument

__all__ = ["add_parser", "cmd_sweep"]


def cmd_sweep(args) -> int:
    from ..run.executor import TaskError
    from ..run.resources import check_workers
    from .sweep import run_sweep

    check_workers(args.workers, 1)  # checked once more, against the number of runs, in run_sweep
    try:
        folder = run_sweep(args.config, resume=args.resume, out=args.out, workers=args.workers,
                           scheduler=args.scheduler, progress=not args.quiet, force=args.force)
    except TaskError as exc:
        print(f"error: {exc}\nfinished runs are kept; fix the cause and resume with --resume "
              "(the folder printed at the start)", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; finished runs are kept: resume with the command printed above", file=sys.stderr)
        return 130
    print(folder)
    return 0


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "sweep", help="Sobol/Morris sensitivity sweep of the model (resumable); prints the results folder last",
        description="Run a sensitivity sweep described by a sweep config (see docs/sensitivity.md, "
                    "'Sweeping the model'). The run store is a hidden folder next to the results, printed "
                    "at the start; --resume continues it after a crash or kill.")
    p.add_argument("config", nargs="?", default=None, help="sweep config (TOML); optional with --resume")
    p.add_argument("--resume", metavar="DIR", default=None,
                   help="continue a killed sweep (its .sweep-... folder) or re-analyse a finished one")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="local processes (default: run.workers of the experiment; 0 = all cores; 1 = serial)")
    p.add_argument("--scheduler", default=None, metavar="ADDR", help="Dask scheduler address, e.g. tcp://host:8786")
    p.add_argument("--out", default="results", metavar="DIR", type=path_argument,
                   help="folder for results (default: results; ignored with --resume)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--force", action="store_true",
                   help="start even when the estimate exceeds free memory or two days on this machine")
    p.set_defaults(func=cmd_sweep)
