"""REST API for the dashboard figures: roll-up by child, plan coverage, the overdue list.

Every answer comes from tracking.queries (scoped in SQL on the copied unit path); a unit or
directive outside the caller's reach is a 404.
"""

from django.http import Http404
from django.utils import timezone
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from trienkhai.accounts.classified import mask
from trienkhai.accounts.scope import path_scope
from trienkhai.core.api import (
    ERRORS,
    DateField,
    IdParam,
)
from trienkhai.core.pagination import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET
from trienkhai.core.replica import replica_reads
from trienkhai.documents.queries import readable_documents, visible_documents
from trienkhai.tracking import queries
from trienkhai.tracking.deadlines import occurrence_label
from trienkhai.tracking.models import Plan, ProgressReport, Task
from trienkhai.tracking.status import Status
from trienkhai.units.api import UnitRefSerializer
from trienkhai.units.areas import cached_for
from trienkhai.units.queries import get_visible_unit

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
STATUS_CHOICES = [(s, Status.LABELS[s]) for s in Status.ORDER]


# --- scoped record sets (shared with api.py) ---------------------------------------------


def scoped_plans(user):
    """Plans whose document the user may read (a centre's plan reaches the provinces below)."""
    return Plan.objects.filter(document__in=readable_documents(user)).select_related(
        "document", "unit"
    )


def scoped_tasks(user):
    return Task.objects.filter(plan__in=scoped_plans(user)).select_related("lead_unit")


def scoped_reports(user):
    return ProgressReport.objects.filter(
        path_scope(user, "assignment__unit_path", unit_field="assignment__unit")
    )


# --- query parameters --------------------------------------------------------------------


class DashboardParams(serializers.Serializer):
    unit = IdParam(help_text="The unit whose children are rolled up.")
    directive = IdParam(
        required=False, help_text="The root directive (document id); all directives if omitted."
    )
    as_of = DateField(required=False, help_text="Statuses as of this date (default: today).")


class CoverageParams(DashboardParams):
    task = IdParam(required=False, help_text="One plan-requiring task.")


class OverdueParams(DashboardParams):
    limit = serializers.IntegerField(
        required=False, default=DEFAULT_LIMIT, min_value=1, max_value=MAX_LIMIT
    )
    offset = serializers.IntegerField(required=False, default=0, min_value=0, max_value=MAX_OFFSET)


def _params(request, serializer_class):
    """Validated parameters with the unit / directive / task objects resolved within scope."""
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    data = dict(params.validated_data)
    user = request.user
    data["unit"] = get_visible_unit(user, data["unit"])
    if data["unit"] is None:
        raise Http404
    if data.get("directive") is not None:
        data["directive"] = visible_documents(user).filter(pk=data["directive"]).first()
        if data["directive"] is None:
            raise Http404
    if data.get("task") is not None:
        data["task"] = scoped_tasks(user).filter(pk=data["task"]).first()
        if data["task"] is None:
            raise Http404
    data.setdefault("as_of", timezone.localdate())
    return data


# --- response shapes ---------------------------------------------------------------------


class CountsSerializer(serializers.Serializer):
    not_started = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    done_on_time = serializers.IntegerField()
    awaiting_review = serializers.IntegerField(
        help_text="Reported complete, not yet accepted by the assigning unit: not counted done"
    )
    done_late = serializers.IntegerField()
    overdue = serializers.IntegerField()


class CoverageCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    met = serializers.IntegerField()
    late = serializers.IntegerField()
    percent = serializers.CharField(help_text='Localised, e.g. "92,5".')


class RollupLineSerializer(serializers.Serializer):
    unit = UnitRefSerializer(allow_null=True)
    own = serializers.BooleanField(help_text="Rows assigned to the unit itself.")
    counts = CountsSerializer()
    total = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)
    coverage = CoverageCountsSerializer(allow_null=True)


class StatusLabelSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class RollupSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    directive = serializers.IntegerField(allow_null=True)
    as_of = serializers.DateField()
    statuses = StatusLabelSerializer(many=True)
    children = RollupLineSerializer(many=True)
    totals = CountsSerializer()
    coverage = CoverageCountsSerializer()
    coverage_text = serializers.CharField()


class MissingSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    full_path = serializers.CharField()
    due = serializers.DateField()


class CoverageLineSerializer(CoverageCountsSerializer):
    unit = UnitRefSerializer(allow_null=True)
    own = serializers.BooleanField()


class CoverageSerializer(CoverageCountsSerializer):
    unit = UnitRefSerializer()
    as_of = serializers.DateField()
    text = serializers.CharField()
    children = CoverageLineSerializer(many=True, source="lines")
    missing = MissingSerializer(many=True)
    missing_count = serializers.IntegerField()


class OverdueRowSerializer(serializers.Serializer):
    assignment = serializers.IntegerField(source="assignment.pk")
    task = serializers.IntegerField(source="assignment.task_id")
    task_title = serializers.SerializerMethodField(
        help_text="The task's title, or its mask when its plan is classified beyond your clearance."
    )
    occurrence = serializers.SerializerMethodField()

    def get_task_title(self, obj) -> str:
        return mask(obj.assignment, "task.title")

    def get_occurrence(self, obj) -> str:
        return occurrence_label(obj.assignment.occurrence)

    directive = serializers.IntegerField(source="assignment.directive_id")
    unit = UnitRefSerializer(source="assignment.unit")
    full_path = serializers.CharField()
    due = serializers.DateField(source="assignment.due")
    days = serializers.IntegerField(help_text="Days past the due date.")
    percent = serializers.IntegerField(source="assignment.percent")


class OverdueSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    results = OverdueRowSerializer(many=True)


def _unit_ref(unit):
    return None if unit is None else {"id": unit.pk, "code": unit.code, "name": unit.name}


def _coverage_counts(item):
    return {
        "total": item.total,
        "met": item.met,
        "late": item.late,
        "percent": str(item.percent),
    }


def _counts(counts: dict) -> dict:
    return {s: counts[s] for s in Status.ORDER}


# --- dashboard endpoints -----------------------------------------------------------------


@method_decorator(replica_reads, name="get")
class RollupView(APIView):
    @extend_schema(
        summary="Roll-up by child unit: counts by status and plan coverage",
        parameters=[DashboardParams],
        responses={200: RollupSerializer, **ERRORS},
    )
    def get(self, request):
        p = _params(request, DashboardParams)
        unit, directive, as_of = p["unit"], p.get("directive"), p["as_of"]
        key = (unit.pk, directive.pk if directive else None, as_of)
        # Kept until a write touches the caller's area (core/versions.py).
        return Response(
            cached_for(request.user, "api-rollup", key, lambda: self.body(request, p), shared=True)
        )

    @staticmethod
    def body(request, p) -> dict:
        """The answer as RollupSerializer describes it, built as plain data (serializing the
        hundreds of lines of a province field by field cost more than computing them)."""
        unit, directive, as_of = p["unit"], p.get("directive"), p["as_of"]
        names = {}
        rows = queries.rollup(
            request.user, unit=unit, directive=directive, as_of=as_of, names=names
        )
        cov = queries.coverage(
            request.user, unit=unit, directive=directive, as_of=as_of, missing_limit=0, names=names
        )
        by_path = {line.path: line for line in cov.lines}
        children = [
            {
                "unit": _unit_ref(row.unit),
                "own": row.own,
                "counts": _counts(row.counts),
                "total": row.total,
                "on_time_rate": row.on_time_rate,
                "coverage": (_coverage_counts(by_path[row.path]) if row.path in by_path else None),
            }
            for row in rows
        ]
        return {
            "unit": _unit_ref(unit),
            "directive": directive.pk if directive else None,
            "as_of": as_of.isoformat(),
            "statuses": [{"key": s, "label": str(Status.LABELS[s])} for s in Status.ORDER],
            "children": children,
            "totals": _counts(queries.totals(rows)),
            "coverage": _coverage_counts(cov),
            "coverage_text": str(cov.text),
        }


@method_decorator(replica_reads, name="get")
class CoverageView(APIView):
    @extend_schema(
        summary="Plan coverage: who has issued its implementing plan, and who has not",
        parameters=[CoverageParams],
        responses={200: CoverageSerializer, **ERRORS},
    )
    def get(self, request):
        p = _params(request, CoverageParams)
        cov = queries.coverage(
            request.user,
            unit=p["unit"],
            directive=p.get("directive"),
            task=p.get("task"),
            as_of=p["as_of"],
        )
        body = {
            **_coverage_counts(cov),
            "unit": _unit_ref(p["unit"]),
            "as_of": p["as_of"],
            "text": cov.text,
            "lines": [
                {**_coverage_counts(line), "unit": _unit_ref(line.unit), "own": line.own}
                for line in cov.lines
            ],
            "missing": [
                {"unit": _unit_ref(m.unit), "full_path": m.full_path, "due": m.due}
                for m in cov.missing
            ],
            "missing_count": cov.missing_count,
        }
        return Response(CoverageSerializer(body).data)


@method_decorator(replica_reads, name="get")
class OverdueView(APIView):
    @extend_schema(
        summary="Overdue assignments, oldest due first, with each unit's full path",
        parameters=[OverdueParams],
        responses={200: OverdueSerializer, **ERRORS},
    )
    def get(self, request):
        p = _params(request, OverdueParams)
        rows = queries.overdue(
            request.user,
            unit=p["unit"],
            directive=p.get("directive"),
            as_of=p["as_of"],
            limit=p["limit"],
            offset=p["offset"],
        )
        body = {"as_of": p["as_of"], "limit": p["limit"], "offset": p["offset"], "results": rows}
        return Response(OverdueSerializer(body).data)


# --- reached against target --------------------------------------------------------------


class TargetParams(serializers.Serializer):
    unit = IdParam(help_text="The unit whose children are rolled up.")
    task = IdParam(help_text="A task with a numeric target.")
    period = IdParam(
        required=False, help_text="An occurrence of the task (default: the one running today)."
    )


def _amount(**kw):
    return serializers.DecimalField(max_digits=20, decimal_places=2, **kw)


class TargetLineSerializer(serializers.Serializer):
    unit = UnitRefSerializer(allow_null=True)
    own = serializers.BooleanField(help_text="Rows assigned to the unit itself.")
    target = _amount(allow_null=True, help_text="Sum of the shares, or their mean (average).")
    reached = _amount(help_text="Accepted amounts to date: their sum, or their mean (average).")
    ratio = serializers.FloatField(allow_null=True, help_text="reached / target")
    units = serializers.IntegerField(help_text="Assigned units with a target.")
    reported = serializers.IntegerField(help_text="Units with an accepted amount.")
    pending = _amount(
        allow_null=True, help_text="Amounts awaiting review (not counted in `reached`)."
    )
    pending_units = serializers.IntegerField()
    text = serializers.CharField(help_text='Localised, e.g. "30/50 (60 %)".')


class TargetPeriodSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    due = serializers.DateField()


class TargetRollupSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    task = serializers.IntegerField()
    period = TargetPeriodSerializer()
    target_unit = serializers.CharField(help_text="The unit of measure.")
    direction = serializers.CharField(help_text="more (more is better) or less.")
    aggregation = serializers.CharField(help_text="sum (counts) or average (rates, means).")
    children = TargetLineSerializer(many=True)
    total = TargetLineSerializer()


def _target_line(line):
    return {
        "unit": _unit_ref(line.unit),
        "own": line.own,
        "target": line.target,
        "reached": line.reached,
        "ratio": line.ratio,
        "units": line.units,
        "reported": line.reported,
        "pending": line.pending,
        "pending_units": line.pending_units,
        "text": line.text,
    }


@method_decorator(replica_reads, name="get")
class TargetRollupView(APIView):
    @extend_schema(
        summary="Reached against target by child unit, for one task and period",
        parameters=[TargetParams],
        responses={200: TargetRollupSerializer, **ERRORS},
    )
    def get(self, request):
        params = TargetParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        user = request.user
        unit = get_visible_unit(user, data["unit"])
        task = scoped_tasks(user).filter(pk=data["task"]).first()
        if unit is None or task is None:
            raise Http404
        if data.get("period") is not None:
            period = task.occurrences.filter(pk=data["period"]).first()
        else:
            period = queries.target_period(task, timezone.localdate())
        if period is None:
            raise Http404
        lines = queries.target_rollup(user, unit=unit, task=task, occurrence=period)
        body = {
            "unit": _unit_ref(unit),
            "task": task.pk,
            "period": {"id": period.pk, "label": occurrence_label(period), "due": period.due},
            "target_unit": task.target_unit,
            "direction": task.target_direction,
            "aggregation": task.target_aggregation,
            "children": [_target_line(line) for line in lines],
            "total": _target_line(queries.target_total(unit, task, lines)),
        }
        return Response(TargetRollupSerializer(body).data)
