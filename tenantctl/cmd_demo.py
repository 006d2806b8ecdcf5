"""Show a stack's synthesized plan as a resource tree with counts, then gate it.

Runs offline on the embedded defaults: no AWS account, no Pulumi CLI.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tenantctl.paths import default_program


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stack", default="acme-prod", help="stack to show (default: acme-prod)")
    parser.add_argument(
        "--program", type=Path, default=None, help="Pulumi program directory (default: this project)"
    )
    parser.add_argument(
        "--no-gate", action="store_true", help="only show the plan, do not run the policy gate"
    )


def short_type(resource_type: str) -> str:
    """``aws:s3/bucket:Bucket`` -> ``aws:s3:Bucket``; component and pulumi types stay as they are."""
    parts = resource_type.split(":")
    if len(parts) == 3 and "/" in parts[1]:
        return f"{parts[0]}:{parts[1].split('/', 1)[0]}:{parts[2]}"
    return resource_type


def render_tree(resources: Sequence[Mapping[str, Any]]) -> list[str]:
    """Components as branches, custom resources as leaves with their region."""
    children: dict[str | None, list[Mapping[str, Any]]] = defaultdict(list)
    urns = {r["urn"] for r in resources}
    for resource in resources:
        if resource["type"].startswith("pulumi:providers:"):
            continue
        parent = resource.get("parent")
        children[parent if parent in urns else None].append(resource)

    lines: list[str] = []

    def walk(node: Mapping[str, Any], prefix: str, last: bool, root: bool = False) -> None:
        branch = "" if root else ("└─ " if last else "├─ ")
        region = f"  [{node['region']}]" if node.get("region") else ""
        kids = sorted(children.get(node["urn"], []), key=lambda r: (r["custom"], r["type"], r["name"]))
        count = f"  ({_count_descendants(node['urn'], children)} resources)" if kids else ""
        lines.append(f"{prefix}{branch}{short_type(node['type'])}  {node['name']}{region}{count}")
        child_prefix = prefix if root else prefix + ("   " if last else "│  ")
        for index, kid in enumerate(kids):
            walk(kid, child_prefix, index == len(kids) - 1)

    roots = sorted(children.get(None, []), key=lambda r: (r["type"] != "pulumi:pulumi:Stack", r["urn"]))
    for root in roots:
        walk(root, "", True, root=True)
    return lines


def _count_descendants(urn: str, children: Mapping[str | None, list[Mapping[str, Any]]]) -> int:
    total = 0
    for kid in children.get(urn, []):
        total += (1 if kid["custom"] else 0) + _count_descendants(kid["urn"], children)
    return total


def render_counts(resources: Sequence[Mapping[str, Any]]) -> list[str]:
    custom = [r for r in resources if r["custom"] and not r["type"].startswith("pulumi:providers:")]
    by_region = Counter(r.get("region") or "global" for r in custom)
    by_service = Counter(
        short_type(r["type"]).split(":")[1] if r["type"].count(":") == 2 else r["type"] for r in custom
    )
    components = sum(1 for r in resources if not r["custom"] and r["type"] != "pulumi:pulumi:Stack")
    providers = sum(1 for r in resources if r["type"].startswith("pulumi:providers:"))
    stacks = sum(1 for r in resources if r["type"] == "pulumi:pulumi:Stack")
    # The total counts every registered resource, as the gate's summary does, so the two numbers agree.
    lines = [
        f"{len(resources)} resources: {len(custom)} cloud resources, {components} components, "
        f"{providers} providers, {stacks} stack"
    ]
    lines.append("by region:  " + ", ".join(f"{region} {n}" for region, n in sorted(by_region.items())))
    lines.append(
        "by service: "
        + ", ".join(f"{svc} {n}" for svc, n in sorted(by_service.items(), key=lambda kv: (-kv[1], kv[0])))
    )
    return lines


def run(args: argparse.Namespace) -> int:
    from tenantctl.synth import synthesize

    program = args.program or default_program()
    synth = synthesize(program, args.stack)
    resources = synth["resources"]
    print(f"Stack {synth['stack']} of project {synth['project']} (offline synth, Pulumi mocks)\n")
    print("\n".join(render_tree(resources)))
    print()
    print("\n".join(render_counts(resources)))
    if args.no_gate:
        return 0
    from tenantctl.gate import check_synth
    from tenantctl.report import render

    result = check_synth(synth)
    print("\nPolicy gate:")
    print(render(result, "text"))
    return 1 if result.has_mandatory else 0
