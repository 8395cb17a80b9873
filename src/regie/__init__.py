"""Regie: measure and control digital dependencies of government organisations."""

__version__ = "0.1.0"
