"""The pure analysis engine (domain.md §3).

It never imports Django or another Regie app: an adapter elsewhere compiles the register
into a :class:`regie.core.snapshot.Snapshot`; everything here is numpy and scipy.sparse.

Modules (each small and named for what it holds):

- ``facts``: ``Fact`` (provenance) and the vocabularies (dimensions, clauses, DORA classes).
- ``columns``: ``CatalogueColumns``/``OrgColumns``, the bulk column format.
- ``snapshot``: ``Snapshot`` (``from_arrays``) and, re-exported, ``SnapshotBuilder``, ``Fact``.
- ``builder``: ``SnapshotBuilder``, the row-by-row contract with the register adapter.
- ``catalogue``: ``Catalogue``, the compiled shared catalogue (control chains, groups).
- ``graph``: ``ScopeGraph``, the dependency graph of one organisation or a set.
- ``closure``: ``process_closure``, ``control_chain``, explaining paths (``Explainer``).
- ``masks``: closure features as bit masks (countries, unknowns, provider groups).
- ``exposure``: jurisdiction exposure (``exposure_matrix``, ``process_exposures``).
- ``concentration``: reliance, spend and usage shares, ``hhi``/``hhi_band``.
- ``continuity``: ``Failure``, ``simulate``, ``blast_radius_all_groups``,
  ``single_points_of_failure``, ``recovery_gaps``.
- ``lockin``: substitutability classes (``lockin_arrays``, ``substitutability_details``).
- ``pricing``: ``price_power``.
- ``scenarios``: ``Scenario``, the change kinds, ``run_scenario``, ``apply_changes``.
- ``explain``: ``Evidence``, ``Step``, ``FactRef``, ``LazyEvidence``.
- ``analysis``: ``analyse``/``analyse_org`` -> ``Analysis`` (``figures()``, ``to_dict()``).
- ``synthetic``, ``bench``, ``bench_reference``: landscapes and the benchmark.
"""
