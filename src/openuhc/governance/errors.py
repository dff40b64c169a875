"""Error codes of area health governance, each with an English and a Thai message."""

from __future__ import annotations

from openuhc.core.errors import Coded


class GovError(Coded):
    # bodies and members
    CODE_EXISTS = ("gov_code_exists", "The code {code} is already used.", "รหัส {code} มีผู้ใช้แล้ว")
    BODY_AREA = ("gov_body_area", "A {level} body needs a {needed}.", "คณะกรรมการระดับ{level_th}ต้องระบุ{needed_th}")
    ONE_AREA = ("gov_one_area", "Choose a province or a health region, not both.",
                "เลือกจังหวัดหรือเขตสุขภาพอย่างใดอย่างหนึ่ง")
    AREA_OUTSIDE_SECRETARIAT = ("gov_area_outside_secretariat", "That area is outside your secretariat's area.",
                                "พื้นที่นี้อยู่นอกพื้นที่ของฝ่ายเลขานุการของท่าน")
    BAD_QUORUM = ("gov_bad_quorum", "The quorum must be a fraction between 0 and 1, such as 1/2 or 0.6; {value!r} "
                  "is not one.", "องค์ประชุมต้องเป็นสัดส่วนระหว่าง 0 ถึง 1 เช่น 1/2 หรือ 0.6 แต่ได้รับ {value!r}")
    MEMBER_TERM = ("gov_member_term", "The term must end after it starts.", "วันสิ้นสุดวาระต้องอยู่หลังวันเริ่มวาระ")
    MEMBER_ROLE_TAKEN = ("gov_member_role_taken", "{name} is already {role} for part of that term ({start} – {end}).",
                         "{name} ดำรงตำแหน่ง{role}อยู่แล้วในช่วงเวลาดังกล่าว ({start} – {end})")
    MEMBER_ALREADY_LEFT = ("gov_member_already_left", "{name} already left on {date}.",
                           "{name} พ้นจากตำแหน่งแล้วเมื่อ {date}")
    MEMBER_LEFT_DATE = ("gov_member_left_date", "The day a member leaves must fall within the term ({start} – {end}).",
                        "วันที่พ้นจากตำแหน่งต้องอยู่ในวาระ ({start} – {end})")
    MEMBER_OTHER_BODY = ("gov_member_other_body", "A member of another body cannot attend this meeting.",
                         "กรรมการของคณะอื่นเข้าร่วมประชุมคณะนี้ไม่ได้")
    # meetings and resolutions
    DUPLICATE_MEETING = ("gov_duplicate_meeting", "Meeting {number}/{year} is already recorded.",
                         "บันทึกการประชุมครั้งที่ {number}/{year} ไว้แล้ว")
    MEETING_IN_FUTURE = ("gov_meeting_in_future", "A meeting can only be recorded once it has been held.",
                         "บันทึกการประชุมได้เมื่อประชุมแล้วเท่านั้น")
    NO_AGENDA = ("gov_no_agenda", "Give the agenda: one item per line.", "กรุณาระบุระเบียบวาระ บรรทัดละหนึ่งวาระ")
    BAD_RECONVENE = ("gov_bad_reconvene",
                     "Only a matter adjourned for want of a quorum, taken up within {days} days of that meeting of the "
                     "same body, may be decided with the reduced quorum.",
                     "เฉพาะเรื่องที่เลื่อนเพราะไม่ครบองค์ประชุม และนัดประชุมใหม่ของคณะเดียวกันภายใน {days} วัน "
                     "จึงใช้องค์ประชุมที่ลดลงได้")
    NO_QUORUM = ("gov_no_quorum", "Meeting {meeting} had no quorum ({present} of {in_office} voting members present, "
                 "{needed} needed): it cannot resolve anything.",
                 "การประชุม {meeting} ไม่ครบองค์ประชุม (มา {present} จาก {in_office} คน ต้องมีอย่างน้อย {needed} คน) "
                 "จึงลงมติไม่ได้")
    ITEM_OTHER_MEETING = ("gov_item_other_meeting", "That agenda item belongs to another meeting.",
                          "ระเบียบวาระนี้เป็นของการประชุมอื่น")
    BAD_MINUTES_TYPE = ("gov_bad_minutes_type", "Minutes must be a file of type {types}; {name} is not.",
                        "รายงานการประชุมต้องเป็นไฟล์ประเภท {types} แต่ {name} ไม่ใช่")
    MINUTES_TOO_BIG = ("gov_minutes_too_big", "The minutes file is larger than {mb} MB.",
                       "ไฟล์รายงานการประชุมใหญ่เกิน {mb} เมกะไบต์")
    EMPTY_TEXT = ("gov_empty_text", "The {what} is empty.", "ยังไม่ได้ระบุ{what_th}")
    # plans
    PLAN_AREA = ("gov_plan_area", "A plan belongs to a PAO, a province or a health region.",
                 "แผนต้องเป็นของ อบจ. จังหวัด หรือเขตสุขภาพ")
    NOT_A_PAO = ("gov_not_a_pao", "{name} is not a Provincial Administrative Organisation.",
                 "{name} ไม่ใช่องค์การบริหารส่วนจังหวัด")
    PLAN_PERIOD = ("gov_plan_period", "A plan runs from a first to a last fiscal year (at most {most} years); "
                   "{first}–{last} is not a valid period.",
                   "แผนต้องมีปีงบประมาณเริ่มต้นและสิ้นสุด (ไม่เกิน {most} ปี) ช่วง {first}–{last} ใช้ไม่ได้")
    PLAN_EXISTS = ("gov_plan_exists", "{owner} already has a plan starting in FY{year}.",
                   "{owner} มีแผนที่เริ่มปีงบประมาณ {year} อยู่แล้ว")
    PLAN_ADOPTED = ("gov_plan_adopted", "The plan is already adopted.", "แผนนี้ได้รับความเห็นชอบแล้ว")
    RESOLUTION_OTHER_AREA = ("gov_resolution_other_area", "That resolution is of a body outside the plan's area.",
                             "มติดังกล่าวเป็นของคณะกรรมการนอกพื้นที่ของแผน")
    YEAR_OUTSIDE_PLAN = ("gov_year_outside_plan", "FY{year} is outside the plan ({first}–{last}).",
                         "ปีงบประมาณ {year} อยู่นอกช่วงของแผน ({first}–{last})")
    UNKNOWN_KPI = ("gov_unknown_kpi", "There is no monitoring KPI {code}.", "ไม่มีตัวชี้วัดในระบบติดตาม {code}")
    BAD_NUMBER = ("gov_bad_number", "{what} must be a number; {value!r} is not one.",
                  "{what_th}ต้องเป็นตัวเลข แต่ได้รับ {value!r}")
    BAD_MONEY = ("gov_bad_money", "Amounts are in baht, not negative, with at most 2 decimals (satang); {value!r} "
                 "is not one.", "จำนวนเงินเป็นบาท ไม่ติดลบ ทศนิยมไม่เกิน 2 ตำแหน่ง แต่ได้รับ {value!r}")
    UNIT_NOT_TRANSFERRED = ("gov_unit_not_transferred",
                            "{unit} is not one of the units transferred to {owner}: a plan's projects concern its "
                            "own units.",
                            "{unit} ไม่ใช่หน่วยบริการที่ถ่ายโอนให้ {owner} โครงการของแผนต้องเกี่ยวกับหน่วยบริการในสังกัด")
    UNIT_OUTSIDE_AREA = ("gov_unit_outside_area", "{unit} is outside the plan's area.",
                         "{unit} อยู่นอกพื้นที่ของแผน")
    ROUND_DATE = ("gov_round_date", "A round of FY{year} is as of a date in that year, not in the future.",
                  "รอบติดตามของปีงบประมาณ {year} ต้องเป็นวันที่ในปีนั้นและไม่เป็นวันในอนาคต")
    OTHER_PLAN = ("gov_other_plan", "That belongs to another plan.", "รายการนี้เป็นของแผนอื่น")
    # assembly
    PHASE_ORDER = ("gov_phase_order", "{phase} cannot start before {previous} ({date}).",
                   "ขั้นตอน{phase}เริ่มก่อนขั้นตอน{previous} ({date}) ไม่ได้")
    PHASE_DATES = ("gov_phase_dates", "A phase must end on or after the day it starts.",
                   "ขั้นตอนต้องสิ้นสุดในหรือหลังวันที่เริ่ม")
    CALL_CLOSED = ("gov_call_closed", "The open call of {cycle} is not open on {date} (it runs {start} – {end}).",
                   "{cycle} ไม่ได้เปิดรับข้อเสนอในวันที่ {date} (เปิดรับ {start} – {end})")
    NO_CALL = ("gov_no_call", "{cycle} has no open call.", "{cycle} ไม่มีช่วงเปิดรับข้อเสนอ")
    ALREADY_ANSWERED = ("gov_already_answered", "Proposal {reference} was already answered at the {stage} stage.",
                        "ข้อเสนอ {reference} ได้รับคำตอบในขั้น{stage_th}แล้ว")
    BAD_SCORES = ("gov_bad_scores", "Give every criterion a score from 1 to {most} ({criteria}).",
                  "กรุณาให้คะแนนทุกเกณฑ์ ตั้งแต่ 1 ถึง {most} ({criteria})")
    WRONG_PROPOSAL_STATUS = ("gov_wrong_proposal_status", "Proposal {reference} is {status}; this needs {needed}.",
                             "ข้อเสนอ {reference} อยู่ในสถานะ {status} ต้องเป็น {needed}")
    DRAFT_CLOSED = ("gov_draft_closed", "The draft is no longer open ({status}).",
                    "ร่างมตินี้ปิดแล้ว ({status})")
    NO_CLAUSES = ("gov_no_clauses", "A draft needs at least one clause.", "ร่างมติต้องมีอย่างน้อยหนึ่งข้อ")
    CONSTITUENCY_OTHER_CYCLE = ("gov_constituency_other_cycle", "That constituency takes part in another cycle.",
                                "กลุ่มเครือข่ายนี้อยู่ในสมัชชารอบอื่น")
    NOT_AN_AMENDMENT = ("gov_not_an_amendment", "Only amendments are decided.", "ตัดสินได้เฉพาะข้อเสนอแก้ไขเท่านั้น")
    AMENDMENT_DECIDED = ("gov_amendment_decided", "That amendment is already decided.", "ข้อเสนอแก้ไขนี้ตัดสินแล้ว")
    AMENDMENTS_OPEN = ("gov_amendments_open", "Decide every amendment first (clauses {clauses}).",
                       "กรุณาตัดสินข้อเสนอแก้ไขทุกข้อก่อน (ข้อ {clauses})")
    TWO_AMENDMENTS = ("gov_two_amendments", "Clause {clause} has more than one accepted amendment: keep one.",
                      "ข้อ {clause} มีข้อเสนอแก้ไขที่รับไว้มากกว่าหนึ่งข้อ กรุณาเลือกเพียงข้อเดียว")
    OUTSIDE_ASSEMBLY = ("gov_outside_assembly", "{date} is not within the assembly phase ({start} – {end}).",
                        "วันที่ {date} ไม่อยู่ในช่วงการประชุมสมัชชา ({start} – {end})")
    NO_ASSEMBLY_PHASE = ("gov_no_assembly_phase", "Set the dates of the assembly phase first.",
                         "กรุณากำหนดวันประชุมสมัชชาก่อน")
    BAD_PROGRESS = ("gov_bad_progress", "Progress is a whole percentage from 0 to 100; {value!r} is not one.",
                    "ความก้าวหน้าเป็นร้อยละจำนวนเต็ม 0 ถึง 100 แต่ได้รับ {value!r}")
    PROGRESS_STATUS = ("gov_progress_status", "A clause that is {status} has {needed} % progress.",
                       "ข้อที่อยู่ในสถานะ {status} ต้องมีความก้าวหน้าร้อยละ {needed}")
    UPDATE_DATE = ("gov_update_date", "An update is dated between the adoption ({adopted}) and today, and not "
                   "before the last update ({last}).",
                   "วันที่ของความก้าวหน้าต้องอยู่ระหว่างวันที่มีมติ ({adopted}) ถึงวันนี้ และไม่ก่อนครั้งล่าสุด ({last})")
    STALE_CLAUSE = ("gov_stale_clause", "Someone updated this clause meanwhile; look at it again.",
                    "มีผู้บันทึกความก้าวหน้าของข้อนี้ไปก่อนแล้ว กรุณาตรวจสอบอีกครั้ง")
    LINK_OTHER_PLAN = ("gov_link_other_plan", "That project belongs to another plan.",
                       "โครงการนี้อยู่ในแผนอื่น")
    ALREADY_REFERRED = ("gov_already_referred", "The resolution was already sent to {agency}.",
                        "ส่งมตินี้ถึง {agency} แล้ว")
    ALREADY_REPLIED = ("gov_already_replied", "The reply of {agency} is already recorded.",
                       "บันทึกคำตอบของ {agency} ไว้แล้ว")
    SENT_BEFORE_ADOPTION = ("gov_sent_before_adoption", "A resolution is sent after its adoption ({adopted}).",
                            "ส่งมติได้หลังวันที่มีมติ ({adopted})")
    REPLY_BEFORE_SENT = ("gov_reply_before_sent", "A reply cannot come before the proposal was sent ({sent}).",
                         "วันที่ตอบกลับต้องไม่ก่อนวันที่ส่ง ({sent})")
    DATE_IN_FUTURE = ("gov_date_in_future", "{date} is in the future.", "วันที่ {date} ยังมาไม่ถึง")
