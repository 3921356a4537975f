"""Writes the sample exports beside this file: the same 20 people as each system exports them.

The headers are those each system documents and writes (Google Contacts' CSV, Outlook's web
and classic desktop CSV, a Salesforce contacts report with its footer and a Data Loader
export, HubSpot, a Zendesk users export, Zoho CRM, vCard 3.0 and 4.0). Numbers are written as
people write them in their own country. The last rows of each file hold deliberate mistakes
(see BAD). Run it again after changing the people: `python tests/imports/samples/make_samples.py`.
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent

# first, last, email, work phone, mobile, street, city, region, postal code, country as
# written, company, Rails zone, IANA zone, priority word
PEOPLE = [
    ("Ana", "Souza", "ana.souza@gauchatel.com.br", "(51) 3210-9876", "(51) 99876-5432",
     "Rua dos Andradas, 1234", "Porto Alegre", "RS", "90020-008", "Brazil",
     "Gaúcha Telecom Ltda.", "Brasilia", "America/Sao_Paulo", "High"),
    ("John", "Smith", "john.smith@contoso.co.uk", "020 7946 0018", "07812 345678",
     "221B Baker Street", "London", "Greater London", "NW1 6XE", "UK", "Contoso Ltd.",
     "London", "Europe/London", "Normal"),
    ("Fiona", "MacLeod", "fiona.macleod@contoso.co.uk", "0131 225 2424", "",
     "12 Princes Street", "Edinburgh", "Scotland", "EH2 2AN", "Scotland", "contoso ltd.",
     "Edinburgh", "Europe/London", "Normal"),
    ("Jürgen", "Müller", "juergen.mueller@beispiel.de", "030 12345678", "0151 23456789",
     "Friedrichstraße 43", "Berlin", "Berlin", "10117", "Deutschland", "Beispiel GmbH",
     "Berlin", "Europe/Berlin", "Low"),
    ("Claire", "Dubois", "claire.dubois@exemple.fr", "01 42 68 53 00", "06 12 34 56 78",
     "8 Rue de Rivoli", "Paris", "Île-de-France", "75004", "France", "Exemple SARL", "Paris",
     "Europe/Paris", "Normal"),
    ("Michael", "Johnson", "michael.johnson@northwind.com", "(415) 392-0146", "(415) 555-0132",
     "500 Howard Street", "San Francisco", "CA", "94105", "USA", "Northwind Traders",
     "Pacific Time (US & Canada)", "America/Los_Angeles", "Urgent"),
    ("Emily", "Chen", "emily.chen@northwind.com", "(212) 736-3100", "(917) 208-4455",
     "350 Fifth Avenue", "New York", "NY", "10118", "United States", "Northwind  Traders",
     "Eastern Time (US & Canada)", "America/New_York", "High"),
    ("Carlos", "García", "carlos.garcia@ejemplo.mx", "55 1234 5678", "55 9876 5432",
     "Paseo de la Reforma 505", "Ciudad de México", "CMX", "06500", "Mexico",
     "Ejemplo S.A. de C.V.", "Mexico City", "America/Mexico_City", "Normal"),
    ("Yuki", "Tanaka", "yuki.tanaka@rei.co.jp", "03-1234-5678", "090-1234-5678",
     "1-1 Marunouchi", "Chiyoda-ku", "Tokyo", "100-0005", "Japan", "Rei KK", "Tokyo",
     "Asia/Tokyo", "Normal"),
    ("Priya", "Sharma", "priya.sharma@udaharan.in", "022 2282 1234", "98201 23456",
     "Nariman Point", "Mumbai", "Maharashtra", "400021", "India", "Udaharan Pvt Ltd", "Mumbai",
     "Asia/Kolkata", "Normal"),
    ("Liam", "O'Brien", "liam.obrien@sampla.ie", "01 234 5678", "087 123 4567",
     "1 Grafton Street", "Dublin", "Dublin", "D02 X285", "Ireland", "Sampla Teoranta",
     "Dublin", "Europe/Dublin", "Normal"),
    ("Sofia", "Rossi", "sofia.rossi@esempio.it", "02 8901 2345", "347 123 4567",
     "Via Dante 7", "Milano", "MI", "20121", "Italy", "Esempio S.p.A.", "Rome", "Europe/Rome",
     "Normal"),
    ("Lucas", "Oliveira", "lucas.oliveira@exemplo.com.br", "(11) 3456-7890", "(11) 98765-4321",
     "Avenida Paulista, 1578", "São Paulo", "SP", "01310-200", "Brasil",
     "Exemplo Comércio Ltda.", "Brasilia", "America/Sao_Paulo", "Normal"),
    ("Emma", "Wilson", "emma.wilson@example.com.au", "(02) 9374 4000", "0412 345 678",
     "1 Macquarie Street", "Sydney", "NSW", "2000", "Australia", "Example Pty Ltd", "Sydney",
     "Australia/Sydney", "Low"),
    ("Noah", "Tremblay", "noah.tremblay@exemple.ca", "(514) 872-0311", "",
     "275 Rue Notre-Dame Est", "Montréal", "QC", "H2Y 1C6", "Canada", "Exemple Inc.",
     "Eastern Time (US & Canada)", "America/Toronto", "Normal"),
    ("Olivia", "Brown", "", "(312) 744-5000", "", "121 N LaSalle Street", "Chicago", "IL",
     "60602", "U.S.A.", "Northwind Traders", "Central Time (US & Canada)", "America/Chicago",
     "Normal"),
    # Deliberate mistakes, one per row: the field each is rejected for is in BAD.
    ("María", "López", "maria.lopez@", "912 34 56 78", "612 34 56 78", "Calle Mayor 1",
     "Madrid", "", "28013", "Spain", "Ejemplo SL", "Madrid", "Europe/Madrid", "Normal"),
    ("Klaus", "Weber", "klaus.weber@beispiel.de", "12345", "", "Jungfernstieg 1", "Hamburg",
     "", "20354", "Germany", "Beispiel GmbH", "Berlin", "Europe/Berlin", "Normal"),
    ("Nobody", "Known", "nobody@atlantis.example", "", "", "1 Sunken Road", "Poseidonis", "",
     "", "Atlantis", "", "", "", "Normal"),
    ("Grace", "Hopper", "grace.hopper@northwind.com", "(617) 635-4500", "",
     "1 City Hall Square", "Boston", "MA", "ABCDE", "USA", "Northwind Traders",
     "Eastern Time (US & Canada)", "America/New_York", "Normal"),
]  # fmt: skip
GOOD = 16
BAD = ["email", "phone", "country", "postal_code"]  # rows 17 to 20, in order
# Where a Brazilian number written nationally must land: never +1 513-210-9876.
ANA_PHONE, ANA_MOBILE = "+555132109876", "+5551998765432"


def _write_csv(name: str, header: list[str], rows: list[dict], footer: list[str] = ()) -> None:
    with (HERE / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, header, extrasaction="raise")
        writer.writeheader()
        writer.writerows(rows)
        for line in footer:
            csv.writer(handle).writerow([line])


def _p(person: tuple) -> dict:
    keys = ("first", "last", "email", "work", "mobile", "street", "city", "region", "zip",
            "country", "company", "rails", "iana", "priority")  # fmt: skip
    return dict(zip(keys, person, strict=True))


GOOGLE = ("Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,"
          "Additional Name Yomi,Family Name Yomi,Name Prefix,Name Suffix,Initials,Nickname,"
          "Short Name,Maiden Name,Birthday,Gender,Location,Billing Information,"
          "Directory Server,Mileage,Occupation,Hobby,Sensitivity,Priority,Subject,Notes,"
          "Language,Photo,Group Membership,E-mail 1 - Type,E-mail 1 - Value,E-mail 2 - Type,"
          "E-mail 2 - Value,Phone 1 - Type,Phone 1 - Value,Phone 2 - Type,Phone 2 - Value,"
          "Address 1 - Type,Address 1 - Formatted,Address 1 - Street,Address 1 - City,"
          "Address 1 - PO Box,Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,"
          "Address 1 - Extended Address,Organization 1 - Type,Organization 1 - Name,"
          "Organization 1 - Yomi Name,Organization 1 - Title,Organization 1 - Department,"
          "Organization 1 - Symbol,Organization 1 - Location,Organization 1 - Job Description,"
          "Website 1 - Type,Website 1 - Value").split(",")  # fmt: skip


def google() -> None:
    rows = []
    for n, person in enumerate(map(_p, PEOPLE)):
        row = dict.fromkeys(GOOGLE, "")
        # Google's second email and a second mobile share one cell, separated by " ::: ".
        email = person["email"] + (" ::: j.smith@example.com" if n == 1 else "")
        row.update({
            "Name": f"{person['first']} {person['last']}", "Given Name": person["first"],
            "Family Name": person["last"], "Group Membership": "* myContacts ::: Customers",
            "E-mail 1 - Type": "* Work" if email else "", "E-mail 1 - Value": email,
            "Phone 1 - Type": "Work" if person["work"] else "", "Phone 1 - Value": person["work"],
            "Phone 2 - Type": "Mobile" if person["mobile"] else "",
            "Phone 2 - Value": person["mobile"] + (" ::: 07911 123456" if n == 1 else ""),
            "Address 1 - Type": "Work", "Address 1 - Street": person["street"],
            "Address 1 - Formatted": f"{person['street']}\n{person['city']} {person['zip']}",
            "Address 1 - City": person["city"], "Address 1 - Region": person["region"],
            "Address 1 - Postal Code": person["zip"], "Address 1 - Country": person["country"],
            "Organization 1 - Name": person["company"], "Organization 1 - Title": "Buyer",
            "Notes": "Met at the trade fair" if n % 4 == 0 else "",
        })  # fmt: skip
        rows.append(row)
    _write_csv("google_contacts.csv", GOOGLE, rows)


OUTLOOK_WEB = ("First Name,Middle Name,Last Name,Title,Suffix,Nickname,Given Yomi,Surname Yomi,"
               "E-mail Address,E-mail 2 Address,E-mail 3 Address,Home Phone,Home Phone 2,"
               "Business Phone,Business Phone 2,Mobile Phone,Car Phone,Other Phone,"
               "Primary Phone,Pager,Business Fax,Home Fax,Other Fax,Company Main Phone,Callback,"
               "Radio Phone,Telex,TTY/TDD Phone,IMAddress,Job Title,Department,Company,"
               "Office Location,Manager's Name,Assistant's Name,Assistant's Phone,Company Yomi,"
               "Business Street,Business City,Business State,Business Postal Code,"
               "Business Country/Region,Home Street,Home City,Home State,Home Postal Code,"
               "Home Country/Region,Other Street,Other City,Other State,Other Postal Code,"
               "Other Country/Region,Personal Web Page,Spouse,Schools,Hobby,Location,Web Page,"
               "Birthday,Anniversary,Notes").split(",")  # fmt: skip
OUTLOOK_CLASSIC = ("Title,First Name,Middle Name,Last Name,Suffix,Company,Department,Job Title,"
                   "Business Street,Business Street 2,Business Street 3,Business City,"
                   "Business State,Business Postal Code,Business Country/Region,Home Street,"
                   "Home Street 2,Home Street 3,Home City,Home State,Home Postal Code,"
                   "Home Country/Region,Other Street,Other Street 2,Other Street 3,Other City,"
                   "Other State,Other Postal Code,Other Country/Region,Assistant's Phone,"
                   "Business Fax,Business Phone,Business Phone 2,Callback,Car Phone,"
                   "Company Main Phone,Home Fax,Home Phone,Home Phone 2,ISDN,Mobile Phone,"
                   "Other Fax,Other Phone,Pager,Primary Phone,Radio Phone,TTY/TDD Phone,Telex,"
                   "Account,Anniversary,Assistant's Name,Billing Information,Birthday,"
                   "Business Address PO Box,Categories,Children,Directory Server,E-mail Address,"
                   "E-mail Type,E-mail Display Name,E-mail 2 Address,E-mail 2 Type,"
                   "E-mail 2 Display Name,E-mail 3 Address,E-mail 3 Type,E-mail 3 Display Name,"
                   "Gender,Government ID Number,Hobby,Home Address PO Box,Initials,"
                   "Internet Free Busy,Keywords,Language,Location,Manager's Name,Mileage,Notes,"
                   "Office Location,Organizational ID Number,Other Address PO Box,Priority,"
                   "Private,Profession,Referred By,Sensitivity,Spouse,User 1,User 2,User 3,"
                   "User 4,Web Page").split(",")  # fmt: skip


def outlook(name: str, header: list[str]) -> None:
    rows = []
    for n, person in enumerate(map(_p, PEOPLE)):
        row = dict.fromkeys(header, "")
        # Half the people are filed under their home address, the others under business.
        group = "Home" if n % 2 else "Business"
        row.update({
            "First Name": person["first"], "Last Name": person["last"],
            "Company": person["company"], "Job Title": "Purchasing",
            "E-mail Address": person["email"], "Business Phone": person["work"],
            "Mobile Phone": person["mobile"], f"{group} Street": person["street"],
            f"{group} City": person["city"], f"{group} State": person["region"],
            f"{group} Postal Code": person["zip"], f"{group} Country/Region": person["country"],
        })  # fmt: skip
        if n == 3:
            row["E-mail 2 Address"] = "j.mueller@example.de"
            row["Business Fax"] = "030 12345679"
        if "Priority" in row:
            row["Priority"] = person["priority"]
            row["Sensitivity"], row["Private"], row["Initials"] = "Normal", "False", "J.S."
        rows.append(row)
    _write_csv(name, header, rows)


SALESFORCE_REPORT = ["First Name", "Last Name", "Title", "Account Name", "Mailing Street",
                     "Mailing City", "Mailing State/Province", "Mailing Zip/Postal Code",
                     "Mailing Country", "Phone", "Mobile", "Email", "Contact Owner",
                     "Lead Source", "Contact ID"]  # fmt: skip
SALESFORCE_FOOTER = ["", "Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.",
                     "Confidential Information - Do Not Distribute",
                     "Generated By:  Jane Admin  11/29/2026 9:14 AM", "Acme Contact Center"]
DATA_LOADER = ["ID", "ISDELETED", "ACCOUNTID", "LASTNAME", "FIRSTNAME", "SALUTATION", "NAME",
               "MAILINGSTREET", "MAILINGCITY", "MAILINGSTATE", "MAILINGPOSTALCODE",
               "MAILINGCOUNTRY", "PHONE", "FAX", "MOBILEPHONE", "EMAIL", "TITLE", "DEPARTMENT",
               "CREATEDDATE", "ACCOUNT.NAME"]  # fmt: skip


def salesforce() -> None:
    rows = []
    for n, person in enumerate(map(_p, PEOPLE)):
        rows.append({
            "First Name": person["first"], "Last Name": person["last"], "Title": "Buyer",
            "Account Name": person["company"], "Mailing Street": person["street"],
            "Mailing City": person["city"], "Mailing State/Province": person["region"],
            "Mailing Zip/Postal Code": person["zip"], "Mailing Country": person["country"],
            "Phone": person["work"], "Mobile": person["mobile"], "Email": person["email"],
            "Contact Owner": "Jane Admin", "Lead Source": "Web",
            "Contact ID": f"0035g00000Abc{n:03d}AAA",
        })  # fmt: skip
    _write_csv("salesforce_report.csv", SALESFORCE_REPORT, rows, SALESFORCE_FOOTER)
    rows = []
    for n, person in enumerate(map(_p, PEOPLE)):
        rows.append({
            "ID": f"0035g00000Xyz{n:03d}AAA", "ISDELETED": "false",
            "ACCOUNTID": f"0015g00000Acc{n % 5:03d}AAA", "LASTNAME": person["last"],
            "FIRSTNAME": person["first"], "SALUTATION": "", "NAME":
            f"{person['first']} {person['last']}", "MAILINGSTREET": person["street"],
            "MAILINGCITY": person["city"], "MAILINGSTATE": person["region"],
            "MAILINGPOSTALCODE": person["zip"], "MAILINGCOUNTRY": person["country"],
            "PHONE": person["work"], "FAX": "", "MOBILEPHONE": person["mobile"],
            "EMAIL": person["email"], "TITLE": "Buyer", "DEPARTMENT": "Purchasing",
            "CREATEDDATE": "2026-01-15T09:30:00.000Z", "ACCOUNT.NAME": person["company"],
        })  # fmt: skip
    _write_csv("salesforce_data_loader.csv", DATA_LOADER, rows)


HUBSPOT = ["Record ID", "First Name", "Last Name", "Email", "Phone Number",
           "Mobile Phone Number", "Street Address", "City", "State/Region", "Postal Code",
           "Country/Region", "Company Name", "Time Zone", "Lifecycle Stage", "Contact owner",
           "Create Date"]  # fmt: skip


def hubspot() -> None:
    rows = []
    for n, person in enumerate(map(_p, PEOPLE)):
        zone = f"(GMT) {person['iana'].replace('_', ' ')}" if person["iana"] else ""
        rows.append({
            "Record ID": str(51234001 + n), "First Name": person["first"],
            "Last Name": person["last"], "Email": person["email"], "Phone Number": person["work"],
            "Mobile Phone Number": person["mobile"], "Street Address": person["street"],
            "City": person["city"], "State/Region": person["region"], "Postal Code": person["zip"],
            "Country/Region": person["country"], "Company Name": person["company"],
            "Time Zone": zone, "Lifecycle Stage": "Customer", "Contact owner": "Jane Admin",
            "Create Date": "2026-01-15 09:30",
        })  # fmt: skip
    _write_csv("hubspot.csv", HUBSPOT, rows)


ZENDESK = ["id", "url", "name", "email", "created_at", "updated_at", "time_zone",
           "iana_time_zone", "phone", "shared_phone_number", "locale_id", "locale",
           "organization_id", "organization", "role", "verified", "external_id", "tags",
           "active", "notes"]  # fmt: skip
# Zendesk has no address: its numbers carry their country code, as Zendesk stores them.
ZENDESK_NUMBERS = ["+55 51 3210-9876", "+44 20 7946 0018", "+44 131 225 2424",
                   "+49 30 12345678", "+33 1 42 68 53 00", "+1 415-392-0146",
                   "+1 212-736-3100", "+52 55 1234 5678", "+81 3-1234-5678", "+91 22 2282 1234",
                   "+353 1 234 5678", "+39 02 8901 2345", "+55 11 3456-7890", "+61 2 9374 4000",
                   "+1 514-872-0311", "+1 312-744-5000"]  # fmt: skip


def zendesk() -> None:
    rows = []
    for n, person in enumerate(map(_p, PEOPLE[:GOOD] + PEOPLE[GOOD:GOOD + 1])):
        user_id = 36112340001 + n
        rows.append({
            "id": str(user_id), "url": f"https://acme.zendesk.com/api/v2/users/{user_id}.json",
            "name": f"{person['first']} {person['last']}", "email": person["email"],
            "created_at": "2026-01-15T09:30:00Z", "updated_at": "2026-02-01T10:00:00Z",
            "time_zone": person["rails"], "iana_time_zone": person["iana"] if n % 3 else "",
            "phone": ZENDESK_NUMBERS[n] if n < GOOD else "", "shared_phone_number": "false",
            "locale_id": "1", "locale": "en-US", "organization_id": str(900 + n % 4),
            "organization": person["company"], "role": "end-user", "verified": "true",
            "external_id": "", "tags": "vip" if n % 5 == 0 else "", "active": "true",
            "notes": "",
        })  # fmt: skip
    # More mistakes Zendesk files have: a number without its country code that is not one, and
    # a Rails zone that does not exist.
    rows += [
        {**rows[0], "id": "36112349998", "name": "Klaus Weber", "email": "klaus@beispiel.de",
         "phone": "12345", "url": ""},
        {**rows[0], "id": "36112349999", "name": "Tim Zone", "email": "tim@example.com",
         "phone": "", "time_zone": "Atlantis Standard Time", "iana_time_zone": "", "url": ""},
    ]  # fmt: skip
    _write_csv("zendesk_users.csv", ZENDESK, rows)


ZOHO = ["Record Id", "Contact Owner", "Lead Source", "First Name", "Last Name", "Account Name",
        "Email", "Secondary Email", "Title", "Department", "Phone", "Home Phone", "Other Phone",
        "Fax", "Mobile", "Date of Birth", "Mailing Street", "Other Street", "Mailing City",
        "Other City", "Mailing State", "Other State", "Mailing Zip", "Other Zip",
        "Mailing Country", "Other Country", "Description", "Created Time", "Modified Time",
        "Full Name"]  # fmt: skip


def zoho() -> None:
    rows = []
    for n, person in enumerate(map(_p, PEOPLE)):
        row = dict.fromkeys(ZOHO, "")
        row.update({
            "Record Id": f"zcrm_5725767000000{412001 + n}", "Contact Owner": "Jane Admin",
            "Lead Source": "Trade Show", "First Name": person["first"],
            "Last Name": person["last"], "Account Name": person["company"],
            "Email": person["email"], "Phone": person["work"], "Mobile": person["mobile"],
            "Mailing Street": person["street"], "Mailing City": person["city"],
            "Mailing State": person["region"], "Mailing Zip": person["zip"],
            "Mailing Country": person["country"], "Full Name":
            f"{person['first']} {person['last']}", "Created Time": "2026-01-15 09:30:00",
        })  # fmt: skip
        if n == 4:
            row["Secondary Email"] = "c.dubois@example.fr"
        rows.append(row)
    _write_csv("zoho_contacts.csv", ZOHO, rows)


def vcards(version: str) -> None:
    cards = []
    for n, person in enumerate(map(_p, PEOPLE)):
        quote = (lambda t: f'"{t}"') if version == "4.0" else (lambda t: t)
        lines = ["BEGIN:VCARD", f"VERSION:{version}",
                 f"FN:{person['first']} {person['last']}",
                 f"N:{person['last']};{person['first']};;;"]  # fmt: skip
        if person["email"]:
            lines.append(f"EMAIL;TYPE={quote('internet,work')}:{person['email']}")
        if person["work"]:
            lines.append(f"TEL;TYPE={quote('work,voice')}:{person['work']}")
        if person["mobile"]:
            lines.append(f"TEL;TYPE={quote('cell')}:{person['mobile']}")
        lines.append(f"ADR;TYPE=work:;;{person['street'].replace(',', chr(92) + ',')};"
                     f"{person['city']};{person['region']};{person['zip']};{person['country']}")
        if person["company"]:
            lines.append(f"ORG:{person['company']}")
        lines += [f"UID:urn:uuid:6f1c2a40-0000-4000-8000-{n:012d}", "END:VCARD"]
        cards.append("\r\n".join(lines))
    name = "contacts_vcard3.vcf" if version == "3.0" else "contacts_vcard4.vcf"
    (HERE / name).write_text("\r\n".join(cards) + "\r\n", encoding="utf-8", newline="")


if __name__ == "__main__":
    google()
    outlook("outlook_web.csv", OUTLOOK_WEB)
    outlook("outlook_classic.csv", OUTLOOK_CLASSIC)
    salesforce()
    hubspot()
    zendesk()
    zoho()
    vcards("3.0")
    vcards("4.0")
