"""Helpers shared by the logging, detection, backup, IAM and mail rules (not rules themselves:
the registry skips packages whose name starts with an underscore)."""
