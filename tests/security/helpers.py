"""Sign-in helpers for the security tests: a client that has passed the second factor."""

from django.contrib.auth.models import User
from django.test import Client

from tests.factories import verified_login


def verified_client(user: User) -> Client:
    client = Client()
    verified_login(client, user)
    return client
