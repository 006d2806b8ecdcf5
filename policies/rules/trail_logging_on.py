"""A trail that exists also records: logging on, every management event, reads and writes (LOG-01).

``org_trail`` checks where a trail's logs go and that they can be trusted; a trail with
``enableLogging`` false records nothing, and event selectors that exclude management events or keep
only reads or only writes drop the API calls an investigation needs.

AWS: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from policies.framework import Failure, ResourceRule, ResourceView, as_list
from policies.rules._common.values import is_false

TRAIL = "aws:cloudtrail/trail:Trail"
ALL = "All"


def _management_selector(selector: Mapping[str, Any]) -> bool:
    """An advanced selector that keeps every management event: eventCategory = Management and no field
    narrowing it further (readOnly, eventSource, ...)."""
    fields = [f for f in as_list(selector.get("fieldSelectors")) if isinstance(f, Mapping)]
    category = [f for f in fields if f.get("field") == "eventCategory"]
    others = [f for f in fields if f.get("field") != "eventCategory"]
    return any(as_list(f.get("equals")) == ["Management"] for f in category) and not others


class TrailLoggingOn(ResourceRule):
    id = "trail_logging_on"
    resource_types = frozenset({TRAIL})
    description = "A CloudTrail trail is logging and records every management event, reads and writes."
    remediation = (
        "Leave enableLogging true (the default); use event selectors with includeManagementEvents true and "
        "readWriteType All, or an advanced event selector whose only field is eventCategory = Management."
    )

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        props = resource.props
        if is_false(props.get("enableLogging")):
            yield Failure(
                "enableLogging is false (the trail records nothing)", "enableLogging true or not set"
            )
        selectors = [s for s in as_list(props.get("eventSelectors")) if isinstance(s, Mapping)]
        advanced = [s for s in as_list(props.get("advancedEventSelectors")) if isinstance(s, Mapping)]
        if advanced:
            if not any(_management_selector(s) for s in advanced):
                yield Failure(
                    "advancedEventSelectors keep no selector of every management event",
                    "an advanced event selector whose only field is eventCategory = Management",
                )
        elif selectors:
            management = [s for s in selectors if not is_false(s.get("includeManagementEvents"))]
            if not management:
                yield Failure(
                    "every event selector sets includeManagementEvents false (API calls go unrecorded)",
                    "an event selector with includeManagementEvents true",
                )
            elif not any(s.get("readWriteType") in (None, ALL) for s in management):
                kinds = ", ".join(sorted({str(s.get("readWriteType")) for s in management}))
                yield Failure(
                    f"management events are recorded as readWriteType {kinds} only",
                    "readWriteType All for management events",
                )
