"""What a DRG does to a claim (claims.lifecycle): an error DRG rejects it with its e-Claim code and it stays
correctable; an approximate DRG holds it for review; regional officers release or reject held claims with a
reason, append-only, from the review list."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openuhc.claims import lifecycle, services
from openuhc.claims.models import Claim, ClaimEvent
from openuhc.core import params
from openuhc.core.errors import DomainError
from openuhc.core.models_base import AppendOnlyError

pytestmark = pytest.mark.django_db


@pytest.fixture
def admission(builder, tmp_path, world):
    services.submit(builder.write(tmp_path / "s"), unit_code="56001", actor=world.users["hospital"])
    return Claim.objects.get(kind="IP", key="A1")


def grouped(claim, drg="06520", exact=False):
    """As the grouper records it: the grouping row (shown on the pages) and the claim moved on."""
    from openuhc.drg.models import ClaimGrouping

    ClaimGrouping.objects.create(claim=claim, table_version="6.3", drg=drg, rw=Decimal("0.5"), adjrw=Decimal("0.5"),
                                 los=3, exact=exact, reason="" if exact else "medical DC guessed from the cluster")
    return lifecycle.record_grouping(claim, drg=drg, exact=exact, actor=None, detail={"drg": drg})


@pytest.mark.parametrize(("drg", "code"), [("26509", "210"), ("26519", "211"), ("26529", "212"), ("26539", "223")])
def test_an_error_drg_rejects_the_admission_with_its_code(admission, drg, code):
    assert grouped(admission, drg, exact=True) == "rejected"
    admission.refresh_from_db()
    problem = admission.problems.get()
    assert (admission.status, problem.code, problem.klass, problem.field) == ("rejected", code, "fix", "DRG")
    assert drg in problem.message_en and drg in problem.message_th
    assert admission.events.last().detail["code"] == code


def test_a_rejected_admission_is_corrected_by_sending_the_same_an_again(admission, builder, tmp_path, world):
    grouped(admission, "26519", exact=True)
    services.submit(builder.write(tmp_path / "again"), unit_code="56001", actor=world.users["hospital"])
    current = Claim.objects.get(kind="IP", key="A1", is_current=True)
    assert current.pk != admission.pk and current.status == "accepted"
    assert not current.problems.filter(code="142").exists()
    assert Claim.objects.get(pk=admission.pk).status == "replaced"


def test_an_approximate_drg_holds_the_admission_unless_the_parameter_says_otherwise(admission, builder, tmp_path,
                                                                                    world):
    assert grouped(admission) == "held"
    assert grouped(Claim.objects.get(pk=admission.pk), exact=True) == "grouped"  # regrouped exactly: no hold
    params.set_value("claims.hold_approximate_drg", False, valid_from=date(2025, 9, 1))
    services.submit(builder.write(tmp_path / "again"), unit_code="56001", actor=world.users["hospital"])
    assert grouped(Claim.objects.get(kind="IP", key="A1", is_current=True)) == "grouped"


def test_the_regions_officer_releases_or_rejects_a_held_claim_with_a_reason(admission, world, builder, tmp_path):
    grouped(admission)
    with pytest.raises(DomainError) as error:
        lifecycle.review(admission, actor=world.users["regional"], release=True, reason="  ")
    assert error.value.code == "claim_review_reason"
    with pytest.raises(DomainError) as error:
        lifecycle.review(admission, actor=world.users["regional2"], release=True, reason="looks fine")
    assert error.value.code == "claim_not_reviewer"
    lifecycle.review(admission, actor=world.users["regional"], release=True, reason="coding checked")
    admission.refresh_from_db()
    assert admission.status == "grouped"
    event = admission.events.last()
    assert (event.status, event.actor, event.detail["review"], event.detail["reason"]) == (
        "grouped", world.users["regional"], "released", "coding checked")
    with pytest.raises(DomainError) as error:
        lifecycle.review(admission, actor=world.users["regional"], release=False, reason="again")
    assert error.value.code == "claim_not_held"
    with pytest.raises(AppendOnlyError):
        ClaimEvent.objects.filter(pk=event.pk).update(detail={})
    # a rejection sends it back to the unit with 225 and the reason; the AN stays open for a correction
    services.submit(builder.write(tmp_path / "again"), unit_code="56001", actor=world.users["hospital"])
    second = Claim.objects.get(kind="IP", key="A1", is_current=True)
    grouped(second)
    lifecycle.review(second, actor=world.users["national"], release=False, reason="the chart shows a transfer")
    second.refresh_from_db()
    problem = second.problems.get(code="225")
    assert second.status == "rejected" and "the chart shows a transfer" in problem.message_en
    assert problem.message_th and second.events.last().detail["review"] == "rejected"


def test_the_review_list_is_scoped_and_its_buttons_decide(admission, world, client_for):
    grouped(admission)
    body = client_for("regional").get("/claims/review/").content.decode()
    assert 'id="held-claims"' in body and ">A1<" in body and "medical DC guessed" in body
    assert ">A1<" not in client_for("regional2").get("/claims/review/").content.decode()
    for persona in ("hospital", "localfund", "analyst"):
        assert client_for(persona).get("/claims/review/").status_code == 403
    assert client_for("regional2").post(f"/claims/{admission.pk}/review/", {
        "decision": "release", "reason": "x"}).status_code == 403
    page = client_for("regional").get(f"/claims/{admission.pk}/").content.decode()
    assert 'id="review"' in page
    response = client_for("regional").post(f"/claims/{admission.pk}/review/", {
        "decision": "release", "reason": "coding checked", "next": f"/claims/{admission.pk}/"})
    assert response.status_code == 302 and response.url == f"/claims/{admission.pk}/"
    assert Claim.objects.get(pk=admission.pk).status == "grouped"
    page = client_for("hospital").get(f"/claims/{admission.pk}/").content.decode()
    assert "coding checked" in page and 'id="review"' not in page
    outside = client_for("regional").post(f"/claims/{admission.pk}/review/", {
        "decision": "release", "reason": "x", "next": "https://example.com/"})
    assert outside.url == "/claims/review/"


@pytest.mark.parametrize(("drg", "exact", "status", "code"), [
    ("26509", True, "rejected", "210"), ("26539", True, "rejected", "223"), ("06520", False, "held", None),
    ("06520", True, "grouped", None)])
def test_many_groupings_at_once_move_each_claim_as_one_grouping_does(admission, drg, exact, status, code):
    counts = lifecycle.record_groupings([lifecycle.Grouped(claim_id=admission.pk, drg=drg, exact=exact,
                                                           detail={"drg": drg})], actor=None)
    assert counts == {"grouped": 0, "held": 0, "rejected": 0, status: 1}
    admission.refresh_from_db()
    event = admission.events.last()
    assert (admission.status, event.status, event.actor) == (status, status, None)
    assert event.detail == ({"drg": drg, "code": code} if code else {"drg": drg})
    problems = list(admission.problems.values_list("code", "klass", "field", "file", "line"))
    assert problems == ([(code, "fix", "DRG", "IPD", admission.line)] if code else [])
    if code:
        problem = admission.problems.get()
        assert drg in problem.message_en and drg in problem.message_th


def test_many_groupings_at_once_write_nothing_if_a_claim_moved_meanwhile(admission, monkeypatch):
    grouped(admission)  # held now; the batch read it as accepted
    real = lifecycle._grouping_claims
    monkeypatch.setattr(lifecycle, "_grouping_claims",
                        lambda ids: {pk: ("accepted", *rest) for pk, (_, *rest) in real(ids).items()})
    events = admission.events.count()
    with pytest.raises(DomainError) as error:
        lifecycle.record_groupings([lifecycle.Grouped(claim_id=admission.pk, drg="26509", exact=True, detail={})],
                                   actor=None)
    assert error.value.code == "claim_changed_meanwhile"
    admission.refresh_from_db()
    assert admission.status == "held" and admission.events.count() == events and not admission.problems.exists()
