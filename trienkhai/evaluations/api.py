"""REST API of evaluations: periods, evaluations with their step actions, and the distribution.

Reads are scoped like the pages (`evaluations.queries`); a record outside the caller's reach is
a 404. Writes validate their payload here and call `evaluations.actions`; a refusal is a 400
(403 for a missing role) with the Vietnamese message, a stale `expected_version` a 409 with the
values now stored, and a top-level decision beyond the cap without `override_reason` a 400 whose
`field` is "override_reason" and whose `cap` gives the figures.
"""

import django_filters
from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from trienkhai.core.api import (
    ERRORS,
    VERSIONED_ERRORS,
    WRITE_ERRORS,
    DateField,
    ErrorSerializer,
    IdFilter,
    IdParam,
    VersionField,
    bad_request,
    inline_choice_field,
    validated,
)
from trienkhai.evaluations import queries
from trienkhai.evaluations.actions import periods as period_actions
from trienkhai.evaluations.actions import ratings as rating_actions
from trienkhai.evaluations.models import LEVEL_ORDER, Evaluation, EvaluationPeriod, Level, State
from trienkhai.units.api import ScopedUnitField, UnitRefSerializer
from trienkhai.units.queries import get_visible_unit


def _unit_ref(unit):
    return None if unit is None else {"id": unit.pk, "code": unit.code, "name": unit.name}


# --- periods -----------------------------------------------------------------------------------


class PeriodSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()
    disqualifiers = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = EvaluationPeriod
        fields = (
            "id",
            "unit",
            "year",
            "name",
            "ends_on",
            "general_max",
            "results_max",
            "excellent_min",
            "excellent_on_time_min",
            "excellent_exceeded_min",
            "good_min",
            "complete_min",
            "cap_percent",
            "disqualifiers",
            "version",
        )


class PeriodRulesSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    ends_on = DateField(required=False)
    general_max = serializers.IntegerField(required=False)
    results_max = serializers.IntegerField(required=False)
    excellent_min = serializers.IntegerField(required=False)
    excellent_on_time_min = serializers.IntegerField(required=False)
    excellent_exceeded_min = serializers.IntegerField(required=False)
    good_min = serializers.IntegerField(required=False)
    complete_min = serializers.IntegerField(required=False)
    cap_percent = serializers.IntegerField(
        required=False, help_text="Top level ≤ this % of good-or-better."
    )
    disqualifiers = serializers.ListField(child=serializers.CharField(), required=False)


class PeriodCreateSerializer(PeriodRulesSerializer):
    unit = ScopedUnitField(help_text="The unit whose subtree the rules apply to.")
    year = serializers.IntegerField()


class PeriodUpdateSerializer(PeriodRulesSerializer):
    expected_version = VersionField()


@extend_schema_view(
    list=extend_schema(summary="Evaluation periods that apply within the caller's reach"),
    retrieve=extend_schema(
        summary="One period and its rules", responses={200: PeriodSerializer, **ERRORS}
    ),
)
class PeriodViewSet(viewsets.ReadOnlyModelViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = PeriodSerializer

    def get_queryset(self):
        return queries.visible_periods(self.request.user).order_by("-year", "id")

    @extend_schema(
        summary="Create a year's period (administrator of the unit); rules default from settings",
        request=PeriodCreateSerializer,
        responses={201: PeriodSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = validated(request, PeriodCreateSerializer, self.get_serializer_context())
        period = period_actions.create_period(request.user, **data)
        return Response(PeriodSerializer(period).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a period's rules (administrator of the unit)",
        request=PeriodUpdateSerializer,
        responses={200: PeriodSerializer, **VERSIONED_ERRORS},
    )
    def partial_update(self, request, pk=None):
        period = self.get_object()
        data = validated(request, PeriodUpdateSerializer, self.get_serializer_context())
        period = period_actions.update_period(request.user, period, **data)
        return Response(PeriodSerializer(period).data)


# --- evaluations -------------------------------------------------------------------------------


class FlagSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text='"overdue_tasks", "open_remediation", "violations" …')
    text = serializers.CharField()
    url = serializers.CharField(help_text="The evidence page.")
    count = serializers.IntegerField()


class EvaluationSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()
    decider = UnitRefSerializer()
    reviewer = UnitRefSerializer()
    state = inline_choice_field(State.choices)
    self_level = inline_choice_field(Level.choices, allow_blank=True)
    review_level = inline_choice_field(Level.choices, allow_blank=True)
    decided_level = inline_choice_field(Level.choices, allow_blank=True)
    self_total = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, read_only=True
    )
    review_total = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, read_only=True
    )
    final_total = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, read_only=True
    )
    self_disqualifiers = serializers.ListField(child=serializers.CharField())
    review_disqualifiers = serializers.ListField(child=serializers.CharField())
    decided_disqualifiers = serializers.ListField(child=serializers.CharField())
    flags = serializers.SerializerMethodField()

    class Meta:
        model = Evaluation
        fields = (
            "id",
            "period",
            "unit",
            "decider",
            "reviewer",
            "state",
            "on_time_percent",
            "exceeded_percent",
            "members_excellent",
            "members_good",
            "members_complete",
            "members_not_complete",
            "members_not_rated",
            "self_general",
            "self_results",
            "self_total",
            "self_level",
            "self_disqualifiers",
            "self_narrative",
            "self_rated_on",
            "review_general",
            "review_results",
            "review_total",
            "review_level",
            "review_disqualifiers",
            "review_narrative",
            "reviewed_on",
            "final_general",
            "final_results",
            "final_total",
            "decided_level",
            "decided_disqualifiers",
            "decision_note",
            "cap_override_reason",
            "decided_on",
            "return_reason",
            "returned_on",
            "notified_on",
            "flags",
            "version",
        )

    @extend_schema_field(FlagSerializer(many=True))
    def get_flags(self, obj) -> list:
        return [
            {"kind": f.kind, "text": f.text, "url": f.url, "count": f.count}
            for f in getattr(obj, "flags", [])
        ]


class EvaluationOpenSerializer(serializers.Serializer):
    period = IdParam()
    decider = ScopedUnitField(help_text="The deciding unit; its organisations are listed.")


class EvaluationOpenedSerializer(serializers.Serializer):
    created = serializers.IntegerField()


class _StepSerializer(serializers.Serializer):
    general = serializers.DecimalField(max_digits=5, decimal_places=1)
    results = serializers.DecimalField(max_digits=5, decimal_places=1)
    level = inline_choice_field(Level.choices)
    disqualifiers = serializers.ListField(
        child=serializers.CharField(), required=False, default=list
    )
    expected_version = VersionField()


class MemberCountsSerializer(serializers.Serializer):
    excellent = serializers.IntegerField(min_value=0, default=0)
    good = serializers.IntegerField(min_value=0, default=0)
    complete = serializers.IntegerField(min_value=0, default=0)
    not_complete = serializers.IntegerField(min_value=0, default=0)
    not_rated = serializers.IntegerField(min_value=0, default=0)


class EvaluationSelfRatingSerializer(_StepSerializer):
    on_time_percent = serializers.DecimalField(
        max_digits=4, decimal_places=1, required=False, allow_null=True, default=None
    )
    exceeded_percent = serializers.DecimalField(
        max_digits=4, decimal_places=1, required=False, allow_null=True, default=None
    )
    narrative = serializers.CharField(required=False, default="", allow_blank=True)
    members = MemberCountsSerializer(required=False, help_text="Members' ratings as counts.")
    rated_on = DateField(required=False)


class EvaluationReviewSerializer(_StepSerializer):
    on_time_percent = serializers.DecimalField(
        max_digits=4, decimal_places=1, required=False, allow_null=True
    )
    exceeded_percent = serializers.DecimalField(
        max_digits=4, decimal_places=1, required=False, allow_null=True
    )
    narrative = serializers.CharField(required=False, default="", allow_blank=True)
    reviewed_on = DateField(required=False)


class CapFiguresSerializer(serializers.Serializer):
    excellent = serializers.IntegerField(help_text="Top-level decisions if this one went through.")
    base = serializers.IntegerField(help_text="Organisations rated good-or-better.")
    allowed = serializers.IntegerField()
    cap_percent = serializers.IntegerField()


class CapRefusalSerializer(ErrorSerializer):
    cap = CapFiguresSerializer(required=False)


CapBadRequestSerializer = bad_request(CapRefusalSerializer, "CapBadRequest")


class EvaluationDecisionSerializer(serializers.Serializer):
    level = inline_choice_field(Level.choices)
    general = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True, default=None
    )
    results = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True, default=None
    )
    disqualifiers = serializers.ListField(
        child=serializers.CharField(), required=False, allow_null=True, default=None
    )
    note = serializers.CharField(required=False, default="", allow_blank=True)
    override_reason = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        help_text="Required when the decision exceeds the period's cap on the top level.",
    )
    decided_on = DateField(required=False)
    expected_version = VersionField()


class EvaluationNotifySerializer(serializers.Serializer):
    notified_on = DateField(required=False)
    expected_version = VersionField()


class EvaluationReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True, help_text="Why the evaluation goes back; sent to the organisation."
    )
    returned_on = DateField(required=False)
    expected_version = VersionField()


class EvaluationFilter(django_filters.FilterSet):
    period = IdFilter(field_name="period_id")
    decider = IdFilter(field_name="decider_id")
    unit = IdFilter(field_name="unit_id")
    state = django_filters.ChoiceFilter(choices=State.choices)
    decided_level = django_filters.ChoiceFilter(choices=Level.choices)


@extend_schema_view(
    list=extend_schema(summary="Evaluations the caller may see (with warnings on top ratings)"),
    retrieve=extend_schema(
        summary="One evaluation", responses={200: EvaluationSerializer, **ERRORS}
    ),
)
class EvaluationViewSet(viewsets.ReadOnlyModelViewSet):
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = EvaluationSerializer
    filterset_class = EvaluationFilter

    def get_queryset(self):
        return queries.visible_evaluations(self.request.user).order_by(
            "period", "decider", "unit__path", "id"
        )

    def _flagged(self, items):
        by_period = {}
        for ev in items:
            by_period.setdefault(ev.period_id, (ev.period, []))[1].append(ev)
        for period, evs in by_period.values():
            queries.attach_flags(evs, queries.default_as_of(period))
        return items

    def list(self, request, *args, **kwargs):
        qs = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(qs)
        items = self._flagged(list(page if page is not None else qs))
        data = self.get_serializer(items, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        ev = self._flagged([self.get_object()])[0]
        return Response(self.get_serializer(ev).data)

    def _answer(self, ev):
        ev = self._flagged([self.get_queryset().get(pk=ev.pk)])[0]
        return Response(self.get_serializer(ev).data)

    @extend_schema(
        summary="List the organisations a deciding unit evaluates in a period (its coordinator)",
        request=EvaluationOpenSerializer,
        responses={200: EvaluationOpenedSerializer, **WRITE_ERRORS},
    )
    @action(detail=False, methods=["post"], url_path="open")
    def open(self, request):
        data = validated(request, EvaluationOpenSerializer, self.get_serializer_context())
        period = queries.get_period(request.user, data["period"])
        if period is None:
            raise Http404
        return Response(
            {"created": rating_actions.open_evaluations(request.user, period, data["decider"])}
        )

    def _step(self, request, serializer_class, call):
        ev = self.get_object()
        data = validated(request, serializer_class, self.get_serializer_context())
        try:
            ev = call(request.user, ev, data)
        except rating_actions.CapBlocked as exc:
            cap = exc.status
            body = {
                "detail": str(exc.message),
                "field": "override_reason",
                "cap": {
                    "excellent": cap.excellent,
                    "base": cap.base,
                    "allowed": cap.allowed,
                    "cap_percent": cap.cap_percent,
                },
            }
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return self._answer(ev)

    @extend_schema(
        summary="Self-rating by the organisation (its reporter)",
        request=EvaluationSelfRatingSerializer,
        responses={200: EvaluationSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="self-rating")
    def self_rating(self, request, pk=None):
        def call(user, ev, data):
            return rating_actions.self_rate(user, ev, **data)

        return self._step(request, EvaluationSelfRatingSerializer, call)

    @extend_schema(
        summary="Review and proposal (coordinator of the deciding unit or its org. commission)",
        request=EvaluationReviewSerializer,
        responses={200: EvaluationSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        def call(user, ev, data):
            return rating_actions.review(user, ev, **data)

        return self._step(request, EvaluationReviewSerializer, call)

    @extend_schema(
        summary="Decision by the standing committee of the level above (its coordinator)",
        request=EvaluationDecisionSerializer,
        responses={200: EvaluationSerializer, **VERSIONED_ERRORS, 400: CapBadRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        def call(user, ev, data):
            return rating_actions.decide(user, ev, **data)

        return self._step(request, EvaluationDecisionSerializer, call)

    @extend_schema(
        summary="Return to the organisation before the decision, with a reason; self-rating "
        "reopens (coordinator of the deciding unit or its org. commission)",
        request=EvaluationReturnSerializer,
        responses={200: EvaluationSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_organisation(self, request, pk=None):
        def call(user, ev, data):
            return rating_actions.return_to_organisation(user, ev, **data)

        return self._step(request, EvaluationReturnSerializer, call)

    @extend_schema(
        summary="Notify the organisation of the decision (coordinator of the deciding unit)",
        request=EvaluationNotifySerializer,
        responses={200: EvaluationSerializer, **VERSIONED_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def notify(self, request, pk=None):
        def call(user, ev, data):
            return rating_actions.notify(user, ev, **data)

        return self._step(request, EvaluationNotifySerializer, call)


# --- distribution ------------------------------------------------------------------------------


class DistributionParams(serializers.Serializer):
    unit = IdParam(help_text="The subtree root; rows are its children.")
    period = IdParam(required=False, help_text="Default: the latest period.")


class LevelCountsSerializer(serializers.Serializer):
    excellent = serializers.IntegerField()
    good = serializers.IntegerField()
    complete = serializers.IntegerField()
    not_complete = serializers.IntegerField()


class DistributionRowSerializer(serializers.Serializer):
    unit = UnitRefSerializer(allow_null=True)
    own = serializers.BooleanField(help_text="The evaluation of the subtree root itself.")
    counts = LevelCountsSerializer(help_text="Decided levels.")
    percents = serializers.DictField(
        child=serializers.CharField(), help_text='Localised, e.g. "16,7".'
    )
    undecided = serializers.IntegerField()
    total = serializers.IntegerField()
    over_cap = serializers.BooleanField()
    deciders_over_cap = serializers.ListField(
        child=serializers.CharField(), help_text="Deciding units in the row beyond the cap."
    )
    members = serializers.DictField(child=serializers.IntegerField())


class DistributionSerializer(serializers.Serializer):
    period = serializers.IntegerField(allow_null=True)
    unit = UnitRefSerializer()
    cap_percent = serializers.IntegerField(allow_null=True)
    children = DistributionRowSerializer(many=True)
    total = DistributionRowSerializer()


def _row(row):
    return {
        "unit": _unit_ref(row.unit),
        "own": row.own,
        "counts": {str(lv): row.counts[lv] for lv in LEVEL_ORDER},
        "percents": {str(lv): row.percent(lv) for lv in LEVEL_ORDER},
        "undecided": row.undecided,
        "total": row.total,
        "over_cap": row.over_cap,
        "deciders_over_cap": list(row.deciders_over_cap),
        "members": {k.removeprefix("members_"): v for k, v in row.members.items()},
    }


class DistributionView(APIView):
    @extend_schema(
        summary="Decided levels per child unit of a subtree, with percentages and the cap flag",
        parameters=[DistributionParams],
        responses={200: DistributionSerializer, **ERRORS},
    )
    def get(self, request):
        params = DistributionParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        user = request.user
        unit = get_visible_unit(user, params.validated_data["unit"])
        if unit is None:
            raise Http404
        period_id = params.validated_data.get("period")
        if period_id is not None:
            period = queries.get_period(user, period_id)
            if period is None:
                raise Http404
        else:
            period = queries.latest_period(user, unit, timezone.localdate())
        rows = queries.distribution(user, period, unit) if period else []
        total = queries.distribution_total(
            rows, queries.deciders_over_cap(user, period, unit) if period else []
        )
        total.unit = unit
        body = {
            "period": period.pk if period else None,
            "unit": _unit_ref(unit),
            "cap_percent": period.cap_percent if period else None,
            "children": [_row(r) for r in rows],
            "total": _row(total),
        }
        return Response(DistributionSerializer(body).data)


ROUTES = [
    ("evaluation-periods", PeriodViewSet, "api-evaluation-period"),
    ("evaluations", EvaluationViewSet, "api-evaluation"),
]
PATHS = [
    path(
        "evaluation-distribution/", DistributionView.as_view(), name="api-evaluation-distribution"
    ),
]
