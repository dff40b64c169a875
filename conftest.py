"""Fixtures for every test: the geography, a small world with one persona per role, logged-in clients."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# `browser_page`: Playwright driving Debian's chromium (see openuhc/testing/browser.py)
pytest_plugins = ["openuhc.testing.browser"]

TDRG_DIR = Path(os.environ.get("OPENUHC_TEST_TDRG_DIR", Path(__file__).parent.parent / "shared" / "tdrg" / "6.3"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the country's geography once per test database (tests roll back around it)."""
    from openuhc.testing.world import ensure_geography

    with django_db_blocker.unblock():
        ensure_geography()


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    """Each test writes its files to its own folder and runs background jobs inline."""
    # Fast hashing: the personas' passwords are hashed in every test that builds the world.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OPENUHC_JOBS_MODE = "inline"
    settings.AXES_ENABLED = False
    settings.LANGUAGE_CODE = "en"
    # installed DRG tables go to one cache per test session (content-addressed, so tests can share it)
    settings.OPENUHC_TABLES_DIR = str(_tables_cache(tmp_path))
    settings.OPENUHC_ENGINE_DIR = str(tmp_path / "runs")
    # the analytics store too: a demo loaded by a test refreshes it, and tests run in parallel
    settings.OPENUHC_ANALYTICS_DIR = str(tmp_path / "analytics")
    settings.OPENUHC_ENGINE_WORKERS = 1  # in-process: worker processes cost a Django start-up each


_TABLES_CACHE: dict[str, Path] = {}


def _tables_cache(tmp_path: Path) -> Path:
    if "dir" not in _TABLES_CACHE:
        _TABLES_CACHE["dir"] = tmp_path.parent.parent / "drg-tables-cache"
    return _TABLES_CACHE["dir"]


@pytest.fixture
def geography(db):
    from openuhc.testing.world import ensure_geography

    ensure_geography()


@pytest.fixture
def world(geography):
    from openuhc.testing.world import build_world

    return build_world()


@pytest.fixture
def client_for(client, world):
    """client_for("hospital") → a test client logged in as that persona (None → anonymous)."""
    from django.test import Client

    def make(persona: str | None) -> Client:
        new = Client()
        if persona is not None:
            new.force_login(world.users[persona])
        return new

    return make


@pytest.fixture
def tdrg_dir() -> Path:
    if not (TDRG_DIR / "c63drg.dbf").exists():
        pytest.skip(f"The Thai DRG 6.3 tables are not at {TDRG_DIR} (set OPENUHC_TEST_TDRG_DIR); "
                    "they may not be committed, so tests that need them skip.")
    return TDRG_DIR


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")
