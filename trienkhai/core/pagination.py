"""Pagination: simple pages for HTML lists, and limit/offset for the API with bounded values."""

from django.core.paginator import InvalidPage, Paginator
from rest_framework import pagination, serializers

# The API's page sizes: at most MAX_LIMIT rows per request, DEFAULT_LIMIT when not asked.
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
# The largest offset: an integer every JSON client reads exactly (2**53 - 1) and every
# database's OFFSET holds, so a huge number is a 400, not an overflow deep in the driver.
MAX_OFFSET = 2**53 - 1


def paginate(request, queryset, per_page: int = 50, count: int | None = None):
    """A page of `queryset`; `count`, when known, spares counting the annotated queryset."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # Paginator.count is a cached property
    try:
        return paginator.page(request.GET.get("page") or 1)
    except (InvalidPage, ValueError):
        return paginator.page(1)


def page_number(request, name: str = "page") -> int | None:
    """A 1-based page number from the query string (1 when absent), None when it is not a
    number a page can have: the view answers 400 instead of guessing."""
    raw = request.GET.get(name) or "1"
    if not raw.isdigit() or len(raw) > 15:
        return None
    return max(1, int(raw))


class PageParams(serializers.Serializer):
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT
    )
    offset = serializers.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, default=0)


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """DRF's limit/offset with a cap: a limit or offset that is not a whole number in range
    (`null`, negative, `3000000`) is a 400 naming the parameter, never silently replaced."""

    default_limit = DEFAULT_LIMIT
    max_limit = MAX_LIMIT

    def _params(self, request) -> dict:
        cached = getattr(request, "_trienkhai_page_params", None)
        if cached is None:
            raw = {
                key: request.query_params[key]
                for key in (self.limit_query_param, self.offset_query_param)
                if request.query_params.get(key, "") != ""
            }
            params = PageParams(data=raw)
            params.is_valid(raise_exception=True)
            cached = dict(params.validated_data)
            request._trienkhai_page_params = cached
        return cached

    def get_limit(self, request):
        return self._params(request)["limit"]

    def get_offset(self, request):
        return self._params(request)["offset"]

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
            self.offset_query_param: {"minimum": 0, "maximum": MAX_OFFSET, "default": 0},
        }
        for param in params:
            param["schema"].update(bounds.get(param["name"], {}))
        return params
