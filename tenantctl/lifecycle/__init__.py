"""Tenant lifecycle against a live AWS organization (or the local moto sandbox): onboarding, runtime
audit and offboarding with boto3."""
