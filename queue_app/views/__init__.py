"""The queue's screens, one module per screen: the queue list, the item panel and its
actions, the dev outbox and the audit log."""
