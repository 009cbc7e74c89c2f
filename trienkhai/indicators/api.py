"""REST API of indicators: the sets (with their indicators), a unit's colours (and its
children's for one indicator), and reporting a value.

Reads pass `indicators.queries` (sets on readable directives from units the caller may know;
units inside the caller's reach, else 404); the report calls `indicators.actions.report_value`,
which checks the role and the rules (400/403 with the Vietnamese message, 409 on a stale
`expected_version`). `ROUTES` are wired into /api/ by trienkhai/api_urls.py.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from trienkhai.core.api import VERSIONED_ERRORS
from trienkhai.core.dates import today
from trienkhai.indicators import actions, queries, risk
from trienkhai.indicators.api_explanations import IndicatorExplanationViewSet
from trienkhai.indicators.models import Indicator, IndicatorSet
from trienkhai.units.queries import get_visible_unit


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "definition",
            "measure",
            "direction",
            "aggregation",
            "period",
            "source",
        ]


class IndicatorSetSerializer(serializers.ModelSerializer):
    document = serializers.CharField(source="document.symbol", read_only=True)
    unit = serializers.CharField(source="unit.code", read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = IndicatorSet
        fields = ["id", "name", "year", "document", "unit", "indicators"]


class IndicatorRiskSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(source="indicator.pk")
    code = serializers.CharField(source="indicator.code")
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    colour = serializers.ChoiceField(choices=list(risk.LABELS))
    label = serializers.CharField(source="risk.label")
    target = serializers.DecimalField(source="risk.target", max_digits=22, decimal_places=4)
    so_far = serializers.DecimalField(source="risk.so_far", max_digits=22, decimal_places=4)
    projected = serializers.DecimalField(source="risk.projected", max_digits=22, decimal_places=4)
    periods_elapsed = serializers.IntegerField(source="elapsed")


class IndicatorColoursSerializer(serializers.Serializer):
    rule = serializers.CharField()
    unit = IndicatorRiskSerializer(many=True)
    children = IndicatorRiskSerializer(many=True)


class IndicatorReportSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    unit = serializers.IntegerField()
    period = serializers.IntegerField(min_value=1, max_value=12)
    value = serializers.DecimalField(max_digits=18, decimal_places=4, min_value=0)
    expected_version = serializers.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        help_text="The `version` of the period's value you loaded, 0 when it had none; a newer "
        "one on the server answers 409.",
    )


class IndicatorReportedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=18, decimal_places=4)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class IndicatorSetViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = IndicatorSetSerializer

    def get_queryset(self):
        return (
            queries.visible_sets(self.request.user)
            .select_related("unit", "document")
            .prefetch_related("indicators")
            .order_by("-year", "id")
        )

    @extend_schema(
        summary="Colours of a set at a unit, and of its children for one indicator",
        parameters=[
            OpenApiParameter("unit", int, required=True),
            OpenApiParameter("indicator", int, required=False),
        ],
        responses={200: IndicatorColoursSerializer},
    )
    @action(detail=True, methods=["get"])
    def colours(self, request, pk=None):
        indicator_set = self.get_object()
        unit = get_visible_unit(request.user, _int(request.query_params.get("unit")) or 0)
        if unit is None or not unit.path.startswith(indicator_set.unit.path):
            raise Http404
        day = today()
        lines = queries.unit_lines(request.user, indicator_set, unit, day)
        children = []
        wanted = request.query_params.get("indicator")
        if wanted is not None:
            indicator = indicator_set.indicators.filter(pk=_int(wanted) or 0).first()
            if indicator is None:
                raise Http404
            children = queries.child_lines(request.user, indicator, unit, day)
        return Response(
            {
                "rule": str(risk.RULE),
                "unit": IndicatorRiskSerializer(lines, many=True).data,
                "children": IndicatorRiskSerializer(children, many=True).data,
            }
        )

    @extend_schema(
        summary="Report a unit's value for one period (reporter of the unit)",
        request=IndicatorReportSerializer,
        responses={201: IndicatorReportedSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        indicator_set = self.get_object()
        ser = IndicatorReportSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        indicator = indicator_set.indicators.filter(pk=data["indicator"]).first()
        unit = get_visible_unit(request.user, data["unit"])
        if indicator is None or unit is None:
            raise Http404
        saved = actions.report_value(
            request.user,
            indicator,
            unit,
            data["period"],
            data["value"],
            expected_version=data.get("expected_version"),
        )
        return Response(
            {"id": saved.pk, "version": saved.version, "value": saved.value},
            status=status.HTTP_201_CREATED,
        )


ROUTES: list = [
    ("indicator-sets", IndicatorSetViewSet, "api-indicator-set"),
    ("indicator-explanations", IndicatorExplanationViewSet, "api-indicator-explanation"),
]
PATHS: list = []
