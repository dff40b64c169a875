from __future__ import annotations

from openuhc.core.errors import Coded


class GeoError(Coded):
    UNKNOWN_PROVINCE = ("geo_unknown_province", "There is no province with code {code}.", "ไม่มีจังหวัดรหัส {code}")
    UNKNOWN_SUBDISTRICT = (
        "geo_unknown_subdistrict", "There is no sub-district with code {code}.", "ไม่มีตำบลรหัส {code}"
    )
    SUBDISTRICT_OTHER_PROVINCE = (
        "geo_subdistrict_other_province",
        "Sub-district {code} is not in province {province}.",
        "ตำบลรหัส {code} ไม่ได้อยู่ในจังหวัด {province}",
    )
    UNKNOWN_KIND = (
        "geo_unknown_lg_kind",
        "Unknown kind of local government {kind!r}; use one of: {choices}.",
        "ไม่รู้จักประเภทองค์กรปกครองส่วนท้องถิ่น {kind!r} ใช้ได้: {choices}",
    )
    BAD_LG_CODE = (
        "geo_bad_lg_code",
        "A local-government code has 5 to 10 digits (the DLA code has 7); {code!r} does not.",
        "รหัสองค์กรปกครองส่วนท้องถิ่นต้องเป็นตัวเลข 5–10 หลัก (รหัสกรมส่งเสริมฯ มี 7 หลัก) {code!r} ไม่ใช่",
    )
    LG_EXISTS = (
        "geo_lg_exists",
        "A local government with code {code} is already recorded.",
        "มีองค์กรปกครองส่วนท้องถิ่นรหัส {code} อยู่แล้ว",
    )
    BAD_POPULATION = (
        "geo_bad_population", "Population must be a whole number of 0 or more.", "จำนวนประชากรต้องเป็นจำนวนเต็มตั้งแต่ 0"
    )
    BAD_REGION_FILE = (
        "geo_bad_region_file",
        "Line {line} of the region mapping: {detail}",
        "บรรทัด {line} ของไฟล์กำหนดเขต: {detail}",
    )
