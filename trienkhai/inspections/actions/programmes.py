"""Yearly inspection & supervision programmes: created and edited by the committee's inspectors."""

from django.db import transaction
from django.utils.translation import gettext as _

from trienkhai.core.actions import ActionError, check_version, record, snapshot
from trienkhai.documents.actions import require_readable
from trienkhai.inspections.actions.common import need_text, require_inspecting_unit
from trienkhai.inspections.actions.inspections import _check_acting_body
from trienkhai.inspections.models import Programme

# The committee a programme belongs to is its scope: it is not edited, a new programme is made.
PROGRAMME_EDITABLE = ("title", "year", "acting_body", "document", "note")
_VERSIONED = ("inspections.programme_create", "inspections.programme_update")


def _check_year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 1930 <= year <= 2200:
        raise ActionError(_("Năm không hợp lệ."), field="year")
    return year


@transaction.atomic
def create_programme(
    actor, *, unit, year: int, title: str, acting_body=None, document=None, note: str = ""
) -> Programme:
    require_inspecting_unit(actor, unit)
    _check_acting_body(unit, acting_body)
    title = need_text(title, "title", _("Tên chương trình là bắt buộc."))
    _check_year(year)
    require_readable(actor, [document], field="document")
    programme = Programme.objects.create(
        unit=unit,
        acting_body=acting_body,
        year=year,
        title=title,
        document=document,
        note=(note or "").strip(),
    )
    record(actor, "inspections.programme_create", programme, unit=unit, after=snapshot(programme))
    return programme


@transaction.atomic
def update_programme(actor, programme: Programme, *, expected_version=None, **fields) -> Programme:
    """Edit a programme; a form loaded before someone else's save is refused (StaleEdit)."""
    programme = (
        Programme.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=programme.pk)
    )
    require_inspecting_unit(actor, programme.unit)
    check_version(programme, expected_version, snapshot(programme), _VERSIONED)
    before = snapshot(programme)
    if fields.get("document") is not None:
        kept = [programme.document] if programme.document_id else []
        require_readable(actor, [fields["document"]], field="document", kept=kept)
    for key, value in fields.items():
        if key not in PROGRAMME_EDITABLE:
            raise ValueError(f"field {key} is not editable")
        setattr(programme, key, value.strip() if isinstance(value, str) else value)
    programme.title = need_text(programme.title, "title", _("Tên chương trình là bắt buộc."))
    _check_year(programme.year)
    _check_acting_body(programme.unit, programme.acting_body)
    programme.version += 1
    programme.save()
    record(
        actor,
        "inspections.programme_update",
        programme,
        unit=programme.unit,
        before=before,
        after=snapshot(programme),
    )
    return programme
