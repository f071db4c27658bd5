from django.urls import path

from queue_app.views import (
    attachment,
    audit_log,
    break_glass,
    composer,
    item,
    links,
    new_item,
    outbox,
    presence,
    queue,
)

app_name = "queue"

urlpatterns = [
    path("", queue.queue, name="queue"),
    path("take-next/", item.take_next, name="take-next"),
    path("items/new/", new_item.new_item, name="item-new"),
    path("items/new/lookup/", new_item.lookup, name="item-new-lookup"),
    path("items/<uuid:code>/", item.item_panel, name="item"),
    path("items/<uuid:code>/head/", item.item_head, name="item-head"),
    path("items/<uuid:code>/conversation/", item.conversation, name="item-conversation"),
    path("items/<uuid:code>/presence/", presence.presence, name="item-presence"),
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
    path("items/<uuid:code>/links/", links.item_links, name="item-links"),
    path("items/<uuid:code>/merge/", links.merge, name="item-merge"),
    path("items/<uuid:code>/link/", links.link, name="item-link"),
    path("items/<uuid:code>/unlink/", links.unlink, name="item-unlink"),
    path("attachments/<uuid:code>/", attachment.attachment, name="attachment"),
    path("outbox/", outbox.outbox, name="outbox"),
    path("audit-log/", audit_log.audit_log, name="audit-log"),
    path("audit-log/export.csv", audit_log.audit_log_export, name="audit-log-export"),
    path("break-glass/", break_glass.open_item, name="break-glass"),
    path("break-glass/<slug:slug>/", break_glass.log, name="break-glass-log"),
]
