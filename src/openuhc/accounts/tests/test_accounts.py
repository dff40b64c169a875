from __future__ import annotations

import pytest
from django.test import Client

from openuhc.accounts.models import ApiToken
from openuhc.accounts.services import create_user
from openuhc.core.errors import DomainError
from openuhc.testing.world import PASSWORD


def test_a_persona_logs_in_and_lands_on_the_home_page_of_its_role(world):
    client = Client()
    response = client.post("/accounts/login/", {"username": "hospital", "password": PASSWORD}, follow=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Hospital staff" in body and "56001" in body and "Your units" in body


def test_a_wrong_password_is_refused_with_a_message(world):
    response = Client().post("/accounts/login/", {"username": "hospital", "password": "nope"})
    assert response.status_code == 200
    assert "not right" in response.content.decode()


def test_repeated_wrong_passwords_lock_the_account_for_a_while(world, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        client.post("/accounts/login/", {"username": "hospital", "password": "nope"})
    response = client.post("/accounts/login/", {"username": "hospital", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()


def test_a_user_needs_the_scope_their_role_requires(world):
    with pytest.raises(DomainError) as caught:
        create_user(username="x", password=PASSWORD, role="hospital")
    assert caught.value.code == "scope_missing"
    with pytest.raises(DomainError):
        create_user(username="hospital", password=PASSWORD, role="national")


def test_an_api_token_works_until_revoked_and_is_stored_only_as_a_hash(world, client_for):
    page = client_for("hospital").post("/accounts/tokens/", {"name": "HIS"})
    raw = page.context["new_token"]
    token = ApiToken.objects.get(user=world.users["hospital"])
    assert raw not in (token.key_hash, token.prefix) and raw.startswith("ouhc_")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/units/56001").status_code == 200
    assert api.get("/api/v1/units/56002").status_code == 403
    client_for("hospital").post(f"/accounts/tokens/{token.pk}/revoke/")
    assert api.get("/api/v1/units/56001").status_code == 401


def test_a_user_without_a_role_is_told_so(world):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("norole", password=PASSWORD)
    client = Client()
    client.force_login(user)
    response = client.get("/accounts/home/")
    assert response.status_code == 403 and "no role" in response.content.decode()
