"""Runtime audit checks: one check per module, the module name is the check ID (``live_<what>``), the
class is the ID in CamelCase, and the catalog's ``audit`` layer ties each check to exactly one control.

A check reads a live account through the boto3 clients it is given and returns what is wrong and what
was expected; it never changes anything (the audit role is read-only)."""
