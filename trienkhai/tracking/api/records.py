"""REST API for tracking records: scoped reads of plans, tasks, assignments and progress reports,
and the writes that call tracking.actions.

A record outside the caller's reach is a 404. Writes validate their payload here and call
tracking.actions, which check roles, run in one transaction and write the change log; a stale
`expected_version` is a 409 with the values now stored. The dashboard figures are in
`rollups.py`.
"""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from trienkhai.core.api import (
    ERRORS,
    WRITE_ERRORS,
    BooleanFilter,
    ConflictSerializer,
    DateField,
    DateFilter,
    IdFilter,
    VersionField,
    inline_choice_field,
    scoped_pk_field,
    validated,
)
from trienkhai.documents.queries import readable_documents
from trienkhai.tracking import queries
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import plans as plan_actions
from trienkhai.tracking.actions import reports as report_actions
from trienkhai.tracking.api.rollups import (
    DATE_FORMATS,
    STATUS_CHOICES,
    scoped_plans,
    scoped_reports,
    scoped_tasks,
)
from trienkhai.tracking.deadlines import occurrence_label
from trienkhai.tracking.models import (
    Assignment,
    Period,
    Plan,
    ProgressReport,
    ReportState,
    Task,
    TaskKind,
)
from trienkhai.tracking.status import Status, status_q
from trienkhai.tree.kinds import UnitKind
from trienkhai.units.api import ScopedUnitField, UnitRefSerializer

# --- scoped reads ------------------------------------------------------------------------


class PlanSerializer(serializers.ModelSerializer):
    symbol = serializers.CharField(source="document.symbol")
    subject = serializers.CharField(source="document.subject")
    date = serializers.DateField(source="document.date")
    unit = UnitRefSerializer()

    class Meta:
        model = Plan
        fields = ("id", "document", "symbol", "subject", "date", "unit", "directive", "parent")


class TaskSerializer(serializers.ModelSerializer):
    lead_unit = UnitRefSerializer()
    kind = inline_choice_field(TaskKind.choices)
    period = inline_choice_field(Period.choices, allow_blank=True)

    class Meta:
        model = Task
        fields = (
            "id",
            "plan",
            "number",
            "title",
            "lead_unit",
            "kind",
            "period",
            "deadline_text",
            "deadline",
            "starts_on",
            "ends_on",
            "deliverable",
            "target_value",
            "target_unit",
            "target_direction",
            "target_aggregation",
            "requires_plan",
            "version",
        )


class AssignmentSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()
    status = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    at_risk = serializers.SerializerMethodField()
    occurrence_label = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = (
            "id",
            "task",
            "occurrence",
            "occurrence_label",
            "directive",
            "unit",
            "assigned_by",
            "due",
            "requires_plan",
            "started_on",
            "completed_on",
            "claimed_on",
            "percent",
            "target",
            "reached",
            "reached_pending",
            "fulfilled_by",
            "status",
            "status_label",
            "at_risk",
            "version",
        )

    def get_at_risk(self, obj) -> bool:
        """Open, not yet due, and its progress lags the part of its term gone (tracking.risk)."""
        from trienkhai.tracking.risk import is_at_risk

        return is_at_risk(obj, self.context.get("as_of") or timezone.localdate())

    def _status(self, obj) -> str:
        from trienkhai.tracking.status import assignment_status

        as_of = self.context.get("as_of") or timezone.localdate()
        return assignment_status(obj, as_of)

    def get_status(self, obj) -> str:
        return self._status(obj)

    def get_status_label(self, obj) -> str:
        return str(Status.LABELS[self._status(obj)])

    def get_occurrence_label(self, obj) -> str:
        """The period in the caller's language ("Quý I/2022" / "Q1 2022"), computed, not stored."""
        return occurrence_label(obj.occurrence)


class ReportSerializer(serializers.ModelSerializer):
    state = inline_choice_field(ReportState.choices)

    class Meta:
        model = ProgressReport
        fields = (
            "id",
            "assignment",
            "reported_on",
            "done",
            "percent",
            "narrative",
            "target_reached",
            "documents",
            "state",
            "submitted_at",
            "reviewed_at",
            "return_reason",
            "version",
        )


# --- write payloads ----------------------------------------------------------------------


@scoped_pk_field
class ReadableDocumentField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return readable_documents(self.context["request"].user)


@scoped_pk_field
class ScopedPlanField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return scoped_plans(self.context["request"].user)


class PlanCreateSerializer(serializers.Serializer):
    document = ReadableDocumentField(help_text="A registered document that becomes the plan.")
    implements = ReadableDocumentField(
        required=False, allow_null=True, default=None, help_text="The directive or higher plan."
    )


class TaskCreateSerializer(serializers.Serializer):
    plan = ScopedPlanField()
    title = serializers.CharField()
    lead_unit = ScopedUnitField()
    deadline_text = serializers.CharField(max_length=100, help_text='e.g. "quý I/2022".')
    number = serializers.CharField(max_length=16, required=False, default="", allow_blank=True)
    cooperating_units = serializers.ListField(child=ScopedUnitField(), required=False, default=list)
    deliverable = serializers.CharField(required=False, default="", allow_blank=True)
    target_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    target_unit = serializers.CharField(max_length=50, required=False, default="", allow_blank=True)
    target_direction = inline_choice_field([("more", "more"), ("less", "less")], default="more")
    target_aggregation = inline_choice_field(
        [("sum", "sum"), ("average", "average")], default="sum"
    )
    requires_plan = serializers.BooleanField(required=False, default=False)


class AssignSerializer(serializers.Serializer):
    rule = inline_choice_field(
        [("units", "units"), ("children", "children"), ("kind", "kind")], default="units"
    )
    units = serializers.ListField(child=ScopedUnitField(), required=False, allow_null=True)
    kind = inline_choice_field(UnitKind.choices, required=False, allow_null=True)


class AssignedSerializer(serializers.Serializer):
    created = serializers.IntegerField()


class ReportCreateSerializer(serializers.Serializer):
    reported_on = DateField()
    percent = serializers.IntegerField(min_value=0, max_value=100)
    done = serializers.BooleanField(default=False)
    narrative = serializers.CharField(required=False, default="", allow_blank=True)
    target_reached = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    documents = serializers.ListField(child=ReadableDocumentField(), required=False, default=list)
    expected_version = VersionField()


class ReviewSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(required=False, default="", allow_blank=True)
    expected_version = VersionField()


class PlanFilter(django_filters.FilterSet):
    directive = IdFilter(field_name="directive_id")
    unit = IdFilter(field_name="unit_id")


class TaskFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan_id")
    directive = IdFilter(field_name="plan__directive_id")
    requires_plan = BooleanFilter()
    kind = django_filters.ChoiceFilter(choices=TaskKind.choices)


class AssignmentFilter(django_filters.FilterSet):
    directive = IdFilter(field_name="directive_id")
    task = IdFilter(field_name="task_id")
    unit = IdFilter(field_name="unit_id")
    requires_plan = BooleanFilter()
    due_from = django_filters.DateFilter(
        field_name="due", lookup_expr="gte", input_formats=DATE_FORMATS
    )
    due_to = django_filters.DateFilter(
        field_name="due", lookup_expr="lte", input_formats=DATE_FORMATS
    )
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", label=gettext_lazy("Tình trạng")
    )
    as_of = DateFilter(method="filter_noop", label=gettext_lazy("Tại ngày"))

    def filter_status(self, queryset, name, value):
        as_of = self.form.cleaned_data.get("as_of") or timezone.localdate()
        return queryset.filter(status_q(value, as_of))

    def filter_noop(self, queryset, name, value):
        return queryset


class ReportFilter(django_filters.FilterSet):
    assignment = IdFilter(field_name="assignment_id")
    state = django_filters.ChoiceFilter(choices=ReportState.choices)


@extend_schema_view(
    list=extend_schema(summary="Plans the caller may read"),
    retrieve=extend_schema(summary="One plan", responses={200: PlanSerializer, **ERRORS}),
)
class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = PlanSerializer
    filterset_class = PlanFilter

    def get_queryset(self):
        return scoped_plans(self.request.user).order_by("-document__date", "-id")

    @extend_schema(
        summary="Register a document as a plan implementing a directive or a higher plan",
        request=PlanCreateSerializer,
        responses={201: PlanSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = validated(request, PlanCreateSerializer, self.get_serializer_context())
        plan = plan_actions.register_plan(
            request.user, data["document"], implements=data["implements"]
        )
        plan = self.get_queryset().get(pk=plan.pk)
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Tasks of the plans the caller may read"),
    retrieve=extend_schema(summary="One task", responses={200: TaskSerializer, **ERRORS}),
)
class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = TaskSerializer
    filterset_class = TaskFilter

    def get_queryset(self):
        return scoped_tasks(self.request.user).order_by("plan", "id")

    @extend_schema(
        summary="Add a task to a plan (the deadline is read as the documents write it)",
        request=TaskCreateSerializer,
        responses={201: TaskSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = validated(request, TaskCreateSerializer, self.get_serializer_context())
        plan = data.pop("plan")
        task = plan_actions.add_task(request.user, plan, **data)
        return Response(
            TaskSerializer(self.get_queryset().get(pk=task.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Assign the task to named units, every direct child, or every unit of a kind",
        request=AssignSerializer,
        responses={200: AssignedSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        task = self.get_object()
        data = validated(request, AssignSerializer, self.get_serializer_context())
        created = assign_actions.assign(
            request.user, task, units=data.get("units"), rule=data["rule"], kind=data.get("kind")
        )
        return Response({"created": created})


@extend_schema_view(
    list=extend_schema(summary="Assignments of the units in the caller's reach"),
    retrieve=extend_schema(
        summary="One assignment", responses={200: AssignmentSerializer, **ERRORS}
    ),
)
class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter

    def get_queryset(self):
        return (
            queries.visible_assignments(self.request.user)
            .select_related("unit", "occurrence")
            .order_by("due", "id")
        )

    @extend_schema(
        summary="Report progress on the assignment (reporter of the assigned unit)",
        request=ReportCreateSerializer,
        responses={201: ReportSerializer, 409: ConflictSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        assignment = self.get_object()
        data = validated(request, ReportCreateSerializer, self.get_serializer_context())
        report = report_actions.report_progress(request.user, assignment, **data)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        raw = self.request.query_params.get("as_of")
        if raw:
            try:
                context["as_of"] = DateField().run_validation(raw)
            except serializers.ValidationError:
                pass  # The filter set reports the bad date as a 400 first.
        return context


@extend_schema_view(
    list=extend_schema(summary="Progress reports of the units in the caller's reach"),
    retrieve=extend_schema(summary="One report", responses={200: ReportSerializer, **ERRORS}),
)
class ReportViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ReportSerializer
    filterset_class = ReportFilter

    def get_queryset(self):
        return scoped_reports(self.request.user).prefetch_related("documents")

    @extend_schema(
        summary="Accept a report, or return it with a reason (coordinator of the assigning unit)",
        request=ReviewSerializer,
        responses={200: ReportSerializer, 409: ConflictSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        report = self.get_object()
        data = validated(request, ReviewSerializer, self.get_serializer_context())
        report = report_actions.review_report(request.user, report, **data)
        return Response(ReportSerializer(self.get_queryset().get(pk=report.pk)).data)
