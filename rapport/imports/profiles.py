"""The export formats of the systems contact centers come from, recognised by their headers.

Google Contacts, Outlook (web and classic desktop), Salesforce (contacts report and Data
Loader), HubSpot, Zendesk, Zoho CRM, vCard (read into Google's columns by `imports.vcard`)
and Rapport's own export. Their columns are matched by pattern on the header folded to
letters and digits ("E-mail 2 Address" is "email2address"), so a column added by a newer
version of an export maps as its siblings do.

A header may name a group ("Business Street", "Home City", "Address 1 - Country",
"Mailing Zip"): address parts are then taken from one group per row (`imports.columns`).
"""

from __future__ import annotations

import re

# Columns whose values an import combines from several columns of a row: the first value
# fills the field, every email and number goes into the contact's lists (`imports.columns`).
MULTI_COLUMN = ("email", "phone", "mobile", "fax", "phones", "type_label")
ADDRESS_PARTS = ("address", "city", "state", "postal_code", "country")
# Fields read from one column per group: a second "Zip" beside "Postcode" is left unmapped.
GROUPED = (*ADDRESS_PARTS, "time_zone")
REPEATABLE = (*MULTI_COLUMN, *GROUPED, "account")

_GROUP = (r"(?P<group>business|home|other|mailing|billing|shipping|work|private|personal"
          r"|address\d+)?")
# (pattern on the folded header, field), tried in order.
PATTERNS = [
    (r"(?:e?mail|email)(?P<group>\d*)(?:type|label)", "type_label"),
    (r"phone(?P<group>\d+)(?:type|label)", "type_label"),
    (r"phone(?P<group>\d+)value", "phones"),
    (r"(?:e?mail|email)\d*(?:value|address|addr)?\d*", "email"),
    (r"(?:secondary|other|personal|work|business|home|alternate|additional|primary)"
     r"e?mail(?:address)?\d*", "email"),
    (r"(?:mobile|cell|cellular)(?:phone)?(?:number)?\d*", "mobile"),
    (r"(?:business|home|other|work)?fax(?:number)?\d*", "fax"),
    (r"(?:business|home|other|primary|companymain|car|work|office|main)?phone(?:number)?\d*",
     "phone"),
    (rf"{_GROUP}(?:street|streetaddress)\d*", "address"),
    (rf"{_GROUP}(?:city|town)", "city"),
    (rf"{_GROUP}(?:state|stateprovince|stateregion|region|province)", "state"),
    (rf"{_GROUP}(?:postalcode|zip|zipcode|zippostalcode|postcode)", "postal_code"),
    (rf"{_GROUP}(?:country|countryregion|countrycode)", "country"),
    (r"(?P<group>iana)timezone", "time_zone"),
    (r"givenname", "first_name"),
    (r"familyname", "last_name"),
    (r"(?:company|companyname|organi[sz]ation\d*(?:name)?|accountname|associatedcompany)",
     "account"),
    (r"(?:recordid|contactid)", "external_id"),
]  # fmt: skip
_COMPILED = [(re.compile(p), f) for p, f in PATTERNS]

# Columns that look like a field but are not that field in this source.
NOT_MAPPED = {
    # Outlook's "Account" is an unused free-text field; its company is "Company". Google's and
    # Outlook's "Address 1 - Formatted" / "Home Address" repeat the street, city and zip.
    "outlook": {"account", "businessaddress", "homeaddress", "otheraddress", "title"},
    "salesforce_data_loader": {"accountid"},
    "zendesk": {"externalid", "sharedphonenumber"},
}
SOURCES = {
    "rapport": "Rapport export",
    "google": "Google Contacts",
    "outlook": "Outlook",
    "salesforce_report": "Salesforce contacts report",
    "salesforce_data_loader": "Salesforce Data Loader export",
    "hubspot": "HubSpot",
    "zendesk": "Zendesk users export",
    "zoho": "Zoho CRM",
    "vcard": "vCard",
}


def source_of(keys: list[str]) -> str | None:
    """Which system's export these folded headers are, when it is clear."""
    have = set(keys)
    if {"id", "externalid", "customattributes", "preferredchannels"} <= have:
        return "rapport"
    if "vcarduid" in have:
        return "vcard"
    if any(re.fullmatch(r"(?:email|phone)\d+value", k) for k in have):
        return "google"
    if {"businessphone", "homephone", "mobilephone"} <= have or "emailaddress" in have and (
        "businessstreet" in have or "homestreet" in have
    ):
        return "outlook"
    if {"id", "accountid", "mailingstreet"} <= have:
        return "salesforce_data_loader"
    if {"mailingstreet", "accountname"} <= have and "recordid" not in have:
        return "salesforce_report"
    if "recordid" in have and {"companyname", "phonenumber"} & have:
        return "hubspot"
    if "recordid" in have and "mailingstreet" in have:
        return "zoho"
    if {"id", "ianatimezone"} <= have or {"id", "organizationid", "role"} <= have:
        return "zendesk"
    return None


def field_of(key: str, source: str | None) -> tuple[str | None, str]:
    """(field, group) a folded header means in this source's export, by pattern."""
    if key in NOT_MAPPED.get(source or "", ()):
        return None, ""
    if key == "id" and source:
        # The source's own record id; in Rapport's export, the contact's id.
        return ("id" if source == "rapport" else "external_id"), ""
    if key == "vcarduid":
        return "external_id", ""
    for pattern, field in _COMPILED:
        if found := pattern.fullmatch(key):
            return field, (found.groupdict().get("group") or "")
    return None, ""


def group_of(key: str) -> str:
    """The group of a header that names one ("business", "address1"), else ''."""
    for pattern, _field in _COMPILED:
        if found := pattern.fullmatch(key):
            return found.groupdict().get("group") or ""
    return ""


def phone_kind(label: str | None) -> str | None:
    """Where a number whose type label is this goes: 'Mobile', 'cell,voice' → mobile;
    'Work Fax' → fax; 'Work', 'Home', none → phone; a pager → nowhere (kept aside)."""
    text = (label or "").casefold()
    if "fax" in text:
        return "fax"
    if any(word in text for word in ("mobile", "cell", "iphone", "handy")):
        return "mobile"
    if "pager" in text:
        return None
    return "phone"
