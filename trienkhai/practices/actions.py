"""Every write to good practices: record, edit (versioned), attach evidence, record an adoption
and remove one.

Roles: reporter (or above) over the practice's unit to record, edit and attach; reporter over
the adopting unit to record or remove an adoption, of a practice that user can see (a
coordinator above the adopting unit holds that role through its subtree grant). Each action
runs in one transaction and writes the change log; bad input is refused with a Vietnamese
message naming the field, and changes nothing.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Clearance, Role
from trienkhai.accounts.permissions import require
from trienkhai.accounts.scope import reaches_unit
from trienkhai.core.actions import (
    ActionError,
    PermissionRefused,
    StaleEdit,
    check_version,
    record,
    snapshot,
)
from trienkhai.core.dates import check_date
from trienkhai.core.files import check_upload, store_content
from trienkhai.core.text import fold
from trienkhai.documents.queries import readable_documents
from trienkhai.practices.models import Adoption, GoodPractice, PracticeEvidence

__all__ = [
    "StaleEdit",
    "adopt",
    "attach_evidence",
    "record_practice",
    "remove_adoption",
    "update_practice",
]

FIELDS = ("unit", "title", "description", "directives", "year", "source")
EDIT_ACTIONS = ("practices.record", "practices.update")
FIRST_YEAR = 1930


def _values(practice: GoodPractice) -> dict:
    return {
        **snapshot(practice, exclude=("search_text",)),
        "directives": sorted(practice.directives.values_list("pk", flat=True)),
    }


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise ActionError(_("Năm phải là một số."), field="year") from None
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ActionError(
            _("Năm phải từ %(first)s đến năm nay.") % {"first": FIRST_YEAR}, field="year"
        )
    return year


def _directives(actor, directives, kept=()) -> list:
    """The related documents, each readable by `actor` unless already linked and kept
    (`kept`: linked documents the actor cannot read, which they may neither see nor unlink)."""
    directives = list(dict.fromkeys(directives or ()))
    kept = {d.pk for d in kept}
    chosen = [d.pk for d in directives if d.pk not in kept]
    if chosen and actor is not None and not getattr(actor, "is_superuser", False):
        readable = readable_documents(actor).filter(pk__in=chosen).count()
        if readable != len(chosen):
            raise ActionError(
                _("Không tìm thấy văn bản trong phạm vi của bạn."), field="directives"
            )
    return directives


def _clean(actor, values: dict, kept=()) -> dict:
    unit = values.get("unit")
    if unit is None:
        raise ActionError(_("Hãy chọn đơn vị."), field="unit")
    require(actor, Role.REPORTER, unit)
    title = (values.get("title") or "").strip()
    if not title:
        raise ActionError(_("Tên mô hình, cách làm là bắt buộc."), field="title")
    description = (values.get("description") or "").strip()
    if not description:
        raise ActionError(_("Nội dung là bắt buộc."), field="description")
    return {
        "unit": unit,
        "title": title[:300],
        "description": description,
        "year": _year(values.get("year")),
        "source": (values.get("source") or "").strip()[:300],
        "directives": _directives(actor, values.get("directives"), kept),
    }


def _apply(practice: GoodPractice, c: dict) -> None:
    for name in ("unit", "title", "description", "year", "source"):
        setattr(practice, name, c[name])
    practice.search_text = search_text(
        c["title"], c["description"], c["unit"], c["source"], c["directives"]
    )


def search_text(title: str, description: str, unit, source: str, directives) -> str:
    """The folded text the list's search matches, shared by every viewer of the practice.

    Symbols of unclassified documents only: as in the registry, a viewer without clearance
    learns neither the symbol nor the subject of a classified document, not even by a search
    that answers yes or no.
    """
    symbols = [d.symbol for d in directives if d.classification == Clearance.NONE]
    return fold(" ".join([title, description, unit.name, unit.short_name, source, *symbols]))


def _unreadable(actor, practice: GoodPractice) -> list:
    """Linked documents the actor may not read: an edit keeps them (the form never shows them)."""
    if actor is None or getattr(actor, "is_superuser", False):
        return []
    return list(practice.directives.exclude(pk__in=readable_documents(actor).values("pk")))


def _store(actor, practice: GoodPractice, name: str, content: bytes) -> PracticeEvidence:
    content_type = check_upload(name, content)
    evidence = PracticeEvidence(practice=practice)
    store_content(evidence, name, content, content_type)
    evidence.save()
    record(actor, "practices.attach", evidence, unit=practice.unit, after=snapshot(evidence))
    return evidence


@transaction.atomic
def record_practice(actor, *, files=(), **values) -> GoodPractice:
    """Record a practice of `unit`, with evidence `files` ((name, bytes) pairs): all or nothing."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown practice fields: {sorted(unknown)}")
    c = _clean(actor, values)
    practice = GoodPractice(created_by=actor if getattr(actor, "pk", None) else None)
    _apply(practice, c)
    practice.save()
    practice.directives.set(c["directives"])
    record(actor, "practices.record", practice, unit=c["unit"], after=_values(practice))
    for name, content in files:
        _store(actor, practice, name, content)
    return practice


@transaction.atomic
def update_practice(actor, practice: GoodPractice, *, expected_version=None, files=(), **values):
    """Edit a practice; fields not given keep their value; a stale version is refused."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown practice fields: {sorted(unknown)}")
    practice = (
        GoodPractice.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=practice.pk)
    )
    require(actor, Role.REPORTER, practice.unit)
    before = _values(practice)
    check_version(practice, expected_version, before, EDIT_ACTIONS)
    current = {
        "unit": practice.unit,
        "title": practice.title,
        "description": practice.description,
        "year": practice.year,
        "source": practice.source,
        "directives": list(practice.directives.all()),
        **values,
    }
    hidden = _unreadable(actor, practice)
    if "directives" in values:
        current["directives"] = list(values["directives"] or ()) + hidden
    c = _clean(actor, current, hidden)
    _apply(practice, c)
    practice.version += 1
    practice.save()
    practice.directives.set(c["directives"])
    record(
        actor, "practices.update", practice, unit=c["unit"], before=before, after=_values(practice)
    )
    for name, content in files:
        _store(actor, practice, name, content)
    return practice


@transaction.atomic
def attach_evidence(actor, practice: GoodPractice, *, name: str, content: bytes):
    require(actor, Role.REPORTER, practice.unit)
    return _store(actor, practice, name, content)


@transaction.atomic
def adopt(actor, practice: GoodPractice, *, unit, adopted_on, note: str = "") -> Adoption:
    """`unit` took the practice up on `adopted_on`. Its user must be able to see the practice."""
    from trienkhai.practices.queries import visible_practices

    if unit is None:
        raise ActionError(_("Hãy chọn đơn vị áp dụng."), field="unit")
    require(actor, Role.REPORTER, unit)
    if actor is not None and not visible_practices(actor).filter(pk=practice.pk).exists():
        raise ActionError(_("Không tìm thấy mô hình này trong phạm vi của bạn."))
    if unit.pk == practice.unit_id:
        raise ActionError(_("Đơn vị áp dụng phải khác đơn vị xây dựng mô hình."), field="unit")
    if adopted_on is None or not hasattr(adopted_on, "year"):
        raise ActionError(_("Ngày không hợp lệ (dd/mm/yyyy)."), field="adopted_on")
    check_date(adopted_on, "adopted_on")
    if adopted_on > timezone.localdate():
        raise ActionError(_("Ngày áp dụng không được sau hôm nay."), field="adopted_on")
    if adopted_on.year < practice.year:
        raise ActionError(
            _("Ngày áp dụng phải từ năm %(year)s, năm có mô hình.") % {"year": practice.year},
            field="adopted_on",
        )
    if Adoption.objects.filter(practice=practice, unit=unit).exists():
        raise ActionError(
            _("“%(unit)s” đã được ghi nhận áp dụng mô hình này.") % {"unit": unit.name},
            field="unit",
        )
    adoption = Adoption.objects.create(
        practice=practice, unit=unit, adopted_on=adopted_on, note=(note or "").strip()
    )
    record(actor, "practices.adopt", adoption, unit=unit, after=snapshot(adoption))
    return adoption


@transaction.atomic
def remove_adoption(actor, adoption: Adoption) -> None:
    """Withdraw a recorded adoption (recorded by mistake, or the unit gave the practice up).

    Allowed to whoever could record it: a reporter of the adopting unit, or a coordinator
    above it. The row goes; the change log keeps what it said, and the unit may adopt again.
    """
    from trienkhai.practices.queries import visible_practices

    adoption = (
        Adoption.objects.select_for_update(of=("self",))
        .select_related("unit", "practice")
        .filter(pk=adoption.pk)
        .first()
    )
    if adoption is None:
        raise ActionError(_("Ghi nhận áp dụng này không còn (có thể người khác vừa gỡ)."))
    unit = adoption.unit
    if actor is not None and not (
        getattr(actor, "is_active", False) and reaches_unit(actor, unit, Role.REPORTER)
    ):
        raise PermissionRefused(
            _(
                "Chỉ người báo cáo của “%(unit)s” hoặc người điều phối cấp trên của đơn vị này "
                "mới được gỡ ghi nhận áp dụng."
            )
            % {"unit": unit.name}
        )
    if actor is not None and not visible_practices(actor).filter(pk=adoption.practice_id).exists():
        raise ActionError(_("Không tìm thấy mô hình này trong phạm vi của bạn."))
    before = snapshot(adoption)
    record(actor, "practices.remove_adoption", adoption, unit=unit, before=before)
    adoption.delete()
