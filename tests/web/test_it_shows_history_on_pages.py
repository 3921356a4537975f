from datetime import UTC, datetime

from tests.factories import make_contact
from tests.web.helpers import signed_in
from tests.web.interaction_helpers import make_interaction, make_note


def _chat(db, tenant, contact, subject, day, text="Hello", **values):
    return make_interaction(
        db, tenant, contact, subject=subject,
        started_at=datetime(2025, 1, day, 10, tzinfo=UTC),
        ended_at=datetime(2025, 1, day, 10, 4, 5, tzinfo=UTC),
        messages=[{"sender": "contact", "text": text}], **values,
    )  # fmt: skip


def test_the_history_tab_lists_interactions_newest_first(app, db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    _chat(db, tenant_a, contact, "Older chat", 1)
    _chat(db, tenant_a, contact, "Newer call", 3, channel="voice", address="+14155552671",
          agent="bob@acme.example", state="completed")  # fmt: skip
    page = signed_in(app, bob).get(f"/contacts/{contact.id}/history")
    assert page.status_code == 200
    assert page.text.index("Newer call") < page.text.index("Older chat")
    assert "4 min 05 s" in page.text and "Voice</span>" in page.text
    assert "bob@acme.example" in page.text and "Completed" in page.text
    assert 'aria-current="page">History</a>' in page.text


def test_history_search_finds_a_transcript_word_with_a_highlighted_snippet(
    app, db, bob, tenant_a
):
    contact = make_contact(db, tenant_a)
    _chat(db, tenant_a, contact, "Parcel", 1, text="My <b>parcel</b> never arrived")
    _chat(db, tenant_a, contact, "Invoice", 2, text="Wrong invoice amount")
    page = signed_in(app, bob).get(f"/contacts/{contact.id}/history?q=parcel").text
    assert "Invoice" not in page
    assert "<mark>parcel</mark>" in page.lower()
    assert "&lt;b&gt;" in page or "<b>" not in page  # transcript text never becomes markup


def test_history_search_finds_words_of_notes(app, db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    interaction = _chat(db, tenant_a, contact, "Chat one", 1)
    _chat(db, tenant_a, contact, "Chat two", 2)
    make_note(db, bob, contact, "Customer wants a kangaroo", interaction_id=interaction.id)
    page = signed_in(app, bob).get(f"/contacts/{contact.id}/history?q=kangaroo").text
    assert "Chat one" in page and "Chat two" not in page


def test_history_filters_by_channel_state_agent_and_dates(app, db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    _chat(db, tenant_a, contact, "January chat", 1, state="abandoned")
    _chat(db, tenant_a, contact, "Email by Bob", 20, channel="email", address="a@b.example",
          agent="bob@acme.example", state="completed")  # fmt: skip
    ui = signed_in(app, bob)
    url = f"/contacts/{contact.id}/history"

    def subjects(**params):
        text = ui.get(url, params=params).text
        return [s for s in ("January chat", "Email by Bob") if s in text]

    assert subjects(channel="email") == ["Email by Bob"]
    assert subjects(state="abandoned") == ["January chat"]
    assert subjects(agent=str(bob.user.id)) == ["Email by Bob"]
    assert subjects(**{"from": "2025-01-10"}) == ["Email by Bob"]
    assert subjects(to="2025-01-01") == ["January chat"]  # the "to" day is included
    bad = ui.get(url, params={"from": "yesterday"}).text
    assert 'id="f-from-error"' in bad and "must be a date" in bad


def test_history_is_paginated_with_a_cursor(app, db, bob, tenant_a, monkeypatch):
    from rapport.interactions import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    contact = make_contact(db, tenant_a)
    for day in (1, 2, 3):
        _chat(db, tenant_a, contact, f"Chat of day {day}", day)
    ui = signed_in(app, bob)
    first = ui.get(f"/contacts/{contact.id}/history").text
    assert "Chat of day 1" not in first and "Next page" in first
    cursor = first.split("cursor=")[1].split('"')[0]
    rest = ui.get(f"/contacts/{contact.id}/history?cursor={cursor}").text
    assert "Chat of day 1" in rest and "Chat of day 3" not in rest


def _at(hour: int, minute: int) -> datetime:
    return datetime(2025, 1, 5, hour, minute, tzinfo=UTC)


def test_the_interaction_page_shows_the_transcript_in_both_time_zones(app, db, bob, tenant_a):
    contact = make_contact(db, tenant_a, first_name="Ada", time_zone="Europe/Paris")
    interaction = make_interaction(
        db, tenant_a, contact, subject="Lost parcel", agent="bob@acme.example",
        messages=[
            {"sender": "contact", "text": "Where is <my> parcel?", "sent_at": _at(15, 0)},
            {"sender": "agent", "text": "Let me check.", "sent_at": _at(15, 1)},
            {"sender": "system", "text": "Chat ended", "sent_at": _at(15, 2)},
        ],
    )  # fmt: skip
    make_note(db, bob, contact, "Parcel **found**", interaction_id=interaction.id,
              outcome="Resolved", next_steps="Send voucher")  # fmt: skip
    page = signed_in(app, bob).get(f"/interactions/{interaction.id}").text
    assert "Where is &lt;my&gt; parcel?" in page
    assert 'class="msg msg-contact"' in page and 'class="msg msg-agent"' in page
    assert "2025-01-05 09:00" in page  # Chicago, the tenant's (agent's) time
    assert "2025-01-05 16:00 Paris" in page  # the contact's time
    assert "Parcel <strong>found</strong>" in page and "Resolved" in page
    assert "Send voucher" in page
    assert f'name="interaction_id" value="{interaction.id}"' in page


def test_a_note_added_on_the_interaction_page_is_tied_to_it_and_returns_there(
    app, db, bob, tenant_a
):
    contact = make_contact(db, tenant_a)
    interaction = make_interaction(db, tenant_a, contact)
    ui = signed_in(app, bob)
    back = f"/interactions/{interaction.id}"
    response = ui.post(
        f"/contacts/{contact.id}/notes",
        {"body": "Called back", "interaction_id": str(interaction.id), "outcome": "Done",
         "back": back},
    )  # fmt: skip
    assert response.status_code == 303 and response.headers["location"] == back
    page = ui.get(back).text
    assert "Called back" in page and "Done" in page
    evil = ui.post(f"/contacts/{contact.id}/notes", {"body": "x", "back": "https://evil.example"})
    assert evil.headers["location"] == f"/contacts/{contact.id}/notes"


def test_charlie_gets_not_found_on_tenant_a_history_and_interactions(
    app, db, bob, charlie, tenant_a
):
    contact = make_contact(db, tenant_a)
    interaction = make_interaction(db, tenant_a, contact, subject="Secret subject")
    ui = signed_in(app, charlie)
    for url in (f"/contacts/{contact.id}/history", f"/interactions/{interaction.id}"):
        response = ui.get(url)
        assert response.status_code == 404, url
        assert "Secret subject" not in response.text
    assert ui.get("/interactions/not-an-id").status_code == 404


def test_a_search_without_words_is_explained_beside_the_box(app, db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    page = signed_in(app, bob).get(f"/contacts/{contact.id}/history?q=%21%21%21")
    assert page.status_code == 200
    assert 'id="f-q-error"' in page.text and "needs at least one letter or digit" in page.text
