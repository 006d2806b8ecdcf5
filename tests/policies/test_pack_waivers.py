"""Waivers in the CrossGuard pack: the policies the engine runs read the same waivers as `tenantctl check`
(the repository's file and resource tags), report an accepted finding as advisory with its waiver, and
never accept a finding of a non-waivable control or after the waiver's expiry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pulumi_policy import EnforcementLevel, PolicyResource, StackValidationArgs

from policies.catalog import control_for_rule
from policies.pack import WAIVER_POLICY, build_policies, load_waiver_book
from policies.registry import get_rule
from tests.policies.test_pack import call, provider, resource_args, urn

TODAY = dt.date(2026, 12, 1)
KEY = "aws:kms/key:Key"
RULE = "kms_key_rotation"
RESIDENCY = "region_allowed"


def book_for(tmp_path: Path, *waivers: str):
    path = tmp_path / "waivers.yaml"
    path.write_text("waivers:\n" + "".join(waivers), encoding="utf-8")
    return load_waiver_book(path, TODAY)


def waiver(target: str, resource: str, expires: str = "2027-03-01", approved: str = "2026-11-30") -> str:
    return (
        f"  - {target}\n    resource: {resource}\n    reason: Rotation handled by the vendor HSM schedule\n"
        f"    approver: ciso@tenant-zone.example.jp\n    approved: {approved}\n    expires: {expires}\n"
    )


def run(book, rule_id: str, args) -> tuple[list[str], list[str]]:
    """(messages of the rule's own policy, messages of the advisory waiver policy)."""
    policies = {p.name: p for p in build_policies({rule_id: get_rule(rule_id)}, waivers=book)}
    found = [m for m, _ in call(policies[rule_id], args)]
    notes = [m for m, _ in call(policies[WAIVER_POLICY], StackValidationArgs([], None))]
    return found, notes


def args_to_resource(args):
    return PolicyResource(
        args.resource_type, args.props, args.urn, args.name, args.opts, args.provider, None, [], {}
    )


def unrotated(name: str = "data", tags: dict[str, str] | None = None):
    props: dict[str, object] = {"enableKeyRotation": False, "deletionWindowInDays": 30}
    if tags is not None:
        props["tags"] = tags
    return resource_args(KEY, name, props)


def test_waiver_policy_is_advisory_and_last():
    policies = build_policies(waivers=load_waiver_book(Path("/nonexistent"), TODAY))
    assert policies[-1].name == WAIVER_POLICY
    assert policies[-1].enforcement_level == EnforcementLevel.ADVISORY


def test_valid_file_waiver_turns_the_finding_advisory_with_its_waiver(tmp_path):
    book = book_for(tmp_path, waiver(f"rule: {RULE}", "data"))
    found, notes = run(book, RULE, unrotated())
    assert found == []
    (note,) = notes
    assert note.startswith(f"{KEY} data: ")
    assert (
        "(waived by waivers.yaml waivers[0] until 2027-03-01, approved by ciso@tenant-zone.example.jp on "
        "2026-11-30: Rotation handled by the vendor HSM schedule)" in note
    )
    assert note.endswith(f"[{control_for_rule(RULE).id}]")


def test_inline_tag_waiver_is_read_from_the_resource(tmp_path):
    tag = {
        f"tenant-zone:waiver:{RULE}": "approved=2026-11-30 expires=2027-01-31 "
        "approver=ciso@tenant-zone.example.jp reason=Rotation handled by the vendor HSM"
    }
    found, notes = run(book_for(tmp_path), RULE, unrotated(tags=tag))
    assert found == []
    assert len(notes) == 1 and f"tag tenant-zone:waiver:{RULE} on {urn(KEY, 'data')}" in notes[0]


def test_expired_waiver_accepts_nothing(tmp_path):
    book = book_for(tmp_path, waiver(f"rule: {RULE}", "data", expires="2026-11-30", approved="2026-06-01"))
    found, notes = run(book, RULE, unrotated())
    assert len(found) == 1 and found[0].startswith(f"{KEY} data: ")
    assert notes == [
        f"waiver waivers.yaml waivers[0]: rule {RULE} on data expired on 2026-11-30, so its finding stands; "
        "expected the finding fixed, or a renewed approval with a new expiry date. "
        f"[{control_for_rule(RULE).id}]"
    ]


def test_unmatched_waiver_is_reported(tmp_path):
    book = book_for(tmp_path, waiver(f"rule: {RULE}", "other-key"))
    found, notes = run(book, RULE, unrotated())
    assert len(found) == 1
    assert notes == [
        f"waiver waivers.yaml waivers[0]: rule {RULE} on other-key matches no finding; expected a finding it "
        "accepts, or the waiver removed."
    ]


def test_non_waivable_control_is_never_waived(tmp_path):
    control = control_for_rule(RESIDENCY).id
    book = book_for(tmp_path, waiver(f"control: {control}", "data"))
    args = resource_args(KEY, "data", {"enableKeyRotation": True}, prov=provider("us-east-1"))
    policies = {p.name: p for p in build_policies({RESIDENCY: get_rule(RESIDENCY)}, waivers=book)}
    stack_args = StackValidationArgs([args_to_resource(args)], None)
    found = [m for m, _ in call(policies[RESIDENCY], stack_args)]
    notes = [m for m, _ in call(policies[WAIVER_POLICY], StackValidationArgs([], None))]
    assert len(found) == 1 and f"[{control}]" in found[0]
    assert notes == [
        f"waiver waivers.yaml waivers[0]: waives control {control} on data, which can never be waived; "
        f"expected the finding fixed and the waiver removed. [{control}]"
    ]


def test_invalid_waiver_accepts_nothing_and_is_reported(tmp_path):
    book = book_for(tmp_path, waiver(f"rule: {RULE}", "data", expires="2028-12-31"))
    found, notes = run(book, RULE, unrotated())
    assert len(found) == 1
    (note,) = notes
    assert note.startswith("waivers: invalid, accepts nothing: waivers.yaml waivers[0].expires")


def test_the_books_notes_leave_out_waivers_scoped_to_stacks_not_judged() -> None:
    import datetime as dt

    from policies.waivers import WaiverBook, file_waivers

    today = dt.date.today()
    entry = {
        "rule": "s3_bucket_kms_encryption",
        "resource": "alb-access-logs-apne1-bucket-encryption",
        "stack": "org",
        "reason": "ALB access logs accept SSE-S3 only",
        "approver": "ciso@tenant-zone.example.jp",
        "approved": str(today),
        "expires": str(today + dt.timedelta(days=30)),
    }
    waivers, problems = file_waivers({"waivers": [entry]}, "waivers.yaml", today)
    assert problems == []
    book = WaiverBook(waivers, [], today)
    assert book.notes({"acme-prod"}) == []
    assert [subject for subject, *_ in book.notes({"org"})] == ["waiver waivers.yaml waivers[0]"]
