"""Placeholder views, replaced by the units interface."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def tree(request):
    return HttpResponse("")


@login_required
def detail(request, pk):
    return HttpResponse("")


@login_required
def import_units(request):
    return HttpResponse("")
