"""`check --deploy` names settings that would keep sessions, presence or queued work on one node."""

from django.core.checks import Tags, run_checks


def warnings(settings) -> set[str]:
    # Only the security tag: the model checks would open a database connection.
    found = run_checks(include_deployment_checks=True, tags=[Tags.security])
    return {e.id for e in found} & {
        "queue_app.W001",
        "queue_app.W002",
    }


def test_the_shared_redis_and_database_sessions_pass(settings):
    assert settings.REDIS_URL and settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    assert settings.SESSION_ENGINE == "queue_app.sessions"  # Django's database store
    assert warnings(settings) == set()


def test_a_cache_in_one_process_is_named(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert warnings(settings) == {"queue_app.W001"}


def test_no_redis_is_named(settings):
    settings.REDIS_URL = ""
    assert warnings(settings) == {"queue_app.W001"}


def test_sessions_in_files_or_a_local_cache_are_named(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.file"
    assert warnings(settings) == {"queue_app.W002"}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert warnings(settings) == {"queue_app.W001", "queue_app.W002"}
