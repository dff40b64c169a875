"""Every sentence the grouper writes for "why this DRG" reads in Thai (drg/words.py knows it)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from openuhc.drg.grouper import Case, group
from openuhc.drg.words import translate

pytestmark = pytest.mark.django_db

CASES = [
    {"pdx": "J189", "sdx": ["E119"]},
    {"pdx": "I213", "sdx": ["E119", "I10", "N182", "I092", "K250", "I209", "A419", "E875", "E876"]},
    {"pdx": "I500", "age": 75, "sdx": ["I10", "H259", "S7200", "E876", "K250"],
     "procedures": ["7935", "9346", "9904", "4513", "1341", "1371", "4441"]},
    {"pdx": "J189", "procedures": ["8151"], "drg": "26041"},
    {"pdx": "J189", "procedures": ["3800"]},
    {"pdx": "J189", "drg": "04523"},
    {"pdx": "P073", "age": 0, "age_days": 2},
    {"pdx": "J189", "age": 0},
]


def test_every_trace_sentence_of_the_manuals_logic_reads_in_thai(tables):
    with translation.override("th"):
        for changes in CASES:
            case = Case(**{"sex": 1, "age": 60, "admit_date": date(2026, 1, 1), "discharge_date": date(2026, 1, 4),
                           **changes})
            result = group(case, tables)
            for text in [result.reason, result.disagreement, *(s["why"] for s in result.trace)]:
                if text:
                    assert translate(text) != text, text
