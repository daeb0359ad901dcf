"""Which spreadsheet column holds what: the import's fields and the header names that mean them.

Pure: no database, no files. A header is compared by `header_key` (width, case, spaces and
punctuation folded), first against the names below (English and Chinese, salesdev's own CSV
export, Excel lead lists), then as an "entity - field" pair the way Pipedrive and HubSpot
write them ("Organization - Name", "Person - Email - Work", "Company name").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from salesdev_tui.i18n import N_, _

__all__ = [
    "FIELDS",
    "Field",
    "Part",
    "auto_map",
    "field_text",
    "header_key",
]


class Part(StrEnum):
    """The record a field belongs to."""

    CUSTOMER = "customer"
    CONTACT = "contact"
    PLAN = "plan"


@dataclass(frozen=True)
class Field:
    """One thing a column can hold; `key` is also its header in salesdev's own CSV export."""

    key: str
    part: Part
    label: str  # English; shown through _()
    #: The input-model field it fills ("name" for company), or "" when read by the importer.
    model_field: str = ""


FIELDS: tuple[Field, ...] = (
    Field("customer_id", Part.CUSTOMER, N_("Customer id")),
    Field("company", Part.CUSTOMER, N_("Company"), "name"),
    Field("stage", Part.CUSTOMER, N_("Stage")),
    Field("lost_reason", Part.CUSTOMER, N_("Lost reason")),
    Field("source", Part.CUSTOMER, N_("Source"), "source"),
    Field("source_detail", Part.CUSTOMER, N_("Source detail"), "source_detail"),
    Field("industry", Part.CUSTOMER, N_("Industry"), "industry"),
    Field("size", Part.CUSTOMER, N_("Size"), "size"),
    Field("potential", Part.CUSTOMER, N_("Potential"), "potential"),
    Field("purchasing_power", Part.CUSTOMER, N_("Purchasing power"), "purchasing_power"),
    Field("website", Part.CUSTOMER, N_("Website"), "website"),
    Field("address", Part.CUSTOMER, N_("Address"), "address"),
    # Address parts (CRMs export them apart): joined into the address, street first.
    Field("city", Part.CUSTOMER, N_("City (joined into the address)")),
    Field("state", Part.CUSTOMER, N_("State / region (joined into the address)")),
    Field("postal_code", Part.CUSTOMER, N_("Postal code (joined into the address)")),
    Field("country", Part.CUSTOMER, N_("Country (joined into the address)")),
    Field("tax_id", Part.CUSTOMER, N_("Tax ID (統一編號)"), "tax_id"),
    # A company's own line (a company file has no person to give it to): kept in its notes.
    Field("company_phone", Part.CUSTOMER, N_("Company phone (kept in the notes)")),
    Field("needs_preferences", Part.CUSTOMER, N_("Needs and preferences"), "needs_preferences"),
    Field("revisit_days", Part.CUSTOMER, N_("Revisit interval (days)"), "revisit_days"),
    Field("notes", Part.CUSTOMER, N_("Company notes"), "notes"),
    Field("contact_id", Part.CONTACT, N_("Contact id")),
    Field("contact", Part.CONTACT, N_("Contact name"), "name"),
    Field("first_name", Part.CONTACT, N_("First name")),
    Field("last_name", Part.CONTACT, N_("Last name")),
    Field("role", Part.CONTACT, N_("Role / title"), "role"),
    Field("phone", Part.CONTACT, N_("Phone"), "phone"),
    Field("mobile", Part.CONTACT, N_("Mobile"), "mobile"),
    Field("email", Part.CONTACT, N_("E-mail"), "email"),
    Field("is_primary", Part.CONTACT, N_("Primary contact"), "is_primary"),
    Field("contact_notes", Part.CONTACT, N_("Contact notes"), "notes"),
    Field("plan_id", Part.PLAN, N_("Plan id")),
    Field("method", Part.PLAN, N_("Contact method"), "method"),
    Field("scheduled_at", Part.PLAN, N_("Scheduled at"), "scheduled_at"),
    Field("status", Part.PLAN, N_("Plan status"), "status"),
    Field("done_at", Part.PLAN, N_("Done at")),
    Field("agenda", Part.PLAN, N_("Agenda"), "agenda"),
    Field("outcome", Part.PLAN, N_("Outcome"), "outcome"),
    Field("next_step", Part.PLAN, N_("Next step"), "next_step"),
)

BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}


def field_text(key: str) -> str:
    """The translated label of a field key."""
    return _(BY_KEY[key].label)


_PUNCTUATION = re.compile(r"[\s_\-\u2010-\u2015:./()\[\]#*]+")


def header_key(header: str) -> str:
    """A header folded for comparison: "Organization - Name" -> "organization name"."""
    text = unicodedata.normalize("NFKC", header).casefold()
    return _PUNCTUATION.sub(" ", text).strip()


# Names (already folded by `header_key`) that mean one field wherever they appear.
_NAMES: dict[str, tuple[str, ...]] = {
    "company": (
        "company", "company name", "organization", "organisation", "organization name",
        "organisation name", "org", "org name", "account", "account name", "customer",
        "customer name", "business", "business name", "firm", "firma", "firmenname",
        "associated company", "primary company",
        "entreprise", "empresa",
        "公司", "公司名稱", "公司名称", "公司全稱", "公司全称", "客戶", "客户", "客戶名稱",
        "客户名称", "企業名稱", "企业名称", "企業", "企业", "單位", "单位", "單位名稱",
        "单位名称", "廠商", "厂商", "廠商名稱", "厂商名称", "機構", "机构", "機構名稱",
        "机构名称",
    ),
    "contact": (
        "contact", "contact name", "contact person", "person", "person name", "full name",
        "ansprechpartner",
        "聯繫人", "聯絡人", "联系人", "联络人", "姓名", "聯絡人姓名", "聯繫人姓名",
        "联系人姓名", "窗口", "聯絡窗口", "联络窗口", "負責人", "负责人",
    ),
    "first_name": ("first name", "firstname", "given name", "forename", "vorname", "名"),
    "last_name": ("last name", "lastname", "surname", "family name", "nachname", "姓"),
    "role": (
        "role", "title", "job title", "position", "job position", "function",
        "職稱", "职称", "職位", "职位", "職務", "职务", "頭銜", "头衔",
    ),
    "phone": (
        "phone", "phone number", "telephone", "telephone number", "tel",
        "work phone", "business phone", "telefon", "office phone",
        "電話", "电话", "聯絡電話", "聯繫電話", "联系电话", "联络电话",
        "電話號碼", "电话号码", "座機", "座机", "公司電話", "公司电话", "市話", "市话",
    ),
    "mobile": (
        "mobile", "mobile phone", "mobile phone number", "mobile number", "cell",
        "cell phone", "cellphone", "handy", "mobil",
        "手機", "手机", "手機號碼", "手机号码", "手機號", "手机号", "行動電話", "移动电话",
        "行動", "手提電話",
    ),
    "tax_id": (
        "tax id", "tax number", "tax no", "vat", "vat number", "vat id", "vat no",
        "ust idnr", "steuernummer", "business number", "business id", "ubn",
        "統一編號", "统一编号", "統編", "统编", "公司統編", "营利事业统一编号",
        "營利事業統一編號", "稅號", "税号", "稅籍編號", "纳税人识别号", "納稅人識別號",
        "统一社会信用代码", "統一社會信用代碼",
    ),
    "city": (
        "city", "town", "city town village locality", "ort", "stadt", "ville", "ciudad",
        "城市", "縣市", "县市", "市", "鄉鎮市區", "區", "区",
    ),
    "state": (
        "state", "province", "region", "state province", "state region", "state county",
        "county", "bundesland", "省", "省份", "州",
    ),
    "postal_code": (
        "postal code", "postcode", "post code", "zip", "zip code", "zip postal code",
        "postleitzahl", "plz", "code postal", "郵遞區號", "邮遞区号", "邮编", "邮政编码",
        "郵政編碼", "郵編",
    ),
    "country": (
        "country", "country region", "nation", "land", "pays", "país", "國家", "国家",
        "國別", "国别",
    ),
    "email": (
        "email", "e mail", "email address", "e mail address", "mail", "work email",
        "business email", "correo",
        "郵箱", "邮箱", "電子郵件", "电子邮件", "電子郵箱", "电子邮箱", "郵件", "邮件",
        "電郵", "电邮", "email地址", "郵件地址", "邮件地址", "電子信箱", "信箱",
    ),
    "industry": (
        "industry", "sector", "branche",
        "行業", "行业", "產業", "产业", "產業別", "行業別", "所屬行業", "所属行业", "行業類別",
        "行业类别",
    ),
    "address": (
        "address", "street", "street address", "full address", "company address",
        "mailing address", "adresse", "anschrift", "street address 1", "address line 1",
        "full combined address", "straße", "strasse",
        "地址", "公司地址", "通訊地址", "通讯地址", "聯絡地址", "联系地址", "聯繫地址",
    ),
    "notes": (
        "notes", "note", "comments", "comment", "remarks", "remark", "description",
        "memo", "notizen", "bemerkung",
        "備註", "备注", "說明", "说明", "附註", "附注", "備考",
    ),
    "source": (
        "source", "lead source", "original source", "channel", "quelle",
        "來源", "来源", "客戶來源", "客户来源", "渠道", "名單來源", "名单来源",
    ),
    "source_detail": (
        "source detail", "source details", "original source drill down 1",
        "來源說明", "来源说明", "來源細節", "来源细节",
    ),
    "website": (
        "website", "web site", "web", "url", "homepage", "website url", "company domain name",
        "domain", "網站", "网站", "網址", "网址", "公司網站", "公司网站", "官網", "官网",
    ),
    "size": ("size", "company size", "規模", "规模", "公司規模", "公司规模"),
    "potential": ("potential", "rating", "潛力", "潜力", "客戶等級", "客户等级", "等級", "等级"),
    "purchasing_power": ("purchasing power", "購買力", "购买力"),
    "needs_preferences": (
        "needs", "needs and preferences", "needs preferences", "需求", "需求偏好",
    ),
    "revisit_days": ("revisit days", "revisit interval", "回訪天數", "回访天数"),
    "stage": ("stage", "階段", "阶段", "開發階段", "开发阶段"),
    "lost_reason": ("lost reason", "流失原因"),
    "is_primary": ("primary", "is primary", "primary contact", "主要聯絡人", "主要联系人"),
    "contact_notes": ("contact notes", "person notes", "聯絡人備註", "联系人备注"),
    "method": ("method", "contact method", "方式", "聯絡方式", "联系方式"),
    "scheduled_at": ("scheduled at", "scheduled", "when", "planned at", "預計時間", "计划时间"),
    "status": ("status", "plan status", "狀態", "状态"),
    "done_at": ("done at", "completed at", "完成時間", "完成时间"),
    "agenda": ("agenda", "議程", "议程", "內容", "内容"),
    "outcome": ("outcome", "result", "結果", "结果"),
    "next_step": ("next step", "next steps", "下一步"),
}

ALIASES: dict[str, str] = {name: key for key, names in _NAMES.items() for name in names}
# salesdev's own export writes the field keys as headers ("customer_id" -> "customer id").
ALIASES.update({header_key(f.key): f.key for f in FIELDS})

# "Entity - field" headers (Pipedrive, HubSpot, Salesforce): who the field is about, then what.
_PERSON = ("person", "contact", "lead")
_ORGANISATION = ("organization", "organisation", "org", "company", "account")
# Trailing qualifiers of a repeated field: "Person - Phone - Mobile", "Email - Work".
_QUALIFIERS = ("work", "home", "mobile", "other", "main", "office", "primary", "1", "2", "3")
# Fields that change meaning with the entity in front of them.
_BY_ENTITY: dict[str, tuple[str, str]] = {
    # base: (for a person, for an organisation)
    "name": ("contact", "company"),
    "notes": ("contact_notes", "notes"),
    "note": ("contact_notes", "notes"),
    "id": ("", ""),  # another CRM's ids are not salesdev's: never mapped
}


# Qualifiers that make a phone a mobile: "Person - Phone - Mobile", "Phone (cell)".
_MOBILE_WORDS = ("mobile", "cell")
# Words in front of a field that say which of a record's addresses it is (Salesforce).
_ADDRESS_KINDS = ("billing", "mailing", "shipping", "other", "visiting", "postal")


def _strip_qualifiers(words: list[str]) -> tuple[list[str], bool]:
    """The words without trailing qualifiers, and whether one of them said "mobile"."""
    mobile = False
    while len(words) > 1 and words[-1] in _QUALIFIERS + _MOBILE_WORDS:
        mobile = mobile or words[-1] in _MOBILE_WORDS
        words = words[:-1]
    return words, mobile


def _plain(words: list[str]) -> str | None:
    """A field from words with no entity in front: aliases, then without qualifiers."""
    found = ALIASES.get(" ".join(words))
    if found is not None:
        return found
    if words[0] in _ADDRESS_KINDS and len(words) > 1:
        found = _plain(words[1:])
        # "Billing Street" is the address; "Billing Phone" is not an address part.
        return found if found in _ADDRESS_FIELDS else None
    if words[0] == "address" and len(words) > 1:
        # Pipedrive's "Address - City/town/village/locality", "Address - Country".
        found = ALIASES.get(" ".join(words[1:]))
        return found if found in _ADDRESS_FIELDS else None
    base, mobile = _strip_qualifiers(words)
    if base == words:
        return None
    found = ALIASES.get(" ".join(base))
    return "mobile" if mobile and found == "phone" else found


_ADDRESS_FIELDS = frozenset({"address", "city", "state", "postal_code", "country"})


def _entity_pair(key: str) -> str | None:
    words = key.split(" ")
    entity = words[0]
    if len(words) < 2 or entity not in _PERSON + _ORGANISATION:
        return None
    rest, mobile = _strip_qualifiers(words[1:])
    base = " ".join(rest)
    if base in _BY_ENTITY:
        person, organisation = _BY_ENTITY[base]
        return (person if entity in _PERSON else organisation) or None
    found = _plain(rest)
    if mobile and found == "phone":
        found = "mobile"
    # "Organization - Address" is the company's, "Person - Email" the contact's: both fine.
    # A plan field never comes from another CRM's entity ("Lead Status" is not a plan's).
    if found is None or BY_KEY[found].part is Part.PLAN:
        return None
    if entity in _ORGANISATION and found == "phone":
        return "company_phone"
    return found


def guess_field(header: str) -> str | None:
    """The field a header names on its own, or None (the bare "Name" is decided by `auto_map`)."""
    key = header_key(header)
    if not key or key == "name":
        return None
    found = ALIASES.get(key)
    if found is not None:
        return found
    paired = _entity_pair(key)
    if paired is not None:
        return paired
    return _plain(key.split(" "))


#: Fields whose column names a person: a file without one is a file of companies.
_PERSON_FIELDS = frozenset({"contact", "first_name", "last_name", "role", "contact_id"})
_ID_FIELDS = frozenset({"customer_id", "contact_id", "plan_id"})


def _foreign_ids(index: int, sample: Sequence[Sequence[str]]) -> bool:
    """True when a column of ids holds something other than salesdev ids (another CRM's)."""
    for cells in sample:
        cell = cells[index].strip() if index < len(cells) else ""
        if cell and not _UUID.fullmatch(cell):
            return True
    return False


_UUID = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
                   r"[0-9a-fA-F]{12}|\{[0-9a-fA-F-]{36}\}|urn:uuid:[0-9a-fA-F-]{36}")


def auto_map(
    headers: Sequence[str], overrides: Mapping[str, str | None] | None = None,
    sample: Sequence[Sequence[str]] = (),
) -> list[str | None]:
    """The field of each column (None: not imported), from the headers and the rep's choices.

    `overrides` maps a header (as written, or folded) to a field key, or to None to leave the
    column out. A bare "Name" column is the contact when another column names the company,
    else the company. A field claimed by several columns takes the first non-blank cell
    (a second e-mail or phone column adds to the contact's notes). `sample` (the first rows'
    cells) tells another CRM's ids ("Contact ID" = 0035g00000AbCdE) from salesdev's: they
    are not imported. In a file of companies (no column names a person) the phone is the
    company's; in a file of people with first and last names (a CRM's contacts export), a
    bare "Description" or "Notes" is the person's.
    """
    chosen = {header_key(h): f for h, f in (overrides or {}).items()}
    fields: list[str | None] = []
    guessed: list[bool] = []
    for index, header in enumerate(headers):
        key = header_key(header)
        if key in chosen:
            fields.append(chosen[key])
            guessed.append(False)
            continue
        found = guess_field(header)
        # salesdev's own export writes "customer_id": a bad id there is a bad cell, named.
        if found in _ID_FIELDS and header.strip() != found and _foreign_ids(index, sample):
            found = None
        fields.append(found)
        guessed.append(True)
    for index, header in enumerate(headers):
        if header_key(header) == "name" and header_key(header) not in chosen:
            fields[index] = "contact" if "company" in fields else "company"
    people = _PERSON_FIELDS & set(fields)
    for index, found in enumerate(fields):
        if not guessed[index]:
            continue
        if found == "phone" and not people and "mobile" not in fields:
            fields[index] = "company_phone"
        elif found == "notes" and {"first_name", "last_name"} & people:
            fields[index] = "contact_notes"
    return fields
