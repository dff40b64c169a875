import pytest


@pytest.fixture
def tables(db, tdrg_dir):
    """The official TDRG 6.3 tables, installed (skips, saying why, where they are absent)."""
    from openuhc.drg.tables import active_tables, install_tables

    install_tables(tdrg_dir)
    return active_tables()
