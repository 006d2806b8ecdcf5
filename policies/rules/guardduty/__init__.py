"""Rules about guardduty resources (one module per rule; the module name is the rule ID)."""
