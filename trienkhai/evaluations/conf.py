"""Defaults for a new evaluation period, overridable in settings.

A project sets `TRIENKHAI_EVALUATIONS = {"CAP_PERCENT": 15, ...}` to change any of them; each new
period copies the values, and an administrator can then edit them per period (rules are data).
The figures follow Quy định 366-QĐ/TW and Hướng dẫn 43-HD/BTCTW as far as public sources go;
the cap and the disqualifying conditions were found only in secondary sources (verify).
"""

from django.conf import settings

DEFAULTS = {
    "GENERAL_MAX": 30,  # points for the general part (tiêu chí chung)
    "RESULTS_MAX": 70,  # points for the results of the year's tasks
    "EXCELLENT_MIN": 90,  # Hoàn thành xuất sắc nhiệm vụ: total ≥ 90 …
    "EXCELLENT_ON_TIME_MIN": 100,  # … and this % of tasks done on time …
    "EXCELLENT_EXCEEDED_MIN": 30,  # … and this % of targets exceeded
    "GOOD_MIN": 70,  # Hoàn thành tốt nhiệm vụ: 70 ≤ total < 90
    "COMPLETE_MIN": 50,  # Hoàn thành nhiệm vụ: 50 ≤ total < 70; below: không hoàn thành
    # At most this % of the organisations rated good-or-better by one deciding unit in the
    # period may be rated excellent.
    "CAP_PERCENT": 20,
    # Any one of these makes the level "Không hoàn thành nhiệm vụ" whatever the score.
    "DISQUALIFIERS": [
        "Tổ chức đảng bị thi hành kỷ luật trong năm",
        "Có vụ việc tham nhũng, lãng phí, tiêu cực hoặc mất đoàn kết nội bộ nghiêm trọng "
        "chậm được khắc phục",
        "Có trên một nửa số tổ chức đảng trực thuộc xếp loại không hoàn thành nhiệm vụ",
    ],
}


def defaults() -> dict:
    """The defaults with the project's overrides applied (a fresh copy each call)."""
    values = {**DEFAULTS, **getattr(settings, "TRIENKHAI_EVALUATIONS", {})}
    values["DISQUALIFIERS"] = list(values["DISQUALIFIERS"])
    return values
