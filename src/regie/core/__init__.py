"""The pure analysis engine (domain.md §3).

It never imports Django or another Regie app: an adapter elsewhere compiles the register
into a :class:`regie.core.snapshot.Snapshot`; everything here is numpy and scipy.sparse.
"""
