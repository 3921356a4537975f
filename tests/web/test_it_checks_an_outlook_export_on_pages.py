"""Sam uploads an Outlook export on the import page: the dry run names the source, marks the
columns it ignores, says which accounts it would create; importing creates them."""

import re

import pytest
from sqlalchemy import func, select

from rapport.accounts.models import Account
from tests.imports.samples.make_samples import GOOD
from tests.imports.test_it_imports_other_systems_exports import ACCOUNTS, SAMPLES
from tests.web.helpers import signed_in

OUTLOOK = (SAMPLES / "outlook_web.csv").read_bytes()


@pytest.fixture
def app(app, tmp_path):
    app.state.settings = app.state.settings.model_copy(update={"data_dir": tmp_path / "data"})
    return app


def _accounts(db, tenant) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).where(Account.tenant_id == tenant.id))


def test_the_dry_run_page_shows_ignored_columns_and_accounts_to_create(db, app, sam, tenant_a):
    ui = signed_in(app, sam)
    data = {"csrf_token": ui.csrf, "match": "email", "mode": "valid_rows", "accounts": "create"}
    response = ui.client.post("/contacts/import", data=data, follow_redirects=False,
                              files={"file": ("outlook_web.csv", OUTLOOK)})  # fmt: skip
    assert response.status_code == 303, response.text
    html = ui.get(response.headers["location"]).text
    assert "An Outlook file." in html
    row = re.search(r"<tr>\s*<td><label[^>]*>Job Title</label>.*?</tr>", html, re.S).group(0)
    assert '<span class="badge">ignored</span>' in row
    assert "would create 13 accounts" in html and _accounts(db, tenant_a) == 0

    imported = ui.post(response.headers["location"] + "/import")
    assert imported.status_code == 303
    assert f"Imported: {GOOD} created" in ui.get(imported.headers["location"]).text
    assert _accounts(db, tenant_a) == ACCOUNTS
