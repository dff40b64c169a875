"""Local-fund parameters (see openuhc.core.params). Values are read on the first day of the fiscal year."""

from __future__ import annotations

from openuhc.core.params import define

RATE_PER_HEAD = define(
    "localfund.rate_per_head", "decimal", "45",
    "National transfer per head of registered population (baht)",
    "เงินโอนจาก สปสช. ต่อหัวประชากร (บาท)",
    source="About 45 baht per registered person, earlier ~40 (thai-uhc-reference.md §4.2, confidence M).",
)
POPULATION_RULE = define(
    "localfund.population_rule", "str", "address",
    "Who counts as the fund's population: address (people whose address sub-district is in the area, every "
    "scheme, as in the civil registration) or unit (people whose current main registered unit is in the area)",
    "ประชากรของกองทุน: address (ตามที่อยู่ในทะเบียนราษฎร์ ทุกสิทธิ) หรือ unit (ตามหน่วยบริการประจำที่ลงทะเบียน)",
    source="Design choice: NHSO allocates per head of the area's population; the exact count rule is unverified.",
)
COFUNDING_PERCENT = define(
    "localfund.cofunding_percent", "json", {"small": "30", "medium": "40", "large": "50", "city": "60"},
    "Required local co-funding, percent of the national transfer, by co-funding tier",
    "เงินสมทบขั้นต่ำจาก อปท. (ร้อยละของเงินโอนจาก สปสช.) ตามขนาด/ประเภท อปท.",
    source="2557 announcement as shown on obt.nhso.go.th for FY2562 (reference §4.2, confidence H); "
           "the 2561 rule may tier by own revenue instead (confidence L).",
)
LTC_RATE = define(
    "localfund.ltc_rate_per_person_year", "decimal", "10442",
    "Long-term care transfer per dependent person-year (baht)",
    "ค่าบริการดูแลระยะยาวต่อคนต่อปี (บาท)",
    source="Raised from 6,000 to 10,442 baht by the NHSO board, July 2024 (reference §4.6, confidence H).",
)
CATEGORIES = define(
    "localfund.categories", "json", [
        {"code": "1", "account": "main", "en": "Type 1: services of health units and public-health agencies",
         "th": "ประเภทที่ 1 สนับสนุนหน่วยบริการ/สถานบริการ/หน่วยงานสาธารณสุข"},
        {"code": "2", "account": "main", "en": "Type 2: health activities of community groups and organisations",
         "th": "ประเภทที่ 2 สนับสนุนกลุ่มหรือองค์กรประชาชน/หน่วยงานอื่น"},
        {"code": "3", "account": "main", "en": "Type 3: child development, elderly and disabled people's centres",
         "th": "ประเภทที่ 3 สนับสนุนศูนย์เด็กเล็ก/ศูนย์ผู้สูงอายุ/คนพิการ"},
        {"code": "4", "account": "main", "en": "Type 4: administration and development of the fund",
         "th": "ประเภทที่ 4 บริหารหรือพัฒนากองทุน"},
        {"code": "5", "account": "main", "en": "Type 5: outbreaks and disasters",
         "th": "ประเภทที่ 5 กรณีเกิดโรคระบาดหรือภัยพิบัติ"},
        {"code": "ltc", "account": "ltc", "en": "Long-term care for dependent people",
         "th": "การดูแลระยะยาวสำหรับผู้มีภาวะพึ่งพิง"},
    ],
    "Project categories (code, sub-account, names)", "ประเภทโครงการ (รหัส บัญชี ชื่อ)",
    source="Types 1–5 of the 2561 announcement; LTC as its own account (reference §4.3, §4.6).",
)
CATEGORY_CAPS = define(
    "localfund.category_caps", "json", {"4": "15"},
    "Caps on approved money per category, percent of the year's receipts of the general account",
    "เพดานเงินอนุมัติตามประเภทโครงการ (ร้อยละของรายรับของปีในบัญชีทั่วไป)",
    source="Type 4 at most 15 % of the year's receipts (reference §4.3, confidence M); 'receipts' read as the "
           "year's income excluding money brought forward (open point 3 in the reference).",
)
QUORUM_FRACTION = define(
    "localfund.quorum_fraction", "decimal", "0.5",
    "Share of voting members in office who must attend for a quorum",
    "สัดส่วนกรรมการที่ต้องเข้าประชุมจึงครบองค์ประชุม",
    source="'Not less than half of the members' is the usual Thai committee rule; check the fund's regulation.",
)
APPROVAL_WITHIN_BALANCE = define(
    "localfund.approval_within_balance", "bool", True,
    "Refuse an approval larger than the account's money not yet committed",
    "ไม่อนุมัติโครงการเกินเงินคงเหลือที่ยังไม่ผูกพัน",
    source="Design choice: a committee cannot commit money the fund does not hold.",
)
UNSPENT_WARNING = define(
    "localfund.unspent_warning_share", "decimal", "0.5",
    "Warn when money neither spent nor committed exceeds this share of the year's available money",
    "เตือนเมื่อเงินที่ยังไม่ใช้และไม่ผูกพันเกินสัดส่วนนี้ของเงินที่มีในปี",
    source="Design choice: NHSO watches high balances (reference §4.5); no official threshold found.",
)
LOW_BALANCE_WARNING = define(
    "localfund.low_balance_share", "decimal", "0.1",
    "Warn when money not yet committed falls below this share of the year's available money",
    "เตือนเมื่อเงินคงเหลือที่ยังไม่ผูกพันต่ำกว่าสัดส่วนนี้ของเงินที่มีในปี",
    source="Design choice; the 2565 amendment (clause 7/1) lets NHSO top up funds whose balance is too low.",
)
