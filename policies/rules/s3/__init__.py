"""Rules about s3 resources (one module per rule; the module name is the rule ID)."""
