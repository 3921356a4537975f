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
