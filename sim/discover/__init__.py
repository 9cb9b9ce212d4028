"""Scenario discovery (`sim discover`): under which conditions does prevention pay back, or a
payer save? PRIM, from the EMA Workbench, on a finished sweep's inputs and outputs.

* :mod:`.rule` - the question: one outcome and one rule (``--within``, ``--beyond``,
  ``--above``, ``--below``) that marks each run as a case of interest or not;
* :mod:`.sweep_data` - a finished sweep's runs (outputs.csv) and config (sweep.json);
* :mod:`.prim` - PRIM itself, and the rule that picks one box per peeling trajectory;
* :mod:`.sentences` - one plain-language sentence per box, English and Dutch;
* :mod:`.run` - all of it on a sweep folder, written into ``SWEEP_DIR/discover-.../``;
* :mod:`.cli` - the command line.

The chart is sim/analysis/discover_chart.py, beside the sweep's charts. The researcher's guide
is docs/sensitivity.md, "Scenario discovery".
"""
