from __future__ import annotations

from openuhc.core.errors import Coded


class ProviderError(Coded):
    BAD_CODE = (
        "unit_bad_code",
        "A unit code has exactly 5 digits (leading zeros count); {code!r} does not.",
        "รหัสหน่วยบริการต้องเป็นตัวเลข 5 หลัก (รวมเลขศูนย์นำหน้า) {code!r} ไม่ใช่",
    )
    UNIT_EXISTS = ("unit_exists", "A unit with code {code} already exists.", "มีหน่วยบริการรหัส {code} อยู่แล้ว")
    UNKNOWN_UNIT = ("unit_unknown", "There is no health unit with code {code}.", "ไม่มีหน่วยบริการรหัส {code}")
    UNKNOWN_TYPE = (
        "unit_unknown_type",
        "Unknown unit type {code!r}; the types are: {choices}.",
        "ไม่รู้จักประเภทหน่วยบริการ {code!r} ประเภทที่มีคือ {choices}",
    )
    UNKNOWN_OWNER = (
        "unit_unknown_owner",
        "Unknown owner {code!r}; the owners are: {choices}.",
        "ไม่รู้จักสังกัด {code!r} สังกัดที่มีคือ {choices}",
    )
    SAME_OWNER = ("unit_same_owner", "The unit already belongs to {owner}.", "หน่วยบริการนี้สังกัด {owner} อยู่แล้ว")
    OWNER_BACKDATED = (
        "unit_owner_backdated",
        "The ownership history already has an entry from {last}; a transfer must be dated after that day.",
        "ประวัติสังกัดมีรายการตั้งแต่ {last} แล้ว การถ่ายโอนต้องลงวันที่หลังวันนั้น",
    )
    NOT_A_CUP = ("unit_not_a_cup", "Unit {code} does not lead a CUP.", "หน่วยบริการ {code} ไม่ได้เป็นแม่ข่ายของ CUP")
    CUP_BACKDATED = (
        "unit_cup_backdated",
        "The CUP history already has an entry from {last}; a change must be dated after that day.",
        "ประวัติ CUP มีรายการตั้งแต่ {last} แล้ว การเปลี่ยนต้องลงวันที่หลังวันนั้น",
    )
    SELF_REFERRAL = ("unit_self_referral", "A unit cannot refer to itself.", "หน่วยบริการส่งต่อให้ตนเองไม่ได้")
