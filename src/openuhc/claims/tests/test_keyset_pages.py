"""A unit's claims list and a submission's claims page in keyset pages: first / next / previous / last, ties on
the sort key, claims without a service date, filters kept across pages, and who is refused."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from openuhc.claims import list_views, services, views
from openuhc.claims.models import Claim, Submission
from openuhc.claims.samples import SubmissionBuilder
from openuhc.core.keyset import Key, paginate

DAY_1, DAY_2 = date(2025, 9, 3), date(2025, 9, 20)


@pytest.fixture
def submission(world) -> Submission:  # noqa: ANN001
    """Hospital A: five visits on one day (ties on the date), two on a later day, one in August, one without a
    date (rejected), one admission."""
    a = world.people["a"]
    builder = SubmissionBuilder("56001")
    builder.patient(hn="H1", cid=a.citizen_id, dob=a.birth_date, sex=a.sex, fname=a.first_name_th,
                    lname=a.last_name_th, hospmain="56001")
    for n in range(5):
        builder.visit(hn="H1", seq=f"S{n}", on=DAY_1)
    for n in range(5, 7):
        builder.visit(hn="H1", seq=f"S{n}", on=DAY_2)
    builder.visit(hn="H1", seq="AUG", on=date(2025, 8, 30))
    builder.visit(hn="H1", seq="NODATE", on=None, raw_date="")
    builder.admission(hn="H1", an="A1", admitted=date(2025, 9, 10), discharged=date(2025, 9, 14),
                      diagnoses=["K359"])
    upload = SimpleUploadedFile("claims.zip", builder.zip_bytes(), content_type="application/zip")
    return services.start_upload(upload=upload, unit=world.hospital_a, actor=world.users["hospital"])


def _keys(body: str) -> list[str]:
    table = body.split('id="claims"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'href="/claims/\d+/">([^<]+)</a>', table)


def _link(body: str, name: str) -> str | None:
    found = re.search(rf'id="page-{name}" href="([^"]+)"', body)
    return found[1].replace("&amp;", "&") if found else None


def _expected(rows) -> list[str]:  # noqa: ANN001
    """Newest service date first, claims without a date before all (NULL is the largest value), then newest id."""
    return [c.key for c in sorted(rows, key=lambda c: (c.service_date is None, c.service_date or date.min, c.pk),
                                  reverse=True)]


def _walk(client, start: str, direction: str) -> list[list[str]]:  # noqa: ANN001
    pages, url = [], start
    while url is not None:
        body = client.get(url).content.decode()
        pages.append(_keys(body))
        url = _link(body, direction)
        url = None if url is None else start.split("?")[0] + url
    return pages


def test_the_unit_list_walks_every_claim_once_forward_and_back_with_ties_on_the_date(
        submission, client_for, world, monkeypatch):
    monkeypatch.setattr(list_views, "PAGE", 3)
    client = client_for("hospital")
    expected = _expected(Claim.objects.filter(unit=world.hospital_a))
    assert expected[0] == "NODATE" and len(expected) == 10
    forward = _walk(client, "/claims/list/", "next")
    assert [k for page in forward for k in page] == expected
    assert [len(p) for p in forward] == [3, 3, 3, 1]
    backward = _walk(client, "/claims/list/?last=1", "previous")
    assert [k for page in reversed(backward) for k in page] == expected
    assert backward[0] == expected[-3:]  # the last page is full, read from the end
    first = client.get("/claims/list/").content.decode()
    assert _link(first, "previous") is None and _link(first, "first") is None and _link(first, "last")


def test_filters_are_kept_across_pages(submission, client_for, world, monkeypatch):
    monkeypatch.setattr(list_views, "PAGE", 2)
    client = client_for("hospital")
    pages = _walk(client, "/claims/list/?status=accepted&kind=OP&month=2025-09", "next")
    expected = _expected(Claim.objects.filter(unit=world.hospital_a, status="accepted", kind="OP",
                                              service_date__gte=date(2025, 9, 1), service_date__lt=date(2025, 10, 1)))
    assert [k for page in pages for k in page] == expected and len(expected) == 7
    body = client.get("/claims/list/?status=accepted&kind=OP&month=2025-09").content.decode()
    assert all(part in _link(body, "next") for part in ("status=accepted", "kind=OP", "month=2025-09"))


@pytest.mark.parametrize("query", ["month=2025-13", "month=September", "status=paid-twice", "kind=XX"])
def test_a_filter_that_is_not_one_of_the_choices_is_refused_with_its_reason(submission, client_for, query):
    answer = client_for("hospital").get(f"/claims/list/?{query}")
    assert answer.status_code == 400
    assert query.split("=")[0] in answer.content.decode()


def test_a_stale_or_made_up_cursor_shows_the_first_page(submission, client_for):
    client = client_for("hospital")
    assert client.get("/claims/list/?after=not-a-cursor").status_code == 200
    assert _keys(client.get("/claims/list/?after=WyJ4Il0").content.decode())[0] == "NODATE"


def test_only_the_units_own_people_and_their_overseers_see_its_claims(submission, client_for, world):
    assert client_for("hospital2").get("/claims/list/?unit=56001").status_code == 403
    assert client_for("regional2").get("/claims/list/?unit=56001").status_code == 403
    assert client_for("localfund").get("/claims/list/?unit=56001").status_code == 403
    assert client_for(None).get("/claims/list/").status_code == 302
    assert "S0" in _keys(client_for("national").get("/claims/list/?unit=56001").content.decode())
    assert "S0" in _keys(client_for("regional").get("/claims/list/?unit=56001").content.decode())
    assert 'id="choose-unit"' in client_for("national").get("/claims/list/").content.decode()


def test_the_submission_page_walks_its_claims_in_keyset_pages(submission, client_for, monkeypatch):
    monkeypatch.setattr(views, "PAGE", 4)
    client = client_for("hospital")
    start = f"/claims/submissions/{submission.pk}/"
    expected = [c.key for c in submission.claims.order_by("status", "kind", "key")]
    assert [k for page in _walk(client, start, "next") for k in page] == expected
    assert [k for page in reversed(_walk(client, start + "?last=1", "previous")) for k in page] == expected
    rejected = _walk(client, start + "?status=rejected", "next")
    assert [k for page in rejected for k in page] == ["NODATE"]


def test_keyset_pages_in_ascending_order_with_nulls_last(submission):
    keys = (Key("service_date", nullable=True), Key("id"))
    rows = Claim.objects.filter(submission=submission)
    expected = [c.pk for c in sorted(rows, key=lambda c: (c.service_date is None, c.service_date or date.min, c.pk))]
    seen, page = [], paginate(rows, keys, size=3)
    while True:
        seen += [c.pk for c in page.object_list]
        if not page.has_next:
            break
        page = paginate(rows, keys, size=3, after_cursor=page.next_cursor)
    assert seen == expected
    back = paginate(rows, keys, size=3, before_cursor=page.previous_cursor)
    start = seen.index(page.object_list[0].pk)
    assert [c.pk for c in back.object_list] == expected[start - 3:start] and back.has_next and back.has_previous
