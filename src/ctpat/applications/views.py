"""Partner pages (being written)."""

from django.http import HttpRequest, HttpResponse


def dashboard(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def eligibility(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
