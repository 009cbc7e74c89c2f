"""What every inspections action shares: who may act for each side, dates, files, versions."""

import datetime

from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import reaches_unit
from trienkhai.core.actions import ActionError, PermissionRefused
from trienkhai.core.dates import check_date
from trienkhai.core.files import check_upload

# The inspecting side acts through its inspectors; a coordinator may act for its own unit too.
INSPECTING_ROLES = (Role.INSPECTOR, Role.COORDINATOR)


def can_inspect(user, inspection) -> bool:
    """Whether `user` acts for the inspecting side (the committee or its acting body)."""
    if user is None:
        return True
    if not getattr(user, "is_active", False):
        return False
    units = [inspection.unit] + ([inspection.acting_body] if inspection.acting_body_id else [])
    return any(reaches_unit(user, u, role) for u in units for role in INSPECTING_ROLES)


def can_inspect_unit(user, unit) -> bool:
    """Whether `user` may set up inspections run by `unit`."""
    if user is None:
        return True
    return getattr(user, "is_active", False) and any(
        reaches_unit(user, unit, role) for role in INSPECTING_ROLES
    )


def require_inspecting(actor, inspection) -> None:
    if not can_inspect(actor, inspection):
        raise PermissionRefused(
            _("Bạn không có quyền thực hiện thao tác này tại đơn vị “%(unit)s”.")
            % {"unit": inspection.unit.name}
        )


def require_inspecting_unit(actor, unit) -> None:
    if not can_inspect_unit(actor, unit):
        raise PermissionRefused(
            _("Bạn không có quyền thực hiện thao tác này tại đơn vị “%(unit)s”.")
            % {"unit": unit.name}
        )


def can_report_for(user, unit) -> bool:
    """Reporter (or coordinator, administrator) of `unit`: files its self-report and remedies."""
    if user is None:
        return True
    return getattr(user, "is_active", False) and reaches_unit(user, unit, Role.REPORTER)


def require_reporter(actor, unit) -> None:
    if not can_report_for(actor, unit):
        raise PermissionRefused(
            _("Bạn không có quyền thực hiện thao tác này tại đơn vị “%(unit)s”.")
            % {"unit": unit.name}
        )


def need_date(value, field: str, message=None) -> datetime.date:
    if not isinstance(value, datetime.date):
        raise ActionError(message or _("Ngày là bắt buộc."), field=field)
    return check_date(value, field)


def need_text(value, field: str, message) -> str:
    text = (value or "").strip()
    if not text:
        raise ActionError(message, field=field)
    return text


def require_open_on(unit, date: datetime.date, field: str) -> None:
    """A unit acts only while it exists: from its closure its open work belongs to the
    successor (the handover hook moves it), so a dated act after that is refused."""
    if unit.valid_to is not None and date >= unit.valid_to:
        raise ActionError(
            _(
                "“%(unit)s” đã kết thúc hoạt động từ ngày %(date)s: công việc do đơn vị kế thừa "
                "thực hiện."
            )
            % {"unit": unit.name, "date": unit.valid_to.strftime("%d/%m/%Y")},
            field=field,
        )
    if date < unit.valid_from:
        raise ActionError(
            _("“%(unit)s” chưa hoạt động vào ngày %(date)s.")
            % {"unit": unit.name, "date": date.strftime("%d/%m/%Y")},
            field=field,
        )


def not_after_today(value: datetime.date, field: str) -> None:
    from django.utils import timezone

    if value > timezone.localdate():
        raise ActionError(_("Ngày không được sau hôm nay."), field=field)


def check_file(name: str, content: bytes, field: str = "file") -> str:
    return check_upload(name, content, field=field)


def bump(obj, fields: list[str]) -> None:
    obj.version += 1
    obj.save(update_fields=[*fields, "version"])


def file_snapshot(obj) -> dict:
    """Snapshot of a record with an optional file (an empty FieldFile has no url to test)."""
    from trienkhai.core.actions import snapshot

    return {**snapshot(obj, exclude=("file",)), "file": obj.file.name or None}
