"""`sim discover SWEEP_DIR --outcome NAME (--within N | --beyond N | --above X | --below X)`:
scenario discovery on a finished sweep. The command line only; the work is sim.discover.run."""
from __future__ import annotations

import sys

__all__ = ["add_parser", "cmd_discover"]


def cmd_discover(args) -> int:
    from .rule import make_rule
    from .run import discover

    rule = make_rule(args.outcome, within=args.within, beyond=args.beyond, above=args.above, below=args.below)
    result = discover(args.sweep_dir, rule, min_density=args.min_density, max_boxes=args.max_boxes)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    for lang in ("en", "nl"):
        for i, sentence in enumerate(result.sentences[lang], 1):
            print(f"[{lang}] box {i}: {sentence}")
    print(result.folder)
    return 0


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "discover", help="scenario discovery (PRIM) on a finished sweep: under which parameter ranges an outcome "
                         "rule holds; prints a sentence per box and the folder last",
        description="Find the parameter ranges (boxes) of a finished sweep in which an outcome rule holds, with "
                    "PRIM from the EMA Workbench. Exactly one rule: --within N / --beyond N for break_even_year "
                    "(never paying back counts as beyond every N), or --above X / --below X for any recorded "
                    "outcome. Writes SWEEP_DIR/discover-<outcome>-<rule>-<threshold>/ (see docs/sensitivity.md, "
                    "'Scenario discovery').")
    p.add_argument("sweep_dir", metavar="SWEEP_DIR", help="a finished sweep folder (the one `sim sweep` printed)")
    p.add_argument("--outcome", required=True, metavar="NAME",
                   help="an output the sweep recorded, e.g. break_even_year, npv, net_cost_municipality")
    rule = p.add_mutually_exclusive_group(required=True)
    rule.add_argument("--within", type=float, metavar="YEARS", help="break_even_year <= YEARS (never: not met)")
    rule.add_argument("--beyond", type=float, metavar="YEARS", help="break_even_year > YEARS, or never")
    rule.add_argument("--above", type=float, metavar="X", help="outcome > X, e.g. --outcome npv --above 0 "
                                                                "(a negative X in e-notation needs '=': --above=-1e6)")
    rule.add_argument("--below", type=float, metavar="X",
                      help="outcome < X, e.g. --outcome net_cost_municipality --below 0")
    p.add_argument("--min-density", type=float, default=0.5, metavar="SHARE",
                   help="a box must hold the rule in at least this share of its runs (default 0.5)")
    p.add_argument("--max-boxes", type=int, default=3, metavar="N", help="at most N boxes (default 3)")
    p.set_defaults(func=cmd_discover)
