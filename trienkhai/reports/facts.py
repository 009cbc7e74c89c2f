"""The starting text of an outline section, written from what the system holds.

For a unit's subtree over a report's period and directives, each kind of fact (`Facts`) gives
one paragraph with figures and the most telling records (a few, then how many more): the plans
issued and the coverage below, the conferences, the inspections and their conclusions, the good
practices, the tasks overdue with what the units said of them, the explanations given. The
drafter edits it; the paragraph is only where the writing starts.

Classified records (a plan or task under a classified document) are counted but not quoted.
"""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from trienkhai.conferences.models import Conference
from trienkhai.documents.models import DocType, Document, RelationKind
from trienkhai.inspections.models import Inspection
from trienkhai.practices.models import GoodPractice
from trienkhai.reports import figures
from trienkhai.reports.models import Facts
from trienkhai.tracking.models import Assignment, ExplanationRequest, ProgressReport
from trienkhai.tracking.status import Status, status_q
from trienkhai.tree.kinds import SUPPORT_KINDS
from trienkhai.tree.paths import UPPER
from trienkhai.units.models import Unit

SHOWN = 3  # records quoted in a paragraph; the rest are counted


def _d(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _n(n) -> str:
    return number_format(n, force_grouping=True)


def _subtree(qs, path_field: str, unit: Unit):
    return qs.filter(**{f"{path_field}__gte": unit.path, f"{path_field}__lt": unit.path + UPPER})


def _more(n: int) -> str:
    return " " + _("và %(n)s nội dung khác.") % {"n": _n(n)} if n > 0 else ""


def _figures(unit, start, end, directives, codes, user):
    table = figures.compute(
        codes, unit=unit, start=start, end=end, directives=directives, user=user
    )
    return {code: table[code]["total"] for code in codes}


def _plans(unit, start, end, directives, user) -> str:
    ids = figures.directive_ids(directives)
    own = (
        Document.objects.filter(
            Q(issuing_unit=unit)
            | Q(issuing_unit__parent=unit, issuing_unit__kind__in=sorted(SUPPORT_KINDS)),
            doc_type__in=(DocType.PLAN, DocType.PROGRAMME, DocType.ACTION_PROGRAMME),
            outgoing__target_id__in=ids,
            outgoing__kind=RelationKind.IMPLEMENTS,
            date__lte=end,
        )
        .distinct()
        .order_by("date", "id")
    )
    parts = []
    for doc in own.select_related("issuing_unit")[:SHOWN]:
        if doc.classification:
            parts.append(
                _("%(unit)s ban hành một văn bản mật ngày %(date)s")
                % {"unit": doc.issuing_unit.name, "date": _d(doc.date)}
            )
        else:
            parts.append(
                _("%(unit)s ban hành %(type)s số %(symbol)s ngày %(date)s")
                % {
                    "unit": doc.issuing_unit.name,
                    "type": doc.get_doc_type_display(),
                    "symbol": doc.symbol,
                    "date": _d(doc.date),
                }
            )
    text = "; ".join(parts) + "." if parts else ""
    f = _figures(unit, start, end, directives, ["plan_units", "plan_units_met"], user)
    if f["plan_units"]:
        rate = figures.rate(f["plan_units_met"], f["plan_units"])
        text += " " + _(
            "Đến ngày %(date)s, %(met)s/%(total)s đơn vị (%(rate)s%%) đã ban hành kế hoạch "
            "thực hiện theo yêu cầu."
        ) % {
            "date": _d(end),
            "met": _n(f["plan_units_met"]),
            "total": _n(f["plan_units"]),
            "rate": _percent(rate),
        }
    org = _figures(unit, start, end, directives, ["org_plan_units", "org_plan_units_met"], user)
    if org["org_plan_units"]:
        rate = figures.rate(org["org_plan_units_met"], org["org_plan_units"])
        text += " " + _(
            "%(rate)s%% ban tổ chức cấp ủy (%(met)s/%(total)s) đã tham mưu ban hành kế hoạch "
            "thực hiện."
        ) % {
            "rate": _percent(rate),
            "met": _n(org["org_plan_units_met"]),
            "total": _n(org["org_plan_units"]),
        }
    return text.strip() or _("Chưa có văn bản, kế hoạch nào được ghi nhận trên hệ thống.")


def _percent(rate) -> str:
    return number_format(rate.normalize() if rate % 1 else int(rate))


def _conferences(unit, start, end, directives, user) -> str:
    ids = figures.directive_ids(directives)
    f = _figures(
        unit,
        start,
        end,
        directives,
        ["conferences_held", "conference_points", "conference_attendees"],
        user,
    )
    if not f["conferences_held"]:
        return _("Chưa có hội nghị học tập, quán triệt nào trong kỳ được ghi nhận trên hệ thống.")
    text = _(
        "Tổ chức %(n)s hội nghị học tập, quán triệt với %(points)s điểm cầu, %(people)s lượt "
        "người tham dự."
    ) % {
        "n": _n(f["conferences_held"]),
        "points": _n(f["conference_points"]),
        "people": _n(f["conference_attendees"]),
    }
    on_directive = Conference.documents.through.objects.filter(
        conference_id=OuterRef("pk"), document_id__in=ids
    )
    biggest = (
        _subtree(Conference.objects.all(), "host_path", unit)
        .filter(Exists(on_directive), date__gte=start, date__lte=end)
        .select_related("host")
        .order_by("-total_attendees", "date")[:SHOWN]
    )
    quoted = [
        _("%(host)s ngày %(date)s (%(points)s điểm cầu, %(people)s người)")
        % {
            "host": c.host.name,
            "date": _d(c.date),
            "points": _n(c.total_points),
            "people": _n(c.total_attendees),
        }
        for c in biggest
    ]
    if quoted:
        text += " " + _("Tiêu biểu: %(list)s.") % {"list": "; ".join(quoted)}
    return text


def _inspections(unit, start, end, directives, user) -> str:
    codes = [
        "inspections_done",
        "supervisions_done",
        "findings",
        "remediation_opened",
        "remediation_closed",
    ]
    f = _figures(unit, start, end, directives, codes, user)
    if not (f["inspections_done"] or f["supervisions_done"] or f["remediation_opened"]):
        return _("Chưa có cuộc kiểm tra, giám sát nào trong kỳ được ghi nhận trên hệ thống.")
    text = _(
        "Tiến hành %(i)s cuộc kiểm tra, %(s)s cuộc giám sát; kết luận %(f)s nội dung hạn chế, "
        "khuyết điểm, vi phạm; đưa ra %(o)s yêu cầu khắc phục, %(c)s yêu cầu đã khắc phục xong."
    ) % {
        "i": _n(f["inspections_done"]),
        "s": _n(f["supervisions_done"]),
        "f": _n(f["findings"]),
        "o": _n(f["remediation_opened"]),
        "c": _n(f["remediation_closed"]),
    }
    ids = figures.directive_ids(directives)
    concluded = (
        Inspection.objects.filter(
            unit__path__gte=unit.path,
            unit__path__lt=unit.path + UPPER,
            directives__in=ids,
            concluded_on__gte=start,
            concluded_on__lte=end,
            notice__isnull=False,
        )
        .select_related("notice", "unit")
        .distinct()
        .order_by("concluded_on", "id")[:SHOWN]
    )
    quoted = [
        _("Thông báo kết luận số %(symbol)s ngày %(date)s của %(unit)s")
        % {"symbol": i.notice.symbol, "date": _d(i.notice.date), "unit": i.unit.name}
        for i in concluded
        if not i.notice.classification
    ]
    if quoted:
        text += " " + _("Kết luận: %(list)s.") % {"list": "; ".join(quoted)}
    return text


def _practices(unit, start, end, directives, user) -> str:
    f = _figures(unit, start, end, directives, ["practices_registered", "practices_adopted"], user)
    if not f["practices_registered"] and not f["practices_adopted"]:
        return _("Chưa ghi nhận mô hình, cách làm hay nào trong kỳ.")
    ids = figures.directive_ids(directives)
    rows = (
        _subtree(GoodPractice.objects.all(), "unit__path", unit)
        .filter(directives__in=ids, year__gte=start.year, year__lte=end.year)
        .select_related("unit")
        .distinct()
        .order_by("-year", "id")[:SHOWN]
    )
    quoted = [f"“{p.title}” ({p.unit.name})" for p in rows]
    text = _("Ghi nhận %(n)s mô hình, cách làm hay; %(a)s lượt nhân rộng.") % {
        "n": _n(f["practices_registered"]),
        "a": _n(f["practices_adopted"]),
    }
    if quoted:
        text += " " + _("Tiêu biểu: %(list)s.") % {"list": "; ".join(quoted)}
    return text


def _overdue(unit, start, end, directives, user) -> str:
    ids = figures.directive_ids(directives)
    late = (
        _subtree(Assignment.objects.all(), "unit_path", unit)
        .filter(status_q(Status.OVERDUE, end), directive_id__in=ids, due__gte=start)
        .select_related("unit", "task__plan__document")
        .order_by("due", "id")
    )
    total = late.count()
    if not total:
        return _("Đến ngày %(date)s không có nhiệm vụ nào quá hạn.") % {"date": _d(end)}
    quoted = []
    for a in late[:SHOWN]:
        note = (
            ProgressReport.objects.filter(assignment=a, reported_on__lte=end)
            .exclude(narrative="")
            .order_by("-reported_on", "-id")
            .values_list("narrative", flat=True)
            .first()
        )
        title = (
            _("một nhiệm vụ thuộc văn bản mật")
            if a.task.plan.document.classification
            else a.task.title
        )
        line = _("%(title)s (%(unit)s, hạn %(due)s)") % {
            "title": title,
            "unit": a.unit.name,
            "due": _d(a.due),
        }
        if note and not a.task.plan.document.classification:
            line += ": " + note[:300]
        quoted.append(line)
    text = _("Đến ngày %(date)s còn %(n)s nhiệm vụ quá hạn chưa hoàn thành, gồm: %(list)s") % {
        "date": _d(end),
        "n": _n(total),
        "list": "; ".join(quoted),
    }
    return text + ("." if total <= SHOWN else ";" + _more(total - SHOWN))


def _explanations(unit, start, end, directives, user) -> str:
    ids = figures.directive_ids(directives)
    rows = (
        _subtree(ExplanationRequest.objects.all(), "assignment__unit_path", unit)
        .filter(
            assignment__directive_id__in=ids,
            answered_at__isnull=False,
            answered_at__date__gte=start,
            answered_at__date__lte=end,
        )
        .select_related("assignment__unit")
        .order_by("answered_at", "id")
    )
    total = rows.count()
    if not total:
        return _("Không có yêu cầu giải trình nào được trả lời trong kỳ.")
    quoted = [f"{e.assignment.unit.name}: {e.answer[:300]}" for e in rows[:SHOWN]]
    text = _("%(n)s giải trình về nhiệm vụ chậm: %(list)s") % {
        "n": _n(total),
        "list": "; ".join(quoted),
    }
    return text + ("." if total <= SHOWN else ";" + _more(total - SHOWN))


WRITERS = {
    Facts.PLANS: _plans,
    Facts.CONFERENCES: _conferences,
    Facts.INSPECTIONS: _inspections,
    Facts.PRACTICES: _practices,
    Facts.OVERDUE: _overdue,
    Facts.EXPLANATIONS: _explanations,
}


def text(kind: str, *, unit: Unit, start, end, directives, user=None) -> str:
    writer = WRITERS.get(kind)
    if writer is None:
        return ""
    return writer(unit, start, end, list(directives), user)
