from fastapi.testclient import TestClient

from rapport.web.throttle import MAX_FAILURES, LoginThrottle
from tests.conftest import make_persona
from tests.web.helpers import csrf_of

PASSWORD = "correct-horse-battery"


def test_it_pauses_sign_in_after_repeated_failures(db, app, tenant_a):
    make_persona(db, app, tenant_a, "alice@acme.example", "admin", password=PASSWORD)
    client = TestClient(app)
    token = csrf_of(client.get("/login").text)

    def attempt(password: str):
        data = {"csrf_token": token, "email": "alice@acme.example", "password": password}
        return client.post("/login", data=data, follow_redirects=False)

    for _ in range(MAX_FAILURES):
        assert attempt("wrong-password").status_code == 401
    blocked = attempt(PASSWORD)  # even the right password waits
    assert blocked.status_code == 429
    assert "Too many failed sign-ins" in blocked.text
    assert int(blocked.headers["Retry-After"]) > 0


def test_it_forgets_failures_after_the_window():
    now = [1000.0]
    throttle = LoginThrottle(max_failures=2, window=60, clock=lambda: now[0])
    for _ in range(2):
        throttle.record_failure("A@x.example", "1.2.3.4")
    assert throttle.retry_after("a@x.example", "1.2.3.4") > 0
    assert throttle.retry_after("a@x.example", "5.6.7.8") == 0
    now[0] += 61
    assert throttle.retry_after("a@x.example", "1.2.3.4") == 0


def test_it_limits_one_address_trying_many_emails():
    throttle = LoginThrottle(max_failures=5, max_per_address=3, window=60)
    for n in range(3):
        throttle.record_failure(f"user{n}@x.example", "1.2.3.4")
    assert throttle.retry_after("someone-else@x.example", "1.2.3.4") > 0
