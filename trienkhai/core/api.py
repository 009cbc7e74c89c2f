"""API error handling: user-facing refusals become 400s with their message, never a traceback."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from trienkhai.core.actions import ActionError


def exception_handler(exc, context):
    if isinstance(exc, ActionError):
        body = {"detail": str(exc.message)}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
