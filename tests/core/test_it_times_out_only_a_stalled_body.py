"""The body-read time limit frees a worker from a client that stalls while sending its
request, and nothing else: an event stream that waits hours for its client to leave is not
cut after the limit (it was, every 30 seconds, breaking agents' live queues)."""

import asyncio

import pytest
from starlette.exceptions import HTTPException

from rapport.web.limits import RequestGuard

LIMIT = 0.05  # seconds; the client below takes four times as long


def _serve(receive) -> list[dict]:
    async def app(scope, receive, send) -> None:
        await receive()  # the request body
        await receive()  # then wait for the client to leave, as an event stream does
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"bye"})

    sent: list[dict] = []

    async def send(message) -> None:
        sent.append(message)

    guard = RequestGuard(app, max_body=1000, read_timeout=LIMIT)
    asyncio.run(guard({"type": "http", "headers": []}, receive, send))
    return sent


def test_a_client_that_stays_long_after_its_body_is_not_cut_off():
    messages = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> dict:
        if messages:
            return messages.pop(0)
        await asyncio.sleep(LIMIT * 4)
        return {"type": "http.disconnect"}

    assert _serve(receive)[0]["status"] == 200


def test_a_body_that_stalls_is_answered_408():
    async def receive() -> dict:
        await asyncio.sleep(LIMIT * 4)
        return {"type": "http.request", "body": b"", "more_body": False}

    # Raised to the app's error handling, which answers it (test_it_caps_request_bodies).
    with pytest.raises(HTTPException) as refused:
        _serve(receive)
    assert refused.value.status_code == 408
