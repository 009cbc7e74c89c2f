"""The OpenAPI schema's operations document every answer the API may give, not only the ones
an endpoint declares: a 400 wherever a query or a body is read, 401/403 behind sign-in, 404
for a record in the path, 415 for a body in a type the endpoint does not parse."""

from drf_spectacular import openapi
from rest_framework.permissions import AllowAny


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        from trienkhai.core.api import BadRequestSerializer, ErrorSerializer

        places = {p.get("in") for p in operation.get("parameters", [])}
        expected = {}
        if "query" in places or "requestBody" in operation:
            expected["400"] = BadRequestSerializer
        if not all(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            expected["401"] = ErrorSerializer
            expected["403"] = ErrorSerializer
        if "path" in places:
            expected["404"] = ErrorSerializer
        if "requestBody" in operation:
            expected["415"] = ErrorSerializer
        responses = operation["responses"]
        for code, serializer in expected.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(serializer, code)
        return operation
