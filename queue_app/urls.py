from django.urls import path

from queue_app.views import audit_log, composer, item, outbox, queue

app_name = "queue"

urlpatterns = [
    path("", queue.queue, name="queue"),
    path("take-next/", item.take_next, name="take-next"),
    path("items/<uuid:code>/", item.item_panel, name="item"),
    path("items/<uuid:code>/head/", item.item_head, name="item-head"),
    path("items/<uuid:code>/conversation/", item.conversation, name="item-conversation"),
    path("items/<uuid:code>/claim/", item.claim, name="item-claim"),
    path("items/<uuid:code>/release/", item.release, name="item-release"),
    path("items/<uuid:code>/reassign/", item.reassign, name="item-reassign"),
    path("items/<uuid:code>/verify/", item.verify, name="item-verify"),
    path("items/<uuid:code>/send/", item.send, name="item-send"),
    path("items/<uuid:code>/composer/", composer.composer_refresh, name="item-composer"),
    path("items/<uuid:code>/compose/check/", composer.compose_check, name="item-compose-check"),
    path("items/<uuid:code>/call/", item.log_call, name="item-call"),
    path("items/<uuid:code>/needed/", item.mark_needed, name="item-needed"),
    path("items/<uuid:code>/follow-up/", item.follow_up, name="item-follow-up"),
    path("items/<uuid:code>/resolve/", item.resolve, name="item-resolve"),
    path("outbox/", outbox.outbox, name="outbox"),
    path("audit-log/", audit_log.audit_log, name="audit-log"),
    path("audit-log/export.csv", audit_log.audit_log_export, name="audit-log-export"),
]
