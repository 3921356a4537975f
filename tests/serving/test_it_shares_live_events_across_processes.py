"""Several Rapport processes on one PostgreSQL database act as one: an interaction posted to
one process is heard on an event stream of another, and agents accepting on both never take
the same interaction twice."""

from __future__ import annotations

import threading
from collections import Counter

import httpx

from tests.serving.servers import events, next_event

CALL = {"channel": "voice", "direction": "inbound", "address": "+14155550100"}
CHAT = {
    "channel": "chat",
    "direction": "inbound",
    "address": "web-visitor-7",
    "messages": [{"sender": "contact", "text": "Hi"}, {"sender": "contact", "text": "My modem"}],
}


def test_an_interaction_posted_to_a_is_heard_on_a_stream_of_b(cluster):
    with (
        httpx.Client(timeout=30) as client,
        client.stream(
            "GET", f"{cluster.b.url}/api/v1/queue/events", headers=cluster.headers(1)
        ) as response,
    ):
        assert response.status_code == 200
        stream = events(response)
        assert next(stream)[0] == "ready"
        other = client.post(
            f"{cluster.a.url}/api/v1/interactions", json=CALL,
            headers={"Authorization": f"Bearer {cluster.other_token}"},
        )  # fmt: skip
        assert other.status_code == 201  # another tenant's: never heard by acme
        posted = client.post(
            f"{cluster.a.url}/api/v1/interactions", json=CALL, headers=cluster.headers(0)
        )
        assert posted.status_code == 201, posted.text
        queued = next_event(stream, "interaction.queued")
        assert queued["interaction_id"] == posted.json()["id"]
        taken = client.post(f"{cluster.a.url}/api/v1/queue/accept", headers=cluster.headers(0))
        assert taken.status_code == 200
        accepted = next_event(stream, "interaction.accepted")
        assert accepted["interaction_id"] == taken.json()["interaction"]["id"]
        # A chat posted with its first lines announces several events in one commit; a line
        # appended later announces one: B hears both kinds.
        chat = client.post(
            f"{cluster.a.url}/api/v1/interactions", json=CHAT, headers=cluster.headers(0)
        )
        assert chat.status_code == 201, chat.text
        heard = [next_event(stream, "message.appended")["message_id"] for _ in CHAT["messages"]]
        assert len(set(heard)) == 2
        line = client.post(
            f"{cluster.a.url}/api/v1/interactions/{chat.json()['id']}/messages",
            json={"sender": "agent", "text": "Let me check that"}, headers=cluster.headers(0),
        )  # fmt: skip
        assert line.status_code == 201, line.text
        assert next_event(stream, "message.appended")["message_id"] == line.json()["id"]


def test_a_rolled_back_change_is_announced_nowhere(cluster):
    # A refused request (bad channel) changes nothing, so no process may hear of it; the
    # next good one is then the first event the stream sees.
    with (
        httpx.Client(timeout=30) as client,
        client.stream(
            "GET", f"{cluster.a.url}/api/v1/queue/events", headers=cluster.headers(2)
        ) as response,
    ):
        stream = events(response)
        assert next(stream)[0] == "ready"
        bad = client.post(
            f"{cluster.b.url}/api/v1/interactions", json={**CALL, "channel": "fax"},
            headers=cluster.headers(2),
        )  # fmt: skip
        assert bad.status_code == 422
        good = client.post(
            f"{cluster.b.url}/api/v1/interactions", json=CALL, headers=cluster.headers(2)
        )
        name, data = next(stream)
        assert (name, data["interaction_id"]) == ("interaction.queued", good.json()["id"])
        client.post(
            f"{cluster.b.url}/api/v1/interactions/{good.json()['id']}/abandon",
            headers=cluster.headers(2),
        )


WAITING = 40


def test_agents_accepting_on_both_processes_never_share_an_interaction(cluster):
    with httpx.Client(timeout=30) as client:
        posted = {
            client.post(
                f"{cluster.a.url}/api/v1/interactions",
                json={**CALL, "address": f"+1415555{n:04d}"}, headers=cluster.headers(0),
            ).json()["id"]
            for n in range(WAITING)
        }  # fmt: skip
    taken: list[str] = []
    problems: list[str] = []
    start = threading.Barrier(len(cluster.tokens))

    def agent(n: int) -> None:
        url = (cluster.a if n % 2 else cluster.b).url  # half the agents on each process
        with httpx.Client(base_url=url, headers=cluster.headers(n), timeout=60) as client:
            start.wait()
            while True:
                response = client.post("/api/v1/queue/accept")
                if response.status_code == 204:
                    return
                if response.status_code != 200:
                    problems.append(response.text)
                    return
                taken.append(response.json()["interaction"]["id"])

    threads = [threading.Thread(target=agent, args=(n,)) for n in range(len(cluster.tokens))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
    assert [i for i, times in Counter(taken).items() if times > 1] == []
    assert posted <= set(taken)
