"""`sim bench`: the command line of the speed measurements.

    sim bench [--households N] [--years Y] [--bare] [--seed S]   one simulation, timed (as always)
    sim bench --table        the four figures beside their targets, one table at the end (make bench)
    sim bench --nl           the Netherlands in full, written to the record (make bench-nl, ~10 min)
    sim bench --sweep full   the Olst-Wijhe Sobol sweep in full, recorded (make bench-sweep)
    sim bench --sweep K      only the sweep's stand-in: K evaluations, extrapolated
    sim bench --dask-scaling one Dask worker against two, same evaluations (make bench-dask)

Every option is checked, and a damaged record file reported, before any work starts.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import ConfigError
from ..files import path_argument

MAX_HOUSEHOLDS = 20_000_000


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "bench", help="time the model: one simulation (last line household-months/s), or --table of the four targets",
        description="Speed measurements; targets live here, never in tests (README, 'Speed').")
    p.add_argument("--households", type=int, default=None, help="households (default 24,000; 8.2 M with --nl)")
    p.add_argument("--years", type=float, default=None, help="years simulated (default 40)")
    p.add_argument("--bare", action="store_true", help="every mechanism off, against an object-per-agent Mesa model")
    p.add_argument("--seed", type=int, default=0)
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--table", action="store_true",
                      help="all four figures beside their targets, with the record's last full runs (make bench)")
    mode.add_argument("--nl", action="store_true",
                      help="the Netherlands (8.2 M households x 40 years) in full, written to the record")
    mode.add_argument("--sweep", metavar="full|K", default=None,
                      help="'full': run the Sobol sweep in full and record it; K: time K evaluations and extrapolate")
    mode.add_argument("--dask-scaling", action="store_true",
                      help="the same K sweep evaluations on a Dask LocalCluster of 1 worker, then 2; written to the record")
    p.add_argument("--nl-households", type=int, default=820_000,
                   help="--table: households of the Netherlands' stand-in (default 820,000: scaled x10)")
    p.add_argument("--sweep-config", default=None,
                   help="sweep config to time (default experiments/sweep-olst-wijhe.toml)")
    p.add_argument("--sweep-evaluations", type=int, default=None,
                   help="evaluations timed for the sweep's stand-in (default 56: four whole Saltelli blocks of the full design, two per worker, so runs reused within a block count as in the whole sweep and the workers finish together) or --dask-scaling (default 56, four blocks)")
    p.add_argument("--workers", type=int, default=2, help="local processes for the sweep (default 2: the target's)")
    p.add_argument("--record", default=None, help="the record file (default docs/bench-record.json)")
    p.add_argument("--out", default="results", type=path_argument, help="--sweep full: folder for the sweep's results (default results)")
    p.set_defaults(func=cmd_bench)


def _check_households(value, key: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_HOUSEHOLDS:
        raise ConfigError("population out of range", key=key, found=value,
                          expected=f"a whole number from 1 to {MAX_HOUSEHOLDS:,}")


def _check_years(value) -> None:
    if not (0 < value <= 200):  # also false for NaN
        raise ConfigError("horizon out of range", key="--years", found=value, expected="years in (0, 200]")


def cmd_bench(args) -> int:
    from .record import DEFAULT_PATH
    from .table import NL_HOUSEHOLDS, NL_YEARS

    households = args.households if args.households is not None else (NL_HOUSEHOLDS if args.nl else 24_000)
    years = args.years if args.years is not None else float(NL_YEARS if args.nl else 40)
    _check_households(households, "--households")
    _check_years(years)
    _check_households(args.nl_households, "--nl-households")
    if not 1 <= args.workers <= 256:
        raise ConfigError("not a number of worker processes", key="--workers", found=args.workers,
                          expected="a whole number from 1 to 256")
    sweep_k = _sweep_mode(args.sweep)
    if args.bare and (args.table or args.nl or args.sweep or args.dask_scaling):
        raise ConfigError("--bare times one simulation; the other measurements choose their own switches",
                          key="--bare", expected="sim bench --bare [--households N --years Y] alone")
    record = Path(args.record) if args.record else DEFAULT_PATH
    config = Path(args.sweep_config) if args.sweep_config else None

    if args.table:
        return run_table(households, years, nl_households=args.nl_households, sweep_config=config,
                         sweep_evaluations=args.sweep_evaluations or 56, workers=args.workers, record=record,
                         seed=args.seed)
    if args.nl:
        return run_nl(households, years, record=record, seed=args.seed)
    if args.sweep is not None:
        return run_sweep_bench(sweep_k, config=config, workers=args.workers, record=record, out=args.out)
    if args.dask_scaling:
        return run_dask_scaling(config, args.sweep_evaluations or 56, record=record)
    from .reference import run

    run(households, years, bare=args.bare, seed=args.seed)
    return 0


def _sweep_mode(value):
    """None, "full" or a whole number of evaluations."""
    if value is None or value == "full":
        return value
    try:
        return int(value)
    except ValueError:
        raise ConfigError("not a sweep measurement", key="--sweep", found=value,
                          expected="'full' (the whole sweep, recorded) or a number of evaluations to time") from None


def _sweep_tasks(config, evaluations: int, workers: int, key: str = "--sweep-evaluations"):
    """The sweep's tasks, with K checked against them: before any work starts."""
    from .sweep import FULL_CONFIG, check_evaluations, sweep_tasks

    check_evaluations(evaluations, workers, key=key)
    tasks = sweep_tasks(config or FULL_CONFIG)
    check_evaluations(evaluations, workers, len(tasks), key=key)
    return tasks


def run_table(households: int, years: float, *, nl_households: int, sweep_config, sweep_evaluations: int,
              workers: int, record, seed: int = 0, out=None) -> int:
    from . import table
    from ..run.executor import default_workers
    from .record import load_average, read_record
    from .reference import measure, report
    from .sweep import FULL_CONFIG, time_sweep_sample

    out = sys.stdout if out is None else out
    saved = read_record(record)  # a damaged record is reported before a minute of measuring, not after
    tasks = _sweep_tasks(sweep_config, sweep_evaluations, workers)
    load = load_average()
    lines = []
    t = measure(households, years, seed=seed)
    report(t, out)
    kernels = t.kernels_seconds
    lines.append(table.model_line(t))
    t = measure(households, years, bare=True, seed=seed)
    report(t, out)
    lines.append(table.bare_line(t))
    t = measure(nl_households, years, seed=seed)
    report(t, out)
    lines += [table.nl_standin_line(t), table.nl_record_line(saved.get("nl"))]
    s = time_sweep_sample(sweep_config or FULL_CONFIG, sweep_evaluations, workers, tasks=tasks)
    print(f"sweep stand-in: {workers} workers, {workers} evaluations in {s.fixed_seconds:.1f} s, "
          f"{s.evaluations} in {s.seconds:.1f} s", file=out)
    lines += [table.sweep_standin_line(s), table.sweep_record_line(saved.get("sweep"))]
    footer = (f"machine: {default_workers()} cores; load average {load} before, {load_average()} after (near 0 on an idle "
              f"machine: on a busy one these timings are preliminary). The kernels' one-off load "
              f"({kernels:.2f} s) is in no figure. Last full runs from {Path(record).name}.")
    print("\n" + table.render(lines, footer), file=out)
    return 0


def run_nl(households: int, years: float, *, record, seed: int = 0, out=None) -> int:
    from .record import check_writable, load_average, write_entry
    from .reference import measure, report

    out = sys.stdout if out is None else out
    check_writable(record)  # a damaged or unwritable record fails now, not after ten minutes
    load = load_average()
    t = measure(households, years, seed=seed)
    report(t, out)
    write_entry(record, "nl", {
        "households": households, "years": years, "seconds": round(t.setup_seconds + t.run_seconds, 1),
        "run_seconds": round(t.run_seconds, 1), "setup_seconds": round(t.setup_seconds, 1),
        "peak_gib": round(t.peak_mib / 1024, 2), "load_average_before": load,
        "how": "sim bench --nl: one process, set-up + run (kernels' load apart), peak resident memory"})
    print(f"recorded in {record}", file=out)
    return 0


def run_sweep_bench(k, *, config, workers: int, record, out="results", stream=None) -> int:
    from . import table
    from .record import check_writable, write_entry
    from .sweep import FULL_CONFIG, run_full_sweep, time_sweep_sample

    stream = sys.stdout if stream is None else stream
    if k == "full":
        check_writable(record)
        entry = run_full_sweep(config or FULL_CONFIG, workers=workers, out=out)
        write_entry(record, "sweep", entry)
        print(table.render([table.sweep_record_line(entry | {"date": table.today()})]), file=stream)
        print(f"recorded in {record}; the sweep's results: {entry['results']}", file=stream)
        return 0
    tasks = _sweep_tasks(config, k, workers, key="--sweep")
    s = time_sweep_sample(config or FULL_CONFIG, k, workers, tasks=tasks)
    print(table.render([table.sweep_standin_line(s)]), file=stream)
    return 0


def _check_two_batches(config, evaluations: int) -> None:
    """A sweep hands a worker one design block at a time: fewer evaluations than two blocks are a
    single batch, which a second worker cannot share, and the ratio would say nothing."""
    from .sweep import sweep_batch_size

    batch = sweep_batch_size(config)
    if evaluations < 2 * batch:
        raise ConfigError("too few evaluations for two workers to share", key="--sweep-evaluations",
                          found=evaluations, expected=f"at least {2 * batch} (two design blocks of {batch}, "
                                                      "one batch each)")


def run_dask_scaling(config, evaluations: int, *, record, out=None) -> int:
    from .dask_scaling import measure_scaling
    from .record import check_writable, write_entry
    from .sweep import FULL_CONFIG

    out = sys.stdout if out is None else out
    check_writable(record)
    _sweep_tasks(config, evaluations, 2)
    _check_two_batches(config or FULL_CONFIG, evaluations)
    entry = measure_scaling(config or FULL_CONFIG, evaluations, out=out)
    write_entry(record, "dask_scaling", entry)
    print(f"recorded in {record}", file=out)
    return 0
