"""REST API of explanations on red indicators: the list in the caller's reach, a request (a
coordinator of the unit's parent, on a red indicator) and the unit's answer (a reporter of the
unit), each through `indicators.actions.explanations`."""

import django_filters
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from trienkhai.core.api import ERRORS, WRITE_ERRORS, BooleanFilter, DateField, IdFilter, validated
from trienkhai.indicators import queries
from trienkhai.indicators.actions import explanations as actions
from trienkhai.indicators.models import Explanation, Indicator
from trienkhai.units.api import UnitRefSerializer
from trienkhai.units.queries import get_visible_unit


def _person(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.username


class IndicatorExplanationSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()
    indicator_code = serializers.CharField(source="indicator.code")
    indicator_set = serializers.IntegerField(source="indicator.indicator_set_id")
    requested_by = serializers.SerializerMethodField(help_text="Who asked (name).")
    answered_by = serializers.SerializerMethodField(help_text="Who answered (name).")
    answered_late = serializers.BooleanField(
        read_only=True, help_text="Answered after `answer_by`; false while unanswered."
    )

    class Meta:
        model = Explanation
        fields = (
            "id",
            "indicator",
            "indicator_code",
            "indicator_set",
            "unit",
            "year",
            "projected",
            "target",
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


class IndicatorExplanationCreateSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(min_value=1)
    unit = serializers.IntegerField(min_value=1)
    question = serializers.CharField(max_length=5000)
    answer_by = DateField(required=False, allow_null=True, default=None)


class IndicatorExplanationAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=10000)


class IndicatorExplanationFilter(django_filters.FilterSet):
    indicator = IdFilter(field_name="indicator_id")
    unit = IdFilter(field_name="unit_id")
    answered = BooleanFilter(field_name="answered_at", method="filter_answered")

    def filter_answered(self, queryset, name, value):
        return queryset.filter(answered_at__isnull=not value)


@extend_schema_view(
    list=extend_schema(summary="Explanations asked on indicators of units in the caller's reach"),
    retrieve=extend_schema(
        summary="One explanation on an indicator",
        responses={200: IndicatorExplanationSerializer, **ERRORS},
    ),
)
class IndicatorExplanationViewSet(viewsets.ReadOnlyModelViewSet):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = IndicatorExplanationSerializer
    filterset_class = IndicatorExplanationFilter

    def get_queryset(self):
        return (
            queries.visible_explanations(self.request.user)
            .select_related("unit", "indicator", "requested_by", "answered_by")
            .order_by("-requested_at", "-id")
        )

    @extend_schema(
        summary="Ask a unit to explain a red indicator (coordinator of the unit's parent)",
        request=IndicatorExplanationCreateSerializer,
        responses={201: IndicatorExplanationSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = validated(request, IndicatorExplanationCreateSerializer, {})
        user = request.user
        indicator = (
            Indicator.objects.filter(
                pk=data["indicator"], indicator_set__in=queries.visible_sets(user)
            )
            .select_related("indicator_set__unit", "indicator_set__document")
            .first()
        )
        unit = get_visible_unit(user, data["unit"])
        if indicator is None or unit is None:
            raise Http404
        made = actions.request_explanation(
            user, indicator, unit, question=data["question"], answer_by=data.get("answer_by")
        )
        return Response(
            IndicatorExplanationSerializer(self.get_queryset().get(pk=made.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Answer an explanation on an indicator (reporter of the unit), once",
        request=IndicatorExplanationAnswerSerializer,
        responses={200: IndicatorExplanationSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        found = self.get_object()
        data = validated(request, IndicatorExplanationAnswerSerializer, {})
        actions.answer_explanation(request.user, found, answer=data["answer"])
        return Response(IndicatorExplanationSerializer(self.get_queryset().get(pk=found.pk)).data)
