"""Placeholder views, replaced by the documents interface."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def document_list(request):
    return HttpResponse("")
