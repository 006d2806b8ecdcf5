"""The rules as CrossGuard policies: one ``pulumi_policy`` policy per rule.

Both runners use the objects built here: ``policies/__main__.py`` hands them
to ``PolicyPack`` (what ``pulumi preview --policy-pack policies`` loads), and
``tenantctl check`` calls their ``validate`` callbacks with arguments built
from the offline synth. So a rule has one adapter and one message format,
whoever runs it.

Nothing here has side effects: constructing a ``PolicyPack`` starts a gRPC
server and blocks, so only ``policies/__main__.py`` does that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyComplianceFramework,
    PolicyProviderResource,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from policies.catalog import Control, control_for_rule
from policies.framework import (
    Failure,
    MultiStackRule,
    NotApplicable,
    ProviderView,
    ResourceRule,
    ResourceView,
    Rule,
    StackConfigView,
    StackRule,
    StackView,
    stack_of_urn,
    stack_root,
)
from policies.messages import message
from policies.registry import all_rules
from policies.rules._common.unknowns import peek
from policies.scopes import STACK_KINDS, StackKind, StackKindError, declared_kind, resolve_kind
from policies.waivers import WaivedFinding, WaiverBook, file_waivers

PACK_NAME = "tenant-zone"
# The advisory policy reporting waived findings and waivers that accept nothing (``waiver_policy``).
WAIVER_POLICY = "waivers"
FRAMEWORK_NAME = "tenant-zone controls"
# The generated traceability matrix; each control has an anchor named after its lower-cased ID.
DOCS_PAGE = "docs/controls.md"
# Policy config key that supplies a region for resources whose provider has none.
REGION_CONFIG_KEY = "region"
# What a stack-level finding (no URN) is attributed to.
STACK_SUBJECT = ("pulumi:pulumi:Stack", "")

_VIEWS_ATTRIBUTE = "_tenant_zone_stack_views"
# Set by the offline gate on the stack policies' args: stack name -> its config file (``StackConfigView``).
STACK_CONFIG_ATTRIBUTE = "tenant_zone_stack_config"

_ENFORCEMENT = {level.value: level for level in EnforcementLevel}
_SEVERITY = {level.value: level for level in Severity}


def enforcement_for(control: Control) -> EnforcementLevel:
    value = (control.enforcement or "mandatory").lower()
    try:
        return _ENFORCEMENT[value]
    except KeyError:
        raise ValueError(
            f"control {control.id}: enforcement {control.enforcement!r}; expected one of"
            f" {sorted(_ENFORCEMENT)}"
        ) from None


def severity_for(control: Control) -> Severity:
    value = (control.severity or "high").lower()
    try:
        return _SEVERITY[value]
    except KeyError:
        raise ValueError(
            f"control {control.id}: severity {control.severity!r}; expected one of {sorted(_SEVERITY)}"
        ) from None


def docs_url(control: Control) -> str:
    return f"{DOCS_PAGE}#{control.id.lower()}"


# --- from pulumi_policy arguments to the views rules read -----------------------------------


class _RegionDefault(Mapping[str, Any]):
    """Provider props with ``region`` filled in from policy config when the provider has none.

    A wrapper rather than a copy: the props may be an unknown-checking proxy, and
    copying them would touch (and raise on) unknown values the rule never reads.
    """

    def __init__(self, props: Mapping[str, Any], region: str) -> None:
        self._props = props
        self._region = region

    def __getitem__(self, key: str) -> Any:
        if key == "region" and key not in self._props:
            return self._region
        return self._props[key]

    def __iter__(self) -> Iterator[str]:
        yield from self._props
        if "region" not in self._props:
            yield "region"

    def __len__(self) -> int:
        return len(self._props) + (0 if "region" in self._props else 1)


def provider_view(provider: PolicyProviderResource | None, config: Mapping[str, Any]) -> ProviderView | None:
    """The provider as rules see it; policy config ``region`` stands in for a provider without one."""
    fallback = config.get(REGION_CONFIG_KEY) if config else None
    if provider is None:
        if isinstance(fallback, str) and fallback:
            return ProviderView("pulumi:providers:aws", "", "default", {"region": fallback})
        return None
    props: Mapping[str, Any] = provider.props
    if isinstance(fallback, str) and fallback and "region" not in props:
        props = _RegionDefault(props, fallback)
    return ProviderView(provider.resource_type, provider.urn, provider.name, props)


def resource_view_from_args(args: ResourceValidationArgs) -> ResourceView:
    """A resource policy's arguments -> ``ResourceView`` (Analyze carries no dependencies)."""
    return ResourceView(
        type=args.resource_type,
        name=args.name,
        urn=args.urn,
        props=args.props,
        provider=provider_view(args.provider, args.get_config()),
        parent=args.opts.parent if args.opts is not None else None,
    )


def _resource_view(resource: PolicyResource, config: Mapping[str, Any]) -> ResourceView:
    return ResourceView(
        type=resource.resource_type,
        name=resource.name,
        urn=resource.urn,
        props=resource.props,
        provider=provider_view(resource.provider, config),
        parent=resource.parent.urn if resource.parent is not None else None,
        dependencies=tuple(d.urn for d in resource.dependencies),
        property_dependencies={k: tuple(d.urn for d in v) for k, v in resource.property_dependencies.items()},
    )


def stack_views_from_args(args: StackValidationArgs) -> list[StackView]:
    """A stack policy's resources grouped by stack (from the URN), in stack-name order.

    The engine sends one stack; the offline gate sends every stack at once for
    the cross-stack rules, through the same callback. The views are kept on the
    args object: the engine builds new args per policy, the offline gate hands one
    args object to every policy without config, so the views are built once.
    """
    cached = getattr(args, _VIEWS_ATTRIBUTE, None)
    if cached is not None:
        return list(cached)
    config = args.get_config()
    grouped: dict[str, list[ResourceView]] = {}
    for resource in args.resources:
        view = _resource_view(resource, config)
        grouped.setdefault(stack_of_urn(view.urn), []).append(view)
    configs: Mapping[str, StackConfigView] = getattr(args, STACK_CONFIG_ATTRIBUTE, None) or {}
    views = tuple(
        StackView(name=name, resources=tuple(sorted(group, key=lambda r: r.urn)), config=configs.get(name))
        for name, group in sorted(grouped.items())
    )
    setattr(args, _VIEWS_ATTRIBUTE, views)
    return list(views)


# --- from failures to reported violations ---------------------------------------------------


def subject_of(
    urn: str | None, views: Mapping[str, ResourceView], default: ResourceView | None
) -> tuple[str, str]:
    """(type, name) a finding is about: the resource with that URN, else the URN's own parts."""
    target = views.get(urn) if urn else default
    if target is not None:
        return target.type, target.name
    if urn:
        parts = urn.split("::")
        if len(parts) >= 4:
            return parts[2].rsplit("$", 1)[-1], "::".join(parts[3:])
    return STACK_SUBJECT


@dataclass(frozen=True)
class ReportedFinding:
    """One finding with its parts kept apart: what a structured reporter receives instead of the string."""

    type: str
    name: str
    wrong: str
    expected: str
    control: str
    urn: str | None

    @property
    def message(self) -> str:
        return message(f"{self.type} {self.name}", self.wrong, self.expected, self.control)


class FindingReporter:
    """A ``report_violation`` callback that also takes findings whole (the offline gate's runner).

    The Pulumi engine's callback takes the formatted message only; given one of these, the pack reports the
    finding itself, so a report never has to parse the message back into its parts.
    """

    def __call__(self, message: str, urn: str | None = None) -> None:
        raise NotImplementedError

    def report_finding(self, finding: ReportedFinding) -> None:
        raise NotImplementedError


def _report_all(
    failures: Iterable[Failure],
    control: Control,
    report_violation: ReportViolation,
    views: Mapping[str, ResourceView],
    default: ResourceView | None,
    waivers: tuple[WaiverBook, str] | None = None,
) -> None:
    # Reported one by one, as produced: a finding made before the rule touches a
    # preview unknown stays reported, as it would in the engine.
    for failure in failures:
        resource_type, name = subject_of(failure.urn, views, default)
        urn = failure.urn or (default.urn if default is not None else None)
        finding = ReportedFinding(resource_type, name, failure.wrong, failure.expected, control.id, urn)
        if waivers is not None and _waived(finding, views, waivers):
            continue
        if isinstance(report_violation, FindingReporter):
            report_violation.report_finding(finding)
        else:
            report_violation(finding.message, urn)


def _waived(
    finding: ReportedFinding, views: Mapping[str, ResourceView], waivers: tuple[WaiverBook, str]
) -> bool:
    """Whether a waiver of the book accepts the finding; if so it is recorded there, to be reported as
    advisory by the book's own policy rather than at the rule's enforcement."""
    book, rule_id = waivers
    urn = finding.urn or ""
    target = views.get(urn)
    tags = peek(target.props, "tags") if target is not None else None
    waiver = book.accepting(rule_id, finding.control, urn, finding.name, stack_of_urn(urn), tags)
    if waiver is None:
        return False
    subject = f"{finding.type} {finding.name}"
    book.waived.append(
        WaivedFinding(finding.urn, subject, finding.wrong, finding.expected, finding.control, waiver)
    )
    return True


def waiver_policy(book: WaiverBook) -> StackValidationPolicy:
    """The advisory policy that reports what the book's waivers did; registered after every rule's policy,
    so the engine runs it when every finding of the run has been made."""

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        # the stacks of this run: a server that judged other stacks before keeps their waived findings
        stacks = {stack_of_urn(r.urn) for r in args.resources}
        for found in book.waived:
            if stacks and found.urn and stack_of_urn(found.urn) not in stacks:
                continue
            w = found.waiver
            wrong = (
                f"{found.wrong} (waived by {w.source} until {w.expires}, approved by {w.approver} on "
                f"{w.approved}: {w.reason})"
            )
            report_violation(message(found.subject, wrong, found.expected, found.control), found.urn)
        for subject, wrong, expected, control in book.notes(stacks):
            report_violation(message(subject, wrong, expected, control), None)

    return StackValidationPolicy(
        name=WAIVER_POLICY,
        description=(
            "Findings accepted by a waiver (reason, approver, expiry), and waivers that accept nothing."
        ),
        validate=validate,
        enforcement_level=EnforcementLevel.ADVISORY,
    )


# --- scopes: which kinds of stack a rule judges ----------------------------------------------


def scope_of(rule: Rule, control: Control) -> frozenset[str]:
    """The stack kinds the catalog gives the rule; a control built by hand without scopes (tests of
    throwaway rules) judges every kind. The loader requires a scope for every catalog check."""
    if "scopes" not in (control.layers.get("gate") or {}):
        return frozenset(STACK_KINDS)
    return control.scope(rule.id)


def _describe_scope(scope: frozenset[str]) -> str:
    return " and ".join(kind for kind in STACK_KINDS if kind in scope)


def stack_kind(stack: StackView, tags: Mapping[str, str]) -> StackKind | None:
    """The stack's kind, declared by stack tag or inferred; None when the resources point both ways
    (the offline gate refuses such a stack first; under the engine every rule then judges it)."""
    try:
        return resolve_kind(stack.name, declared_kind(tags, stack.name), (r.type for r in stack.resources))
    except StackKindError:
        return None


def _out_of_scope(rule: Rule, scope: frozenset[str], stack: str, kind: StackKind) -> str:
    return f"{rule.id} judges {_describe_scope(scope)} stacks; stack {stack} is {kind.describe()}"


def resource_validator(
    rule: ResourceRule, control: Control, book: WaiverBook | None = None
) -> Callable[[ResourceValidationArgs, ReportViolation], None]:
    scope = scope_of(rule, control)
    waivers = (book, rule.id) if book is not None else None

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if not rule.applies_to(args.resource_type):
            args.not_applicable(f"{rule.id} does not look at {args.resource_type}")
        if scope != frozenset(STACK_KINDS):
            # One resource cannot tell its stack's kind: only a declared kind narrows a resource rule.
            stack = stack_of_urn(args.urn)
            declared = declared_kind(args.stack_tags or {}, stack)
            if declared in STACK_KINDS and declared not in scope:
                kind = StackKind(declared, "declared by stack tag")
                args.not_applicable(_out_of_scope(rule, scope, stack, kind))
        view = resource_view_from_args(args)
        try:
            _report_all(rule.evaluate(view), control, report_violation, {view.urn: view}, view, waivers)
        except NotApplicable as reason:
            args.not_applicable(reason.reason)

    return validate


def stack_validator(
    rule: StackRule, control: Control, book: WaiverBook | None = None
) -> Callable[[StackValidationArgs, ReportViolation], None]:
    scope = scope_of(rule, control)
    waivers = (book, rule.id) if book is not None else None

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        try:
            # An empty stack is still a stack to judge (a rule may require resources in it).
            for stack in stack_views_from_args(args) or [StackView(name="", resources=())]:
                kind = stack_kind(stack, args.stack_tags or {})
                if kind is not None and kind.kind not in scope:
                    args.not_applicable(_out_of_scope(rule, scope, stack.name, kind))
                views = {r.urn: r for r in stack.resources}
                _report_all(
                    rule.evaluate(stack), control, report_violation, views, stack_root(stack), waivers
                )
        except NotApplicable as reason:
            args.not_applicable(reason.reason)

    return validate


def multi_stack_validator(
    rule: MultiStackRule, control: Control, book: WaiverBook | None = None
) -> Callable[[StackValidationArgs, ReportViolation], None]:
    """In CrossGuard the rule sees the one stack being deployed (duplicates inside it);
    ``tenantctl check --all`` passes every stack's resources to the same callback."""

    scope = scope_of(rule, control)
    waivers = (book, rule.id) if book is not None else None

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        stacks = []
        for stack in stack_views_from_args(args):
            kind = stack_kind(stack, args.stack_tags or {})
            if kind is None or kind.kind in scope:
                stacks.append(stack)
        if not stacks:
            args.not_applicable(f"{rule.id} judges {_describe_scope(scope)} stacks; no stack here is one")
        views = {r.urn: r for stack in stacks for r in stack.resources}
        try:
            _report_all(rule.evaluate(stacks), control, report_violation, views, None, waivers)
        except NotApplicable as reason:
            args.not_applicable(reason.reason)

    return validate


# --- the policies ----------------------------------------------------------------------------


def build_policy(rule: Rule, control: Control, waivers: WaiverBook | None = None) -> Policy:
    metadata: dict[str, Any] = {
        "enforcement_level": enforcement_for(control),
        "severity": severity_for(control),
        "framework": PolicyComplianceFramework(
            name=FRAMEWORK_NAME,
            reference=control.id,
            specification=control.title_en or control.id,
        ),
        "tags": [control.id],
        "remediation_steps": rule.remediation,
        "url": docs_url(control),
    }
    if isinstance(rule, ResourceRule):
        return ResourceValidationPolicy(
            name=rule.id,
            description=rule.description,
            validate=resource_validator(rule, control, waivers),
            **metadata,
        )
    if isinstance(rule, StackRule):
        return StackValidationPolicy(
            name=rule.id,
            description=rule.description,
            validate=stack_validator(rule, control, waivers),
            **metadata,
        )
    if isinstance(rule, MultiStackRule):
        return StackValidationPolicy(
            name=rule.id,
            description=rule.description,
            validate=multi_stack_validator(rule, control, waivers),
            **metadata,
        )
    raise TypeError(
        f"rule {rule.id}: {type(rule).__name__} is not a ResourceRule, StackRule or MultiStackRule"
    )


def build_policies(
    rules: Mapping[str, Rule] | None = None,
    controls: Mapping[str, Control] | None = None,
    waivers: WaiverBook | None = None,
) -> list[Policy]:
    """One policy per rule, in rule-ID order; each rule's control comes from the catalog
    (``controls``, by rule ID, stands in for it in tests of throwaway rules). With ``waivers`` (the pack
    under the engine) a finding a waiver accepts goes to the book, and the book's advisory policy comes
    last; ``tenantctl check`` applies waivers itself, after the policies, so it passes none."""
    chosen = all_rules() if rules is None else rules
    policies = [
        build_policy(rule, controls[rule_id] if controls is not None else control_for_rule(rule_id), waivers)
        for rule_id, rule in sorted(chosen.items())
    ]
    if waivers is not None:
        policies.append(waiver_policy(waivers))
    return policies


def load_waiver_book(path: Path, today: dt.date) -> WaiverBook:
    """The repository's waiver file (``waivers.yaml`` beside ``Pulumi.yaml``) as the pack applies it;
    an unreadable file accepts nothing and is reported by the book's policy."""
    if not path.is_file():
        return WaiverBook([], [], today)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        return WaiverBook([], [f"{path.name}: cannot be read ({type(error).__name__})"], today)
    waivers, problems = file_waivers(data, path.name, today)
    return WaiverBook(waivers, problems, today)


__all__: Sequence[str] = (
    "PACK_NAME",
    "build_policies",
    "build_policy",
    "resource_view_from_args",
    "stack_views_from_args",
)
