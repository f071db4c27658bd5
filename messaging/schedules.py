"""The periodic jobs of messaging and the queue's deadline watchers (see queue_app.jobs)."""

# name → (task, every seconds)
SCHEDULE = {
    # Often: after a fault, nothing waits for it longer than a lease plus this.
    "Sweep stale messages and webhook events": ("messaging.tasks.sweep_stale_messages_task", 10),
    "Send due appointment reminders": ("messaging.tasks.send_due_reminders_task", 60),
    "Flag items past their first-response target": ("messaging.tasks.flag_overdue_items_task", 60),
    "Written fallback after the last callback attempt": (
        "messaging.tasks.send_callback_fallbacks_task",
        300,
    ),
    "Ask 'Did you know what to do next?' after resolved items": (
        "messaging.tasks.ask_due_surveys_task",
        300,
    ),
    "Open no-show recovery items": ("messaging.tasks.open_no_show_items_task", 900),
    "Retry attachment downloads and Twilio media deletes": (
        "messaging.attachment_tasks.sweep_attachments_task",
        300,
    ),
    "File inbound texts Twilio received that never reached the webhook": (
        "messaging.reconcile_tasks.reconcile_inbound_task",
        86400,
    ),
}
