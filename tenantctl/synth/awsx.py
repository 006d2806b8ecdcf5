"""What an awsx component returns, where a program depends on its shape (awsx's plugin does not run offline).

The component stays not analysed (``notAnalysed``): none of the resources it creates is modelled. Only the
outputs a program indexes are given the shape awsx gives them, so the program can go on.

``awsx:ec2:Vpc``: one subnet per availability zone for each entry of ``subnetSpecs`` (default: one public and
one private spec), in the spec order, the zones being ``availabilityZoneNames`` or the first
``numberOfAvailabilityZones`` (default 3) of the region; the subnet IDs are listed by the spec's type.
https://www.pulumi.com/registry/packages/awsx/api-docs/ec2/vpc/
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tenantctl.synth import ids

DEFAULT_ZONES = 3
DEFAULT_SPECS = ({"type": "Public"}, {"type": "Private"})
SUBNET_LISTS = {"Public": "publicSubnetIds", "Private": "privateSubnetIds", "Isolated": "isolatedSubnetIds"}


def _zone_count(inputs: Mapping[str, Any]) -> int:
    names = inputs.get("availabilityZoneNames")
    if isinstance(names, list) and names:
        return len(names)
    count = inputs.get("numberOfAvailabilityZones")
    return int(count) if isinstance(count, int | float) and count > 0 else DEFAULT_ZONES


def vpc_outputs(urn: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    specs = inputs.get("subnetSpecs")
    chosen = (
        [s for s in specs if isinstance(s, Mapping)] if isinstance(specs, list) and specs else DEFAULT_SPECS
    )
    zones = _zone_count(inputs)
    lists: dict[str, list[str]] = {key: [] for key in SUBNET_LISTS.values()}
    for index, spec in enumerate(chosen):
        key = SUBNET_LISTS.get(str(spec.get("type")))
        if key is None:  # "Unused": reserves address space, creates nothing
            continue
        lists[key].extend(f"subnet-{ids.hex_id(urn, 17, f'subnet-{index}-{zone}')}" for zone in range(zones))
    return {"vpcId": f"vpc-{ids.hex_id(urn, 17, 'vpc')}", **lists}


# component type -> outputs from the component's inputs
MODELLED = {"awsx:ec2:Vpc": vpc_outputs}


def outputs(type_: str, urn: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    model = MODELLED.get(type_)
    return model(urn, inputs) if model is not None else {}
