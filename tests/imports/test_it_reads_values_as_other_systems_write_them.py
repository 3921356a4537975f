"""Values as other systems write them: country nicknames, Windows and Rails time zones,
priorities as words, regions of countries without states, numbers of the wrong country."""

from sqlalchemy import select

from rapport.contacts.models import Contact
from rapport.imports.models import ImportRejection

FILE = (
    "Email,Phone,Country,State,Time Zone,Priority\n"
    "a@example.co.uk,020 7946 0018,England,Greater London,GMT Standard Time,Low\n"
    "b@example.co.uk,0131 225 2424,Great Britain,Scotland,Edinburgh,Urgent\n"
    "c@example.com,(415) 392-0146,united states of america,CA,Pacific Standard Time,normal\n"
    "d@example.com,(51) 3210-9876,Atlantis,,,\n"
    "e@example.com,(51) 3210-9876,,,,\n"
    "f@example.com,+1 415 392 0147,Brazil,,,Whenever\n"
    "g@example.com,+55 51 3210-9876,Brazil,,,\n"
    "h@example.co.uk,+44 7911 123456,Guernsey,,,\n"
)


def test_values_as_other_systems_write_them(run_import, db, tenant_a):
    job = run_import(tenant_a, FILE)
    contacts = {c.email: c for c in db.scalars(
        select(Contact).where(Contact.tenant_id == tenant_a.id))}  # fmt: skip
    a, b, c = (contacts[f"{x}@example.co{'.uk' if x != 'c' else 'm'}"] for x in "abc")
    assert (a.country, a.state, a.time_zone, a.priority) == ("GB", "Greater London",
                                                             "Europe/London", 4)  # fmt: skip
    assert (b.country, b.state, b.time_zone, b.priority) == ("GB", "GB-SCT", "Europe/London", 1)
    assert (c.country, c.time_zone, c.priority) == ("US", "America/Los_Angeles", 3)
    # A row without a country reads its number in the tenant's (US): the number is American.
    assert contacts["e@example.com"].phone == "+15132109876"
    rejected = {r.line: r.errors for r in db.scalars(
        select(ImportRejection).where(ImportRejection.import_id == job.id))}  # fmt: skip
    # An unknown country is refused: its number is not read in the default country instead.
    assert [e["field"] for e in rejected[5]] == ["country"]
    # A number written with another country's code contradicts the row: refused with it.
    assert [e["field"] for e in rejected[7]] == ["priority", "phone"]
    assert "another country" in rejected[7][1]["message"]
    # The row's own code, or one its country shares (Guernsey dials +44), is kept.
    assert contacts["g@example.com"].phone == "+555132109876"
    assert contacts["h@example.co.uk"].phone == "+447911123456"
    assert (job.created, job.rejected) == (6, 2)
