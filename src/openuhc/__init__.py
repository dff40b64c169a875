"""OpenUHC: software to run a tax-financed universal health coverage scheme."""

import os

__version__ = "0.1.0"

# Polars' allocator (jemalloc) reads this when it starts, so it is set before anything imports Polars. Freed
# pages go back to the kernel lazily (MADV_FREE after 10 s) instead of at once (jemalloc's default muzzy decay 0
# means MADV_DONTNEED): a batch reuses them rather than faulting in freshly zeroed pages for every query. On
# DRG grouping of 1,000,000 admissions this took about 10 % off the CPU (benchmarks/README.md). A deployment
# may set its own value.
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:10000,muzzy_decay_ms:10000")
