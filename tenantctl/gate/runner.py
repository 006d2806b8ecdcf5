"""Runs the pack's ``pulumi_policy`` policies the way the analyzer servicer does.

The same objects ``policies/__main__.py`` registers are called here, with the
servicer's semantics (``pulumi_policy/policy.py``, ``Analyze`` / ``AnalyzeStack``):

- enforcement: policy config override, else the policy's level, else the
  pack's; ``disabled`` policies do not run; ``remediate`` reports as mandatory;
- ``args.not_applicable(reason)`` records the policy as not applicable;
- ``UnknownValueError`` becomes the advisory "can't run policy ... during
  preview" diagnostic; findings reported before it stay reported;
- any other exception is a bug in a rule: the engine fails the preview, and
  so does the gate (``GateError``), naming the rule and the resource.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from policies.catalog import Control, control_for_rule
from policies.framework import (
    STACK_RESOURCE_TYPE,
    MultiStackRule,
    ResourceRule,
    Rule,
    StackConfigView,
    stack_of_urn,
)
from policies.pack import (
    PACK_NAME,
    STACK_CONFIG_ATTRIBUTE,
    STACK_SUBJECT,
    FindingReporter,
    ReportedFinding,
    build_policies,
    subject_of,
)
from policies.registry import all_rules
from policies.scopes import KIND_KEY
from tenantctl.gate import engineconfig
from tenantctl.gate.adapt import GateStackArgs, RuleNotApplicable, StackInput
from tenantctl.gate.model import (
    ADVISORY,
    MANDATORY,
    GateResult,
    NotApplicable,
    StackReport,
    Undecided,
    Violation,
)
from tenantctl.gate.unseen import finding

# The version a Python pack reports to the engine (PolicyPack always says 0.0.1; the CLI shows
# PulumiPolicy.yaml's version elsewhere), and so the one in the engine's preview diagnostics.
SERVER_PACK_VERSION = "0.0.1"


class GateError(RuntimeError):
    """A rule crashed: not a verdict on the program, a bug to fix in the rule."""


@dataclass(frozen=True)
class _Entry:
    policy: Policy
    rule: Rule
    control: str
    enforcement: EnforcementLevel


def undecided_message(policy_name: str, reason: str) -> str:
    return (
        f"can't run policy '{policy_name}' from policy pack '{PACK_NAME}@v{SERVER_PACK_VERSION}' "
        f"during preview: {reason}"
    )


class PackRunner:
    """Evaluates the pack's policies (``policies.pack.build_policies``) over synthesized stacks.

    ``policy_config`` plays ``--policy-pack-config`` (``tenantctl.gate.engineconfig``): per policy name (or
    ``all``), an enforcement level, or an object with an optional ``enforcementLevel`` and the properties the
    policy's ``args.get_config()`` returns.
    """

    def __init__(
        self,
        rules: Mapping[str, Rule] | None = None,
        *,
        controls: Mapping[str, Control] | None = None,
        policy_config: Mapping[str, Any] | None = None,
        pack_enforcement: EnforcementLevel = EnforcementLevel.MANDATORY,
    ) -> None:
        self._rules = dict(all_rules() if rules is None else rules)
        self._config: dict[str, dict[str, Any]] = {}
        self._entries: list[_Entry] = []
        policies = build_policies(self._rules, controls)
        # The engine's Configure, through the pack's own servicer: what it then holds is what runs.
        config = engineconfig.parse(dict(policy_config), "policy config") if policy_config else {}
        self._pack = engineconfig.ConfiguredPack(PACK_NAME, policies, pack_enforcement, config)
        for policy in policies:
            properties = self._pack.config(policy.name)
            if properties:
                self._config[policy.name] = properties
            enforcement = self._pack.enforcement(policy)
            if enforcement == EnforcementLevel.DISABLED:
                continue
            if enforcement == EnforcementLevel.REMEDIATE:
                enforcement = EnforcementLevel.MANDATORY
            control = controls[policy.name] if controls is not None else control_for_rule(policy.name)
            self._entries.append(_Entry(policy, self._rules[policy.name], control.id, enforcement))

    @property
    def policy_names(self) -> tuple[str, ...]:
        return tuple(e.policy.name for e in self._entries)

    def _resource_entries(self) -> list[_Entry]:
        return [e for e in self._entries if isinstance(e.policy, ResourceValidationPolicy)]

    def cross_stack_reads(self) -> frozenset[str] | None:
        """The resource types the cross-stack rules that run read (None: some rule may read any)."""
        wanted: set[str] = set()
        for entry in self._stack_entries(True):
            reads = getattr(entry.rule, "reads", None)
            if reads is None:
                return None
            wanted |= reads
        return frozenset(wanted)

    def _stack_entries(self, multi: bool | None) -> list[_Entry]:
        return [
            e
            for e in self._entries
            if isinstance(e.policy, StackValidationPolicy)
            and (multi is None or isinstance(e.rule, MultiStackRule) == multi)
        ]

    def check_stack(
        self,
        stack: StackInput,
        *,
        file: str | None = None,
        cross_stack: bool = True,
        kind: str | None = None,
        stack_config: StackConfigView | None = None,
    ) -> GateResult:
        """What the engine's ``Analyze`` (every resource) and ``AnalyzeStack`` report for one stack.

        ``cross_stack=False`` leaves the cross-stack rules to ``check_stacks`` (``--all``). ``kind``
        is the stack's kind (``policies.scopes``), handed to the policies as the engine hands them
        the stack tag ``tenant-zone:stackKind``; without it the policies infer it. ``stack_config`` is
        the stack's config file, which only the offline gate can show the stack policies.
        """
        result = GateResult(stacks=[StackReport(stack.stack, len(stack.resources), file)])
        # The engine's ConfigureStack before the stack's first Analyze: the args carry the tags it stored.
        tags = self._pack.configure_stack(stack.project, stack.stack, {KIND_KEY: kind} if kind else {})
        entries = self._resource_entries()
        for resource in stack.resources:
            shared_args = resource.args(None, tags)
            for entry in entries:
                rule = entry.rule
                if isinstance(rule, ResourceRule) and not rule.applies_to(resource.resource_type):
                    result.out_of_scope += 1
                    continue
                config = self._config.get(entry.policy.name)
                args = resource.args(config, tags) if config else shared_args
                self._run(
                    entry,
                    args,
                    result,
                    stack.stack,
                    subject=(resource.urn, resource.resource_type, resource.name),
                    views={resource.urn: (resource.resource_type, resource.name)},
                )
        # What no policy could see offline: undecided, never a pass (the engine runs the plugins and sees it).
        result.undecided.extend(finding(stack.stack, component) for component in stack.not_analysed)
        stack_entries = self._stack_entries(None if cross_stack else False)
        configs = {stack.stack: stack_config} if stack_config is not None else {}
        self._run_stack_policies(
            stack_entries, list(stack.stack_resources), result, stack.stack, tags, configs
        )
        result.rules = tuple(e.policy.name for e in entries + stack_entries)
        return result.sort()

    def check_stacks(
        self, stacks: Sequence[StackInput], kinds: Mapping[str, str] | None = None
    ) -> GateResult:
        """The cross-stack rules over every stack at once (``tenantctl check --all``); ``kinds`` gives
        each stack's kind by name (one ``tenant-zone:stackKind.<stack>`` tag each)."""
        entries = self._stack_entries(True)
        result = GateResult()
        resources = [r for stack in stacks for r in stack.stack_resources]
        tags = {f"{KIND_KEY}.{name}": kind for name, kind in (kinds or {}).items()}
        self._run_stack_policies(entries, resources, result, "", tags)
        result.rules = tuple(e.policy.name for e in entries)
        return result.sort()

    def _run_stack_policies(
        self,
        entries: Sequence[_Entry],
        resources: list[Any],
        result: GateResult,
        stack: str,
        tags: Mapping[str, str],
        configs: Mapping[str, StackConfigView] | None = None,
    ) -> None:
        views = {r.urn: (r.resource_type, r.name) for r in resources}
        # What a stack rule's finding without a URN (one that could not decide in preview) is about:
        # the stack's root resource, as the pack names it in stack-level messages; across stacks, nothing.
        root = next(
            (r for r in resources if r.resource_type == STACK_RESOURCE_TYPE and r.parent is None), None
        )
        subject = (root.urn, root.resource_type, root.name) if stack and root is not None else None
        # One args object for every policy without config: the pack builds its views once per args.
        shared = GateStackArgs(resources, None, tags)
        setattr(shared, STACK_CONFIG_ATTRIBUTE, configs or {})
        for entry in entries:
            config = self._config.get(entry.policy.name)
            args = GateStackArgs(resources, config, tags) if config else shared
            setattr(args, STACK_CONFIG_ATTRIBUTE, configs or {})
            self._run(entry, args, result, stack, subject=subject, views=views)

    def _run(
        self,
        entry: _Entry,
        args: ResourceValidationArgs | StackValidationArgs,
        result: GateResult,
        stack: str,
        *,
        subject: tuple[str, str, str] | None,
        views: Mapping[str, tuple[str, str]],
    ) -> None:
        level = MANDATORY if entry.enforcement == EnforcementLevel.MANDATORY else ADVISORY

        def describe(urn: str) -> tuple[str, str, str]:
            """(stack, type, name) of a URN the policy reported."""
            if urn in views:
                resource_type, name = views[urn]
            else:
                resource_type, name = subject_of(urn, {}, None)
            return (stack_of_urn(urn) or stack, resource_type, name)

        class Reporter(FindingReporter):
            """Keeps each finding whole; a message-only report (a policy outside the pack) is kept as
            given."""

            def __call__(self, message: str, urn: str | None = None) -> None:
                self._add(message, urn, message, "")

            def report_finding(self, finding: ReportedFinding) -> None:
                self._add(finding.message, finding.urn, finding.wrong, finding.expected)

            def _add(self, message: str, urn: str | None, wrong: str, expected: str) -> None:
                # As the servicer records it: the URN the policy passed, else the analyzed resource's.
                target = urn or (subject[0] if subject is not None else "")
                where, resource_type, name = describe(target) if target else (stack, *STACK_SUBJECT)
                result.violations.append(
                    Violation(
                        where,
                        entry.control,
                        entry.policy.name,
                        target,
                        resource_type,
                        name,
                        message,
                        level,
                        wrong=wrong,
                        expected=expected,
                    )
                )

        report_violation = Reporter()

        try:
            policy = entry.policy
            # Two branches, not one `or`: each narrows the policy and its args for the type checker.
            if isinstance(policy, ResourceValidationPolicy) and isinstance(args, ResourceValidationArgs):  # noqa: SIM114
                outcome = policy.validate(args, report_violation)
            elif isinstance(policy, StackValidationPolicy) and isinstance(args, StackValidationArgs):
                outcome = policy.validate(args, report_violation)
            else:
                raise GateError(f"policy {policy.name}: {type(policy).__name__} given {type(args).__name__}")
            if outcome is not None:
                raise GateError(
                    f"policy {entry.policy.name} returned an awaitable; the pack's callbacks are synchronous"
                )
        except UnknownValueError as unknown:
            target = subject[0] if subject is not None else ""
            where, resource_type, name = describe(target) if target else (stack, *STACK_SUBJECT)
            result.undecided.append(
                Undecided(
                    where,
                    entry.control,
                    entry.policy.name,
                    target,
                    resource_type,
                    name,
                    undecided_message(entry.policy.name, unknown.message),
                    unknown.message,
                )
            )
        except RuleNotApplicable as skipped:
            # As the engine records it: a resource policy's on the resource, a stack policy's on no resource.
            analyzed = (
                subject[0]
                if subject is not None and isinstance(entry.policy, ResourceValidationPolicy)
                else ""
            )
            result.not_applicable.append(
                NotApplicable(stack, entry.policy.name, analyzed, skipped.reason or "")
            )
        except GateError:
            raise
        except Exception as error:
            where = subject[0] if subject is not None else f"stack {stack or '(all stacks)'}"
            raise GateError(
                f"rule {entry.policy.name} failed on {where}: {type(error).__name__}: {error}"
            ) from error
