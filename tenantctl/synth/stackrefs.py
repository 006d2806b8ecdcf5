"""``pulumi.StackReference`` offline: another stack's outputs come from synthesizing that stack.

Only stacks of the same program can be synthesized (there is no backend to ask); any other stack's outputs
are supplied by the referring stack's config, ``synth:stackOutputs``: an object from the reference name as the
program writes it to that stack's outputs.
Results are cached per process, keyed by the project and a digest of its
stack files and program sources, because a stack's program may read the other
stack files (the org stack lists the tenants). A reference back into a stack that is being
synthesized is a cycle and fails instead of recursing.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Mapping
from typing import Any

from tenantctl.errors import UserError
from tenantctl.synth.project import Project, fingerprint, stacks_of

Synthesize = Callable[[str, tuple[str, ...]], Mapping[str, Any]]

SUPPLIED_KEY = "synth:stackOutputs"

_CACHE: dict[tuple[str, str, str], dict[str, Any]] = {}
_CACHE_LOCK = threading.Lock()


def cache_key(project: Project, stack: str) -> tuple[str, str, str]:
    return (str(project.root), stack, fingerprint(project))


def remember(project: Project, stack: str, outputs: Mapping[str, Any]) -> None:
    """Keep a stack's raw outputs for later references (only for stacks synthesized from their own file)."""
    key = cache_key(project, stack)
    with _CACHE_LOCK:
        _CACHE[key] = copy.deepcopy(dict(outputs))


def clear_cache() -> None:
    with _CACHE_LOCK:
        _CACHE.clear()


def target_stack(reference: str, project: Project) -> str:
    """``org``, ``tenant-zone/org`` or ``<organization>/tenant-zone/org`` -> ``org``."""
    parts = reference.split("/")
    if len(parts) == 1:
        return parts[0]
    project_name = parts[-2]
    if len(parts) > 3 or project_name != project.name:
        raise UserError(
            f"StackReference {reference!r}: names project {project_name!r}; the offline synth resolves only "
            f"stacks of this program ({project.name}), expected '<stack>' or '<org>/{project.name}/<stack>', "
            f"or that stack's outputs in the config key {SUPPLIED_KEY} "
            f'(e.g. {SUPPLIED_KEY}: {{"{reference}": {{"<output>": "<value>"}}}}).'
        )
    return parts[-1]


class StackReferences:
    """The resolver one synthesis hands its monitor: reference name -> the other stack's outputs."""

    def __init__(
        self,
        project: Project,
        chain: tuple[str, ...],
        synthesize: Synthesize,
        supplied: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.project = project
        # reference name -> outputs given in the stack's config (stacks of other programs)
        self.supplied = dict(supplied or {})
        self.chain = chain
        self.synthesize = synthesize
        # stack -> the outputs this run read from it
        self.resolved: dict[str, Mapping[str, Any]] = {}

    def __call__(self, reference: str) -> Mapping[str, Any]:
        if reference in self.supplied:
            return copy.deepcopy(dict(self.supplied[reference]))
        stack = target_stack(reference, self.project)
        referrer = self.chain[-1]
        if stack in self.chain:
            cycle = " -> ".join((*self.chain, stack))
            raise UserError(
                f"StackReference {reference!r} in stack {referrer}: the stacks reference each other"
                f" ({cycle}); expected stack references without a cycle."
            )
        available = stacks_of(self.project)
        if stack not in available:
            raise UserError(
                f"StackReference {reference!r} in stack {referrer}: there is no stack {stack!r} in "
                f"{self.project.stack_config_dir} (stacks: {', '.join(available) or 'none'}); "
                "expected the name of one of the program's stacks."
            )
        key = cache_key(self.project, stack)
        with _CACHE_LOCK:
            cached = _CACHE.get(key)
        if cached is not None:
            self.resolved[stack] = cached
            return copy.deepcopy(cached)
        try:
            outputs = self.synthesize(stack, (*self.chain, stack))
        except UserError as error:
            raise UserError(
                f"StackReference {reference!r} in stack {referrer}: synthesizing stack {stack} failed:"
                f" {error}"
            ) from None
        remember(self.project, stack, outputs)
        self.resolved[stack] = copy.deepcopy(dict(outputs))
        return copy.deepcopy(dict(outputs))
