"""Helpers shared by the data-protection rules (S3, KMS, encryption at rest, tenancy)."""
