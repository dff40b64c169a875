"""OpenUHC: software to run a tax-financed universal health coverage scheme."""

__version__ = "0.1.0"
