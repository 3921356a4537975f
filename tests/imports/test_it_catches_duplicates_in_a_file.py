from tests.imports.conftest import upload


def test_the_same_email_twice_is_rejected_naming_the_first_line(run_import, tenant_a):
    content = ("First Name,Email\nAda,ada@example.com\nAlan,alan@example.com\n"
               "Ada again,ADA@example.com\n")  # fmt: skip
    job = run_import(tenant_a, content, batch_rows=1)  # across batches too
    assert (job.created, job.rejected) == (2, 1)


def test_a_dry_run_finds_duplicates_by_each_key(sam):
    content = ("First Name,Email,Phone,External ID\n"
               "Ada,ada@example.com,+1 415 555 2671,crm-1\n"
               "Ada,ada@example.com,,crm-9\n"
               "Alan,alan@example.com,+1 415 555 2672,crm-1\n"
               "Grace,grace@example.com,+14155552671,crm-3\n")  # fmt: skip
    by_email = upload(sam, content, dry_run=True).json()
    assert {r["line"]: r["errors"][0]["message"] for r in by_email["rejected_rows"]} == {
        3: "same email as line 2; a contact may appear once per file",
        4: "same external id as line 2; a contact may appear once per file",
    }
    by_phone = upload(sam, content, dry_run=True, match="phone").json()
    lines = {r["line"]: r["errors"][0]["field"] for r in by_phone["rejected_rows"]}
    assert lines[5] == "phone"
