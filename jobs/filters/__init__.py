"""Per-child product filters: their format, validation and evaluation."""
