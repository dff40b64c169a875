from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from openuhc.conf.env import env_bool, env_choice, env_int, env_list


def test_settings_helpers_read_the_environment(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert env_bool("X_BOOL") is True
    assert env_int("X_INT", 1) == 42
    assert env_list("X_LIST", []) == ["a", "b", "c"]
    assert env_int("X_MISSING", 7) == 7


@pytest.mark.parametrize(("name", "value", "call"), [
    ("X_BOOL", "maybe", lambda: env_bool("X_BOOL")),
    ("X_INT", "4x", lambda: env_int("X_INT", 1)),
    ("X_INT", "0", lambda: env_int("X_INT", 1, minimum=1)),
    ("X_CHOICE", "fr", lambda: env_choice("X_CHOICE", "th", ("th", "en"))),
])
def test_a_bad_setting_stops_start_up_naming_the_variable(monkeypatch, name, value, call):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        call()
