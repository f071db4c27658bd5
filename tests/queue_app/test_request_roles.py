"""The per-request roles (navigation, queue, panel buttons) grant exactly what access.py grants."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.test import RequestFactory
from guardian.shortcuts import assign_perm

from queue_app import access
from queue_app.models import Role
from queue_app.views.common import request_roles
from tests import factories

PERMISSIONS = (access.WORK, access.ESCALATIONS, access.MANAGE, access.PLAYBOOK)


def roles_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request_roles(request)


def assert_same_as_access(user) -> None:
    roles = roles_of(user)
    for permission in PERMISSIONS:
        expected = set(access.practices_for(user, permission).values_list("pk", flat=True))
        assert set(roles.practice_ids(permission)) == expected, permission
        assert roles.holds(permission) == bool(expected)


@pytest.mark.parametrize("persona", ["assistant", "manager", "clinical", "admin_user", "outsider"])
def test_each_persona_gets_the_practices_access_py_grants(request, persona, practice_b):
    user = request.getfixturevalue(persona)
    assert_same_as_access(user)


def test_a_person_with_roles_in_two_practices_gets_both(practice_a, practice_b):
    user = factories.make_user("two-places", practice_a, Role.ASSISTANT)
    access.grant_role(user=user, practice=practice_b, role=Role.MANAGER)
    assert_same_as_access(user)
    assert roles_of(user).can(practice_b.pk, access.MANAGE)
    assert not roles_of(user).can(practice_a.pk, access.MANAGE)


def test_grants_through_a_group_count_as_access_py_counts_them(practice_a):
    user = factories.make_user("grouped", practice_a, Role.CLINICAL)
    group = Group.objects.create(name="front desk")
    group.user_set.add(user)
    assign_perm(f"queue_app.{access.WORK}", group, practice_a)
    assert_same_as_access(user)
    assert roles_of(user).can(practice_a.pk, access.WORK)


def test_an_inactive_or_anonymous_user_holds_nothing(assistant):
    assistant.is_active = False
    assert roles_of(assistant).by_practice == {}
    assert roles_of(AnonymousUser()).by_practice == {}


def test_roles_are_read_once_per_request(assistant, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = assistant
    with django_assert_num_queries(1):
        request_roles(request)
        request_roles(request)
