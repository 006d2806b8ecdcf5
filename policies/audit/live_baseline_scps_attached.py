"""IAM-03 live, from the management account: every baseline SCP exists and is attached to each OU the org
stack attaches it to (a detached guardrail silently lets tenant accounts switch the baseline off).

``target.expected`` maps each SCP name to its target OU paths (``Tenants/Prod`` ...)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from policies.audit._aws import ou_ids_by_path
from policies.audit._base import ORGANIZATION, AuditCheck, AuditFailure, AuditTarget

SCP = "AWS::Organizations::Policy"


class LiveBaselineScpsAttached(AuditCheck):
    id = "live_baseline_scps_attached"
    description = "Every baseline SCP is attached where the org stack attaches it"
    remediation = (
        "Re-attach the SCP to the OU (organizations:AttachPolicy), or run pulumi up on the org stack."
    )
    scope = ORGANIZATION

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        expected: Mapping[str, Sequence[str]] = target.expected
        organizations = target.client("organizations", target.regions[0])
        paths = ou_ids_by_path(organizations, organizations.list_roots()["Roots"][0]["Id"])
        policies = {
            p["Name"]: p
            for page in organizations.get_paginator("list_policies").paginate(Filter="SERVICE_CONTROL_POLICY")
            for p in page.get("Policies", [])
        }
        for name, targets in sorted(expected.items()):
            where = f"attached to {', '.join(targets)}"
            policy = policies.get(name)
            if policy is None:
                yield AuditFailure(SCP, name, "does not exist", where)
                continue
            attached = {
                t["TargetId"]
                for page in organizations.get_paginator("list_targets_for_policy").paginate(
                    PolicyId=policy["Id"]
                )
                for t in page.get("Targets", [])
            }
            for path in targets:
                ou_id = paths.get(path)
                if ou_id is None:
                    yield AuditFailure(
                        SCP,
                        name,
                        f"cannot be attached: the OU {path} does not exist",
                        where,
                        "",
                        policy["Arn"],
                    )
                elif ou_id not in attached:
                    yield AuditFailure(
                        SCP, name, f"is not attached to the OU {path} ({ou_id})", where, "", policy["Arn"]
                    )
