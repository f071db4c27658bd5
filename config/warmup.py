"""What the first request after start would otherwise wait for, done while the process starts.

Django imports the URLconf (and with it every view module), builds the tables `reverse` reads,
loads the translation catalogs and compiles templates lazily, on the first request that needs
them: on the demo that first request took about two seconds. The WSGI module (which runserver
and gunicorn load) calls `warm_up()` once, so a person never waits for it.
"""

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

# The pages a person opens first: the queue and the item panel, and the base they extend.
FIRST_TEMPLATES = ("queue_app/queue.html", "queue_app/item.html")


def warm_up() -> None:
    resolver = get_resolver()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Queue")  # loads and merges that language's catalogs
            # Imports every view module and builds, per language, the tables `reverse` reads.
            resolver.reverse_dict  # noqa: B018
            for _prefix, namespace in resolver.namespace_dict.values():
                namespace.reverse_dict  # noqa: B018
    for name in FIRST_TEMPLATES:
        get_template(name)
