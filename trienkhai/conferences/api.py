"""REST API of this app: `ROUTES` go on the project router, `PATHS` under /api/."""

ROUTES: list = []  # (prefix, viewset, basename)
PATHS: list = []  # django.urls.path(...) entries
