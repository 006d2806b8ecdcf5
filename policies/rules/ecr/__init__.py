"""Rules about ecr resources (one module per rule; the module name is the rule ID)."""
