"""Limits of an inspection (Quy định 296-QĐ/TW, to verify): read from settings, never hard-coded.

Settings may override any key of DEFAULTS with `TRIENKHAI_INSPECTION_LIMITS = {...}`; a breach is
shown as a warning, not refused, because the rules are still to be verified and exceptions exist.
"""

from django.conf import settings

DEFAULTS = {
    "max_period_years": 5,  # period covered: at most the last five years
    "central": 60,  # working days of a team of the centre
    "provincial": 45,  # of a province (or an organisation directly under the centre)
    "above_grassroots": 20,  # of the level directly above grassroots (communes; districts before)
    "extension_fraction": 1 / 3,  # an extension adds at most a third of the limit
}


def limits() -> dict:
    return {**DEFAULTS, **getattr(settings, "TRIENKHAI_INSPECTION_LIMITS", {})}
