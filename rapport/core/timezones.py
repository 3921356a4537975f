"""Time zone names as other systems write them, translated to IANA names.

Exports from other systems rarely write IANA names: Zendesk and other Rails applications write
Rails names ("Pacific Time (US & Canada)", "Berlin"), Outlook and Windows write Windows names
("W. Europe Standard Time"), HubSpot prefixes an offset ("(GMT-05:00) Eastern Time (US &
Canada)"). Windows names come from CLDR's table as shipped by tzlocal; Rails names are those
of ActiveSupport::TimeZone, whose city names mostly are the IANA zone's own city.
"""

from __future__ import annotations

import re
import zoneinfo
from functools import lru_cache

from tzlocal.windows_tz import win_tz

# ActiveSupport's names that are not the city of their IANA zone.
RAILS = {
    "International Date Line West": "Etc/GMT+12", "Midway Island": "Pacific/Midway",
    "American Samoa": "Pacific/Pago_Pago", "Hawaii": "Pacific/Honolulu",
    "Alaska": "America/Juneau", "Pacific Time (US & Canada)": "America/Los_Angeles",
    "Mountain Time (US & Canada)": "America/Denver", "Arizona": "America/Phoenix",
    "Central Time (US & Canada)": "America/Chicago", "Saskatchewan": "America/Regina",
    "Guadalajara": "America/Mexico_City", "Central America": "America/Guatemala",
    "Eastern Time (US & Canada)": "America/New_York",
    "Indiana (East)": "America/Indiana/Indianapolis", "Quito": "America/Lima",
    "Atlantic Time (Canada)": "America/Halifax", "Newfoundland": "America/St_Johns",
    "Brasilia": "America/Sao_Paulo", "Georgetown": "America/Guyana",
    "Greenland": "America/Nuuk", "Mid-Atlantic": "Atlantic/South_Georgia",
    "Cape Verde Is.": "Atlantic/Cape_Verde", "Edinburgh": "Europe/London",
    "UTC": "Etc/UTC", "Bern": "Europe/Zurich", "West Central Africa": "Africa/Algiers",
    "Kyiv": "Europe/Kyiv", "Pretoria": "Africa/Johannesburg",
    "St. Petersburg": "Europe/Moscow", "Abu Dhabi": "Asia/Muscat",
    "Ekaterinburg": "Asia/Yekaterinburg", "Islamabad": "Asia/Karachi",
    "Chennai": "Asia/Kolkata", "Mumbai": "Asia/Kolkata", "New Delhi": "Asia/Kolkata",
    "Astana": "Asia/Dhaka", "Sri Jayawardenepura": "Asia/Colombo",
    "Rangoon": "Asia/Yangon", "Hanoi": "Asia/Bangkok", "Beijing": "Asia/Shanghai",
    "Osaka": "Asia/Tokyo", "Sapporo": "Asia/Tokyo", "Canberra": "Australia/Melbourne",
    "Solomon Is.": "Pacific/Guadalcanal", "New Caledonia": "Pacific/Noumea",
    "Marshall Is.": "Pacific/Majuro", "Wellington": "Pacific/Auckland",
    "Nuku'alofa": "Pacific/Tongatapu", "Tokelau Is.": "Pacific/Fakaofo",
    "Chatham Is.": "Pacific/Chatham", "Samoa": "Pacific/Apia",
    "Buenos Aires": "America/Argentina/Buenos_Aires",
}  # fmt: skip
_OFFSET_PREFIX = re.compile(r"^\(?(?:GMT|UTC)\s*(?:[+-]?\d{1,2}(?::?\d{2})?)?\)?\s+", re.IGNORECASE)


def _key(text: str) -> str:
    return re.sub(r"[\s_]+", " ", text.strip()).casefold()


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Every spelling we translate, keyed case- and space-insensitively, to its IANA zone."""
    iana = zoneinfo.available_timezones()
    found: dict[str, str] = {}
    # A zone's city alone ("Berlin", "Buenos Aires"): Rails names most zones so.
    cities: dict[str, set[str]] = {}
    for zone in iana:
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/")):
            cities.setdefault(_key(zone.rsplit("/", 1)[1]), set()).add(zone)
    found.update({city: zones.pop() for city, zones in cities.items() if len(zones) == 1})
    found.update({_key(name): zone for name, zone in win_tz.items()})
    found.update({_key(name): zone for name, zone in RAILS.items()})
    found.update({_key(zone): zone for zone in iana})
    return found


def to_iana(text: str) -> str | None:
    """The IANA zone a Rails, Windows or IANA name (any case, spaces for underscores, with or
    without a "(GMT-05:00) " prefix) means; None when it is none of them."""
    names = _names()
    for candidate in (text, _OFFSET_PREFIX.sub("", text.strip())):
        if zone := names.get(_key(candidate)):
            return zone
    return None
