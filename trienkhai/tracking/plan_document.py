"""The plan (KH) as an issued document: its purpose line, then its tasks as numbered items —
what, who leads and who takes part, by when, what it delivers — and the organisation of the
work; numbered and dated as the registered plan document (a plan is always registered)."""

from trienkhai.documents.issued import IssuedDocument, Part, bodies_of, place_of
from trienkhai.documents.models import RelationKind

MARKS = {1: "MẬT", 2: "TỐI MẬT", 3: "TUYỆT MẬT"}


def _task_lines(task) -> list[str]:
    lines = [task.title]
    cooperating = ", ".join(u.name for u in task.cooperating_units.all())
    lines.append(
        f"Chủ trì: {task.lead_unit.name}"
        + (f"; phối hợp: {cooperating}" if cooperating else "")
        + "."
    )
    if task.deadline_text:
        lines.append(f"Thời hạn: {task.deadline_text}.")
    if task.deliverable:
        lines.append(f"Sản phẩm: {task.deliverable}.")
    if task.target_value is not None:
        lines.append(
            f"Chỉ tiêu: {task.target_value.normalize():f} {task.target_unit}".strip() + "."
        )
    if task.requires_plan:
        lines.append("Các đơn vị được giao ban hành kế hoạch thực hiện.")
    return lines


def plan_document(plan) -> IssuedDocument:
    doc = plan.document
    parent_body, issuing_body = bodies_of(plan.unit)
    implements = [
        r.target
        for r in doc.outgoing.filter(kind=RelationKind.IMPLEMENTS).select_related("target")
        if not r.target.classification or r.target.classification <= doc.classification
    ]
    opening = []
    if implements:
        names = "; ".join(f"{d.get_doc_type_display()} số {d.symbol}" for d in implements)
        opening.append(f"Thực hiện {names}, {issuing_body} ban hành kế hoạch thực hiện như sau:")
    tasks = list(
        plan.tasks.select_related("lead_unit")
        .prefetch_related("cooperating_units")
        .order_by("number", "id")
    )
    items = [
        Part(heading=f"Nhiệm vụ {t.number or i}", paragraphs=_task_lines(t))
        for i, t in enumerate(tasks, 1)
    ]
    body = [
        Part("Mục đích, yêu cầu", paragraphs=[doc.subject]),
        Part("Nhiệm vụ, giải pháp", parts=items, paragraphs=[] if items else ["Chưa có."]),
        Part(
            "Tổ chức thực hiện",
            paragraphs=[
                "Các đơn vị được giao chủ trì báo cáo tiến độ trên hệ thống theo thời hạn; "
                "văn phòng theo dõi, tổng hợp, báo cáo kết quả thực hiện."
            ],
        ),
    ]
    return IssuedDocument(
        parent_body=parent_body,
        issuing_body=issuing_body,
        type_name="KẾ HOẠCH",
        subject=doc.subject,
        symbol=doc.symbol,
        place=doc.place or place_of(plan.unit),
        date=doc.date,
        opening=opening,
        parts=body,
        recipients=["Như phân công", "Lưu Văn phòng"],
        authority=doc.authority,
        position=doc.signer_position,
        signer=doc.signer,
        classification=MARKS.get(doc.classification, ""),
    )
