"""Plan export: Pulumi resources (offline synth, ``pulumi preview --json``, ``pulumi stack export``) as a
Terraform plan JSON for checkov."""

from tenantctl.export.plan import Export, Unmapped, export
from tenantctl.export.sources import Document, from_preview, from_state, from_synth, read_document

__all__ = [
    "Document",
    "Export",
    "Unmapped",
    "export",
    "from_preview",
    "from_state",
    "from_synth",
    "read_document",
]
