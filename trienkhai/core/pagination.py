"""Keyset-free simple pagination for HTML lists (counts capped so huge tables stay fast)."""

from django.core.paginator import InvalidPage, Paginator


def paginate(request, queryset, per_page: int = 50):
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except (InvalidPage, ValueError):
        return paginator.page(1)
