"""Every URI the FHIR endpoints write or read, in one place, exactly as the Thai guides publish them.

Sources: the SIL-TH ClaimCon guide 0.1.2 (profiles), the SIL-TH extension guide (R4B), the SIL-TH terminology
(NamingSystems `NS_Identifier.fsh`, CodeSystems) — copies ship in `conformance/`. OpenUHC's own CodeSystems live
under OPENUHC (their definitions ship in `conformance/` too).
"""

from __future__ import annotations

CLAIMCON = "https://fhir-ig.sil-th.org/th/claimcon/StructureDefinition/"
EXT = "https://fhir-ig.sil-th.org/th/extensions/StructureDefinition/"
TERMS = "https://terms.sil-th.org/core/CodeSystem/"
OPENUHC = "https://openuhc.org/fhir/"

# --- profiles (meta.profile) --------------------------------------------------------------------------------
PATIENT_PROFILE = CLAIMCON + "claimcon-patient-base"
COVERAGE_PROFILE = CLAIMCON + "claimcon-coverage-base"
ORGANIZATION_PROFILE = CLAIMCON + "claimcon-organization-provider"
ENCOUNTER_OPD_PROFILE = CLAIMCON + "claimcon-encounter-opd"
ENCOUNTER_IPD_PROFILE = CLAIMCON + "claimcon-encounter-ipd"
CONDITION_PROFILE = CLAIMCON + "claimcon-condition-base"
PROCEDURE_PROFILE = CLAIMCON + "claimcon-procedure-base"
CLAIM_OPD_PROFILE = CLAIMCON + "claimcon-claim-opd"
CLAIM_IPD_PROFILE = CLAIMCON + "claimcon-claim-ipd"

# --- identifier systems and their type codes --------------------------------------------------------------
CID = "https://terms.sil-th.org/id/th-cid"
HCODE = "https://terms.sil-th.org/id/th-moph-hcode"
CLAIM_CODE = "https://terms.sil-th.org/id/th-nhso-claim-code"
IDENTIFIER_TYPE = TERMS + "cs-th-identifier-type"
DOPA_LOCATION = TERMS + "cs-dopa-location"


def local_system(hcode: str, kind: str) -> str:
    """A unit's own numbering: https://terms.sil-th.org/hcode/5/{HCODE}/HN (and VN, AN)."""
    return f"https://terms.sil-th.org/hcode/5/{hcode}/{kind}"


def identifier(system: str, value: str, type_code: str | None = None) -> dict:
    item: dict = {"system": system, "value": value}
    if type_code:
        item["type"] = {"coding": [{"system": IDENTIFIER_TYPE, "code": type_code}]}
    return item


# --- extensions -------------------------------------------------------------------------------------------------
EXT_CONTRACTED_PROVIDER = EXT + "ex-coverage-contracted-provider"
EXT_CLAIM_IPD_DRG = EXT + "ex-claim-ipd-drg"
EXT_ADDRESS_CODE = EXT + "ex-address-address-code"
EXT_DISCHARGE_STATUS = EXT + "ex-encounter-ipd-discharge-status"
EXT_DISCHARGE_TYPE = EXT + "ex-encounter-ipd-discharge-type"
EXT_LEAVE_DAY = EXT + "ex-encounter-leave-day"

# --- code systems -------------------------------------------------------------------------------------------
COVERAGE_TYPE = TERMS + "cs-th-coverage-type"  # UCS, OFC, SSS, LGO, OGO, RAA, PI, SP, OTH
PROVIDER_TYPE_COVERAGE = TERMS + "cs-meta-provider-type-coverage"  # primary, secondary, primary-care
DIAGNOSIS_ROLE = TERMS + "cs-43plus-encounter-diagnosis-role"  # 1 principal … 5 external cause (= DXTYPE)
DISCHARGE_STATUS = TERMS + "cs-thcc-ipd-discharge-status"  # = IPD.DISCHS
DISCHARGE_TYPE = TERMS + "cs-thcc-ipd-discharge-type"  # = IPD.DISCHT
ECLAIM_CLINIC = TERMS + "cs-eclaim-clinic"
ADP_TYPE = TERMS + "cs-eclaim-adp-type"  # = ADP.TYPE
ICD10 = "http://hl7.org/fhir/sid/icd-10"
ICD10TM = TERMS + "cs-th-icd10tm"
ICD9CM = "http://terminology.hl7.org/CodeSystem/icd9cm"
CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type"
PROCESS_PRIORITY = "http://terminology.hl7.org/CodeSystem/processpriority"
ORGANIZATION_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type"
ADJUDICATION = "http://terminology.hl7.org/CodeSystem/adjudication"
PAYMENT_TYPE = "http://terminology.hl7.org/CodeSystem/payment-type"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
LOCATION_PHYSICAL_TYPE = "http://terminology.hl7.org/CodeSystem/location-physical-type"

# OpenUHC's own: NHSO's scheme (INSCL) codes, sent beside the SIL-TH coverage type (neither SIL-TH coverage
# CodeSystem has them); the claim files' charge codes (CHA.CHRGITEM); claim problem codes (e-Claim numbering);
# the payer's own identifiers of claims and statements.
NHSO_INSCL = OPENUHC + "CodeSystem/nhso-inscl"
CHRGITEM = OPENUHC + "CodeSystem/eclaim-chrgitem"
CLAIM_PROBLEM = OPENUHC + "CodeSystem/claim-problem"
PAYER_ID = OPENUHC + "id/"

SIL_TH_COVERAGE_CODES = {"UCS", "OFC", "SSS", "LGO", "OGO", "RAA", "PI", "SP", "OTH"}
# Our registration's three units and the contracted-provider types of the ClaimCon coverage profile:
# หน่วยบริการประจำ → สถานบริการหลัก, หน่วยบริการรับส่งต่อ → สถานบริการรอง, หน่วยบริการปฐมภูมิ → สถานบริการปฐมภูมิ.
PROVIDER_SLOTS = (("main_unit", "primary"), ("referral_unit", "secondary"), ("primary_unit", "primary-care"))
