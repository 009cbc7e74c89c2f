"""Run by the import fault test in its own process: a small tree, a national administrator and
an import of `N` communes (each with a grassroots organisation and a cell) queued for the
worker; print the import's id."""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trienkhai.settings")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402

from tests.builders import factories  # noqa: E402
from trienkhai.units.imports.files import COLUMNS  # noqa: E402
from trienkhai.units.imports.jobs import import_file  # noqa: E402
from trienkhai.units.models import UnitImport  # noqa: E402

n = int(sys.argv[1])
factories.small_tree()
admin = factories.user("quantri-nhap", superuser=True)
lines = [",".join(COLUMNS)]
for i in range(n):
    lines.append(f"XN{i},Xã Nhập {i},,commune,P-a,01/07/2025")
    lines.append(f"GXN{i},Đảng bộ {i},,grassroots,XN{i},01/07/2025")
    lines.append(f"CXN{i},Chi bộ {i},,cell,GXN{i},01/07/2025")
content = ("\n".join(lines) + "\n").encode()
record = UnitImport(user=admin, filename="don_vi.csv", size=len(content), language="vi")
record.file.save("don_vi.csv", ContentFile(content), save=False)
record.save()
result = import_file.enqueue(import_id=record.pk)
print(record.pk, result.id)
