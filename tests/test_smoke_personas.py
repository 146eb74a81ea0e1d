from tests.conftest import Personas


def test_personas_hold_the_roles_their_comments_say(personas: Personas) -> None:
    assert personas.carol.memberships.count() == 2
    assert personas.acme.security_profiles.get().answers.count() > 50
