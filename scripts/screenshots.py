"""Screenshots of the workspace for the README: `make screenshots`.

Starts Rapport on a temporary database with the demo tenant, signs in as the demo
administrator in Chromium and saves PNGs of the main pages under docs/screenshots/.
"""

from __future__ import annotations

import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapport import demo  # noqa: E402
from rapport.core import migrate  # noqa: E402
from rapport.core.config import Settings  # noqa: E402
from rapport.core.db import make_engine, make_session_factory, transaction  # noqa: E402
from rapport.main import create_app  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SECRET = "screenshots-" + "s" * 40
# A spreadsheet as people send it: headers in their words, a country in its own language, a
# typo'd email, and someone who is already a contact under a slightly different name.
IMPORT_SAMPLE = """First Name,Last Name,E-mail,Mobile Phone,City,Country
Jon,Smith,jon.smith@example.org,+1 415 555 0199,San Francisco,US
Priya,Natarajan,priya.n@example.in,+91 98400 12345,Chennai,India
Ana,Souza,ana.souza@example,,São Paulo,Brasil
Klaus,Weber,k.weber@example.de,0151 23456789,München,Deutschland
"""
SAMPLE_TEXT = " ".join(
    [
        "I have been waiting for the replacement part for two weeks now and I would really",
        "like to know when it will arrive. My family depends on this machine every morning,",
        "so please tell me exactly what happens next and when. I planned everything around",
        "the delivery date you gave me, and I organised my whole schedule around it. Thank",
        "you for your help, the agent last time was friendly and explained the steps clearly.",
    ]
    * 9
)


def seed_conversation(db, email: str) -> None:
    """A chat with John Smith and a note about it, for the Notes, History and transcript."""
    from datetime import timedelta

    from sqlalchemy import select

    from rapport.contacts.models import Contact
    from rapport.core.auth import Principal
    from rapport.core.db import utcnow
    from rapport.interactions import service as interactions
    from rapport.notes import service as notes
    from rapport.tenants.models import Tenant
    from rapport.users.models import User

    user = db.scalar(select(User).where(User.email == email))
    tenant = db.get(Tenant, user.tenant_id)
    john = db.scalar(select(Contact).where(Contact.tenant_id == tenant.id,
                                           Contact.first_name == "John"))
    start = utcnow() - timedelta(days=2)
    lines = [
        ("contact", "Hi, my order #4411 arrived with a cracked screen."),
        ("agent", "Sorry to hear that! Could you send a photo of the damage?"),
        ("contact", "Sent it by email just now."),
        ("agent", "Thanks, a replacement ships today with express delivery."),
        ("system", "Chat closed by the agent."),
    ]
    chat, _ = interactions.record(db=db, tenant=tenant, values={
        "channel": "chat", "direction": "inbound", "address": john.email or "john@example.com",
        "contact_id": john.id, "subject": "Cracked screen on delivery", "agent": email,
        "started_at": start, "ended_at": start + timedelta(minutes=9),
        "messages": [{"sender": who, "text": text, "sent_at": start + timedelta(minutes=2 * n)}
                     for n, (who, text) in enumerate(lines)],
    })  # fmt: skip
    interactions.record(db=db, tenant=tenant, values={
        "channel": "voice", "direction": "inbound", "address": john.phone or "+14155552671",
        "contact_id": john.id, "subject": "Billing question", "agent": email,
        "started_at": start - timedelta(days=5),
        "ended_at": start - timedelta(days=5) + timedelta(minutes=4, seconds=30),
    })  # fmt: skip
    # Waiting work for the live workspace: a known caller, an unknown number, an email.
    for n, (channel, address, subject) in enumerate([
        ("voice", "+1 415 555 2671", None),
        ("sms", "+1 646 555 0199", None),
        ("email", "Jane Doe <jane.doe@example.net>", "Where is my refund?"),
    ]):
        interactions.record(db=db, tenant=tenant, values={
            "channel": channel, "direction": "inbound", "address": address, "state": "queued",
            "queue": "support", "subject": subject,
            "started_at": utcnow() - timedelta(minutes=3 * (n + 1)),
        })  # fmt: skip
    notes.create(db=db, principal=Principal(tenant=tenant, user=user, via="cli"), contact=john,
                 values={"body": "Replacement sent by **express**. Photo received.",
                         "interaction_id": chat.id, "outcome": "Replacement shipped",
                         "next_steps": "Check delivery on Friday"})  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server() -> tuple[str, demo.DemoLogin, uvicorn.Server]:
    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'rapport.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with transaction(make_session_factory(engine)) as db:
        login = demo.load(db=db, secret_key=SECRET)
        seed_conversation(db, login.email)
    port = free_port()
    settings = Settings(DATABASE_URL=url, RAPPORT_SECRET_KEY=SECRET,
                        RAPPORT_DATA_DIR=Path(url.removeprefix("sqlite:///")).parent / "data")
    app = create_app(settings, engine)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", login, server


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    base, login, server = start_server()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(base_url=base, viewport={"width": 1280, "height": 800})

        def shot(name: str, full_page: bool = False) -> None:
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=full_page)
            print(f"saved docs/screenshots/{name}.png")

        page.goto("/login")
        shot("sign-in")
        page.locator("#f-email").fill(login.email)
        page.locator("#f-password").fill(login.password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/contacts")
        shot("contacts")
        page.goto("/workspace")
        shot("workspace")
        page.goto("/contacts")

        page.get_by_role("link", name="John Smith").click()
        shot("contact")
        page.get_by_role("link", name="Notes").click()
        shot("contact-notes")
        page.get_by_role("link", name="History").click()
        shot("contact-history")
        page.get_by_role("link", name="Cracked screen on delivery").click()
        shot("transcript", full_page=True)
        page.get_by_role("link", name="John Smith").first.click()
        contact_url = page.url

        page.get_by_role("link", name="Edit").click()
        page.get_by_role("textbox", name="Email").fill("john.smith@")
        page.locator("#f-postal_code").fill("9410")
        page.get_by_role("button", name="Save changes").click()
        page.locator("#f-email-error").wait_for()
        shot("contact-edit-errors", full_page=True)

        page.goto(f"{contact_url}/activity")
        shot("contact-activity")
        page.goto("/duplicates")
        shot("duplicates")

        page.goto("/accounts")
        shot("accounts")
        page.goto("/settings/users")
        shot("settings-users")
        page.goto("/settings/tenant")
        shot("settings-workspace")

        # Personality Insights is off for a new tenant: switch it on, then give it text.
        page.locator("#f-personality_insights_enabled").check()
        page.get_by_role("button", name="Save").click()
        page.goto("/contacts")
        page.get_by_role("link", name="John Smith").click()
        page.get_by_role("link", name="Personality").click()
        page.get_by_label("Text the contact wrote").fill(SAMPLE_TEXT)
        page.get_by_role("button", name="Add example").click()
        page.get_by_role("heading", name="How to talk to this person").wait_for()
        shot("contact-personality", full_page=True)

        page.goto("/contacts/import")
        page.locator("#f-file").set_input_files(
            {"name": "new-leads.csv", "mimeType": "text/csv", "buffer": IMPORT_SAMPLE.encode()}
        )
        page.get_by_role("button", name="Upload and check (dry run)").click()
        page.get_by_role("heading", name="Dry run of new-leads.csv").wait_for()
        shot("contacts-import", full_page=True)

        page.set_viewport_size({"width": 390, "height": 844})
        page.goto("/contacts")
        shot("contacts-narrow")
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main()
