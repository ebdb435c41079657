"""Dates for the roadmap, forward from `today` and back from the target audit date.

Model (documented in the report):
- effort_days are workdays; items start on the first workday after everything they wait for is due,
  and one owner role works one item at a time (a small team cannot run five projects in parallel).
- Type II: every control must operate for the whole observation window before the audit, so the
  remediation deadline is the window's first day (target minus `observation_window_months`).
- Type I: a point-in-time audit; work must be finished when the guide's pre-audit re-run starts
  (60 days before the audit) so the re-run sees the finished state.
- The guide's re-run of the gap analysis is scheduled 60 to 30 days before the audit; its first run
  should happen at least 6 months before.
- `latest_due` is the latest finish that still keeps the target, computed backwards through
  dependents; an item finishing after it makes the target unrealistic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from agent.roadmap.dates import add_months, finish_date, next_workday, previous_workday, start_date


@dataclass
class Slot:
    start: date
    due: date


@dataclass
class AuditDates:
    audit_type: str
    planned_audit_date: date
    window_start: date | None
    deadline: date
    rerun_start: date
    rerun_due: date
    first_run_by: date


def audit_dates(
    audit_date: date, audit_type: str, window_months: int, rerun_days: tuple[int, int], first_run_months: int
) -> AuditDates:
    near, far = sorted(rerun_days)
    rerun_start = audit_date - timedelta(days=far)
    rerun_due = audit_date - timedelta(days=near)
    window_start = add_months(audit_date, -window_months) if audit_type == "type2" else None
    deadline = window_start - timedelta(days=1) if window_start else rerun_start - timedelta(days=1)
    return AuditDates(
        audit_type=audit_type,
        planned_audit_date=audit_date,
        window_start=window_start,
        deadline=previous_workday(deadline),
        rerun_start=rerun_start,
        rerun_due=rerun_due,
        first_run_by=add_months(audit_date, -first_run_months),
    )


def forward_schedule(
    today: date, order: list[int], efforts: list[int], owners: list[str], deps: dict[int, set[int]]
) -> dict[int, Slot]:
    slots: dict[int, Slot] = {}
    owner_free: dict[str, date] = {}
    for i in order:
        earliest = today
        for j in deps.get(i, set()):
            if j in slots:
                earliest = max(earliest, slots[j].due + timedelta(days=1))
        earliest = max(earliest, owner_free.get(owners[i], today))
        start = next_workday(earliest)
        due = finish_date(start, efforts[i])
        slots[i] = Slot(start, due)
        owner_free[owners[i]] = due + timedelta(days=1)
    return slots


def latest_dues(
    deadline: date, order: list[int], efforts: list[int], deps: dict[int, set[int]]
) -> dict[int, date]:
    """Latest due per item so that it and everything waiting on it finish by `deadline`."""
    latest: dict[int, date] = {}
    for i in reversed(order):
        latest.setdefault(i, deadline)
        latest_start = start_date(latest[i], efforts[i])
        for j in deps.get(i, set()):
            bound = previous_workday(latest_start - timedelta(days=1))
            latest[j] = min(latest.get(j, deadline), bound)
    return latest


def earliest_realistic_date(
    today: date, work_done: date | None, audit_type: str, window_months: int, rerun_days: tuple[int, int]
) -> date:
    """The first audit date the plan can meet: after the work, the window (Type II) and a re-run."""
    near, far = sorted(rerun_days)
    if work_done is None:
        # Nothing to fix: the controls already operate; only the pre-audit re-run needs room.
        return today + timedelta(days=near)
    ready = next_workday(work_done + timedelta(days=1))
    if audit_type == "type2":
        # The re-run must also fall after the work, which matters for windows shorter than two months.
        return max(add_months(ready, window_months), ready + timedelta(days=far))
    return ready + timedelta(days=far)
