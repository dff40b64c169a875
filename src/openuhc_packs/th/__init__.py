"""Thailand: the pack OpenUHC was built for (pack.toml holds the data)."""
