"""Reports for a council or board: the dependency report and the procurement decision report."""
