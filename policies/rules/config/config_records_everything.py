"""An AWS Config recorder that exists also records every supported resource type (LOG-03).

A recorder limited to a list of types (``recordingGroup.allSupported`` false, or a recording strategy
other than ``ALL_SUPPORTED_RESOURCE_TYPES``) reports compliance for what it records and silence for
the rest, which reads like compliance.

AWS: https://docs.aws.amazon.com/config/latest/developerguide/select-resources.html
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, ResourceRule, ResourceView, as_list, dig
from policies.rules._common.values import is_false

RECORDER = "aws:cfg/recorder:Recorder"
ALL_SUPPORTED = "ALL_SUPPORTED_RESOURCE_TYPES"


class ConfigRecordsEverything(ResourceRule):
    id = "config_records_everything"
    resource_types = frozenset({RECORDER})
    description = "An AWS Config recorder records all supported resource types, with no exclusions."
    remediation = (
        "Set recordingGroup {allSupported: true} (the default) without resourceTypes,"
        " exclusionByResourceTypes or a recordingStrategy other than ALL_SUPPORTED_RESOURCE_TYPES."
    )

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        group = dig(resource.props, "recordingGroup")
        if group is None:
            return  # AWS default: every supported resource type
        expected = "recordingGroup allSupported true, recording every supported resource type"
        if is_false(dig(group, "allSupported")):
            types = [str(t) for t in as_list(dig(group, "resourceTypes"))]
            yield Failure(
                f"recordingGroup.allSupported is false (records only {len(types)} listed resource type(s))",
                expected,
            )
        strategy = dig(group, "recordingStrategy", "useOnly")
        if isinstance(strategy, str) and strategy != ALL_SUPPORTED:
            yield Failure(f"recordingGroup.recordingStrategy.useOnly is {strategy}", expected)
        excluded = as_list(dig(group, "exclusionByResourceTypes", "resourceTypes"))
        if excluded:
            yield Failure(
                f"recordingGroup excludes {', '.join(sorted(str(t) for t in excluded))}",
                expected,
            )
