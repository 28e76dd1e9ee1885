"""Temporary placeholder view used while an app's pages are being built."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def placeholder(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return render(request, "core/placeholder.html")
