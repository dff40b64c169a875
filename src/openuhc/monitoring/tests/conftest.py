import pytest


@pytest.fixture(autouse=True)
def _store_in_tmp(settings, tmp_path):
    """Each test gets its own analytics store."""
    settings.OPENUHC_ANALYTICS_DIR = str(tmp_path / "analytics")
