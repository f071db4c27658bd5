"""Practice isolation: a person sees and acts only in the practices they were granted."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.http import Http404

from queue_app.access import (
    MANAGE,
    PLAYBOOK,
    WORK,
    get_item_for_user,
    get_practice_for_user,
    practices_for,
    revoke_role,
    user_can,
    visible_practices,
)
from queue_app.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_assistant_works_only_the_granted_practice(assistant, practice_a, practice_b):
    assert list(practices_for(assistant, WORK)) == [practice_a]
    assert user_can(assistant, practice_a, WORK)
    assert not user_can(assistant, practice_b, WORK)


def test_roles_carry_their_own_permissions(assistant, manager, admin_user, practice_a):
    assert not user_can(assistant, practice_a, MANAGE)
    assert user_can(manager, practice_a, MANAGE)
    assert user_can(admin_user, practice_a, PLAYBOOK)
    assert not user_can(admin_user, practice_a, WORK)


def test_an_outsider_gets_404_for_another_practices_item(outsider, item):
    with pytest.raises(Http404):
        get_item_for_user(outsider, item.code)


def test_a_clinical_member_may_read_but_not_work_an_item(clinical, item):
    assert get_item_for_user(clinical, item.code) == item
    with pytest.raises(PermissionDenied):
        get_item_for_user(clinical, item.code, write=True)


def test_an_admin_without_a_queue_role_gets_403_on_the_practice_queue(admin_user, practice_a):
    with pytest.raises(PermissionDenied):
        get_practice_for_user(admin_user, practice_a.slug, WORK)


def test_a_global_permission_never_opens_every_practice(practice_a, practice_b):
    user = factories.make_user("global-perm")
    user.user_permissions.add(Permission.objects.get(codename=WORK))
    assert list(practices_for(user, WORK)) == []
    assert not user_can(user, practice_b, WORK)


def test_a_superuser_without_grants_sees_no_practice(practice_a):
    boss = factories.make_user("root")
    boss.is_superuser = True
    boss.save()
    assert list(visible_practices(boss)) == []


def test_an_inactive_user_sees_nothing(assistant, practice_a):
    assistant.is_active = False
    assistant.save()
    assert not user_can(assistant, practice_a, WORK)


def test_revoking_a_role_takes_effect_on_the_next_check(assistant, practice_a, item):
    revoke_role(user=assistant, practice=practice_a, role=Role.ASSISTANT)
    with pytest.raises(Http404):
        get_item_for_user(assistant, item.code)


def test_deleting_a_user_leaves_no_orphaned_grants(assistant):
    from queue_app.models import PracticeUserObjectPermission

    assistant.delete()
    assert not PracticeUserObjectPermission.objects.exists()
