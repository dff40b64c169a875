from __future__ import annotations

from openuhc.core.errors import Coded


class CountryError(Coded):
    NOT_ENABLED = ("country_not_enabled", "{what} is not used in this country's pack ({country}).",
                   "ชุดข้อมูลประเทศนี้ ({country}) ไม่ได้ใช้{what_th}")
    UNKNOWN_ID_KIND = ("country_unknown_id_kind", "This country has no person number of kind {kind}.",
                       "ประเทศนี้ไม่มีเลขประจำตัวชนิด {kind}")
    NEEDS_BIRTH_DATE = (
        "country_needs_birth_date",
        "Numbers of kind {kind} may be shared by several people: give the birth date too.",
        "เลขชนิด {kind} อาจซ้ำกันได้หลายคน กรุณาระบุวันเกิดด้วย",
    )
    AMBIGUOUS = (
        "country_ambiguous_person",
        "{count} people hold this {kind} number with this birth date: the person cannot be told apart by it.",
        "มีผู้ถือเลข {kind} นี้ที่มีวันเกิดเดียวกัน {count} คน จึงระบุตัวบุคคลจากเลขนี้ไม่ได้",
    )
