"""Claims test helpers: a clean submission from hospital A for the world's people, ready to be spoilt."""

from __future__ import annotations

from datetime import date

import pytest

from openuhc.claims.samples import SubmissionBuilder

SERVICE_DAY = date(2025, 9, 3)
RECEIVED = date(2025, 10, 5)


def clean_builder(world) -> SubmissionBuilder:  # noqa: ANN001
    """Hospital A (56001): person a (registered there) has one OP visit and one admission; person b
    (registered with hospital B, referred to A) has an OP visit with a referral."""
    a, b = world.people["a"], world.people["b"]
    builder = SubmissionBuilder("56001")
    builder.patient(hn="H1", cid=a.citizen_id, dob=a.birth_date, sex=a.sex, fname=a.first_name_th,
                    lname=a.last_name_th, hospmain="56001")
    builder.patient(hn="H2", cid=b.citizen_id, dob=b.birth_date, sex=b.sex, fname=b.first_name_th,
                    lname=b.last_name_th, hospmain="56002")
    builder.visit(hn="H1", seq="V1", on=SERVICE_DAY, diagnoses=["J069", "R509"], charges={"31": "120.00",
                  "41": "80.50"}, drugs=1)
    builder.visit(hn="H2", seq="V2", on=SERVICE_DAY, diagnoses=["I10"], refer_from="56002")
    builder.admission(hn="H1", an="A1", admitted=date(2025, 9, 10), discharged=date(2025, 9, 14),
                      diagnoses=["K359", "E119"], procedures=["4709"],
                      leave=[(date(2025, 9, 11), date(2025, 9, 12), 1)])
    return builder


@pytest.fixture
def builder(world) -> SubmissionBuilder:  # noqa: ANN001
    return clean_builder(world)
