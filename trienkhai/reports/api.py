"""REST API of reports: requests (list, read, create), units' reports (list, read with figures
and texts; draft, send, review, pass down, issue), a report's consolidation, and its documents
(DOCX, PDF, XLSX annex). Reads pass `reports.queries` (scoped in SQL); writes call the actions,
which check the role, the state and the version (400/403 in the user's words, 409 when stale)."""

import django_filters
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from trienkhai.accounts.models import Role
from trienkhai.core.api import (
    ERRORS,
    VERSIONED_ERRORS,
    WRITE_ERRORS,
    DateField,
    IdFilter,
    VersionField,
    inline_choice_field,
    scoped_pk_field,
    validated,
)
from trienkhai.core.dates import today
from trienkhai.documents.queries import readable_documents
from trienkhai.reports import queries
from trienkhai.reports.actions import drafting, issue, review
from trienkhai.reports.actions import requests as request_actions
from trienkhai.reports.api_documents import ReportDocumentsMixin
from trienkhai.reports.models import (
    Facts,
    RecipientRule,
    ReportKind,
    ReportRequest,
    ReportState,
    UnitReport,
)
from trienkhai.units.api import UnitRefSerializer
from trienkhai.units.queries import visible_units


@scoped_pk_field
class ReadableDirectiveField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return readable_documents(self.context["request"].user)


@scoped_pk_field
class CoordinatedUnitField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return visible_units(self.context["request"].user, Role.COORDINATOR)


class ReportSectionSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=12, required=False, allow_blank=True)
    title = serializers.CharField(max_length=300)
    guidance = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    facts = inline_choice_field(Facts.choices, required=False, allow_blank=True)


class ReportManualIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)
    label = serializers.CharField(max_length=300)
    measure = serializers.CharField(max_length=40, required=False, allow_blank=True)
    definition = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    check_against = serializers.CharField(max_length=40, required=False, allow_blank=True)


class ReportRequestCreateSerializer(serializers.Serializer):
    unit = CoordinatedUnitField()
    title = serializers.CharField(max_length=300)
    kind = inline_choice_field(ReportKind.choices)
    directives = ReadableDirectiveField(many=True)
    period_start = DateField()
    period_end = DateField()
    deadline = DateField()
    rule = inline_choice_field(RecipientRule.choices)
    kinds = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, max_length=20
    )
    sections = ReportSectionSerializer(many=True, max_length=40)
    figures = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=80
    )
    manual = ReportManualIndicatorSerializer(many=True, required=False, max_length=40)


class ReportRequestSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()
    kind = inline_choice_field(ReportKind.choices, read_only=True)
    rule = inline_choice_field(RecipientRule.choices, read_only=True)
    directives = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    sections = serializers.SerializerMethodField()
    indicators = serializers.SerializerMethodField()
    consolidated_report = serializers.IntegerField(source="answers_id", read_only=True)

    class Meta:
        model = ReportRequest
        fields = (
            "id",
            "unit",
            "title",
            "kind",
            "directives",
            "period_start",
            "period_end",
            "deadline",
            "rule",
            "kinds",
            "consolidated_report",
            "sections",
            "indicators",
            "version",
        )

    def get_sections(self, obj) -> list[dict]:
        return [
            {
                "id": s.pk,
                "number": s.number,
                "title": s.title,
                "guidance": s.guidance,
                "facts": s.facts,
            }
            for s in obj.sections.all()
        ]

    def get_indicators(self, obj) -> list[dict]:
        return [
            {
                "id": i.pk,
                "code": i.code,
                "label": i.label,
                "measure": i.measure,
                "definition": i.definition,
                "computed_from": i.figure or None,
                "checked_against": i.check_against or None,
            }
            for i in obj.indicators.all()
        ]


class ReportFigureSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(source="indicator_id")
    code = serializers.CharField(source="indicator.code")
    computed = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    entered = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    reason = serializers.CharField()
    breakdown = serializers.DictField(
        child=serializers.CharField(allow_null=True), help_text="Child unit id → figure."
    )


class ReportTextSerializer(serializers.Serializer):
    section = serializers.IntegerField(source="section_id")
    number = serializers.CharField(source="section.number")
    text = serializers.CharField()
    suggested = serializers.CharField()


class UnitReportSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()
    state = inline_choice_field(ReportState.choices, read_only=True)
    late = serializers.BooleanField(read_only=True)
    document = serializers.SerializerMethodField()
    figures = ReportFigureSerializer(many=True, read_only=True)
    texts = ReportTextSerializer(many=True, read_only=True)

    class Meta:
        model = UnitReport
        fields = (
            "id",
            "request",
            "unit",
            "own",
            "due",
            "state",
            "late",
            "submitted_on",
            "return_reason",
            "document",
            "version",
            "figures",
            "texts",
        )

    def get_document(self, obj) -> str | None:
        return obj.document.symbol if obj.document_id else None


class UnitReportListSerializer(UnitReportSerializer):
    class Meta(UnitReportSerializer.Meta):
        fields = tuple(f for f in UnitReportSerializer.Meta.fields if f not in ("figures", "texts"))


class ReportDraftSerializer(serializers.Serializer):
    expected_version = VersionField()
    texts = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=50_000),
        required=False,
        help_text="Section id → text.",
    )
    figures = serializers.DictField(
        child=serializers.ListField(
            child=serializers.CharField(allow_blank=True, max_length=2000), max_length=2
        ),
        required=False,
        help_text="Form indicator id → [value, reason]; a value on a computed line needs a reason.",
    )


class ReportVersionSerializer(serializers.Serializer):
    expected_version = VersionField()


class ReportReturnSerializer(ReportVersionSerializer):
    reason = serializers.CharField(max_length=5000)


class ReportPassDownSerializer(serializers.Serializer):
    deadline = DateField()
    rule = inline_choice_field(RecipientRule.choices)
    kinds = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, max_length=20
    )


class ReportIssueSerializer(ReportVersionSerializer):
    symbol = serializers.CharField(max_length=100)
    term = serializers.CharField(max_length=32)
    date = DateField()
    place = serializers.CharField(max_length=100, required=False, allow_blank=True)
    signer = serializers.CharField(max_length=120, required=False, allow_blank=True)
    position = serializers.CharField(max_length=120, required=False, allow_blank=True)
    authority = serializers.CharField(max_length=120, required=False, allow_blank=True)
    recipients = serializers.CharField(max_length=3000, required=False, allow_blank=True)


def _decimal(value) -> str | None:
    """Figures as strings, as the API's decimal fields give them."""
    return None if value is None else str(value)


class ReportConsolidationSerializer(serializers.Serializer):
    asked = serializers.IntegerField(source="progress.asked")
    sent = serializers.IntegerField(source="progress.sent")
    sent_late = serializers.IntegerField(source="progress.sent_late")
    overdue = serializers.IntegerField(source="progress.overdue")
    late = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()
    lines = serializers.SerializerMethodField()
    mismatches = serializers.SerializerMethodField()

    def get_late(self, obj) -> list[dict]:
        return [
            {"report": r.pk, "unit": r.unit.name, "submitted_on": r.submitted_on} for r in obj.late
        ]

    def get_missing(self, obj) -> list[dict]:
        return [{"report": r.pk, "unit": r.unit.name} for r in obj.missing]

    def get_lines(self, obj) -> list[dict]:
        return [
            {
                "code": line.code,
                "label": line.label,
                "computed": line.computed,
                "data": _decimal(line.own.computed if line.own else None),
                "children_total": _decimal(line.children_total),
                "reporting": line.reporting,
            }
            for line in obj.lines
        ]

    def get_mismatches(self, obj) -> list[dict]:
        return [
            {
                "report": m.report_id,
                "unit": m.unit,
                "code": m.code,
                "written": _decimal(m.written),
                "data": _decimal(m.data),
                "reason": m.reason,
            }
            for m in obj.mismatches
        ]


class RequestFilter(django_filters.FilterSet):
    unit = IdFilter(field_name="unit_id")


class ReportFilter(django_filters.FilterSet):
    request = IdFilter(field_name="request_id")
    unit = IdFilter(field_name="unit_id")
    state = django_filters.ChoiceFilter(choices=ReportState.choices)


@extend_schema_view(
    list=extend_schema(summary="Report requests in the caller's reach"),
    retrieve=extend_schema(
        summary="One report request", responses={200: ReportRequestSerializer, **ERRORS}
    ),
)
class ReportRequestViewSet(viewsets.ReadOnlyModelViewSet):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = ReportRequestSerializer
    filterset_class = RequestFilter

    def get_queryset(self):
        return (
            queries.visible_requests(self.request.user)
            .select_related("unit")
            .prefetch_related("directives", "sections", "indicators")
            .order_by("-deadline", "-id")
        )

    @extend_schema(
        summary="Ask the units below for a report (coordinator of the unit)",
        request=ReportRequestCreateSerializer,
        responses={201: ReportRequestSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        d = validated(request, ReportRequestCreateSerializer, self.get_serializer_context())
        made = request_actions.create_request(
            request.user,
            unit=d["unit"],
            title=d["title"],
            kind=d["kind"],
            directives=d["directives"],
            period_start=d["period_start"],
            period_end=d["period_end"],
            deadline=d["deadline"],
            rule=d["rule"],
            kinds=d.get("kinds") or (),
            sections=d["sections"],
            figure_codes=d.get("figures") or (),
            manual=d.get("manual") or (),
        )
        return Response(
            ReportRequestSerializer(self.get_queryset().get(pk=made.pk)).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=extend_schema(
        summary="Units' reports in the caller's reach", responses=UnitReportListSerializer
    ),
    retrieve=extend_schema(
        summary="One report, with figures and texts",
        responses={200: UnitReportSerializer, **ERRORS},
    ),
)
class ReportViewSet(ReportDocumentsMixin, viewsets.ReadOnlyModelViewSet):
    http_method_names = ["get", "post", "head", "options"]
    filterset_class = ReportFilter

    def get_serializer_class(self):
        return UnitReportListSerializer if self.action == "list" else UnitReportSerializer

    def get_queryset(self):
        qs = queries.visible_reports(self.request.user).select_related("unit", "document")
        if self.action != "list":
            qs = qs.prefetch_related("figures__indicator", "texts__section")
        return qs.order_by("request_id", "unit_path", "id")

    def _fresh(self, pk):
        return Response(UnitReportSerializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(
        summary="Pre-fill (or refresh) the draft from the system's data",
        request=ReportVersionSerializer,
        responses={200: UnitReportSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def prefill(self, request, pk=None):
        report = self.get_object()
        d = validated(request, ReportVersionSerializer, {})
        drafting.prefill(request.user, report, expected_version=d["expected_version"])
        return self._fresh(report.pk)

    @extend_schema(
        summary="Save the draft: texts and typed figures",
        request=ReportDraftSerializer,
        responses={200: UnitReportSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def draft(self, request, pk=None):
        report = self.get_object()
        d = validated(request, ReportDraftSerializer, {})
        figures = {}
        for key, pair in (d.get("figures") or {}).items():
            if not str(key).isdigit():
                raise Http404
            value, reason = (list(pair) + ["", ""])[:2]
            figures[int(key)] = (value, reason)
        texts = {k: v for k, v in (d.get("texts") or {}).items() if str(k).isdigit()}
        drafting.save_draft(
            request.user,
            report,
            texts=texts,
            figures_entered=figures,
            expected_version=d["expected_version"],
        )
        return self._fresh(report.pk)

    @extend_schema(
        summary="Send the report to the requesting unit",
        request=ReportVersionSerializer,
        responses={200: UnitReportSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self.get_object()
        d = validated(request, ReportVersionSerializer, {})
        drafting.submit(request.user, report, expected_version=d["expected_version"])
        return self._fresh(report.pk)

    @extend_schema(
        summary="Accept a report sent up (coordinator of the requesting unit)",
        request=ReportVersionSerializer,
        responses={200: UnitReportSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        report = self.get_object()
        d = validated(request, ReportVersionSerializer, {})
        review.accept(request.user, report, expected_version=d["expected_version"])
        return self._fresh(report.pk)

    @extend_schema(
        summary="Return a report sent up, with the reason",
        request=ReportReturnSerializer,
        responses={200: UnitReportSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_report(self, request, pk=None):
        report = self.get_object()
        d = validated(request, ReportReturnSerializer, {})
        review.return_report(
            request.user, report, reason=d["reason"], expected_version=d["expected_version"]
        )
        return self._fresh(report.pk)

    @extend_schema(
        summary="Ask the units below for their reports, to consolidate this one",
        request=ReportPassDownSerializer,
        responses={201: ReportRequestSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="pass-down")
    def pass_down(self, request, pk=None):
        report = self.get_object()
        d = validated(request, ReportPassDownSerializer, {})
        made = request_actions.pass_down(
            request.user, report, deadline=d["deadline"], rule=d["rule"], kinds=d.get("kinds")
        )
        return Response(ReportRequestSerializer(made).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Issue the report as a BC registered in the document registry",
        request=ReportIssueSerializer,
        responses={200: UnitReportSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        report = self.get_object()
        d = validated(request, ReportIssueSerializer, {})
        issue.issue(
            request.user,
            report,
            symbol=d["symbol"],
            term=d["term"],
            date=d["date"],
            place=d.get("place", ""),
            signer=d.get("signer", ""),
            position=d.get("position", ""),
            authority=d.get("authority", ""),
            recipients=d.get("recipients", ""),
            expected_version=d["expected_version"],
        )
        return self._fresh(report.pk)

    @extend_schema(
        summary="What this report gathers from the reports below it",
        responses={200: ReportConsolidationSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get"])
    def consolidation(self, request, pk=None):
        report = self.get_object()
        return Response(ReportConsolidationSerializer(queries.consolidate(report, today())).data)


ROUTES: list = [
    ("report-requests", ReportRequestViewSet, "api-report-request"),
    ("unit-reports", ReportViewSet, "api-unit-report"),
]
PATHS: list = []
