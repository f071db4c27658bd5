"""The homes of the per-practice pages (campaigns, imports, failed messages, scorecards):
one shared view and page, so each is checked here for the case the apps' own tests leave out."""

import pytest
from django.urls import reverse

from queue_app.access import grant_role
from queue_app.models import Role
from tests.factories import make_user, verified_login

HOMES = [
    ("campaigns:home", "campaigns:list", "no campaigns to show"),
    ("imports:home", "imports:practice", "nothing to import or export"),
    ("delivery:failed-home", "delivery:failed", "no failed messages to show"),
    ("reports:scorecard-home", "reports:scorecard-practice", "Ask your practice admin"),
]


@pytest.mark.parametrize(("home", "practice_page", "empty"), HOMES)
def test_an_admin_of_two_practices_picks_one(
    client, practice_a, practice_b, home, practice_page, empty
):
    admin = make_user("admin-ab", practice_a, Role.ADMIN)
    grant_role(user=admin, practice=practice_b, role=Role.ADMIN)
    verified_login(client, admin)

    html = client.get(reverse(home)).content.decode()

    assert f'href="{reverse(practice_page, args=[practice_a.slug])}"' in html
    assert f'href="{reverse(practice_page, args=[practice_b.slug])}"' in html
    assert empty not in html


@pytest.mark.parametrize(("home", "practice_page", "empty"), HOMES)
def test_an_assistant_is_told_there_is_no_practice_to_pick(
    client, assistant, home, practice_page, empty
):
    verified_login(client, assistant)

    response = client.get(reverse(home))

    assert response.status_code == 200
    assert empty in response.content.decode()
