"""The scorecard's metric definitions, in plain language, and their version.

A snapshot names the version it was computed with. Change a definition's meaning, and the
version changes with it, so that stored weeks are never read against new rules.
"""

DEFINITIONS_VERSION = "2026.4"

# Plain-language definitions, shown one click away beside every number on the page.
DEFINITIONS: dict[str, str] = {
    "received": "Top communication reasons: work items received Monday 00:00 to Sunday 24:00 "
    "(the practice's time zone), by moment. Every channel counts, schedule events included.",
    "resolved": "Completed: work items resolved during the week, whenever they were received.",
    "escalated": "Escalated: work items handed to an escalation route during the week by an "
    "assistant or by triage. Escalations opened by QA count as missed escalations instead.",
    "open_at_end": "Unresolved: work items received before the week's end and still open at "
    "its end (for the current week: open now).",
    "open_older": "Of the unresolved items, those older than two business days at the week's "
    "end: more than two of the practice's business days lie after the day they arrived.",
    "unresolved_portal": "Unresolved portal messages: items that came in through the patient "
    "portal and were still open at the week's end.",
    "first_response": "Time to first meaningful response, for items received in the week: from "
    "receipt to the first outbound message made from an approved template by a person (sent "
    "or delivered), or the first live call that reached the patient, whichever came first. "
    "Automatic acknowledgements, reminders, bots and internal notes do not count. Counted in "
    "the practice's business hours. Median of the answered items (the mean of the two middle "
    "values when their number is even); 90th percentile by nearest rank; share within target "
    "= answered within the moment's first-response target ÷ (those + items answered late or "
    "still unanswered past their target). Unanswered items still inside their target are "
    "shown as awaiting and left out of the share. Reported per language.",
    "repeat_contacts": "Repeat contacts: inbound items received in the week (every channel "
    "except schedule events) that the same patient raised on the same moment within 7 days "
    "of an earlier item, or that staff linked to an earlier item. Rate = repeats ÷ inbound "
    "items.",
    "confirmation_completion": "Confirmation completion: appointments starting in the week "
    "(cancelled ones left out) that the patient confirmed before their start time.",
    "no_show_recovery": "No-show recovery: no-shows of appointments starting in the week "
    "for which a new, not cancelled, later appointment was booked within 7 days of the "
    "missed start.",
    "documentation_accuracy": "Documentation accuracy: QA reviews of the week's sample, "
    "finished, whose notes passed every check of their standard ÷ reviews finished.",
    "note_overrides": "Notes saved over the checker: work items with a note written during the "
    "week that the assistant saved over the note checker's refusal, giving a reason. Every such "
    "note is drawn into the next QA sample.",
    "promises_kept": "Promises kept: of the promises made to patients (a follow-up time set "
    "on an item, a callback time logged with a call) whose time fell in the week, up to now, "
    "those the assistant kept by acting on the item before that time (a message sent, not "
    "held for quiet hours; a call logged; the item resolved) ÷ promises due. The rest are "
    "broken: each raised its item in the queue. An item with two promises is listed twice.",
    "escalation_accuracy": "Escalation accuracy: of the week's escalations (assistant or "
    "triage) that the receiving team has judged, the share judged appropriate.",
    "missed_escalations": "Missed escalations: items whose QA review for the week found an "
    "escalation was missed, plus items escalated by QA during the week without such a review.",
    "complaints": "Complaints related to communication: complaint items received in the week "
    "(boundary complaint or the service recovery moment), by cause as triage read it. "
    "Communication-related causes: no response or a repeated failure, and dissatisfaction "
    "with how staff communicated or served.",
    "knew_next_step": "Knew what to do next: for items resolved in the week, the follow-up "
    "question “Did you know what to do next?” that went to the patient by text (only after a "
    "message to them on the item, with SMS consent, at most once per patient in the practice's "
    "interval) and their plain YES or NO replies within 3 days, up to now; other replies go to "
    "the queue and are not counted. Rate = yes ÷ answered. Counted by the resolved item's "
    "moment, language and channel, and by the approved template version of the last "
    "templated message the patient got on it, beside that version's repeat-contact rate.",
    "template_effect": "Template effect: per approved template version used for a person's "
    "outbound message on items received in the week, the share of those items followed by a "
    "repeat contact (same patient, same moment, within 7 days).",
}
