"""REST API of inspections: programmes, inspections (with their steps), self-reports (multipart
upload by the inspected unit), findings, recommendations upward (and their answers) and
remediation requests (action plan, start, reports, evaluation, close). Scoped reads; writes call
the actions.

A record outside the caller's reach is a 404; a refused write is a 400/403 with the message; a
stale `expected_version` is a 409 with the values now stored.
"""

import django_filters
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from trienkhai.core.actions import ActionError
from trienkhai.core.api import (
    ERRORS,
    VERSIONED_ERRORS,
    WRITE_ERRORS,
    DateField,
    IdFilter,
    inline_choice_field,
    scoped_pk_field,
    validated,
)
from trienkhai.core.files import MAX_UPLOAD_BYTES
from trienkhai.documents.api import UnitRefSerializer
from trienkhai.documents.queries import readable_documents
from trienkhai.inspections import actions, queries
from trienkhai.inspections.models import (
    Finding,
    FindingKind,
    InspectedUnit,
    Inspection,
    InspectionKind,
    Programme,
    Recommendation,
    RemediationRequest,
    RequestState,
    SelfReport,
    State,
)
from trienkhai.inspections.warnings import warnings_for
from trienkhai.units.api import ScopedUnitField
from trienkhai.units.models import Unit
from trienkhai.units.paths import ancestor_paths


@scoped_pk_field
class ReadableDocumentField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return readable_documents(self.context["request"].user)


@scoped_pk_field
class VisiblePartField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        user = self.context["request"].user
        return InspectedUnit.objects.filter(
            inspection__in=queries.visible_inspections(user)
        ).filter(queries.any_of(queries.inspecting_q(user, "inspection"), _unit(user)))


@scoped_pk_field
class OwnPartField(serializers.PrimaryKeyRelatedField):
    """An inspected unit's part of an inspection, among the units the caller reaches itself."""

    def get_queryset(self):
        user = self.context["request"].user
        return InspectedUnit.objects.filter(
            inspection__in=queries.visible_inspections(user)
        ).filter(_unit(user))


def _unit(user):
    from trienkhai.accounts.scope import unit_scope

    return unit_scope(user, "unit")


# --- read serializers -------------------------------------------------------------------


class ProgrammeSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()
    acting_body = UnitRefSerializer(allow_null=True)

    class Meta:
        model = Programme
        fields = ("id", "unit", "acting_body", "year", "title", "document", "note", "version")


class InspectedUnitSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()

    class Meta:
        model = InspectedUnit
        fields = ("id", "unit", "order")


class InspectionSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()
    acting_body = UnitRefSerializer(allow_null=True)
    kind = inline_choice_field(InspectionKind.choices)
    state = inline_choice_field(State.choices)
    parts = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = (
            "id",
            "kind",
            "unit",
            "acting_body",
            "programme",
            "team_name",
            "title",
            "directives",
            "decision",
            "notice",
            "period_from",
            "period_to",
            "work_from",
            "work_to",
            "work_extended_to",
            "state",
            "year",
            "concluded_on",
            "note",
            "parts",
            "warnings",
            "version",
        )

    @extend_schema_field(InspectedUnitSerializer(many=True))
    def get_parts(self, obj) -> list:
        user = self.context["request"].user
        return InspectedUnitSerializer(queries.visible_parts(user, obj), many=True).data

    def get_warnings(self, obj) -> list[str]:
        return warnings_for(obj)


class FindingSerializer(serializers.ModelSerializer):
    kind = inline_choice_field(FindingKind.choices)
    inspection = serializers.IntegerField(source="part.inspection_id", read_only=True)
    unit = UnitRefSerializer(source="part.unit", read_only=True)

    class Meta:
        model = Finding
        fields = (
            "id",
            "part",
            "inspection",
            "unit",
            "kind",
            "text",
            "cause",
            "responsibility",
            "area",
        )


class RemediationRequestSerializer(serializers.ModelSerializer):
    owner = UnitRefSerializer()
    state = inline_choice_field(RequestState.choices)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = RemediationRequest
        fields = (
            "id",
            "inspection",
            "part",
            "owner",
            "text",
            "issued_on",
            "deadline",
            "state",
            "action_plan",
            "action_plan_document",
            "started_on",
            "closed_on",
            "overdue",
            "version",
        )

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue(timezone.localdate())


class SelfReportSerializer(serializers.ModelSerializer):
    inspection = serializers.IntegerField(source="part.inspection_id", read_only=True)
    unit = UnitRefSerializer(source="part.unit", read_only=True)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = SelfReport
        fields = (
            "id",
            "part",
            "inspection",
            "unit",
            "number",
            "submitted_on",
            "note",
            "document",
            "original_name",
            "size",
            "content_type",
            "file_url",
        )

    def get_file_url(self, obj) -> str | None:
        return reverse("selfreport-file", args=[obj.pk]) if obj.file else None


class RecommendationSerializer(serializers.ModelSerializer):
    inspection = serializers.IntegerField(source="part.inspection_id", read_only=True)
    unit = UnitRefSerializer(source="part.unit", read_only=True)
    addressed_to = UnitRefSerializer(read_only=True)

    class Meta:
        model = Recommendation
        fields = (
            "id",
            "part",
            "inspection",
            "unit",
            "text",
            "addressed_to",
            "response",
            "responded_on",
            "version",
        )


# --- write payloads ---------------------------------------------------------------------


class SelfReportUploadSerializer(serializers.Serializer):
    part = OwnPartField(help_text="The inspected unit's part: a unit the caller reports for.")
    submitted_on = DateField()
    file = serializers.FileField()
    note = serializers.CharField(required=False, default="", allow_blank=True)


class RecommendationCreateSerializer(serializers.Serializer):
    part = VisiblePartField()
    text = serializers.CharField()
    addressed_to = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A unit above the inspected unit; the inspecting unit when omitted.",
    )


class RecommendationAnswerSerializer(serializers.Serializer):
    response = serializers.CharField()
    responded_on = DateField()
    expected_version = serializers.IntegerField(required=False, allow_null=True, default=None)


class ProgrammeCreateSerializer(serializers.Serializer):
    unit = ScopedUnitField()
    acting_body = ScopedUnitField(required=False, allow_null=True, default=None)
    year = serializers.IntegerField()
    title = serializers.CharField()
    document = ReadableDocumentField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, default="", allow_blank=True)


class InspectionCreateSerializer(serializers.Serializer):
    kind = inline_choice_field(InspectionKind.choices)
    unit = ScopedUnitField()
    acting_body = ScopedUnitField(required=False, allow_null=True, default=None)
    title = serializers.CharField()
    team_name = serializers.CharField(required=False, default="", allow_blank=True)
    directives = serializers.ListField(child=ReadableDocumentField(), required=False, default=list)
    inspected_units = serializers.ListField(child=ScopedUnitField())
    period_from = DateField(required=False, allow_null=True, default=None)
    period_to = DateField(required=False, allow_null=True, default=None)
    work_from = DateField(required=False, allow_null=True, default=None)
    work_to = DateField(required=False, allow_null=True, default=None)
    work_extended_to = DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, default="", allow_blank=True)


class InspectionStepSerializer(serializers.Serializer):
    to = inline_choice_field(
        [(s, s) for s in actions.STEPS], help_text="The next state; it must follow the current one."
    )
    date = DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, default="", allow_blank=True)
    document = ReadableDocumentField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The QĐ (decided) or TB (concluded).",
    )
    expected_version = serializers.IntegerField(required=False, allow_null=True, default=None)


class InspectionFindingCreateSerializer(serializers.Serializer):
    part = VisiblePartField()
    kind = inline_choice_field(FindingKind.choices)
    text = serializers.CharField()
    cause = serializers.CharField(required=False, default="", allow_blank=True)
    responsibility = serializers.CharField(required=False, default="", allow_blank=True)
    area = serializers.CharField(required=False, default="", allow_blank=True)


class RemediationRequestCreateSerializer(serializers.Serializer):
    part = VisiblePartField()
    text = serializers.CharField()
    deadline = DateField()
    owner = ScopedUnitField(required=False, allow_null=True, default=None)


class ActionPlanSerializer(serializers.Serializer):
    text = serializers.CharField()
    document = ReadableDocumentField(required=False, allow_null=True, default=None)
    date = DateField(
        required=False, allow_null=True, default=None, help_text="When adopted; today if omitted."
    )
    expected_version = serializers.IntegerField(required=False, allow_null=True, default=None)


class RemediationDatedSerializer(serializers.Serializer):
    date = DateField()
    expected_version = serializers.IntegerField(required=False, allow_null=True, default=None)


class RemediationReportCreateSerializer(serializers.Serializer):
    reported_on = DateField()
    text = serializers.CharField()
    expected_version = serializers.IntegerField(required=False, allow_null=True, default=None)


class EvaluationCreateSerializer(serializers.Serializer):
    evaluated_on = DateField()
    effective = serializers.BooleanField()
    note = serializers.CharField(required=False, default="", allow_blank=True)
    expected_version = serializers.IntegerField(required=False, allow_null=True, default=None)


# --- filters ----------------------------------------------------------------------------


class InspectionFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter()
    kind = django_filters.ChoiceFilter(choices=InspectionKind.choices)
    state = django_filters.ChoiceFilter(choices=State.choices)
    unit = IdFilter(field_name="unit_id")


class RequestFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=RequestState.choices)
    owner = IdFilter(field_name="owner_id")
    inspection = IdFilter(field_name="inspection_id")
    side = django_filters.ChoiceFilter(
        choices=[(s, s) for s in queries.SIDES], method="filter_side", label="side"
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="overdue")

    def filter_side(self, queryset, name, value):
        return queryset.filter(pk__in=queries.side_requests(self.request.user, value).values("pk"))

    def filter_overdue(self, queryset, name, value):
        condition = queries.overdue_q(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)


# --- viewsets ---------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Inspection programmes run by units in the caller's reach"),
    retrieve=extend_schema(summary="One programme", responses={200: ProgrammeSerializer, **ERRORS}),
)
class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = ProgrammeSerializer

    def get_queryset(self):
        return (
            Programme.objects.filter(queries.inspecting_q(self.request.user))
            .select_related("unit", "acting_body")
            .order_by("-year", "id")
        )

    @extend_schema(
        summary="Create a programme",
        request=ProgrammeCreateSerializer,
        responses={201: ProgrammeSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = validated(request, ProgrammeCreateSerializer, self.get_serializer_context())
        programme = actions.create_programme(request.user, **data)
        return Response(ProgrammeSerializer(programme).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Inspections the caller may see (inspecting or inspected side)"),
    retrieve=extend_schema(
        summary="One inspection, with only the parts the caller may see",
        responses={200: InspectionSerializer, **ERRORS},
    ),
)
class InspectionViewSet(viewsets.ReadOnlyModelViewSet):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter

    def get_queryset(self):
        return queries.visible_inspections(self.request.user).order_by("-year", "-id")

    @extend_schema(
        summary="Create a planned inspection",
        request=InspectionCreateSerializer,
        responses={201: InspectionSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = validated(request, InspectionCreateSerializer, self.get_serializer_context())
        inspection = actions.create_inspection(request.user, **data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=inspection.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Take the next step (decided needs a QĐ document, concluded a TB document)",
        request=InspectionStepSerializer,
        responses={200: InspectionSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        inspection = self.get_object()
        data = validated(request, InspectionStepSerializer, self.get_serializer_context())
        target, document = data.pop("to"), data.pop("document")
        if actions.NEXT.get(inspection.state) != target:
            raise ActionError(_("Bước này không phải bước tiếp theo."), field="to")
        if target == State.DECIDED:
            run = lambda: actions.decide(request.user, inspection, decision=document, **data)  # noqa: E731
        elif target == State.CONCLUDED:
            run = lambda: actions.conclude(request.user, inspection, notice=document, **data)  # noqa: E731
        else:
            run = lambda: actions.STEPS[target](request.user, inspection, **data)  # noqa: E731
        run()
        return Response(self.get_serializer(self.get_queryset().get(pk=inspection.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="Findings of the inspected units the caller may see"),
    retrieve=extend_schema(summary="One finding", responses={200: FindingSerializer, **ERRORS}),
)
class FindingViewSet(viewsets.ReadOnlyModelViewSet):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = FindingSerializer

    def get_queryset(self):
        return (
            queries.visible_findings(self.request.user)
            .select_related("part__unit")
            .order_by("part", "order", "id")
        )

    @extend_schema(
        summary="Record a finding for an inspected unit",
        request=InspectionFindingCreateSerializer,
        responses={201: FindingSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = validated(request, InspectionFindingCreateSerializer, self.get_serializer_context())
        finding = actions.add_finding(request.user, data.pop("part"), **data)
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Remediation requests the caller may see"),
    retrieve=extend_schema(
        summary="One request", responses={200: RemediationRequestSerializer, **ERRORS}
    ),
)
class RequestViewSet(viewsets.ReadOnlyModelViewSet):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = RemediationRequestSerializer
    filterset_class = RequestFilter

    def get_queryset(self):
        return queries.visible_requests(self.request.user).order_by("deadline", "id")

    def _done(self, req):
        return Response(RemediationRequestSerializer(self.get_queryset().get(pk=req.pk)).data)

    @extend_schema(
        summary="Record a remediation request (after the notice of conclusions)",
        request=RemediationRequestCreateSerializer,
        responses={201: RemediationRequestSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = validated(request, RemediationRequestCreateSerializer, self.get_serializer_context())
        req = actions.add_request(request.user, data.pop("part"), **data)
        return Response(
            RemediationRequestSerializer(self.get_queryset().get(pk=req.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="File or revise the action plan (owner unit)",
        request=ActionPlanSerializer,
        responses={200: RemediationRequestSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="action-plan")
    def action_plan(self, request, pk=None):
        req = self.get_object()
        data = validated(request, ActionPlanSerializer, self.get_serializer_context())
        return self._done(actions.file_action_plan(request.user, req, **data))

    @extend_schema(
        summary="Start remedying (refused without an action plan)",
        request=RemediationDatedSerializer,
        responses={200: RemediationRequestSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        req = self.get_object()
        data = validated(request, RemediationDatedSerializer, self.get_serializer_context())
        return self._done(actions.start_request(request.user, req, **data))

    @extend_schema(
        summary="Report what was done (owner unit)",
        request=RemediationReportCreateSerializer,
        responses={200: RemediationRequestSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        req = self.get_object()
        data = validated(request, RemediationReportCreateSerializer, self.get_serializer_context())
        actions.report(request.user, req, **data)
        return self._done(req)

    @extend_schema(
        summary="Evaluate the reported remedy (inspecting side)",
        request=EvaluationCreateSerializer,
        responses={200: RemediationRequestSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        req = self.get_object()
        data = validated(request, EvaluationCreateSerializer, self.get_serializer_context())
        actions.evaluate(request.user, req, **data)
        return self._done(req)

    @extend_schema(
        summary="Close after an effective evaluation (inspecting side)",
        request=RemediationDatedSerializer,
        responses={200: RemediationRequestSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        req = self.get_object()
        data = validated(request, RemediationDatedSerializer, self.get_serializer_context())
        return self._done(actions.close_request(request.user, req, **data))


class SelfReportFilter(django_filters.FilterSet):
    inspection = IdFilter(field_name="part__inspection_id")
    part = IdFilter(field_name="part_id")


@extend_schema_view(
    list=extend_schema(summary="Self-reports of the inspected units the caller may see"),
    retrieve=extend_schema(
        summary="One self-report", responses={200: SelfReportSerializer, **ERRORS}
    ),
)
class SelfReportViewSet(viewsets.ReadOnlyModelViewSet):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = SelfReportSerializer
    filterset_class = SelfReportFilter
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return queries.visible_self_reports(self.request.user).order_by("part", "-number")

    @extend_schema(
        summary="Upload a self-report (multipart; the inspected unit's own reporter only)",
        request={"multipart/form-data": SelfReportUploadSerializer},
        responses={201: SelfReportSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = validated(request, SelfReportUploadSerializer, self.get_serializer_context())
        upload = data.pop("file")
        report = actions.upload_self_report(
            request.user,
            data.pop("part"),
            name=upload.name,
            content=upload.read(MAX_UPLOAD_BYTES + 1),  # enough to refuse an oversize file
            **data,
        )
        return Response(
            SelfReportSerializer(self.get_queryset().get(pk=report.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class RecommendationFilter(django_filters.FilterSet):
    inspection = IdFilter(field_name="part__inspection_id")
    part = IdFilter(field_name="part_id")
    answered = django_filters.BooleanFilter(
        field_name="responded_on", lookup_expr="isnull", exclude=True, label="answered"
    )


@extend_schema_view(
    list=extend_schema(summary="Recommendations upward the caller may see (sender or addressee)"),
    retrieve=extend_schema(
        summary="One recommendation", responses={200: RecommendationSerializer, **ERRORS}
    ),
)
class RecommendationViewSet(viewsets.ReadOnlyModelViewSet):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilter

    def get_queryset(self):
        return queries.visible_recommendations(self.request.user).order_by("part", "id")

    @extend_schema(
        summary="Record a recommendation upward for an inspected unit",
        request=RecommendationCreateSerializer,
        responses={201: RecommendationSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = validated(request, RecommendationCreateSerializer, self.get_serializer_context())
        part, target = data["part"], data["addressed_to"]
        addressed_to = None
        if target is not None:
            # Only a unit above the inspected unit: any other id reads the same (no probing).
            addressed_to = Unit.objects.filter(
                pk=target, path__in=ancestor_paths(part.unit.path)
            ).first()
            if addressed_to is None:
                raise ActionError(
                    _("Kiến nghị chỉ gửi lên cấp trên của đơn vị."), field="addressed_to"
                )
        rec = actions.add_recommendation(
            request.user, part, text=data["text"], addressed_to=addressed_to
        )
        return Response(
            RecommendationSerializer(self.get_queryset().get(pk=rec.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Answer a recommendation (the addressee or the inspecting side)",
        request=RecommendationAnswerSerializer,
        responses={200: RecommendationSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        rec = self.get_object()
        data = validated(request, RecommendationAnswerSerializer, self.get_serializer_context())
        actions.respond_recommendation(request.user, rec, **data)
        return Response(RecommendationSerializer(self.get_queryset().get(pk=rec.pk)).data)


ROUTES: list = [
    ("inspection-programmes", ProgrammeViewSet, "api-inspection-programme"),
    ("inspections", InspectionViewSet, "api-inspection"),
    ("inspection-findings", FindingViewSet, "api-inspection-finding"),
    ("remediation-requests", RequestViewSet, "api-remediation-request"),
    ("inspection-self-reports", SelfReportViewSet, "api-inspection-self-report"),
    ("inspection-recommendations", RecommendationViewSet, "api-inspection-recommendation"),
]
PATHS: list = []
