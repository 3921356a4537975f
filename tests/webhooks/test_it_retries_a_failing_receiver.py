"""A receiver that fails twice gets the event on the third try; the log shows each answer."""

from datetime import timedelta

from rapport.webhooks import delivery
from tests.webhooks.receiver import register, wait_for


def test_a_receiver_failing_twice_gets_the_event_on_the_third_try(alice, bob, receiver, deliver):
    receiver.answers = [500, 503]
    endpoint = register(alice, receiver.url, ["contact.created"])
    bob.client.post("/api/v1/contacts", json={"first_name": "Ada", "last_name": "Byron"})

    wait_for(lambda: receiver.accepted(), step=deliver)

    assert [r.answered for r in receiver.received] == [500, 503, 200]
    assert len({r.event["id"] for r in receiver.received}) == 1  # the same event each time
    [summary] = alice.client.get(f"/api/v1/webhooks/{endpoint['id']}/deliveries").json()
    assert (summary["status"], summary["attempts"]) == ("delivered", 3)
    detail = alice.client.get(
        f"/api/v1/webhooks/{endpoint['id']}/deliveries/{summary['id']}"
    ).json()
    assert [a["status_code"] for a in detail["log"]] == [500, 503, 200]
    assert detail["log"][0]["response_excerpt"] == "receiver unavailable"
    assert alice.client.get(f"/api/v1/webhooks/{endpoint['id']}").json()["failing_since"] is None


def test_a_failed_attempt_waits_for_its_backoff(alice, bob, receiver, deliver):
    receiver.answers = [500]
    register(alice, receiver.url, ["contact.created"])
    bob.client.post("/api/v1/contacts", json={"first_name": "Ada", "last_name": "Byron"})
    slow = delivery.Policy(backoff_seconds=3600, retry_window=timedelta(days=1))
    assert deliver(slow) == 1
    assert deliver(slow) == 0  # the retry is an hour away, not now
    assert len(receiver.received) == 1


def test_backoff_doubles_with_jitter_up_to_an_hour():
    policy = delivery.Policy(backoff_seconds=30)
    for attempt, base in ((1, 30), (2, 60), (3, 120), (12, 3600)):
        delay = policy.delay(attempt).total_seconds()
        assert base * 0.5 <= delay <= base, (attempt, delay)


def test_an_unreachable_receiver_is_logged_without_a_code(alice, bob, deliver):
    endpoint = register(alice, "http://127.0.0.1:9/nothing-listens", ["contact.created"])
    bob.client.post("/api/v1/contacts", json={"first_name": "Ada", "last_name": "Byron"})
    assert deliver() == 1
    [summary] = alice.client.get(f"/api/v1/webhooks/{endpoint['id']}/deliveries").json()
    assert summary["status"] == "pending"
    assert summary["last_status_code"] is None and summary["last_error"]


def test_a_redirect_is_a_failed_attempt_not_followed(alice, bob, receiver, deliver):
    receiver.answers = [302]
    endpoint = register(alice, receiver.url, ["contact.created"])
    bob.client.post("/api/v1/contacts", json={"first_name": "Ada", "last_name": "Byron"})
    assert deliver() == 1
    [summary] = alice.client.get(f"/api/v1/webhooks/{endpoint['id']}/deliveries").json()
    assert (summary["status"], summary["last_status_code"]) == ("pending", 302)
