"""The supervisors' board page: waiting per channel and priority, agents and their state,
offers lapsed today; in the navigation for supervisors only."""

from __future__ import annotations

from tests.routing.helpers import post_interaction
from tests.web.helpers import signed_in


def test_sam_sees_what_waits_and_who_is_free(app, db, sam, bob):
    post_interaction(bob.client, address="+14155550111", waited=120)
    post_interaction(bob.client, address="+14155550112", waited=30)
    post_interaction(bob.client, channel="chat", address="web-visitor-1")
    away = bob.client.patch("/api/v1/me/availability", json={"availability": "away"})
    assert away.status_code == 200, away.text

    ui = signed_in(app, sam)
    page = ui.get("/board")
    assert page.status_code == 200
    html = page.text
    assert 'href="/board" aria-current="page"' in html
    assert 'data-live-board data-events="/workspace/events"' in html
    assert '<dd data-stat="waiting">3</dd>' in html
    voice = html[html.index('data-waiting="voice-3"') :]
    assert "<td>2</td>" in voice[: voice.index("</tr>")]
    assert 'data-waiting="chat-3"' in html
    oldest = html[html.index('data-stat="oldest"') :]
    assert oldest.index("data-waiting-since") < oldest.index("</dd>")
    bob_row = html[html.index(f'data-agent="{bob.user.name or bob.user.email}"') :]
    assert "Away" in bob_row[: bob_row.index("</li>")]
    assert '<dd data-stat="lapsed">0</dd>' in html

    fragment = ui.get("/board/live")
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert '<dd data-stat="waiting">3</dd>' in fragment.text


def test_an_agent_has_no_board(app, bob):
    ui = signed_in(app, bob)
    assert 'href="/board"' not in ui.get("/workspace").text
    assert ui.get("/board").status_code == 403
    assert ui.get("/board/live").status_code == 403
