"""Is a log destination encrypted and kept at least LOG-02's minimum retention? (EDGE-03 WAF logs, NET-04 flow
logs)

A destination is judged only when the stack declares it: a CloudWatch log group (``kmsKeyId`` set;
``retentionInDays`` 0 or absent means never expire), an S3 bucket (SSE-KMS through its encryption
configuration; no lifecycle rule that expires objects, current or noncurrent, before the minimum or on a fixed
date) or a Firehose stream (server-side encryption on, delivering to such a bucket). A destination outside the
stack cannot be verified, and is reported as such rather than passed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from policies.framework import ResourceView, StackView, as_list, dig, truthy
from policies.parameters import MIN_LOG_RETENTION_DAYS
from policies.rules._common.s3 import BUCKET_TYPES, LIFECYCLE_TYPES, SSE_TYPES, short_expirations
from policies.rules._common.stacks import is_org_stack
from policies.rules._common.unknowns import read
from policies.rules._common.values import number, shown_number, text
from policies.rules._net.common import Links, links_of

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
FIREHOSE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"
DESTINATION_TYPES = (LOG_GROUP, *BUCKET_TYPES, FIREHOSE)

KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")

# The org stack's outputs naming its log-archive delivery buckets. A tenant stack reads them through its
# StackReference to the org stack; the buckets are declared, and judged by the gate, in the org stack.
FLOW_LOG_ARCHIVE_OUTPUT = "logArchiveFlowLogBucketArn"
WAF_LOG_ARCHIVE_OUTPUT = "logArchiveWafLogBucketArn"
# Region -> the name of the log archive's ALB access-log bucket there.
ALB_LOG_ARCHIVE_OUTPUT = "logArchiveAlbLogBuckets"
STACK_REFERENCE = "pulumi:pulumi:StackReference"
S3_ARN = "arn:aws:s3:::"


@dataclass(frozen=True)
class Destination:
    resource: ResourceView | None
    reference: str
    # The value is an output of the StackReference to the org stack: a log-archive bucket judged there.
    archived: bool = False

    @property
    def label(self) -> str:
        if self.resource is None:
            return self.reference
        kind = {LOG_GROUP: "log group", FIREHOSE: "Firehose stream"}.get(self.resource.type, "bucket")
        return f"{kind} {self.resource.name}"


def physical_name(resource: ResourceView) -> str | None:
    for key in ("name", "bucket", "id"):
        value = text(resource.props.get(key))
        if value is not None and not value.startswith("arn:"):
            return value
    return None


class LogDestinations:
    """Indexes the bucket configuration resources of a stack once."""

    def __init__(self, links: Links) -> None:
        self.links = links
        self._sse: dict[str, list[ResourceView]] = {}
        self._lifecycle: dict[str, list[ResourceView]] = {}
        for types, index in ((SSE_TYPES, self._sse), (LIFECYCLE_TYPES, self._lifecycle)):
            for config in links.of(*types):
                bucket = links.one(config, "bucket", BUCKET_TYPES)
                if bucket is not None:
                    index.setdefault(bucket.urn, []).append(config)

    def resolve(self, owner: ResourceView, prop: str, value: Any) -> Destination:
        reference = value if isinstance(value, str) else str(value)
        if self._from_org_stack(owner, prop) and not self.links.deps(owner, prop, DESTINATION_TYPES):
            # The value is the org stack's output, known even in a preview once that stack exists.
            return Destination(None, reference, archived=True)
        return Destination(self.links.one(owner, prop, DESTINATION_TYPES, value), reference)

    def _from_org_stack(self, owner: ResourceView, prop: str) -> bool:
        for urn in owner.property_dependencies.get(prop, ()):
            ref = self.links.get(urn)
            if ref is None or ref.type != STACK_REFERENCE:
                continue
            # "org", or the fully qualified "<organization>/<project>/org"
            if is_org_stack((text(ref.props.get("name")) or "").rsplit("/", 1)[-1]):
                return True
        return False

    def problems(self, destination: Destination, *, name_prefix: str | None = None) -> list[str]:
        """What is wrong with a destination, as ``wrong`` phrases; empty when it is fine."""
        target = destination.resource
        if destination.archived:
            return list(self._archived(destination, name_prefix))
        if target is None:
            return [
                f"logs to {destination.reference}, which is not declared in this stack, "
                "so its encryption and retention cannot be verified"
            ]
        found: list[str] = []
        name = physical_name(target)
        if name_prefix is not None and (name is None or not name.startswith(name_prefix)):
            found.append(
                f"logs to {destination.label}, whose name {name or '(not set)'} does not start with"
                f" {name_prefix}"
            )
        if target.type == LOG_GROUP:
            found.extend(self._log_group(target, destination.label))
        elif target.type == FIREHOSE:
            found.extend(self._firehose(target, destination.label))
        else:
            found.extend(f"logs to {destination.label}, {issue}" for issue in self._bucket(target))
        return found

    @staticmethod
    def _archived(destination: Destination, name_prefix: str | None) -> Iterator[str]:
        """An org-stack output: its bucket is judged in the org stack; here only that it is a bucket with
        the right name (unknown in a preview means the org stack's value, checked there)."""
        value = destination.reference
        if not value.startswith("arn:"):
            return
        if not value.startswith(S3_ARN):
            yield f"logs to {value} of the org stack, which is not an S3 bucket of the log archive"
            return
        name = value[len(S3_ARN) :].split("/", 1)[0]
        if name_prefix is not None and not name.startswith(name_prefix):
            yield f"logs to bucket {name} of the org stack, whose name does not start with {name_prefix}"

    def _log_group(self, group: ResourceView, label: str) -> Iterator[str]:
        # Unknown in a preview means set: the ARN of a key the program creates.
        if text(read(group.props, "kmsKeyId")) is None:
            yield f"logs to {label}, which has no kmsKeyId"
        days = number(group.props.get("retentionInDays"))
        if days is not None and 0 < days < MIN_LOG_RETENTION_DAYS:
            yield f"logs to {label}, whose retentionInDays is {shown_number(days)}"

    def _bucket(self, bucket: ResourceView) -> Iterator[str]:
        """What is wrong with a bucket as a log destination, as ``whose ...`` clauses."""
        algorithms = set()
        for config in self._sse.get(bucket.urn, ()):
            for rule in as_list(config.props.get("rules")):
                algorithms.add(text(dig(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm")))
        for key in ("serverSideEncryptionConfiguration", "serverSideEncryptionConfigurations"):
            algorithms.update(_find_all(bucket.props.get(key), "sseAlgorithm"))
        algorithms.discard(None)
        if not algorithms & set(KMS_ALGORITHMS):
            shown = ", ".join(sorted(a for a in algorithms if a)) or "none declared"
            yield f"whose server-side encryption is not aws:kms ({shown})"
        for _owner, where, value in short_expirations(
            bucket, self._lifecycle.get(bucket.urn, []), MIN_LOG_RETENTION_DAYS
        ):
            yield f"whose lifecycle {where} is {value}"

    def _firehose(self, stream: ResourceView, label: str) -> Iterator[str]:
        if not truthy(dig(stream.props, "serverSideEncryption", "enabled")):
            yield f"logs to {label}, which has no server-side encryption (serverSideEncryption.enabled)"
        bucket_arn = dig(stream.props, "extendedS3Configuration", "bucketArn")
        if text(bucket_arn) is None:
            destination = text(stream.props.get("destination")) or "unknown"
            yield (
                f"logs to {label}, which delivers to {destination}, "
                "whose encryption and retention cannot be verified"
            )
            return
        from_org = self._from_org_stack(stream, "extendedS3Configuration")
        if from_org and not self.links.deps(stream, "extendedS3Configuration", BUCKET_TYPES):
            archived = Destination(None, bucket_arn if isinstance(bucket_arn, str) else str(bucket_arn), True)
            for issue in self._archived(archived, None):
                yield f"{issue}, through {label}"
            return
        bucket = self.links.one(stream, "extendedS3Configuration", BUCKET_TYPES, bucket_arn)
        if bucket is None:
            yield (
                f"logs to {label}, which delivers to {bucket_arn}, not declared in this stack, "
                "so its encryption and retention cannot be verified"
            )
            return
        for issue in self._bucket(bucket):
            yield f"logs to {label}, which delivers to bucket {bucket.name}, {issue}"


def destinations_of(stack: StackView) -> LogDestinations:
    """The stack's log destinations index, built once per view and shared by the logging rules."""
    return stack.memo("net.log-destinations", lambda view: LogDestinations(links_of(view)))


def _find_all(value: Any, key: str) -> list[str | None]:
    found: list[str | None] = []
    if isinstance(value, Mapping):
        for k, v in value.items():
            if k == key:
                found.append(text(v))
            else:
                found.extend(_find_all(v, key))
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        for item in value:
            found.extend(_find_all(item, key))
    return found
