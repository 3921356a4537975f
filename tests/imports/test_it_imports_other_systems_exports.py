"""A contact center brings its contacts from the system it used before: the export file of
Google Contacts, Outlook, Salesforce, HubSpot, Zendesk, Zoho or a vCard imports as it is."""

from pathlib import Path

import phonenumbers
import pytest
from sqlalchemy import select

from rapport.accounts.models import Account
from rapport.contacts.models import Contact
from rapport.imports.models import ImportRejection
from tests.imports.samples.make_samples import ANA_MOBILE, ANA_PHONE, BAD, GOOD

SAMPLES = Path(__file__).parent / "samples"
ADDRESSED = {"address", "city", "state", "postal_code", "country"}
# The columns each source's file must map without help.
IMPORTANT = {
    "google_contacts.csv": {"full_name", "first_name", "last_name", "email", "phones",
                            "type_label", "account", *ADDRESSED},
    "outlook_web.csv": {"first_name", "last_name", "email", "phone", "mobile", "fax", "account",
                        *ADDRESSED},
    "outlook_classic.csv": {"first_name", "last_name", "email", "phone", "mobile", "fax",
                            "account", "priority", *ADDRESSED},
    "salesforce_report.csv": {"first_name", "last_name", "email", "phone", "mobile", "account",
                              "external_id", *ADDRESSED},
    "salesforce_data_loader.csv": {"first_name", "last_name", "email", "phone", "mobile", "fax",
                                   "account", "external_id", *ADDRESSED},
    "hubspot.csv": {"first_name", "last_name", "email", "phone", "mobile", "account",
                    "external_id", "time_zone", *ADDRESSED},
    "zendesk_users.csv": {"full_name", "email", "phone", "account", "external_id", "time_zone"},
    "zoho_contacts.csv": {"first_name", "last_name", "email", "phone", "mobile", "fax", "account",
                          "external_id", *ADDRESSED},
    "contacts_vcard3.vcf": {"full_name", "email", "phones", "account", "external_id",
                            *ADDRESSED},
    "contacts_vcard4.vcf": {"full_name", "email", "phones", "account", "external_id",
                            *ADDRESSED},
}  # fmt: skip
ZENDESK_BAD = ["email", "phone", "time_zone"]
# The rows' companies, as distinct accounts: "contoso ltd." is "Contoso Ltd." and "Northwind
# Traders" is written once with two spaces.
ACCOUNTS = 13


@pytest.fixture(params=sorted(IMPORTANT))
def sample(request) -> Path:
    return SAMPLES / request.param


def _contacts(db, tenant) -> dict[str, Contact]:
    found = db.scalars(select(Contact).where(Contact.tenant_id == tenant.id))
    return {c.last_name: c for c in found}


def test_the_file_maps_itself_and_only_the_bad_rows_are_rejected(run_import, db, tenant_a,
                                                                 sample):  # fmt: skip
    job = run_import(tenant_a, sample)
    mapped = {f for f in job.options["columns"].values() if f}
    assert IMPORTANT[sample.name] <= mapped, IMPORTANT[sample.name] - mapped
    assert job.options["source"]
    expected = ZENDESK_BAD if sample.name.startswith("zendesk") else BAD
    assert (job.created, job.rejected) == (GOOD, len(expected)), job.message
    rejected = db.scalars(select(ImportRejection).where(
        ImportRejection.import_id == job.id).order_by(ImportRejection.line)).all()  # fmt: skip
    # Each bad row is refused for its own mistake, and for nothing else.
    assert [[e["field"] for e in r.errors] for r in rejected] == [[f] for f in expected]
    # The footer of a Salesforce report and blank lines are not rows.
    assert job.total_rows == GOOD + len(expected)


def test_no_number_lands_in_another_country_than_its_row(run_import, db, tenant_a, sample):
    run_import(tenant_a, sample)
    contacts = _contacts(db, tenant_a)
    # Brazil's '(51) 3210-9876' in a row whose country is Brazil, in a tenant whose default
    # country is the United States: +55 51 3210-9876, never +1 513-210-9876.
    assert contacts["Souza"].phone == ANA_PHONE
    assert sample.name.startswith("zendesk") or contacts["Souza"].mobile == ANA_MOBILE
    for contact in contacts.values():
        for number in (contact.phone, contact.mobile, contact.fax):
            if number and contact.country:
                region = phonenumbers.region_code_for_number(phonenumbers.parse(number))
                calling = phonenumbers.country_code_for_region(contact.country)
                assert number.startswith(f"+{calling}"), (contact.last_name, number, region)
    if not sample.name.startswith("zendesk"):
        assert contacts["Smith"].country == "GB" and contacts["Smith"].state == "Greater London"
        assert contacts["MacLeod"].country == "GB" and contacts["MacLeod"].state == "GB-SCT"
        assert contacts["Müller"].country == "DE" and contacts["Brown"].country == "US"


def test_companies_become_accounts_matched_by_name_in_any_case(run_import, db, tenant_a,
                                                               sample):  # fmt: skip
    job = run_import(tenant_a, sample)
    accounts = db.scalars(select(Account).where(Account.tenant_id == tenant_a.id)).all()
    assert len(accounts) == ACCOUNTS == job.options["accounts_created_count"]
    contacts = _contacts(db, tenant_a)
    assert contacts["Smith"].account_id == contacts["MacLeod"].account_id
    assert contacts["Chen"].account_id == contacts["Johnson"].account_id
    assert f"created {ACCOUNTS} accounts" in job.message
