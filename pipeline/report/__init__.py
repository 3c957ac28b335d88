"""Reports: one module per output format, each a view of the same Document results."""
