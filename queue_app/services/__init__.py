"""State changes of the queue, one module per workflow.

- `intake`: open an item (triaged once, escalated when its boundary says so, assigned);
- `staff_intake`: an item staff enter by hand (front desk, walk-in, fax, hand-off), through
  `intake`;
- `ownership`: assign, claim, release, reassign;
- `working`: verify identity, send the approved response, log calls, wait on the patient;
- `closing`: resolve, only with a note that meets the moment's standard;
- `merging`: merge a duplicate into another item of the same patient, link related items.

Every function is the only way its change happens: views, tasks and admin actions all call
them. Each takes `now=` from the caller, changes rows with conditional updates (so a stale
page or a second click changes nothing) and records one item event per change. Reads that
change nothing live in `queue_app.selectors`.
"""
