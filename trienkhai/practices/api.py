"""REST API of the good-practice register: a scoped viewset (list, read, record, edit, attach
evidence, adopt, remove an adoption).

Visibility as on the pages (`practices.queries`): the caller's units and the practices of the
units above them; adoptions only of units in reach. Writes validate shape here and call
`practices.actions` (400 with the Vietnamese message, 403 for a role, 409 for a stale edit).
`ROUTES` and `PATHS` are wired into /api/ by trienkhai/api_urls.py.
"""

import django_filters
from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from trienkhai.accounts.scope import unit_scope
from trienkhai.core.api import (
    ERRORS,
    WRITE_ERRORS,
    ConflictSerializer,
    DateField,
    IdFilter,
    IdParam,
    VersionField,
    YearFilter,
    scoped_pk_field,
)
from trienkhai.core.files import MAX_UPLOAD_BYTES
from trienkhai.documents.queries import readable_documents
from trienkhai.practices import actions, queries
from trienkhai.practices.models import Adoption, GoodPractice
from trienkhai.units.api import ScopedUnitField, UnitRefSerializer
from trienkhai.units.queries import get_visible_unit


class PracticeDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    symbol = serializers.CharField()
    date = serializers.DateField()


class PracticeEvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()


class AdoptionSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()

    class Meta:
        model = Adoption
        fields = ("id", "unit", "adopted_on", "note")


class GoodPracticeSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()
    directives = serializers.SerializerMethodField()
    evidence = PracticeEvidenceSerializer(many=True)
    adoptions = serializers.SerializerMethodField()

    class Meta:
        model = GoodPractice
        fields = (
            "id",
            "unit",
            "title",
            "description",
            "year",
            "source",
            "directives",
            "evidence",
            "adoptions",
            "version",
        )

    @extend_schema_field(PracticeDocumentSerializer(many=True))
    def get_directives(self, obj) -> list:
        """As prefetched by the viewset: only documents the caller may read."""
        return [{"id": d.pk, "symbol": d.symbol, "date": d.date} for d in obj.directives.all()]

    @extend_schema_field(AdoptionSerializer(many=True))
    def get_adoptions(self, obj) -> list:
        """As prefetched by the viewset: only adoptions by units in the caller's reach."""
        return AdoptionSerializer(obj.adoptions.all(), many=True).data


@scoped_pk_field
class ReadableDocumentField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return readable_documents(self.context["request"].user)


class GoodPracticeWriteSerializer(serializers.Serializer):
    unit = ScopedUnitField(help_text="The unit that developed the practice.")
    title = serializers.CharField(max_length=300)
    description = serializers.CharField()
    year = serializers.IntegerField()
    source = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    directives = serializers.ListField(child=ReadableDocumentField(), required=False, default=list)


class GoodPracticeUpdateSerializer(GoodPracticeWriteSerializer):
    expected_version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "expected_version":
                field.required = False
                field.default = serializers.empty


class AdoptSerializer(serializers.Serializer):
    unit = ScopedUnitField(help_text="The unit that adopted the practice.")
    adopted_on = DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_field(OpenApiTypes.BINARY)
class UploadField(serializers.FileField):
    """A file part of a multipart request, documented as binary (not a URL)."""


class EvidenceUploadSerializer(serializers.Serializer):
    file = UploadField(
        help_text="PDF, office document, image, text or zip; at most 20 MB.", use_url=False
    )


class RemoveAdoptionSerializer(serializers.Serializer):
    adoption = IdParam(help_text="The id of the adoption, as listed.")


class GoodPracticeFilter(django_filters.FilterSet):
    unit = IdFilter(method="filter_unit", label="Unit whose subtree is listed")
    directive = IdFilter(
        method="filter_directive", label="Related document (readable by the caller)"
    )
    year = YearFilter()
    q = django_filters.CharFilter(method="filter_q", label="Search, diacritics ignored")

    def filter_unit(self, queryset, name, value):
        unit = get_visible_unit(self.request.user, value)
        if unit is None:
            return queryset.none()
        return queries.filter_practices(queryset, unit=unit)

    def filter_directive(self, queryset, name, value):
        # Through the caller's readable documents: a classified id matches nothing (no oracle).
        directive = readable_documents(self.request.user).filter(pk=value).first()
        if directive is None:
            return queryset.none()
        return queries.filter_practices(queryset, directive=directive)

    def filter_q(self, queryset, name, value):
        return queries.filter_practices(queryset, q=value)


@extend_schema_view(
    list=extend_schema(summary="Good practices of the caller's units and of the units above"),
    retrieve=extend_schema(
        summary="One good practice", responses={200: GoodPracticeSerializer, **ERRORS}
    ),
)
class GoodPracticeViewSet(viewsets.ReadOnlyModelViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = GoodPracticeSerializer
    filterset_class = GoodPracticeFilter

    def get_queryset(self):
        user = self.request.user
        return (
            queries.visible_practices(user)
            .prefetch_related(
                Prefetch("directives", queryset=readable_documents(user).order_by("date", "id")),
                Prefetch(
                    "adoptions",
                    queryset=Adoption.objects.filter(unit_scope(user, "unit")).select_related(
                        "unit"
                    ),
                ),
                "evidence",
            )
            .order_by("-year", "-id")
        )

    def _out(self, practice, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=practice.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(
        summary="Record a good practice (reporter of its unit)",
        request=GoodPracticeWriteSerializer,
        responses={201: GoodPracticeSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        ser = GoodPracticeWriteSerializer(data=request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        practice = actions.record_practice(request.user, **ser.validated_data)
        return self._out(practice, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a good practice; fields left out keep their value",
        request=GoodPracticeUpdateSerializer,
        responses={200: GoodPracticeSerializer, 409: ConflictSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, pk=None):
        practice = self.get_object()
        ser = GoodPracticeUpdateSerializer(data=request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        values = dict(ser.validated_data)
        expected = values.pop("expected_version", None)
        practice = actions.update_practice(
            request.user, practice, expected_version=expected, **values
        )
        return self._out(practice)

    @extend_schema(
        summary="Record that a unit adopted the practice (reporter of the adopting unit)",
        request=AdoptSerializer,
        responses={201: GoodPracticeSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def adopt(self, request, pk=None):
        practice = self.get_object()
        ser = AdoptSerializer(data=request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        actions.adopt(request.user, practice, **ser.validated_data)
        return self._out(practice, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Attach an evidence file (multipart; reporter of the practice's unit)",
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: PracticeEvidenceSerializer, **WRITE_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser],
    )
    def evidence(self, request, pk=None):
        practice = self.get_object()
        ser = EvidenceUploadSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        upload = ser.validated_data["file"]
        # One byte past the cap is enough for the upload check to refuse a larger file.
        content = upload.read(MAX_UPLOAD_BYTES + 1)
        evidence = actions.attach_evidence(
            request.user, practice, name=upload.name, content=content
        )
        return Response(PracticeEvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove an adoption (reporter of the adopting unit or a coordinator above it)",
        request=RemoveAdoptionSerializer,
        responses={200: GoodPracticeSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="remove-adoption")
    def remove_adoption(self, request, pk=None):
        practice = self.get_object()
        ser = RemoveAdoptionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        adoption = (
            queries.visible_adoptions(request.user, practice)
            .filter(pk=ser.validated_data["adoption"])
            .first()
        )
        if adoption is None:
            raise Http404
        actions.remove_adoption(request.user, adoption)
        return self._out(practice)


ROUTES: list = [("practices", GoodPracticeViewSet, "api-practice")]
PATHS: list = []
