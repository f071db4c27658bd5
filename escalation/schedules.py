"""The periodic job of escalation (see queue_app.jobs)."""

SCHEDULE = {
    "Escalation acknowledgement deadlines": (
        "escalation.tasks.escalate_overdue_acknowledgements_task",
        60,
    ),
}
