"""What a calibration returns and writes: :class:`CalibrationResult` and :func:`load_result`."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..files import write_text_atomic
from ..manifest import to_json
from .priors import Prior

__all__ = ["METHOD_NAME", "CalibrationResult", "load_result"]

METHOD_NAME = "history matching (Sobol waves, implausibility cutoff) + ABC rejection"


@dataclass
class CalibrationResult:
    """All simulated sets of all waves plus the flags that pick the plausible and posterior sets.

    ``history`` has one row per simulated set: ``wave``, ``point``, one column per parameter
    (its dotted path), ``sim__<statistic>`` (mean over replications), ``sd__<statistic>``,
    ``I__<target>``, ``I_max``, ``I_2nd``, ``distance``, ``n_failed``, ``u__<parameter>``
    (unit-cube coordinate), ``nroy`` (non-implausible) and, for the final wave, ``abc_accept``.
    """

    priors: list[Prior]
    targets: pd.DataFrame
    config: dict
    history: pd.DataFrame
    boxes: list[dict]
    method: str = METHOD_NAME
    notes: list[str] = field(default_factory=list)

    @property
    def parameter_names(self) -> list[str]:
        return [p.name for p in self.priors]

    @property
    def final_wave(self) -> int:
        return int(self.history["wave"].max()) if len(self.history) else 0

    @property
    def plausible(self) -> pd.DataFrame:
        """Non-implausible sets of the final wave."""
        h = self.history
        return h[(h["wave"] == self.final_wave) & h["nroy"]].reset_index(drop=True)

    @property
    def posterior(self) -> pd.DataFrame:
        """Plausible sets accepted by the ABC rejection step."""
        p = self.plausible
        return p[p["abc_accept"]].reset_index(drop=True)

    def posterior_mean(self) -> pd.Series:
        return self.posterior[self.parameter_names].mean()

    def posterior_medoid(self) -> pd.Series:
        """The accepted set closest (in unit-cube coordinates) to all the others: a real, simulated set."""
        post = self.posterior
        if post.empty:
            raise ValueError("empty posterior")
        U = post[[f"u__{n}" for n in self.parameter_names]].to_numpy()
        dist = np.sqrt(((U[:, None, :] - U[None, :, :]) ** 2).sum(-1)).sum(1)
        return post.loc[int(np.argmin(dist)), self.parameter_names]

    def wave_summary(self) -> pd.DataFrame:
        h = self.history
        g = h.groupby("wave")
        return pd.DataFrame({"n": g.size(), "n_nroy": g["nroy"].sum(),
                             "share_nroy": g["nroy"].mean(), "min_I_max": g["I_max"].min()})

    def save(self, out_dir: str | Path, *, prefix: str = "") -> dict[str, Path]:
        """Write ``plausible.csv``, ``posterior.csv`` (parameter columns only, one per dotted
        path), ``history.parquet`` and ``calibration_config.json`` to ``out_dir``."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = {
            "plausible": out / f"{prefix}plausible.csv",
            "posterior": out / f"{prefix}posterior.csv",
            "history": out / f"{prefix}history.parquet",
            "config": out / f"{prefix}calibration_config.json",
        }
        plaus = self.plausible.drop(columns=[c for c in self.plausible.columns if c.startswith("u__")])
        plaus.to_csv(paths["plausible"], index=False)
        self.posterior[self.parameter_names].to_csv(paths["posterior"], index=False)
        self.history.to_parquet(paths["history"], index=False)
        write_text_atomic(paths["config"], to_json(self._meta(), indent=2))
        return paths

    def _meta(self) -> dict:
        return {
            "method": self.method,
            "config": self.config,
            "priors": [p.as_dict() for p in self.priors],
            "targets": self.targets.to_dict(orient="records"),
            "boxes": self.boxes,
            "waves": self.wave_summary().reset_index().to_dict(orient="records"),
            "n_plausible": int(len(self.plausible)),
            "n_posterior": int(len(self.posterior)),
            "posterior_mean": {k: float(v) for k, v in self.posterior_mean().items()} if len(self.posterior) else None,
            "notes": self.notes,
        }


def load_result(out_dir: str | Path, *, prefix: str = "") -> CalibrationResult:
    """Read back what :meth:`CalibrationResult.save` wrote."""
    out = Path(out_dir)
    meta = json.loads((out / f"{prefix}calibration_config.json").read_text("utf-8"))
    history = pd.read_parquet(out / f"{prefix}history.parquet")
    priors = [Prior(**p) for p in meta["priors"]]
    return CalibrationResult(priors, pd.DataFrame(meta["targets"]), meta["config"], history,
                             meta["boxes"], meta["method"], meta.get("notes", []))
