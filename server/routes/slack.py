"""POST /slack/events: Events API, slash command and interactivity, verified and handled by Bolt."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler

from server.deps import ServicesDep
from server.errors import ApiError, error_body
from server.services import Services

router = APIRouter(tags=["slack"], include_in_schema=False)

HANDLER_KEY = "slack_handler"


def slack_handler(services: Services) -> AsyncSlackRequestHandler | None:
    """Built on first use from the running services (never at import), once per process."""
    from server.slack_bot import build_slack_app, slack_configured

    if not slack_configured(services):
        return None
    handler = services.extras.get(HANDLER_KEY)
    if handler is None:
        handler = AsyncSlackRequestHandler(build_slack_app(services))
        services.extras[HANDLER_KEY] = handler
    return handler  # type: ignore[no-any-return]


@router.post("/slack/events")
async def slack_events(request: Request, services: ServicesDep) -> Response:
    handler = slack_handler(services)
    if handler is None:
        raise ApiError(
            503,
            "Slack is not configured: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN.",
            code="slack_not_configured",
        )
    response = await handler.handle(request)
    if response.status_code == 401:
        # Bolt's own 401 body is not the API's error shape.
        return JSONResponse(
            error_body("unauthorized", "The Slack signature is missing, invalid or too old."), status_code=401
        )
    return response
