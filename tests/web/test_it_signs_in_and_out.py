from fastapi.testclient import TestClient

from rapport import demo
from tests.conftest import make_persona
from tests.web.helpers import csrf_of

PASSWORD = "correct-horse-battery"


def _login_form(client: TestClient, **data):
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"csrf_token": token, **data}, follow_redirects=False)


def test_it_sends_a_visitor_to_sign_in(anonymous):
    response = anonymous.get("/contacts/new", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/contacts/new"


def test_it_signs_in_with_email_and_password_and_out_again(db, app, tenant_a):
    make_persona(db, app, tenant_a, "alice@acme.example", "admin", password=PASSWORD)
    client = TestClient(app)
    response = _login_form(
        client, email="Alice@Acme.example", password=PASSWORD, next="/contacts/new"
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/contacts/new"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=" in cookie

    page = client.get("/contacts")
    assert page.status_code == 200
    assert "Acme Support" in page.text and "alice@acme.example" in page.text

    out = client.post("/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/contacts", follow_redirects=False).status_code == 303


def test_it_answers_bad_credentials_with_one_generic_message(db, app, tenant_a):
    make_persona(db, app, tenant_a, "alice@acme.example", "admin", password=PASSWORD)
    client = TestClient(app)
    wrong_password = _login_form(client, email="alice@acme.example", password="nope-nope-nope")
    no_such_user = _login_form(client, email="nobody@acme.example", password=PASSWORD)
    assert wrong_password.status_code == no_such_user.status_code == 401
    assert "Wrong email or password." in wrong_password.text
    assert "Wrong email or password." in no_such_user.text
    assert client.get("/contacts", follow_redirects=False).status_code == 303


def test_it_asks_for_the_workspace_when_an_email_is_in_two(db, app, tenant_a, tenant_b):
    make_persona(db, app, tenant_a, "pat@example.com", "agent", password=PASSWORD)
    make_persona(db, app, tenant_b, "pat@example.com", "admin", password=PASSWORD)
    client = TestClient(app)
    response = _login_form(client, email="pat@example.com", password=PASSWORD)
    assert response.status_code == 400
    assert 'name="workspace"' in response.text
    assert "several workspaces" in response.text

    response = _login_form(client, email="pat@example.com", password=PASSWORD, workspace="globex")
    assert response.status_code == 303
    assert "Globex Care" in client.get("/contacts").text


def test_it_never_redirects_to_another_site(db, app, tenant_a):
    make_persona(db, app, tenant_a, "alice@acme.example", "admin", password=PASSWORD)
    client = TestClient(app)
    response = _login_form(
        client, email="alice@acme.example", password=PASSWORD, next="//evil.example/x"
    )
    assert response.headers["location"] == "/contacts"


def test_it_signs_in_with_the_demo_login(db, app):
    login = demo.load(db=db, secret_key="demo-secret-" + "y" * 32)
    db.commit()
    client = TestClient(app)
    response = _login_form(client, email=login.email, password=login.password)
    assert response.status_code == 303
    assert "Maria" in client.get("/contacts").text
