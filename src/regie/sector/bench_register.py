"""Benchmark of the sector digest read from a register database: whole, and per changed organisation.

The national synthetic landscape is written into a scratch SQLite database (as ``regie bench``
does); then the digest is built the way the sector pages build it (``regie.sector.population``):
once whole (catalogue, every organisation's tables, the engine over them, the contract rows), and
then after a register write, for one organisation only (its tables on the already compiled
catalogue, the engine over it, its rows put into the digest). Wall-clock and processor time.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from regie.analysis.adapter import compile_catalogue
from regie.analysis.bench import database, write_catalogue, write_organisations
from regie.analysis.orgload import org_columns
from regie.core.snapshot import Snapshot
from regie.core.synthetic import synthetic_columns
from regie.register.models import Organisation

from .digest import build_digest, replace_orgs
from .procurement import contract_rows


@contextmanager
def sqlite_database(alias: str) -> Iterator[str]:
    """A migrated scratch SQLite database, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="regie-sector-bench-") as tmp:
        config = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(Path(tmp) / "sector.sqlite3"),
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"},
            "HOST": "",
            "PORT": "",
            "USER": "",
            "PASSWORD": "",
            "CONN_MAX_AGE": 0,
        }
        with database(alias, config) as name:
            yield name


def _timed(fn: Any) -> tuple[Any, float, float]:
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - t, time.process_time() - c


def run_register_bench(scale: str = "national", *, updates: int = 5, seed: int = 1) -> dict[str, Any]:
    cat_cols, org_cols = synthetic_columns(scale)
    with sqlite_database("regie_sector_bench") as alias:
        t = time.perf_counter()
        write_catalogue(alias, cat_cols)
        write_organisations(alias, org_cols)
        written = time.perf_counter() - t

        def full() -> Any:
            catalogue = compile_catalogue(alias)
            snap = Snapshot.from_arrays(catalogue, org_columns(catalogue, using=alias))
            return catalogue, build_digest(snap), contract_rows(snap)

        (catalogue, digest, contracts), full_s, full_cpu = _timed(full)
        ids = list(Organisation.objects.using(alias).order_by("pk").values_list("pk", flat=True))
        chosen = np.random.default_rng(seed).choice(ids, size=min(updates, len(ids)), replace=False)
        walls, cpus = [], []
        for pk in chosen.tolist():

            def one(pk: int = pk) -> Any:
                snap = Snapshot.from_arrays(catalogue, org_columns(catalogue, using=alias, org_ids=[pk]))
                part = build_digest(snap)
                return replace_orgs(digest, part), contract_rows(snap)

            _, wall, cpu = _timed(one)
            walls.append(wall)
            cpus.append(cpu)
    return {
        "scale": scale,
        "organisations": digest.n_orgs,
        "contracts": len(contracts),
        "write_s": round(written, 3),
        "digest_full_s": round(full_s, 3),
        "digest_full_cpu_s": round(full_cpu, 3),
        "digest_one_org_median_s": round(statistics.median(walls), 3),
        "digest_one_org_median_cpu_s": round(statistics.median(cpus), 3),
        "digest_one_org_max_s": round(max(walls), 3),
        "updates_timed": len(walls),
    }
