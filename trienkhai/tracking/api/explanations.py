"""REST API for explanation requests (giải trình): the list in the caller's reach, a request on
a late assignment (coordinator of the assigning unit), and the unit's answer (reporter of the
asked unit). Writes call `tracking.actions.reports`, which check the role and the state."""

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from trienkhai.accounts.scope import path_scope
from trienkhai.core.api import (
    ERRORS,
    WRITE_ERRORS,
    BooleanFilter,
    DateField,
    IdFilter,
    scoped_pk_field,
    validated,
)
from trienkhai.tracking import queries
from trienkhai.tracking.actions import reports as report_actions
from trienkhai.tracking.models import ExplanationRequest
from trienkhai.units.api import UnitRefSerializer


def _person(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.username


class ExplanationSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(source="assignment.unit")
    task = serializers.IntegerField(source="assignment.task_id")
    requested_by = serializers.SerializerMethodField(help_text="Who asked (name).")
    answered_by = serializers.SerializerMethodField(help_text="Who answered (name).")
    answered_late = serializers.SerializerMethodField(
        help_text="Answered after `answer_by`; false while unanswered."
    )

    class Meta:
        model = ExplanationRequest
        fields = (
            "id",
            "assignment",
            "unit",
            "task",
            "question",
            "requested_by",
            "requested_at",
            "answer_by",
            "answer",
            "answered_by",
            "answered_at",
            "answered_late",
        )

    def get_requested_by(self, obj) -> str | None:
        return _person(obj.requested_by)

    def get_answered_by(self, obj) -> str | None:
        return _person(obj.answered_by)

    def get_answered_late(self, obj) -> bool:
        if obj.answered_at is None or obj.answer_by is None:
            return False
        return timezone.localtime(obj.answered_at).date() > obj.answer_by


@scoped_pk_field
class ScopedAssignmentField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return queries.visible_assignments(self.context["request"].user)


class ExplanationCreateSerializer(serializers.Serializer):
    assignment = ScopedAssignmentField()
    question = serializers.CharField(max_length=5000)
    answer_by = DateField(required=False, allow_null=True, default=None)


class ExplanationAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=10000)


class ExplanationFilter(django_filters.FilterSet):
    assignment = IdFilter(field_name="assignment_id")
    unit = IdFilter(field_name="assignment__unit_id")
    answered = BooleanFilter(field_name="answered_at", method="filter_answered")

    def filter_answered(self, queryset, name, value):
        return queryset.filter(answered_at__isnull=not value)


@extend_schema_view(
    list=extend_schema(summary="Explanation requests of the units in the caller's reach"),
    retrieve=extend_schema(
        summary="One explanation request", responses={200: ExplanationSerializer, **ERRORS}
    ),
)
class ExplanationViewSet(viewsets.ReadOnlyModelViewSet):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = ExplanationSerializer
    filterset_class = ExplanationFilter

    def get_queryset(self):
        return (
            ExplanationRequest.objects.filter(
                path_scope(
                    self.request.user, "assignment__unit_path", unit_field="assignment__unit"
                )
            )
            .select_related("assignment__unit", "requested_by", "answered_by")
            .order_by("-requested_at", "-id")
        )

    @extend_schema(
        summary="Ask the unit of a late assignment to explain (coordinator of the assigning unit)",
        request=ExplanationCreateSerializer,
        responses={201: ExplanationSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = validated(request, ExplanationCreateSerializer, self.get_serializer_context())
        made = report_actions.request_explanation(
            request.user,
            data["assignment"],
            question=data["question"],
            answer_by=data.get("answer_by"),
        )
        return Response(
            ExplanationSerializer(self.get_queryset().get(pk=made.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Answer an explanation request (reporter of the asked unit), once",
        request=ExplanationAnswerSerializer,
        responses={200: ExplanationSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        req = self.get_object()
        data = validated(request, ExplanationAnswerSerializer, self.get_serializer_context())
        report_actions.answer_explanation(request.user, req, answer=data["answer"])
        return Response(ExplanationSerializer(self.get_queryset().get(pk=req.pk)).data)
