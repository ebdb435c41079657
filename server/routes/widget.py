"""The embeddable chat widget (/widget.js) and the demo page that hosts it (/)."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from server.deps import ServicesDep
from server.services import DEMO_WIDGET_KEY

router = APIRouter(tags=["widget"], include_in_schema=False)


def _static(name: str) -> str:
    return (resources.files("server") / "static" / name).read_text(encoding="utf-8")


@router.get("/widget.js")
async def widget_js() -> Response:
    return Response(_static("widget.js"), media_type="application/javascript; charset=utf-8")


@router.get("/", response_class=HTMLResponse)
async def demo_page(services: ServicesDep) -> HTMLResponse:
    return HTMLResponse(_static("index.html").replace("{{WIDGET_KEY}}", DEMO_WIDGET_KEY))
