"""Slack endpoint; filled in by the Slack work."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["slack"], include_in_schema=False)
