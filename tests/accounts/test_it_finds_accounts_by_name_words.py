"""Sam looks accounts up by what he remembers of them: the start of the identifier, or the
start of any word of the name, case and accents ignored, from indexes."""

from sqlalchemy import select, text

from rapport.accounts import service as accounts_service
from rapport.accounts.models import Account, AccountWord
from rapport.core.ids import new_id
from tests.factories import make_account
from tests.sql import plan_lines, statements_sent


def _listed(client, q):
    response = client.get("/api/v1/accounts", params={"q": q})
    assert response.status_code == 200, response.text
    return [a["name"] for a in response.json()["items"]]


def test_words_of_the_name_by_prefix_and_the_identifier_by_prefix(db, sam, tenant_a):
    make_account(db, tenant_a, identifier="ACME-7731", name="Acme Plumbing & Heating")
    make_account(db, tenant_a, identifier="CAFE-1", name="Café O'Brien")
    make_account(db, tenant_a, identifier="ZED-1", name="Zed Bakery")
    assert _listed(sam.client, "plumb") == ["Acme Plumbing & Heating"]
    assert _listed(sam.client, "ACME plu") == ["Acme Plumbing & Heating"]
    assert _listed(sam.client, "heat acme") == ["Acme Plumbing & Heating"]
    assert _listed(sam.client, "cafe") == ["Café O'Brien"]
    assert _listed(sam.client, "obrien") == []  # words are split at the apostrophe
    assert _listed(sam.client, "o'bri") == ["Café O'Brien"]
    assert _listed(sam.client, "acme-77") == ["Acme Plumbing & Heating"]
    assert _listed(sam.client, "acme plumbing x") == []
    # A word's start, not any part of it ("umbing" was found when names matched anywhere).
    assert _listed(sam.client, "umbing") == []
    search = sam.client.get("/api/v1/search", params={"q": "bakery"}).json()
    assert [a["identifier"] for a in search["accounts"]] == ["ZED-1"]


def test_renamed_created_elsewhere_and_deleted_accounts_stay_in_step(db, sam, tenant_a):
    account = make_account(db, tenant_a, identifier="R-1", name="Rossi Motors")
    renamed = sam.client.patch(
        f"/api/v1/accounts/{account.id}", json={"name": "Rossi Dental"}, headers={"If-Match": '"1"'}
    )
    assert renamed.status_code == 200, renamed.text
    assert _listed(sam.client, "motors") == []
    assert _listed(sam.client, "dent") == ["Rossi Dental"]
    # An import adds its accounts to the session itself, not through the service.
    db.add(Account(tenant_id=tenant_a.id, id=new_id(), identifier="I-1", identifier_key="i-1",
                   name="Imported Farms"))  # fmt: skip
    db.commit()
    assert _listed(sam.client, "farm") == ["Imported Farms"]
    assert sam.client.delete(f"/api/v1/accounts/{account.id}").status_code == 204
    left = db.scalars(select(AccountWord.word).where(AccountWord.account_id == account.id))
    assert list(left) == []


def test_charlie_finds_no_account_of_tenant_a(db, charlie, tenant_a):
    make_account(db, tenant_a, identifier="SECRET-1", name="Secret Logistics")
    assert _listed(charlie.client, "secret") == []
    assert _listed(charlie.client, "logist") == []


def test_the_look_up_probes_indexes(db, engine, tenant_a):
    for n in range(30):
        make_account(db, tenant_a, identifier=f"B-{n:03d}", name=f"Brown Books {n}")
    if engine.dialect.name == "postgresql":  # it plans from statistics: thousands of accounts
        db.execute(
            text(
                "INSERT INTO accounts (tenant_id, id, identifier, identifier_key, name, version, "
                "created_at, updated_at) SELECT :t, gen_random_uuid(), 'X-' || g, 'x-' || g, "
                "md5(g::text), 1, now(), now() FROM generate_series(1, 5000) AS g"
            ),
            {"t": tenant_a.id},
        )
        db.execute(
            text(
                "INSERT INTO account_words (tenant_id, account_id, word) SELECT tenant_id, id, "
                "name FROM accounts WHERE tenant_id = :t AND identifier LIKE 'X-%'"
            ),
            {"t": tenant_a.id},
        )
        db.execute(text("ANALYZE accounts"))
        db.execute(text("ANALYZE account_words"))
    with statements_sent(engine) as statements:
        rows, _ = accounts_service.list_accounts(db=db, tenant_id=tenant_a.id, q="brown boo")
    assert len(rows) == 30
    statement, parameters = statements[-1]
    plan = " | ".join(plan_lines(db, statement, parameters))
    if engine.dialect.name == "sqlite":
        assert "ix_account_words_prefix (tenant_id=? AND word>? AND word<?)" in plan, plan
        assert "uq_accounts_tenant_identifier (tenant_id=? AND identifier_key>?" in plan, plan
        assert "SCAN accounts" not in plan, plan
    else:
        assert "ix_account_words_prefix" in plan, plan
        assert "ix_accounts_tenant_identifier_prefix" in plan, plan
        assert "~>=~" in plan, plan
