"""The Mesa model: a municipality's households, month by month, and the cost book.

`PreventionModel` keeps Mesa's face — a `mesa.Model` with `step()`, a seed, a DataCollector
with model reporters, household agents you can inspect (`model.household(id)`) or iterate as
Mesa agents (`model.household_agents()`, agents.py) — while the
population itself lives in numpy columns and every rule works on all households at once.
The order of the rules in `step()` is the model's schedule (docs/odd.md, 'Process overview').
"""
from __future__ import annotations

import operator
from typing import Any, Mapping, MutableMapping

import mesa
import numpy as np

from ..params import Parameters
from . import agents, burn_in as burn_ins, costs, episodes, reporters
from .levels import Domain
from .population import Household, household_view, initial_population
from .rules import cascades, demography, generations, hazards, keyed, pathway, prevention, programmes

# Appending a stream leaves the others' draws as they were (SeedSequence children by index).
STREAMS = ("population", "hazards", "pathway", "prevention", "demography", "mesa", "programmes")


class PreventionModel(mesa.Model):
    """Households moving through problem levels in four life domains, under a prevention budget.

    Args:
        params: a `Parameters` object, or a dict of dotted-key overrides on the defaults.
        households: size of the starting population.
        start_year: calendar year of the first reported month.
        seed: root seed or SeedSequence; each mechanism draws from its own child stream of it, so switching one mechanism off (or a budget of zero) leaves
            the draws of the others untouched.
        burn_in_years: overrides the parameter of that name (years simulated, not reported).
        burn_in: a `burn_in.BurnIn` taken from a model of the same population, start year,
            burn-in length, seed and burn-in parameters (`burn_in.burn_in_key`): the model starts
            from it at month 0 instead of simulating its own burn-in, with the same numbers.
        shared_burn_ins: {burn-in key: BurnIn}, e.g. a cache kept by the evaluator: the model
            starts from the snapshot under its key if there is one, else adds its own.
        rng: Mesa's name for the seed (`mesa.batch_run` passes it); None draws fresh entropy, as
            Mesa does, so batch_run iterations differ.
        **overrides: dotted parameter keys as keywords, on top of `params`, so that
            `mesa.batch_run(PreventionModel, parameters={"levers.prevention.per_household": [0, 100]})`
            works.
    """

    def __init__(self, params: Parameters | Mapping[str, Any] | None = None, *, households: int = 24000,
                 start_year: int = 2025, seed: int | np.random.SeedSequence = 0, burn_in_years: int | None = None,
                 burn_in: burn_ins.BurnIn | None = None, shared_burn_ins: MutableMapping | None = None,
                 rng: int | np.random.SeedSequence | None | str = "unset", **overrides):
        if overrides:
            if isinstance(params, Parameters):
                raise TypeError("give parameter overrides either as a Parameters object or as keywords, not both")
            params = {**(params or {}), **overrides}
        self.params = params if isinstance(params, Parameters) else Parameters.build(params)
        if not (isinstance(rng, str) and rng == "unset"):  # Mesa's keyword for the seed
            seed = np.random.SeedSequence() if rng is None else rng
        seq = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        seed_identity = burn_ins.seed_identity(seq)  # before spawning the streams changes it
        self.streams = dict(zip(STREAMS, (np.random.Generator(np.random.PCG64(s)) for s in seq.spawn(len(STREAMS)))))
        super().__init__(rng=self.streams["mesa"])
        self.seed_entropy = seq.entropy
        self.start_year = start_year
        self.households0 = int(households)
        # The internal clock (`tick`) starts at 0 with the burn-in, so month stamps stored in
        # the population (waiting since, contact until) are never negative.
        self.burn_in_months = burn_in_months(self.params, burn_in_years)
        self.tick = 0
        self.burn_in_key = burn_ins.burn_in_key(self.params, households=self.households0, start_year=start_year,
                                                burn_in_months=self.burn_in_months, seed=seed_identity)
        self.rates = demography.Rates.from_params(self.params)
        if burn_in is None and shared_burn_ins is not None:
            burn_in = shared_burn_ins.get(self.burn_in_key)
        if burn_in is None:
            self.hh, self.children = initial_population(self.households0, self.params, self.streams["population"])
            self.next_id = self.households0
            self.age_norm = demography.age_normalisers(self.hh, self.rates)
        elif burn_in.key != self.burn_in_key:
            raise ValueError("this burn-in comes from a run with another population, start year, burn-in length, "
                             "seed or burn-in parameters")
        else:
            self.age_norm = burn_in.age_norm.copy()  # the rest of its state is restored below
        self.up_by_age = demography.up_by_age(self.rates, self.age_norm, self.params)
        self.hazard_table = self.params.hazard_table.reshape(len(Domain), -1, 3)
        self.cascade_multipliers = cascades.multipliers(self.params)
        self.risk_factors = self.params.risk_factors
        self.gate_carry = 0.0
        self.queue = 0  # requests waiting at the gate
        self._uniform_buffer = np.empty(0, np.float32)
        self.prevention_started: int | None = None
        self.programmes = programmes.Programmes(self.params)
        # Keys of the keyed uniforms (rules/keyed.py): one draw each, so every scenario of a seed shares them.
        self.pathway_key = keyed.run_key(self.streams["pathway"])
        self.programme_key = keyed.run_key(self.streams["programmes"])
        self.report: dict = {}
        self.month_costs: costs.MonthCosts | None = None
        self.datacollector = MonthlyRecorder()
        if burn_in is not None:
            burn_ins.restore(self, burn_in)
        while self.month < 0:
            self._advance()
        if burn_in is None and shared_burn_ins is not None:
            shared_burn_ins[self.burn_in_key] = self.burn_in_snapshot()

    def burn_in_snapshot(self) -> burn_ins.BurnIn:
        """This model's state at month 0 (take it before the first step), to start other runs
        with the same burn-in from (the `burn_in` argument)."""
        return burn_ins.capture(self, self.burn_in_key)

    @property
    def month(self) -> int:
        """Months since the start of the reported period (negative during the burn-in)."""
        return self.tick - self.burn_in_months

    # ------------------------------------------------------------------ Mesa's face
    def step(self) -> None:
        """One month: the rules in order, then the month's report is collected."""
        self._advance()
        self.datacollector.collect(self)

    def run_years(self, years: float) -> None:
        for _ in range(int(round(years * 12))):
            self.step()

    def household(self, household_id: int) -> Household:
        """A view of one household agent by its stable id."""
        rows = np.flatnonzero(self.hh.id == household_id)
        if not len(rows):
            raise KeyError(f"no household with id {household_id} (it may have left)")
        return household_view(self.hh, self.children, int(rows[0]), self.tick)

    def household_agents(self):
        """This month's households as Mesa agents (a snapshot, registered in `model.agents`), for
        teaching: Mesa's AgentSet tools work on it; the model's own step never builds them."""
        return agents.snapshot(self)

    def dataframe(self):
        """The reported months as a DataFrame: one row per month, with `month` and `year`."""
        df = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        df.insert(0, "month", np.arange(len(df)))
        df.insert(1, "year", self.start_year + df["month"] // 12)
        return df

    @property
    def calendar_year(self) -> int:
        return self.start_year + self.month // 12

    # ------------------------------------------------------------------ the schedule
    def _yearly_budget(self) -> float:
        if not self.params.switches.prevention:
            return 0.0
        return self.params.budget.euros_in_year(self.calendar_year, self.start_year, self.households0)

    def _uniforms(self, shape) -> np.ndarray:
        """This month's [household, domain] uniforms, domain-major like the levels, drawn into a
        reused buffer (a fresh array of this size is a fresh mmap, page faults and all)."""
        n, n_dom = shape
        if self._uniform_buffer.size < n * n_dom:
            self._uniform_buffer = np.empty(int(n * n_dom * 1.25) + 64, np.float32)
        u = self._uniform_buffer[: n * n_dom].reshape(n_dom, n)
        self.streams["hazards"].random(out=u, dtype=np.float32)
        return u.T

    # (long: the schedule -- the rules in the order of the ODD's process overview, read top to bottom)
    def _advance(self) -> None:
        p, sw, hh, t = self.params, self.params.switches, self.hh, self.tick
        if sw.demography:
            n_children = demography.children_at_home(hh, self.children)  # and youth care ends without them

        old = hh.level.copy(order="F")
        mod = hazards.Modifiers()
        if sw.cascades:
            mod.cascade = self.cascade_multipliers
        if sw.demography:
            mod.up_by_age, mod.head_age, mod.n_children = self.up_by_age, hh.head_age, n_children
        if sw.generations:
            mod.inherited = hh.buffer("inherited")
        if sw.heterogeneity:
            mod.high_risk, mod.risk_factors = hh.buffer("high_risk"), self.risk_factors

        budget = self._yearly_budget() if self.month >= 0 else 0.0
        contacted = None
        new_contacts, eff = 0, 0.0
        programme_report, programme_spend = {}, {}
        progs = self.programmes
        if sw.prevention:
            if budget > 0 and self.prevention_started is None:
                self.prevention_started = t
            if self.prevention_started is not None:
                target = prevention.households_to_reach(budget, len(hh), p)
                new_contacts = prevention.update_contacts(hh, target, t, p, self.streams["prevention"],
                                                          progs.taking_part(hh, t) if progs.enrolled_ever else None)
                eff = prevention.effectiveness(t - self.prevention_started, p)
                contacted = hh.contact_until >= t
            if progs.any_active and self.month >= 0:
                programme_report, programme_spend = progs.step(
                    hh, self.children, n_children if sw.demography else None, t, self.calendar_year,
                    self.start_year, self.programme_key)
            elif progs.enrolled_ever:  # enrolled from outside, as a virtual trial does
                progs.release(hh, t)
            if eff > 0 or (progs.enrolled_ever and (hh.programme >= 0).any()):
                progs.table[0] = prevention.contact_effect(eff, p) if eff > 0 else 1.0
                mod.contact = progs.effect_rows(hh, t, contacted if eff > 0 else None)
                mod.contact_effect = progs.table
            if self.prevention_started is not None or progs.any_active or progs.enrolled_ever:
                mod.detected_early = hh.buffer("detected_early")

        anyone_waiting = self.queue > 0  # as counted at the end of last month; nothing has changed it since
        if anyone_waiting:
            mod.waiting_since, mod.crisis_factor = hh.buffer("waiting_since"), p["gate.wait_crisis_factor"]
        u = self._uniforms(old.shape)
        new, go_up = hazards.transition(old, self.hazard_table, u, mod)
        requests = hidden = crises = 0
        if sw.capacity or sw.latent_demand or anyone_waiting:
            progs.outreach[0] = p["levers.prevention.domain_weights"]
            requests, hidden, crises = pathway.route_requests(
                hh, old, new, go_up, progs.outreach_rows(hh, contacted), progs.outreach, t, p,
                self.pathway_key, sw)
        hh.level[:] = new
        waits, referred = np.zeros(0), None
        fte = pathway.gate_fte(len(hh), self.calendar_year, p)
        bought_fte = 0.0
        if progs.gate and self.month >= 0:
            for name, euros in progs.gate_budget(self.calendar_year, self.start_year).items():
                bought_fte += euros / p["gate.cost_per_fte"]
                programme_spend["municipality"] = programme_spend.get("municipality", 0.0) + euros / 12.0
                programme_report[f"programme__{name}__spend"] = euros / 12.0
                programme_report[f"programme__{name}__fte"] = euros / p["gate.cost_per_fte"]
        if sw.capacity:
            waits, referred, self.gate_carry = pathway.serve_queue(
                hh, pathway.gate_capacity(fte + bought_fte, p), self.gate_carry, t, p, self.pathway_key)

        month_report = reporters.transitions(old, hh.buffer("level"), hh.buffer("spell_start"), t, referred)
        if sw.generations:
            generations.accumulate_exposure(hh, self.children)

        flows = demography.Flows()
        if sw.demography:
            years = (self.month + 1) / 12.0
            target = int(round(self.households0 * (1.0 + p["demography.growth"]) ** max(years, 0.0)))
            flows = demography.step(hh, self.children, p, self.rates, self.streams["demography"], t, target,
                                    lambda rows: generations.inheritance(self.children, rows, p,
                                                                         enabled=sw.generations))
            new_rows = np.flatnonzero(hh.id < 0)
            hh.id[new_rows] = np.arange(self.next_id, self.next_id + len(new_rows))
            self.next_id += len(new_rows)

        month_report.update(episodes.update(hh, t))
        census = reporters.census(hh, self.children, t, p["youth.siblings_in_care"])
        self.queue = census["waiting"]
        counts = census["occupancy"].sum(axis=0)
        self.month_costs = costs.MonthCosts(census["payable"], budget, fte, programme_spend)
        euros = costs.month_euros(self.month_costs, p)
        month_report.update(reporters.gate(waits, requests, hidden, crises, census))
        month_report.update(reporters.stocks(hh, self.children, p, euros, counts, census))
        month_report.update({f"demo__{k}": v for k, v in flows.as_dict().items()})
        month_report.update({"prevention__budget": budget / 12.0,
                             "prevention__contacted": census["contacted"],
                             "prevention__new_contacts": new_contacts,
                             "prevention__effectiveness": eff})
        month_report.update(programme_report)
        self.report = month_report
        self.tick += 1


def burn_in_months(params: Parameters, burn_in_years: float | None = None) -> int:
    """Months simulated before the report: the parameter, or `burn_in_years` where given."""
    return int(round((params["burn_in_years"] if burn_in_years is None else burn_in_years) * 12))


class MonthlyRecorder:
    """DataCollector-style: `collect(model)` each step, `get_model_vars_dataframe()` at the end.

    The model computes its ~250 monthly measures in one vectorised pass (reporters.py); Mesa's
    DataCollector would call and deep-copy one reporter function per measure, which cost more
    than the whole bare model step. It exposes what Mesa's own tools read (`model_vars`, the
    collection steps, empty agent records), so `mesa.batch_run` works on the model."""

    def __init__(self):
        self.rows: list[dict] = []
        self.ledger: list = []  # costs.MonthCosts of each collected month: the run at other prices
        self._collection_steps: list[int] = []
        self._agent_records: dict = {}
        self._agenttype_records: dict = {}
        self.agent_reporters: dict = {}
        self.agenttype_reporters: dict = {}

    def collect(self, model) -> None:
        self.rows.append(model.report)
        self.ledger.append(model.month_costs)
        self._collection_steps.append(model.steps)

    @property
    def model_vars(self) -> dict:
        """{measure: [value per collected month]}, as Mesa's DataCollector holds them."""
        return {name: [row.get(name) for row in self.rows] for name in (self.rows[0] if self.rows else {})}

    def get_model_vars_dataframe(self):
        import pandas as pd

        if not self.rows:
            return pd.DataFrame()
        names = list(self.rows[0])
        # (itemgetter of one name gives a value, not a tuple: a one-column table goes to pandas)
        if len(names) > 1 and all(row.keys() == self.rows[0].keys() for row in self.rows):
            # Column by column: 3-4x faster than from_records, which builds an object block first.
            values = zip(*map(operator.itemgetter(*names), self.rows))
            columns = {name: np.array(column) for name, column in zip(names, values)}
            if not any(column.dtype == object for column in columns.values()):
                return pd.DataFrame(columns)
        return pd.DataFrame.from_records(self.rows)
