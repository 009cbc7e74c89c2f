"""Serializers of the inspections API: scoped id fields, what is read, what a write takes."""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from trienkhai.core.api import (
    DateField,
    IdParam,
    UploadField,
    VersionField,
    inline_choice_field,
    scoped_pk_field,
)
from trienkhai.documents.queries import readable_documents
from trienkhai.inspections import queries
from trienkhai.inspections.actions import steps as step_actions
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
from trienkhai.units.api import ScopedUnitField, UnitRefSerializer


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
        parts = getattr(obj, "seen_parts", None)
        if parts is None:
            parts = queries.visible_parts(self.context["request"].user, obj)
        return InspectedUnitSerializer(parts, many=True).data

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
    file = UploadField()
    note = serializers.CharField(required=False, default="", allow_blank=True)


class RecommendationCreateSerializer(serializers.Serializer):
    part = VisiblePartField()
    text = serializers.CharField()
    addressed_to = IdParam(
        required=False,
        allow_null=True,
        default=None,
        help_text="A unit above the inspected unit; the inspecting unit when omitted.",
    )


class RecommendationAnswerSerializer(serializers.Serializer):
    response = serializers.CharField()
    responded_on = DateField()
    expected_version = VersionField()


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
        [(s, s) for s in step_actions.STEPS],
        help_text="The next state; it must follow the current one.",
    )
    date = DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, default="", allow_blank=True)
    document = ReadableDocumentField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The QĐ (decided) or TB (concluded).",
    )
    expected_version = VersionField()


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
    expected_version = VersionField()


class RemediationDatedSerializer(serializers.Serializer):
    date = DateField()
    expected_version = VersionField()


class RemediationReportCreateSerializer(serializers.Serializer):
    reported_on = DateField()
    text = serializers.CharField()
    expected_version = VersionField()


class EvaluationCreateSerializer(serializers.Serializer):
    evaluated_on = DateField()
    effective = serializers.BooleanField()
    note = serializers.CharField(required=False, default="", allow_blank=True)
    expected_version = VersionField()
