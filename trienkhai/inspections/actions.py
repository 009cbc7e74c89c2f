"""Every write of the inspections app (views, API and demo call these, nothing else saves)."""

from trienkhai.inspections.actions_common import StaleEdit  # noqa: F401
from trienkhai.inspections.actions_conclusions import (  # noqa: F401
    add_finding,
    add_recommendation,
    add_request,
    remove_finding,
    respond_recommendation,
)
from trienkhai.inspections.actions_inspections import (  # noqa: F401
    add_inspected_unit,
    add_member,
    create_inspection,
    remove_inspected_unit,
    remove_member,
    set_outline,
    update_inspection,
    upload_self_report,
)
from trienkhai.inspections.actions_programmes import (  # noqa: F401
    create_programme,
    update_programme,
)
from trienkhai.inspections.actions_remediation import (  # noqa: F401
    close as close_request,
)
from trienkhai.inspections.actions_remediation import (  # noqa: F401
    evaluate,
    file_action_plan,
    report,
)
from trienkhai.inspections.actions_remediation import (  # noqa: F401
    start as start_request,
)
from trienkhai.inspections.actions_steps import (  # noqa: F401
    NEXT,
    STEPS,
    announce,
    close_inspection,
    conclude,
    decide,
    receive_self_reports,
    register_side_document,
    start_remediation,
    start_verification,
)
