"""The offline policy gate: the CrossGuard pack's policies run over ``tenantctl synth`` output.

``check_synth`` judges one synthesized stack exactly as ``pulumi preview
--policy-pack policies`` would; ``check_program`` synthesizes a stack first;
``check_all`` does every stack of a program and then the cross-stack rules.
"""

from tenantctl.gate.model import GateResult, NotApplicable, StackReport, Undecided, Violation
from tenantctl.gate.program import check_all, check_program, check_synth, stack_file

__all__ = [
    "GateResult",
    "NotApplicable",
    "StackReport",
    "Undecided",
    "Violation",
    "check_all",
    "check_program",
    "check_synth",
    "stack_file",
]
