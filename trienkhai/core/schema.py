"""The OpenAPI schema's operations document every answer the API may give, not only the ones
an endpoint declares: a 400 wherever a query or a body is read, 401/403 behind sign-in, 404
for a record in the path, 415 for a body in a type the endpoint does not parse."""

from drf_spectacular import openapi
from rest_framework import serializers
from rest_framework.permissions import AllowAny

# What DRF's CharField refuses, as ECMA/Python regular expressions: NUL characters, lone
# surrogates, and (unless blank is allowed) text that is only whitespace once trimmed.
_ALLOWED = r"[^\x00\ud800-\udfff]"
TEXT = rf"^{_ALLOWED}*$"
NON_BLANK_TEXT = rf"^{_ALLOWED}*[^\s\x00\ud800-\udfff]{_ALLOWED}*$"


class AutoSchema(openapi.AutoSchema):
    def map_parsers(self):
        """JSON is the API's format: form encodings (which cannot say null, nor lists of
        objects) are still parsed where DRF parses them, but documented only for uploads."""
        media = super().map_parsers()
        return ["application/json"] if "application/json" in media else media

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if not isinstance(schema, dict):
            return schema
        if schema.get("type") == "array" and getattr(field, "allow_empty", True) is False:
            schema.setdefault("minItems", 1)
        if schema.get("type") != "string":
            return schema
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and "pattern" not in schema
        ):
            schema["pattern"] = TEXT if field.allow_blank else NON_BLANK_TEXT
            if not field.allow_blank:
                schema.setdefault("minLength", 1)
        if isinstance(field, serializers.DecimalField) and field.max_whole_digits is not None:
            # drf-spectacular's pattern admits "", "-" and "."; DRF needs at least one digit.
            whole, places = field.max_whole_digits, field.decimal_places
            schema["pattern"] = rf"^-?(?=\.?\d)\d{{0,{whole}}}(?:\.\d{{0,{places}}})?$"
        return schema

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        from trienkhai.core.api import BadRequestSerializer, ErrorSerializer

        for param in operation.get("parameters", []):
            if param.get("in") == "query" and not param.get("required"):
                # An empty optional parameter (`?as_of=`, as a form sends it) reads as absent.
                param["allowEmptyValue"] = True
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
