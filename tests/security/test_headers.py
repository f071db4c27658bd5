"""Security headers on every response, signed in or not."""

import pytest

from queue_app.models import Role
from tests import factories
from tests.security.helpers import verified_client

pytestmark = pytest.mark.django_db


def assert_hardened(response) -> None:
    csp = response["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if "script-src" in part)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "'nonce-" in script_src
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_login_page_carries_the_security_headers(client):
    assert_hardened(client.get("/login/"))


def test_a_signed_in_page_carries_them_and_is_not_cached(practice_a):
    client = verified_client(factories.make_user("assistant-h", practice_a, Role.ASSISTANT))
    response = client.get("/")
    assert response.status_code == 200
    assert_hardened(response)
    assert "no-store" in response["Cache-Control"]


def test_the_nonce_reaches_the_page_scripts(practice_a):
    client = verified_client(factories.make_user("assistant-n", practice_a, Role.ASSISTANT))
    response = client.get("/")
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_htmx_history_cache_is_off_so_patient_pages_never_reach_browser_storage(practice_a):
    client = verified_client(factories.make_user("assistant-x", practice_a, Role.ASSISTANT))
    body = client.get("/").content.decode()
    assert '"historyCacheSize": 0' in body
    assert 'hx-history="false"' in body
    assert '"allowEval": false' in body


def test_hsts_is_sent_over_https_in_production(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]
