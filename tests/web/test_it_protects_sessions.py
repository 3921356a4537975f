import time

from fastapi.testclient import TestClient

from rapport.web import session
from tests.web.helpers import session_cookie, signed_in, start_session


def test_it_refuses_a_forged_session_cookie(app, alice):
    data = {"u": str(alice.user.id), "t": str(alice.tenant.id), "k": start_session(app, alice),
            "c": "x", "s": int(time.time())}  # fmt: skip
    genuine = TestClient(app, cookies={session.COOKIE_NAME: session_cookie(app, data)})
    assert genuine.get("/contacts", follow_redirects=False).status_code == 200  # it is live
    forged = session.encode("another-key-" + "z" * 40, data)
    client = TestClient(app, cookies={session.COOKIE_NAME: forged})
    response = client.get("/contacts", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_it_refuses_a_tampered_session_cookie(app, alice):
    ui = signed_in(app, alice)
    cookie = ui.client.cookies[session.COOKIE_NAME]
    ui.client.cookies.set(
        session.COOKIE_NAME, cookie[:-3] + ("AAA" if cookie[-3:] != "AAA" else "BBB")
    )
    assert ui.get("/contacts").status_code == 303


def test_it_ends_a_session_after_its_max_age(app, alice, monkeypatch):
    max_age = app.state.settings.session_max_age
    signed_long_ago = time.time() - max_age - 60
    monkeypatch.setattr(time, "time", lambda: signed_long_ago)
    key = start_session(app, alice)  # alive on the server: the cookie's age alone ends it
    cookie = session_cookie(
        app,
        {"u": str(alice.user.id), "t": str(alice.tenant.id), "k": key, "c": "x",
         "s": int(signed_long_ago)},
    )  # fmt: skip
    monkeypatch.undo()
    client = TestClient(app, cookies={session.COOKIE_NAME: cookie})
    assert client.get("/contacts", follow_redirects=False).status_code == 303


def test_it_ends_a_session_max_age_after_sign_in_even_when_re_signed(app, alice):
    max_age = app.state.settings.session_max_age
    cookie = session_cookie(
        app,
        {
            "u": str(alice.user.id),
            "t": str(alice.tenant.id),
            "k": start_session(app, alice),
            "c": "x",
            "s": int(time.time() - max_age - 60),
        },
    )
    client = TestClient(app, cookies={session.COOKIE_NAME: cookie})
    assert client.get("/contacts", follow_redirects=False).status_code == 303


def test_it_signs_out_a_deactivated_user_at_the_next_click(app, db, alice):
    ui = signed_in(app, alice)
    assert ui.get("/contacts").status_code == 200
    alice.user.is_active = False
    db.commit()
    assert ui.get("/contacts").status_code == 303
