"""/v1/assessments: start, answer, read, report, delete."""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from agent.engine import AssessmentExists, AssessmentView, MessageTooLong, TurnResult
from server.deps import OwnedAssessmentDep, PrincipalDep, SecretPrincipalDep, ServicesDep
from server.errors import ApiError
from server.schemas import ERRORS, AssessmentList, AssessmentOut, MessageIn, StartIn, TurnOut
from server.services import Services

router = APIRouter(prefix="/v1/assessments", tags=["assessments"])
T = TypeVar("T")


def turn_out(result: Any, session_token: str | None = None) -> TurnOut:
    data = result.model_dump(mode="json")
    return TurnOut(
        assessment_id=data["assessment_id"],
        messages=data["messages"],
        pending=data["pending"],
        progress=data["progress"],
        status=data["status"],
        session_token=session_token,
    )


@router.post("", status_code=201, response_model=TurnOut, responses=ERRORS)
async def start_assessment(
    principal: PrincipalDep, services: ServicesDep, body: StartIn | None = None
) -> TurnOut:
    """Starts an assessment owned by the caller's tenant; a widget key also gets a session token."""
    assessment_id = uuid.uuid4().hex
    session_token = secrets.token_urlsafe(24) if principal.kind == "publishable" else None
    channel = "widget" if principal.kind == "publishable" else (body.channel if body else "api")
    services.store.register_assessment(assessment_id, principal.tenant, session_token, channel)
    try:
        result = await run_in_threadpool(
            _locked, services, assessment_id, lambda: services.engine.start(assessment_id)
        )
    except BaseException:
        # No half-made assessment stays registered to the tenant.
        services.store.forget_assessment(assessment_id)
        raise
    return turn_out(result, session_token)


@router.get("", response_model=AssessmentList, responses=ERRORS)
async def list_assessments(principal: SecretPrincipalDep, services: ServicesDep) -> AssessmentList:
    return AssessmentList(assessments=services.store.list_assessments(principal.tenant))


def _locked(services: Services, assessment_id: str, action: Callable[[], T]) -> T:
    with services.locks.hold(assessment_id), engine_errors(assessment_id):
        return action()


@contextmanager
def engine_errors(assessment_id: str) -> Iterator[None]:
    """The engine's own refusals become the API's errors instead of a 500."""
    try:
        yield
    except KeyError as exc:
        if exc.args and exc.args[0] == assessment_id:
            raise ApiError(404, f"No assessment {assessment_id!r}.") from None
        raise
    except MessageTooLong as exc:
        raise ApiError(422, str(exc), code="message_too_long") from None
    except AssessmentExists:
        raise ApiError(409, f"Assessment {assessment_id!r} already exists.") from None


def _send(services: Services, assessment_id: str, text: str, idempotency_key: str | None) -> TurnResult:
    def action() -> TurnResult:
        # Checked under the lock: a retry racing its original sees the first one's record.
        delivery = f"api:{assessment_id}:{idempotency_key}" if idempotency_key else None
        if delivery and not services.store.first_delivery(delivery):
            raise ApiError(409, "A message with this Idempotency-Key was already applied.", code="duplicate")
        try:
            if services.engine.get_state(assessment_id).status == "complete":
                raise ApiError(409, "This assessment is complete; start a new one or read its report.")
            return services.engine.send(assessment_id, text)
        except BaseException:
            if delivery:
                services.store.forget_delivery(delivery)
            raise

    return _locked(services, assessment_id, action)


@router.post(
    "/{assessment_id}/messages",
    response_model=TurnOut,
    responses={**ERRORS, 200: {"content": {"text/event-stream": {}}}},
)
async def post_message(
    assessment_id: OwnedAssessmentDep,
    body: MessageIn,
    request: Request,
    services: ServicesDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> Response | TurnOut:
    """The user's reply. With `Accept: text/event-stream` the agent's messages stream as SSE events
    (`delta`, `message`, then `done` carrying the whole turn)."""
    limit = services.settings.max_message_chars
    if len(body.text) > limit:
        raise ApiError(
            422, f"Message is {len(body.text)} characters; the limit is {limit}.", code="message_too_long"
        )
    result = await run_in_threadpool(_send, services, assessment_id, body.text, idempotency_key)
    out = turn_out(result)
    if "text/event-stream" in request.headers.get("accept", ""):
        return StreamingResponse(
            _sse(out), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
        )
    return out


def _sse(out: TurnOut) -> Iterator[str]:
    """Each agent message streams word by word, then one `done` event carries pending and progress."""
    for index, message in enumerate(out.messages):
        words = message.split(" ")
        for start in range(0, len(words), 8):
            chunk = " ".join(words[start : start + 8]) + (" " if start + 8 < len(words) else "")
            yield f"event: delta\ndata: {json.dumps({'index': index, 'text': chunk})}\n\n"
        yield f"event: message\ndata: {json.dumps({'index': index, 'text': message})}\n\n"
    yield f"event: done\ndata: {out.model_dump_json()}\n\n"


def _read(services: Services, assessment_id: str) -> AssessmentView:
    with engine_errors(assessment_id):
        view: AssessmentView = services.engine.get_state(assessment_id)
        return view


@router.get("/{assessment_id}", response_model=AssessmentOut, responses=ERRORS)
async def get_assessment(assessment_id: OwnedAssessmentDep, services: ServicesDep) -> AssessmentOut:
    view = await run_in_threadpool(_read, services, assessment_id)
    return AssessmentOut.model_validate(view.model_dump(mode="json"))


@router.get("/{assessment_id}/report", response_model=None, responses=ERRORS)
async def get_report(
    assessment_id: OwnedAssessmentDep,
    services: ServicesDep,
    format: Annotated[Literal["json", "md", "html"], Query()] = "json",
) -> Response:
    """The report, also while in progress (scored so far)."""
    # Building and rendering is CPU work: off the event loop so other requests keep flowing.
    return await run_in_threadpool(_render_report, services, assessment_id, format)


def _render_report(services: Services, assessment_id: str, format: str) -> Response:
    from agent.report import build_report, render_html, render_markdown

    view = _read(services, assessment_id)
    # Dated from the last answer, so a stored run keeps its own due dates (as `soc2-gap report` does).
    report = build_report(view, services.kb, services.settings, view.updated_at or date.today())
    filename = f"soc2-gap-report-{assessment_id[:8]}"
    if format == "md":
        return PlainTextResponse(
            render_markdown(report),
            media_type="text/markdown; charset=utf-8",
            headers={"Content-Disposition": f'inline; filename="{filename}.md"'},
        )
    if format == "html":
        return HTMLResponse(
            render_html(report), headers={"Content-Disposition": f'inline; filename="{filename}.html"'}
        )
    return JSONResponse(report.model_dump(mode="json"))


@router.delete("/{assessment_id}", status_code=204, responses=ERRORS)
async def delete_assessment(assessment_id: OwnedAssessmentDep, services: ServicesDep) -> Response:
    await run_in_threadpool(_locked, services, assessment_id, lambda: _delete(services, assessment_id))
    return Response(status_code=204)


def _delete(services: Services, assessment_id: str) -> None:
    # KeyError: registered but never checkpointed (a start that failed); only the ownership row remains.
    with suppress(KeyError):
        services.engine.delete(assessment_id)
    services.store.forget_assessment(assessment_id)
