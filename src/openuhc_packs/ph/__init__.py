"""The Philippines (pack.toml holds the data)."""
