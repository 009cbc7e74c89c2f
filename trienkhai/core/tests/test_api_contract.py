"""The API answers as its schema says: bounded pages, JSON 404s, versioned writes that require
their version, 400s documented in the shape they have, filters documented with their bounds."""

import pytest
from rest_framework.test import APIClient

from tests.builders import factories
from trienkhai.core.pagination import MAX_LIMIT

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(tree):
    c = APIClient()
    c.force_authenticate(factories.user("api-contract", superuser=True))
    return c


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, op in item.items():
            yield path, method, op


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "3000000"},
        {"limit": str(MAX_LIMIT + 1)},
        {"limit": "0"},
        {"limit": "-1"},
        {"limit": "null"},
        {"limit": "ten"},
        {"offset": "null"},
        {"offset": "-5"},
        {"offset": "1.5"},
        {"offset": "999999999999999999999"},
    ],
)
def test_a_bad_limit_or_offset_is_a_400_naming_it(client, params):
    response = client.get("/api/units/", params)
    assert response.status_code == 400
    (name,) = params
    assert list(response.json()) == [name] and response.json()[name][0]


def test_pages_are_capped_but_the_cap_is_accepted(client, tree):
    body = client.get("/api/units/", {"limit": MAX_LIMIT, "offset": 0}).json()
    assert body["count"] == len(tree) and len(body["results"]) == len(tree)
    assert len(client.get("/api/units/").json()["results"]) == len(tree)  # default 50
    assert client.get("/api/units/", {"limit": 2, "offset": 1}).json()["results"][0]["code"]


def test_pagination_bounds_are_documented(schema):
    for path, _method, op in operations(schema):
        for param in op.get("parameters", []):
            if param["name"] == "limit":
                assert param["schema"]["maximum"] == MAX_LIMIT, path
                assert param["schema"]["minimum"] == 1, path
            if param["name"] == "offset":
                assert param["schema"]["minimum"] == 0, path
                assert "maximum" in param["schema"], path


@pytest.mark.parametrize(
    "path", ["/api/nothing-here/", "/api/units/1.5/", "/api/units/1/nothing/", "/api/x/y/z/"]
)
def test_an_unmatched_api_path_is_a_json_404(client, path):
    client = APIClient(enforce_csrf_checks=True)  # as a browser's session would be checked
    for method in ("get", "post", "delete"):
        response = getattr(client, method)(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"]


def test_every_versioned_write_requires_its_version(schema):
    components = schema["components"]["schemas"]
    versioned = []
    for path, method, op in operations(schema):
        if "409" not in op["responses"]:
            continue
        versioned.append((method, path))
        content = op["requestBody"]["content"]
        for media, body in content.items():
            ref = body["schema"]["$ref"].rsplit("/", 1)[-1]
            required = set(components[ref].get("required", []))
            assert required & {"expected_version", "expected_updated_at"}, (method, path, media)
    assert len(versioned) >= 15  # the walk found the versioned writes


def test_a_write_without_its_version_is_a_400(tree, client, schema):
    """Every request body with `expected_version` refuses a payload that leaves it out."""
    for path, method, op in operations(schema):
        body = op.get("requestBody", {}).get("content", {}).get("application/json")
        if not body:
            continue
        ref = body["schema"]["$ref"].rsplit("/", 1)[-1]
        if "expected_version" not in schema["components"]["schemas"][ref]["properties"]:
            continue
        url = path.replace("{id}", "1")
        response = getattr(client, method)(url, {}, format="json")
        if response.status_code == 404:
            continue  # no such record here: the shape check below covers the rest
        assert response.status_code == 400, (method, path)
        assert "expected_version" in response.json(), (method, path)


def test_bad_requests_are_documented_in_their_shape(schema):
    components = schema["components"]["schemas"]
    bad = components["BadRequest"]
    shapes = bad["anyOf"]
    assert {"$ref": "#/components/schemas/Error"} in shapes
    field_errors = next(s for s in shapes if "additionalProperties" in s)
    assert field_errors["type"] == "object"
    for path, method, op in operations(schema):
        has_input = "requestBody" in op or any(p["in"] == "query" for p in op.get("parameters", []))
        if not has_input:
            continue
        answer = op["responses"].get("400")
        assert answer is not None, (method, path)
        ref = answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        # Field errors or a rule's refusal; the sign-in only ever answers with a message.
        assert "anyOf" in components[ref] or path == "/api/auth/token/", (method, path)


def test_id_filters_are_documented_as_the_whole_numbers_they_accept(client, schema):
    from trienkhai.core.tests.test_api_id_filters import numeric_filters

    documented = {}
    for path, _method, op in operations(schema):
        for param in op.get("parameters", []):
            documented[(path, param["name"])] = param["schema"]
    for prefix, name in numeric_filters():
        param = documented[(f"/api/{prefix}/", name)]
        assert param["type"] == "integer" and param["minimum"] == 1, (prefix, name)
        for value in ("4.5", "0"):
            response = client.get(f"/api/{prefix}/", {name: value})
            assert response.status_code == 400 and name in response.json(), (prefix, name)
