from datetime import UTC, datetime, timedelta

URL = "/api/v1/interactions"


def _post(client, **values):
    body = {"channel": "voice", "direction": "inbound", "address": "+14155552671", **values}
    return client.post(URL, json=body)


def _fields(response) -> dict:
    assert response.status_code == 422, response.text
    return {tuple(e["loc"][1:]): e["msg"] for e in response.json()["detail"]}


def test_a_bad_channel_is_named(bob):
    assert ("channel",) in _fields(_post(bob.client, channel="fax"))


def test_an_address_that_does_not_parse_for_the_channel(bob):
    assert ("address",) in _fields(_post(bob.client, address="not a number"))
    assert ("address",) in _fields(_post(bob.client, channel="email", address="nobody@"))
    assert ("address",) in _fields(_post(bob.client, channel="sms", address="12"))


def test_times_in_the_future_and_ends_before_starts(bob):
    soon = datetime.now(UTC) + timedelta(hours=1)
    errors = _fields(_post(bob.client, started_at=soon.isoformat()))
    assert errors[("started_at",)] == "must not be in the future"
    errors = _fields(
        _post(bob.client, started_at="2025-01-02T10:00:00Z", ended_at="2025-01-02T09:00:00Z")
    )
    assert "before started_at" in errors[("ended_at",)]


def test_a_little_clock_skew_is_tolerated(bob):
    skewed = datetime.now(UTC) + timedelta(minutes=2)
    assert _post(bob.client, started_at=skewed.isoformat()).status_code == 201


def test_unknown_agent_and_bad_messages_are_named_together(bob):
    errors = _fields(
        _post(
            bob.client,
            agent="nobody@acme.example",
            messages=[{"sender": "contact", "text": "   "}],
        )
    )
    assert ("agent",) in errors
    assert ("messages", "0", "text") in errors


def test_a_failed_request_changes_nothing(bob):
    _post(bob.client, external_id="x-1", agent="nobody@acme.example")
    assert _post(bob.client, external_id="x-1").status_code == 201
