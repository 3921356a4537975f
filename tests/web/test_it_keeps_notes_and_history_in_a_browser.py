"""Notes, history search and transcripts driven in a real Chromium, as an agent uses them."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from rapport.notes.models import Note
from rapport.tenants.models import Tenant
from tests.factories import make_contact
from tests.web.conftest import sign_in
from tests.web.interaction_helpers import make_interaction

pytestmark = pytest.mark.browser


def _contact_with_chat(live_server, first_name: str, words: str):
    with live_server.session_factory() as db:
        acme = db.scalar(select(Tenant).where(Tenant.slug == "acme"))
        contact = make_contact(db, acme, first_name=first_name, time_zone="Europe/Paris")
        interaction = make_interaction(
            db, acme, contact, subject=f"{first_name}'s chat", agent="bob@acme.example",
            messages=[
                {"sender": "contact", "text": words},
                {"sender": "agent", "text": "I will look into it."},
            ],
        )  # fmt: skip
        return str(contact.id), str(interaction.id)


def _note_bodies(live_server, contact_id: str) -> list[str]:
    with live_server.session_factory() as db:
        query = select(Note).where(Note.contact_id == uuid.UUID(contact_id))
        return [note.body for note in db.scalars(query)]


def test_an_agent_adds_previews_edits_and_deletes_a_note(page, live_server):
    contact_id, _ = _contact_with_chat(live_server, "Noemi", "Hello")
    sign_in(page, "bob@acme.example")
    page.goto(f"/contacts/{contact_id}")
    page.get_by_role("link", name="Notes").click()
    expect(page.get_by_text("No notes yet.")).to_be_visible()

    page.get_by_role("textbox", name="Note", exact=True).fill("Prefers **email**")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#f-body-preview strong")).to_have_text("email")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_role("status")).to_contain_text("Note added.")
    note = page.locator("li.note")
    expect(note.locator("strong", has_text="email")).to_be_visible()
    expect(note).to_contain_text("bob@acme.example")

    note.locator("summary", has_text="Edit").click()
    note.get_by_role("textbox", name="Note", exact=True).fill("Prefers a phone call")
    note.get_by_role("button", name="Save note").click()
    expect(page.get_by_role("status")).to_contain_text("Note saved.")
    expect(page.locator("li.note")).to_contain_text("Prefers a phone call")
    expect(page.locator("li.note")).to_contain_text("edited")
    assert _note_bodies(live_server, contact_id) == ["Prefers a phone call"]

    page.locator("li.note summary", has_text="Delete").click()
    page.get_by_role("button", name="Delete note").click()
    expect(page.get_by_role("status")).to_contain_text("Note deleted.")
    expect(page.locator("li.note")).to_have_count(0)
    assert _note_bodies(live_server, contact_id) == []


def test_a_script_in_a_note_is_harmless(page, live_server):
    contact_id, _ = _contact_with_chat(live_server, "Scarlett", "Hello")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, "bob@acme.example")
    page.goto(f"/contacts/{contact_id}/notes")
    page.get_by_role("textbox", name="Note", exact=True).fill(
        "Pasted `<script>alert(1)</script>` then <script>alert(2)</script>"
        '<img src=x onerror="alert(3)"> <a href="javascript:alert(4)">link</a>'
    )
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Add note").click()
    note = page.locator("li.note")
    expect(note.locator("code")).to_have_text("<script>alert(1)</script>")
    note.locator(".note-body a", has_text="link").click()
    page.reload()
    expect(page.locator("li.note img[onerror]")).to_have_count(0)
    assert dialogs == []


def test_an_agent_searches_history_by_a_transcript_word_and_opens_the_transcript(
    page, live_server
):
    contact_id, _ = _contact_with_chat(live_server, "Harriet", "My hamster cage arrived broken")
    _contact_with_chat(live_server, "Harriet", "Another hamster story")  # another contact
    sign_in(page, "bob@acme.example")
    page.goto(f"/contacts/{contact_id}")
    page.get_by_role("link", name="History").click()
    rows = page.locator("#history tbody tr")
    expect(rows).to_have_count(1)
    page.get_by_label("Search", exact=True).fill("hamster")
    page.get_by_label("Search", exact=True).press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("mark")).to_have_text("hamster")

    rows.first.get_by_role("link", name="Harriet's chat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harriet's chat")
    transcript = page.locator("#transcript li")
    expect(transcript).to_have_count(2)
    expect(page.locator(".msg-contact")).to_contain_text("My hamster cage arrived broken")
    expect(page.locator(".msg-agent")).to_contain_text("I will look into it.")
    expect(page.locator(".msg-contact .contact-time")).to_contain_text("Paris")

    page.get_by_role("textbox", name="Note", exact=True).fill("Replacement cage sent")
    page.get_by_label("Outcome").fill("Replaced")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harriet's chat")
    expect(page.locator("li.note")).to_contain_text("Replacement cage sent")
    expect(page.locator("li.note")).to_contain_text("Replaced")
