"""REST API of inspections: programmes, inspections (with their steps), self-reports (multipart
upload by the inspected unit), findings, recommendations upward (and their answers) and
remediation requests (action plan, start, reports, evaluation, close). Scoped reads; writes call
the actions.

A record outside the caller's reach is a 404; a refused write is a 400/403 with the message; a
stale `expected_version` is a 409 with the values now stored.
"""

import django_filters
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from trienkhai.core.actions import ActionError
from trienkhai.core.api import (
    ERRORS,
    VERSIONED_ERRORS,
    WRITE_ERRORS,
    BooleanFilter,
    IdFilter,
    YearFilter,
    validated,
)
from trienkhai.core.files import MAX_UPLOAD_BYTES
from trienkhai.inspections import queries
from trienkhai.inspections.actions import conclusions as conclusion_actions
from trienkhai.inspections.actions import inspections as inspection_actions
from trienkhai.inspections.actions import programmes as programme_actions
from trienkhai.inspections.actions import remediation as remediation_actions
from trienkhai.inspections.actions import steps as step_actions
from trienkhai.inspections.api.serializers import (
    ActionPlanSerializer,
    EvaluationCreateSerializer,
    FindingSerializer,
    InspectionCreateSerializer,
    InspectionFindingCreateSerializer,
    InspectionSerializer,
    InspectionStepSerializer,
    ProgrammeCreateSerializer,
    ProgrammeSerializer,
    RecommendationAnswerSerializer,
    RecommendationCreateSerializer,
    RecommendationSerializer,
    RemediationDatedSerializer,
    RemediationReportCreateSerializer,
    RemediationRequestCreateSerializer,
    RemediationRequestSerializer,
    SelfReportSerializer,
    SelfReportUploadSerializer,
)
from trienkhai.inspections.models import (
    InspectionKind,
    Programme,
    RequestState,
    State,
)
from trienkhai.tree.paths import ancestor_paths
from trienkhai.units.models import Unit

# --- filters ----------------------------------------------------------------------------


class InspectionFilter(django_filters.FilterSet):
    year = YearFilter()
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
    overdue = BooleanFilter(method="filter_overdue", label="overdue")

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
        programme = programme_actions.create_programme(request.user, **data)
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
        # The parts each row shows, fetched for the whole page at once (seen_parts is the rule
        # of visible_parts in SQL), and the directives' ids with them: no query per row.
        user = self.request.user
        parts = queries.seen_parts(user).order_by("order", "id")
        return (
            queries.visible_inspections(user)
            .prefetch_related("directives", Prefetch("parts", parts, to_attr="seen_parts"))
            .order_by("-year", "-id")
        )

    @extend_schema(
        summary="Create a planned inspection",
        request=InspectionCreateSerializer,
        responses={201: InspectionSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = validated(request, InspectionCreateSerializer, self.get_serializer_context())
        inspection = inspection_actions.create_inspection(request.user, **data)
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
        if step_actions.NEXT.get(inspection.state) != target:
            raise ActionError(_("Bước này không phải bước tiếp theo."), field="to")
        if target == State.DECIDED:
            run = lambda: step_actions.decide(request.user, inspection, decision=document, **data)  # noqa: E731
        elif target == State.CONCLUDED:
            run = lambda: step_actions.conclude(request.user, inspection, notice=document, **data)  # noqa: E731
        else:
            run = lambda: step_actions.STEPS[target](request.user, inspection, **data)  # noqa: E731
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
        finding = conclusion_actions.add_finding(request.user, data.pop("part"), **data)
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
        req = conclusion_actions.add_request(request.user, data.pop("part"), **data)
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
        return self._done(remediation_actions.file_action_plan(request.user, req, **data))

    @extend_schema(
        summary="Start remedying (refused without an action plan)",
        request=RemediationDatedSerializer,
        responses={200: RemediationRequestSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        req = self.get_object()
        data = validated(request, RemediationDatedSerializer, self.get_serializer_context())
        return self._done(remediation_actions.start(request.user, req, **data))

    @extend_schema(
        summary="Report what was done (owner unit)",
        request=RemediationReportCreateSerializer,
        responses={200: RemediationRequestSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        req = self.get_object()
        data = validated(request, RemediationReportCreateSerializer, self.get_serializer_context())
        remediation_actions.report(request.user, req, **data)
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
        remediation_actions.evaluate(request.user, req, **data)
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
        return self._done(remediation_actions.close(request.user, req, **data))


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
        report = inspection_actions.upload_self_report(
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
    answered = BooleanFilter(
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
        rec = conclusion_actions.add_recommendation(
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
        conclusion_actions.respond_recommendation(request.user, rec, **data)
        return Response(RecommendationSerializer(self.get_queryset().get(pk=rec.pk)).data)
