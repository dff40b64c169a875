"""The claims API pages a submission's claims and problems by keyset (`after`, the `next` cursor in the Link
header) as well as by offset, in the same order; a bad cursor is refused with {code, message}, and so is
another unit's user."""

from __future__ import annotations

from openuhc.accounts.services import issue_token
from openuhc.claims import services


def _submission(builder, world):  # noqa: ANN001, ANN202
    for row in builder.rows["CHT"]:  # two problems (one per visit): CHT.TOTAL against the CHA lines
        if row["SEQ"] in ("V1", "V2"):
            row["TOTAL"] = "999.00"
    return services.start_upload(upload=_zip(builder), unit=world.hospital_a, actor=world.users["hospital"])


def _zip(builder):  # noqa: ANN001, ANN202
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("claims-2568-09.zip", builder.zip_bytes(), content_type="application/zip")


def _walk(client, url, headers):  # noqa: ANN001, ANN202
    """Every page by following the Link header from the first; the pages' rows and how many pages."""
    rows, pages = [], 0
    while url:
        response = client.get(url, **headers)
        assert response.status_code == 200, response.content
        rows += response.json()
        pages += 1
        link = response.get("Link", "")
        assert bool(link) == bool(response.get("X-Next-Cursor"))
        url = link[link.index("<") + 1:link.index(">")] if link else ""
        assert not url or "after=" in url and "offset=" not in url
    return rows, pages


def test_claims_and_problems_page_by_cursor_in_the_offset_order(builder, client_for, world):
    submission = _submission(builder, world)
    _, token = issue_token(user=world.users["hospital"], name="his")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client = client_for(None)
    for what, count in (("claims", 3), ("problems", 2)):
        base = f"/api/v1/claims/submissions/{submission.pk}/{what}"
        everything = client.get(base, **headers).json()
        assert len(everything) == count
        by_cursor, pages = _walk(client, f"{base}?limit=1", headers)
        assert by_cursor == everything and pages == count
        by_offset = [row for n in range(count) for row in client.get(f"{base}?limit=1&offset={n}", **headers).json()]
        assert by_offset == everything
    claims = client.get(f"/api/v1/claims/submissions/{submission.pk}/claims", **headers).json()
    assert [c["key"] for c in claims] == ["A1", "V1", "V2"]  # by kind (IP, OP), then key
    filtered, _ = _walk(client, f"/api/v1/claims/submissions/{submission.pk}/claims?limit=1&status=accepted", headers)
    assert [c["key"] for c in filtered] == ["A1"]


def test_a_bad_cursor_or_a_cursor_with_an_offset_is_refused_with_the_reason(builder, client_for, world):
    submission = _submission(builder, world)
    _, token = issue_token(user=world.users["hospital"], name="his")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client = client_for(None)
    for what in ("claims", "problems"):
        base = f"/api/v1/claims/submissions/{submission.pk}/{what}"
        for bad in ("nonsense", "WzEsMiwzLDRd", "%00%ff"):  # the last but one: [1,2,3,4], no list's key
            response = client.get(f"{base}?after={bad}", **headers)
            assert response.status_code == 400, (what, bad, response.content)
            assert response.json()["code"] == "bad_parameter_cursor" and response.json()["message"]
        cursor = client.get(f"{base}?limit=1", **headers)["X-Next-Cursor"]
        both = client.get(f"{base}?limit=1&offset=1&after={cursor}", **headers)
        assert both.status_code == 400 and both.json()["code"] == "bad_parameter_after_offset"
        assert client.get(f"{base}?after={'x' * 501}", **headers).status_code == 422


def test_another_units_user_and_an_analyst_are_refused_a_page(builder, client_for, world):
    submission = _submission(builder, world)
    _, token = issue_token(user=world.users["hospital"], name="his")
    client = client_for(None)
    base = f"/api/v1/claims/submissions/{submission.pk}/claims"
    cursor = client.get(f"{base}?limit=1", HTTP_AUTHORIZATION=f"Bearer {token}")["X-Next-Cursor"]
    _, other = issue_token(user=world.users["hospital2"], name="his2")
    _, analyst = issue_token(user=world.users["analyst"], name="a")
    for refused in (other, analyst):
        for what in ("claims", "problems"):
            url = f"/api/v1/claims/submissions/{submission.pk}/{what}?limit=1&after={cursor}"
            assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {refused}").status_code == 403
    assert client.get(f"{base}?after={cursor}").status_code == 401
