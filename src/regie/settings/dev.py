"""Local use: `regie serve` and `make run` on the embedded SQLite database."""

from __future__ import annotations

from .base import *  # noqa: F403

DEBUG = True
