"""Endpoints for machines: liveness, readiness, metrics, and the browser's CSP reports."""

import hmac
import ipaddress
import json
import logging

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from prometheus_client import CONTENT_TYPE_LATEST, Counter

from trienkhai.ops import health, metrics

log = logging.getLogger("trienkhai.csp")

CSP_REPORT_MAX_BYTES = 64 * 1024
csp_reports = Counter("trienkhai_csp_reports", "Content Security Policy violations reported.")


@never_cache
@require_GET
def healthz(request):
    """The process answers: nothing else is looked at (a restart is the remedy when it fails)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Every part a page needs; 503 naming what is wrong, so a balancer sends no one here.
    `?checks=database,migrations` asks only those (a balancer that should keep a server while
    Redis is away: pages work without the cache, tasks wait in the outbox)."""
    asked = [c for c in request.GET.get("checks", "").split(",") if c]
    unknown = [c for c in asked if c not in health.CHECKS]
    if unknown:
        return JsonResponse({"status": "fail", "unknown_checks": unknown}, status=400)
    checks = health.readiness(asked or None)
    ready = all(reason is None for reason in checks.values())
    body = {
        "status": "ok" if ready else "fail",
        "checks": {name: reason or "ok" for name, reason in checks.items()},
    }
    return JsonResponse(body, status=200 if ready else 503)


def _may_scrape(request) -> bool:
    """With TRIENKHAI_METRICS_TOKEN set, only a bearer of it; without one, only a process on
    this machine talking to the application directly (nginx adds X-Forwarded-For, so a request
    from outside that nginx passes on is refused too)."""
    token = settings.TRIENKHAI_METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    if "X-Forwarded-For" in request.headers:
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@never_cache
@require_GET
def prometheus(request):
    if not _may_scrape(request):
        raise Http404
    return HttpResponse(metrics.exposition(), content_type=CONTENT_TYPE_LATEST)


def _violations(payload) -> list[dict]:
    """The reports of either format: `{"csp-report": {...}}` (report-uri) or a list of
    `{"type": "csp-violation", "body": {...}}` (the Reporting API)."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        return [payload["csp-report"]]
    if isinstance(payload, list):
        return [
            item["body"]
            for item in payload
            if isinstance(item, dict) and isinstance(item.get("body"), dict)
        ]
    return []


def _field(report: dict, *names: str) -> str:
    for name in names:
        value = report.get(name)
        if isinstance(value, str | int):
            return str(value)[:300]
    return ""


@csrf_exempt
@require_POST
def csp_report(request):
    """Log what the browser refused. Bounded, never stored: a report is only a hint."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        payload = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return HttpResponse(status=400)
    reports = _violations(payload)
    if not reports:
        return HttpResponse(status=400)
    for report in reports[:10]:
        csp_reports.inc()
        log.warning(
            "CSP violation: %s blocked %s on %s",
            _field(report, "violated-directive", "effectiveDirective", "violatedDirective"),
            _field(report, "blocked-uri", "blockedURL", "blockedUri"),
            _field(report, "document-uri", "documentURL", "documentUri"),
        )
    return HttpResponse(status=204)
