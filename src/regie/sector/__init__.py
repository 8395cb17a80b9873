"""The government-wide view (domain.md §5): aggregates over many organisations, never one.

Every figure leaves this app through :func:`regie.sector.disclosure.disclose`, which
suppresses any cell over fewer than ``REGIE_SECTOR_MIN_GROUP`` organisations.
"""
