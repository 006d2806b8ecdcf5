"""A patch baseline approves security patches of every severity that matters, soon enough (VUL-02).

``patch_baseline_monthly`` checks that patches are installed at least monthly; what is installed is
what the baseline approves. An approval rule that waits more than 30 days leaves a patch unapproved
past the next monthly window, a fixed ``approveUntilDate`` never approves later patches, and patch
filters that leave out the security classification or the critical and important severities keep
exactly the patches the seeds require off the hosts.

AWS:
https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-predefined-and-custom-patch-baselines.html
; filter keys and values https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PatchFilter.html
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from policies.framework import Failure, ResourceRule, ResourceView, as_list, dig
from policies.rules._common.values import number, shown_number, strings

PATCH_BASELINE = "aws:ssm/patchBaseline:PatchBaseline"
# A patch approved later than this misses the next monthly maintenance window.
MAX_APPROVE_AFTER_DAYS = 30
SECURITY_CLASSIFICATIONS = frozenset({"Security", "SecurityUpdates", "CriticalUpdates"})
SEVERITY_KEYS = ("SEVERITY", "MSRC_SEVERITY")
REQUIRED_SEVERITIES = ("Critical", "Important")
ALL = "*"


def _filters(rule: Mapping[str, object]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for item in as_list(dig(rule, "patchFilters")):
        if isinstance(item, Mapping) and isinstance(item.get("key"), str):
            found.setdefault(str(item["key"]), []).extend(strings(item.get("values")))
    return found


class PatchBaselineApproval(ResourceRule):
    id = "patch_baseline_approval"
    resource_types = frozenset({PATCH_BASELINE})
    description = (
        "Patch baseline approval rules approve security patches of critical and important severity within 30 "
        "days of release."
    )
    remediation = (
        "Give the baseline an approval rule with approve_after_days <= 30 (7 is common), a CLASSIFICATION"
        " filter including Security (Windows: SecurityUpdates, CriticalUpdates) and no SEVERITY filter, or"
        " one including Critical and Important."
    )

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        rules = [r for r in as_list(resource.props.get("approvalRules")) if isinstance(r, Mapping)]
        if not rules:
            yield Failure(
                "has no approval rule (only explicitly approved patches are installed)",
                "an approval rule approving security patches",
            )
            return
        for index, rule in enumerate(rules):
            label = f"approvalRules[{index}]"
            days = number(rule.get("approveAfterDays"))
            if rule.get("approveUntilDate") is not None:
                yield Failure(
                    f"{label} approves only patches released before {rule.get('approveUntilDate')}",
                    f"approveAfterDays <= {MAX_APPROVE_AFTER_DAYS} instead of a fixed approveUntilDate",
                )
            elif days is not None and days > MAX_APPROVE_AFTER_DAYS:
                yield Failure(
                    f"{label} approveAfterDays is {shown_number(days)} (the patch misses the next monthly"
                    " window)",
                    f"approveAfterDays <= {MAX_APPROVE_AFTER_DAYS}",
                )
            filters = _filters(rule)
            classes = filters.get("CLASSIFICATION")
            if classes is not None and ALL not in classes and not SECURITY_CLASSIFICATIONS & set(classes):
                yield Failure(
                    f"{label} approves classifications {', '.join(classes)} only, no security patches",
                    "a CLASSIFICATION filter including Security (Windows: SecurityUpdates or"
                    " CriticalUpdates)",
                )
            for key in SEVERITY_KEYS:
                severities = filters.get(key)
                if severities is None or ALL in severities:
                    continue
                missing = [s for s in REQUIRED_SEVERITIES if s not in severities]
                if missing:
                    yield Failure(
                        f"{label} {key} filter leaves out {', '.join(missing)} patches",
                        f"a {key} filter including {', '.join(REQUIRED_SEVERITIES)} (or no severity filter)",
                    )
