"""Every id filter of every API list refuses an id no column can hold with a 400."""

import django_filters
import pytest
from django.test import Client

from tests.builders import factories
from trienkhai.api_urls import router
from trienkhai.core.api import IdFilter

HUGE = "9" * 30


def numeric_filters():
    for prefix, viewset, _basename in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        for name, f in getattr(filterset, "base_filters", {}).items():
            # Id filters: declared on a foreign key column, or as IdFilter (method filters).
            if isinstance(f, IdFilter) or (
                isinstance(f, django_filters.NumberFilter) and f.field_name.endswith("_id")
            ):
                yield prefix, name


@pytest.mark.django_db
def test_a_huge_id_is_a_bad_request_not_a_server_error():
    client = Client(raise_request_exception=False)
    client.force_login(factories.user("api-ids", superuser=True))
    cases = list(numeric_filters())
    assert len(cases) > 10  # the walk found the filters
    failures = []
    for prefix, name in cases:
        response = client.get(f"/api/{prefix}/", {name: HUGE})
        if response.status_code != 400:
            failures.append((prefix, name, response.status_code))
        ok = client.get(f"/api/{prefix}/", {name: "1"})
        if ok.status_code != 200:
            failures.append((prefix, name, "id 1 gives", ok.status_code))
    assert failures == []
