"""The embeddable chat widget (/widget.js) and the demo page that hosts it (/)."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from server.deps import ServicesDep
from server.services import DEMO_WIDGET_KEY

router = APIRouter(tags=["widget"], include_in_schema=False)

# The demo page needs nothing but its own origin: a browser enforcing this proves the widget makes no
# third-party requests. Inline styles stay allowed because the widget styles its shadow root inline.
DEMO_PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def _static(name: str) -> str:
    return (resources.files("server") / "static" / name).read_text(encoding="utf-8")


@router.get("/widget.js")
async def widget_js() -> Response:
    # Revalidated on every load, so embedding sites pick up a new release without changing their tag.
    return Response(
        _static("widget.js"),
        media_type="application/javascript; charset=utf-8",
        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
    )


@router.get("/", response_class=HTMLResponse)
async def demo_page(services: ServicesDep) -> HTMLResponse:
    return HTMLResponse(
        _static("index.html").replace("{{WIDGET_KEY}}", DEMO_WIDGET_KEY),
        headers={"Content-Security-Policy": DEMO_PAGE_CSP, "X-Content-Type-Options": "nosniff"},
    )
