"""A closing unit hands its unfinished remediation requests to the successor taking its work."""

from trienkhai.core.actions import record
from trienkhai.inspections.models import RemediationRequest, RequestState


def hand_over_requests(actor, predecessor, successor, operation) -> int:
    moved = 0
    rows = RemediationRequest.objects.filter(owner=predecessor).exclude(state=RequestState.CLOSED)
    for req in rows.select_for_update():
        req.owner = successor
        req.version += 1
        req.save(update_fields=["owner", "version"])
        record(
            actor,
            "inspections.handover",
            req,
            unit=successor,
            before={"owner": predecessor.pk},
            after={"owner": successor.pk, "operation": operation.pk},
        )
        moved += 1
    return moved
