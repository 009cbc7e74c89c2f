"""The conference lines of a person's work list (`home.todo`): conferences my units held whose
results are still missing.

No record says that a directive requires a unit to hold a dissemination conference: a conference
is recorded once held (its date may not be after today), and its deadline, when it has one, is
copied from the tracked task it answers (`deadline_assignment`), so that obligation is a tracking
task like any other and appears among that app's lines. What only this app knows is a conference
recorded without its results: no attendees, no connection points for one held online, or the
members expected without those who attended (the participation rate cannot be given). Those are
listed for the units where the user reports, for conferences held in the last RECENT_DAYS: the
figures are entered soon after the conference, and an older gap is the roll-up's concern.
"""

import datetime

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from trienkhai.accounts.classified import DOCUMENT_MASK
from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import granted_units, holds
from trienkhai.conferences.models import Conference, Format
from trienkhai.core.todo import Todo, Urgency, lines
from trienkhai.documents.queries import visible_documents

RECENT_DAYS = 90
ONLINE = (Format.ONLINE, Format.HYBRID)


def _missing_q() -> Q:
    return (
        Q(total_attendees=0)
        | Q(format__in=ONLINE, total_points=0)
        | Q(members_expected__isnull=False, members_attending__isnull=True)
    )


def _missing(c: Conference) -> list[str]:
    out = []
    if not c.total_attendees:
        out.append(_("số đại biểu"))
    if c.format in ONLINE and not c.total_points:
        out.append(_("số điểm cầu"))
    if c.members_expected is not None and c.members_attending is None:
        out.append(_("số đảng viên tham gia"))
    return out


def _results_missing(user, today) -> list[Todo]:
    # A grant on the host itself: the unit's own reporters, not everyone whose reach covers it.
    qs = (
        Conference.objects.filter(
            _missing_q(),
            host__in=granted_units(user, Role.REPORTER),
            date__gte=today - datetime.timedelta(days=RECENT_DAYS),
            date__lte=today,
        )
        .select_related("host")
        .prefetch_related(
            Prefetch("documents", visible_documents(user).order_by("date", "id"), to_attr="seen")
        )
        .order_by("date", "id")
    )

    def make(c) -> Todo:
        symbols = [d.symbol if d.readable is True else str(DOCUMENT_MASK) for d in c.seen]
        detail = _("Tổ chức ngày %(date)s; chưa ghi %(what)s") % {
            "date": c.date.strftime("%d/%m/%Y"),
            "what": ", ".join(_missing(c)),
        }
        if symbols:
            detail += " · " + _("Quán triệt %(docs)s") % {"docs": ", ".join(symbols)}
        return Todo(
            Urgency.LATER,
            _("Cập nhật kết quả hội nghị quán triệt"),
            c.title[:200],
            reverse("conference-edit", args=[c.pk]),
            unit=c.host.name,
            detail=detail,
        )

    return lines(qs, make, _("Cập nhật kết quả hội nghị quán triệt"), reverse("conferences-list"))


def todo(user, today: datetime.date) -> list[Todo]:
    # The lines go to the host's own reporters (a grant on it): without the role, none.
    return _results_missing(user, today) if holds(user, Role.REPORTER) else []
