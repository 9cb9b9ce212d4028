"""Keyed uniforms (rules/keyed.py): uniform, independent, and each household's own."""
from __future__ import annotations

import copy

import numpy as np
from scipy import stats

from sim.model import PreventionModel
from sim.model.levels import LIGHT
from sim.model.rules import keyed, pathway


def test_keyed_uniforms_are_uniform_and_unrelated_across_households_and_months():
    ids = np.arange(200_000, dtype=np.int64)
    d = np.zeros(len(ids), np.int64)
    u = keyed.uniforms(987, ids, 12, d, keyed.TAKE_UP)
    assert stats.kstest(u, "uniform").pvalue > 0.001
    for other in (keyed.uniforms(987, ids, 13, d, keyed.TAKE_UP), keyed.uniforms(987, ids, 12, d, keyed.REVEAL),
                  keyed.uniforms(988, ids, 12, d, keyed.TAKE_UP), keyed.uniforms(987, ids, 12, d + 1, keyed.TAKE_UP)):
        assert abs(np.corrcoef(u, other)[0, 1]) < 0.01
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.01
    assert keyed.uniform(987, 5, 12, 0, keyed.TAKE_UP) == u[5]  # a pure function of its key


def test_one_households_fate_does_not_shift_the_other_households_pathway_decisions():
    """Known answer for common random numbers: two months that differ only in whether household
    0 escalates give every other household the same non-take-up decisions (with a sequential
    stream, household 0's missing draw shifted everyone after it)."""
    model = PreventionModel({}, households=4000, seed=5)
    sw = model.params.switches
    results = []
    for first_escalates in (True, False):
        m = copy.deepcopy(model)
        n = len(m.hh)
        old = np.full((n, 4), LIGHT, np.int8, order="F")
        new = old.copy(order="F")
        go_up = np.ones((n, 4), bool, order="F")
        go_up[0] = first_escalates
        new[go_up] = LIGHT + 1
        m.hh.waiting_since[:] = -1
        m.hh.latent[:] = False
        rows = m.programmes.outreach_rows(m.hh, None)
        pathway.route_requests(m.hh, old, new, go_up, rows, m.programmes.outreach, m.tick, m.params,
                               m.pathway_key, sw)
        results.append((new[1:].copy(), m.hh.latent[1:].copy(), m.hh.waiting_since[1:].copy()))
    hidden = results[0][1].sum()
    assert 0 < hidden < results[0][1].size  # some asked, some did not
    for a, b in zip(*results):
        assert np.array_equal(a, b)
