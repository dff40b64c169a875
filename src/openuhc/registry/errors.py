from __future__ import annotations

from openuhc.core.errors import Coded


class RegistryError(Coded):
    UNKNOWN_ID = (
        "unknown_id",
        "The citizen ID is well formed, but no person with it is in the registry.",
        "เลขประจำตัวประชาชนถูกต้องตามรูปแบบ แต่ไม่พบบุคคลนี้ในทะเบียน",
    )
    DEAD = (
        "dead",
        "The person is recorded as dead since {death_date}.",
        "บุคคลนี้มีบันทึกว่าเสียชีวิตแล้วเมื่อ {death_date}",
    )
    NO_COVERAGE = (
        "no_coverage",
        "The person has no coverage scheme on {on}.",
        "บุคคลนี้ไม่มีสิทธิหลักประกันสุขภาพในวันที่ {on}",
    )
    PERSON_EXISTS = (
        "person_exists",
        "A person with this citizen ID is already in the registry.",
        "มีบุคคลที่ใช้เลขประจำตัวประชาชนนี้ในทะเบียนแล้ว",
    )
    BIRTH_IN_FUTURE = ("birth_in_future", "The birth date is in the future.", "วันเกิดอยู่ในอนาคต")
    BIRTH_TOO_EARLY = (
        "birth_too_early", "The birth date is more than 130 years ago.", "วันเกิดเก่ากว่า 130 ปี"
    )
    DEATH_BEFORE_BIRTH = ("death_before_birth", "The death date is before the birth date.", "วันเสียชีวิตอยู่ก่อนวันเกิด")
    DEATH_IN_FUTURE = ("death_in_future", "The death date is in the future.", "วันเสียชีวิตอยู่ในอนาคต")
    DEATH_ALREADY_RECORDED = (
        "death_already_recorded",
        "A death date ({death_date}) is already recorded for this person.",
        "มีการบันทึกวันเสียชีวิต ({death_date}) ของบุคคลนี้แล้ว",
    )
    BAD_SEX = (
        "bad_sex",
        "Sex is 1 (male) or 2 (female); {value!r} is neither.",
        "เพศต้องเป็น 1 (ชาย) หรือ 2 (หญิง) ไม่ใช่ {value!r}",
    )
    NAME_REQUIRED = ("name_required", "The Thai first and last names are required.", "ต้องมีชื่อและนามสกุลภาษาไทย")
    UNKNOWN_SCHEME = (
        "unknown_scheme",
        "Unknown scheme {code!r}; the schemes are: {choices}.",
        "ไม่รู้จักสิทธิ {code!r} สิทธิที่มีคือ {choices}",
    )
    COVERAGE_BEFORE_BIRTH = (
        "coverage_before_birth", "Coverage cannot start before the birth date.", "สิทธิเริ่มก่อนวันเกิดไม่ได้"
    )
    COVERAGE_PERIOD = ("coverage_period", "The coverage ends before it starts.", "วันสิ้นสุดสิทธิอยู่ก่อนวันเริ่มสิทธิ")
    COVERAGE_OVERLAP = (
        "coverage_overlap",
        "This period overlaps the {scheme} coverage from {start} to {end}: a person holds one scheme at a time.",
        "ช่วงเวลานี้ซ้อนกับสิทธิ {scheme} ตั้งแต่ {start} ถึง {end} บุคคลหนึ่งมีสิทธิหลักได้ครั้งละหนึ่งสิทธิ",
    )
    COVERAGE_ALREADY_CLOSED = (
        "coverage_already_closed", "This coverage already has an end date.", "สิทธินี้มีวันสิ้นสุดแล้ว"
    )
    NOT_REGISTERING_SCHEME = (
        "not_registering_scheme",
        "On {on} the person holds no scheme whose members register with a unit (such as UCS).",
        "ในวันที่ {on} บุคคลนี้ไม่มีสิทธิที่ต้องลงทะเบียนหน่วยบริการ (เช่น สิทธิหลักประกันสุขภาพแห่งชาติ)",
    )
    REGISTRATION_IN_FUTURE = (
        "registration_in_future",
        "A registration takes effect at once; it cannot start in the future.",
        "การลงทะเบียนมีผลทันที จึงลงวันที่ในอนาคตไม่ได้",
    )
    REGISTRATION_BACKDATED = (
        "registration_backdated",
        "A registration from {current} is already recorded; a new one must start on or after that date.",
        "มีการลงทะเบียนตั้งแต่ {current} แล้ว การลงทะเบียนใหม่ต้องเริ่มตั้งแต่วันนั้นเป็นต้นไป",
    )
    REGISTRATION_UNCHANGED = (
        "registration_unchanged",
        "The person is already registered with these units.",
        "บุคคลนี้ลงทะเบียนกับหน่วยบริการเหล่านี้อยู่แล้ว",
    )
    CHANGE_LIMIT = (
        "change_limit",
        "The registered unit may change at most {limit} times per {period}; this person has used all of them.",
        "เปลี่ยนหน่วยบริการได้ไม่เกิน {limit} ครั้งต่อ{period_th} บุคคลนี้ใช้สิทธิเปลี่ยนครบแล้ว",
    )
    DEAD_BEFORE = (
        "dead_before",
        "The person died on {death_date}, before {on}.",
        "บุคคลนี้เสียชีวิตเมื่อ {death_date} ก่อนวันที่ {on}",
    )
    UNKNOWN_UNIT = ("unknown_unit", "There is no health unit with code {code}.", "ไม่มีหน่วยบริการรหัส {code}")
    INACTIVE_UNIT = ("inactive_unit", "Health unit {code} is closed.", "หน่วยบริการรหัส {code} ปิดให้บริการแล้ว")
    FILE_ALREADY_APPLIED = (
        "registry_file_already_applied",
        "This file was already applied to the registry on {on}; a file is applied once.",
        "ไฟล์นี้นำเข้าทะเบียนแล้วเมื่อ {on} ไฟล์หนึ่งนำเข้าได้ครั้งเดียว",
    )
