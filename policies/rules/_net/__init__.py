"""Helpers shared by the network and edge rules (TEN-02, RES-03, ENC-03 listeners/CloudFront, EDGE-*, NET-*).

A package whose name starts with ``_`` is skipped by the rule registry, so these
modules define no rules.
"""
