from rapport.core.auth import Principal
from rapport.notes import service
from tests.factories import make_contact
from tests.web.interaction_helpers import make_note


def _principal(persona) -> Principal:
    return Principal(tenant=persona.tenant, user=persona.user, via="api")


def test_the_author_and_supervisors_may_change_a_note_other_agents_not(
    db, bob, sam, alice, tenant_a
):
    contact = make_contact(db, tenant_a)
    by_sam = make_note(db, sam, contact, "Sam's note")
    by_bob = make_note(db, bob, contact, "Bob's note")
    assert service.may_change(_principal(bob), by_bob)
    assert not service.may_change(_principal(bob), by_sam)
    assert service.may_change(_principal(sam), by_bob)
    assert service.may_change(_principal(alice), by_sam)


def test_notes_about_one_interaction_are_listed_newest_first(db, bob, tenant_a):
    from tests.web.interaction_helpers import make_interaction

    contact = make_contact(db, tenant_a)
    interaction = make_interaction(db, tenant_a, contact)
    make_note(db, bob, contact, "Not about it")
    make_note(db, bob, contact, "First", interaction_id=interaction.id)
    make_note(db, bob, contact, "Second", interaction_id=interaction.id)
    found = service.list_for_interaction(
        db=db, tenant_id=tenant_a.id, interaction_id=interaction.id
    )
    assert [n.body for n in found] == ["Second", "First"]
