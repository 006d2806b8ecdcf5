"""Readers every rule family shares: preview unknowns, values, ARNs, stack names, accounts, tags,
policy documents and S3 bucket lookups. One implementation each, so that two rules never read
the same input two ways. (The registry skips packages whose name starts with an underscore.)"""
