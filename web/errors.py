"""The one place that turns errors into HTTP responses: JSON under ``/api``, a Dutch page elsewhere.

    WijkkaartError (directory.errors)   HTTP
    ├── NotFound                        404
    ├── Conflict                        409
    ├── ValidationError                 422  details = [{line, field, message}]
    ├── BackendUnavailable              503
    └── any other WijkkaartError        400
    HTTPException                       its own status
    any other exception                 500, never with a stack trace

Under ``/api`` the body is ``{"error": {"code", "message", "details": [...]}}``; other paths
get the template ``fout.html`` (context ``status``, ``message``, ``details``), or plain Dutch
text while no template is there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from directory.errors import (
    BackendUnavailable,
    Conflict,
    NotFound,
    ValidationError,
    WijkkaartError,
)

__all__ = ["exception_handlers", "error_response", "API_PREFIX"]

API_PREFIX = "/api"
log = logging.getLogger("wijkkaart.web")

STATUS_OF: dict[type[WijkkaartError], int] = {
    NotFound: 404, Conflict: 409, ValidationError: 422, BackendUnavailable: 503,
}

# Status → (error code, Dutch message when the exception brings none of its own).
HTTP_ERRORS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "het verzoek is niet goed opgebouwd"),
    401: ("unauthorized", "log eerst in"),
    403: ("forbidden", "je hebt geen rechten voor deze handeling"),
    404: ("not_found", "deze pagina of dit item bestaat niet"),
    405: ("method_not_allowed", "deze methode is hier niet toegestaan"),
    409: ("conflict", "iemand anders heeft dit net gewijzigd"),
    413: ("too_large", "het verzoek of bestand is te groot"),
    415: ("unsupported_media_type", "dit soort inhoud wordt hier niet aangenomen"),
    422: ("validation_error", "de invoer klopt niet"),
    429: ("too_many_requests", "te veel pogingen; wacht even en probeer het opnieuw"),
    500: ("internal_error", "er ging iets mis aan onze kant; probeer het later opnieuw"),
    503: ("backend_unavailable", "de opslag is nu niet bereikbaar; probeer het later opnieuw"),
}


def _is_api(request: Request) -> bool:
    path: str = request.scope.get("path", "")
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


def error_response(request: Request, status: int, message: str | None = None,
                   details: list[dict[str, Any]] | None = None,
                   headers: Mapping[str, str] | None = None) -> Response:
    """The error as JSON (under /api) or as the Dutch error page."""
    code, default = HTTP_ERRORS.get(status, ("error", "er ging iets mis"))
    text = message or default
    listed = list(details or [])
    if _is_api(request):
        body = {"error": {"code": code, "message": text, "details": listed}}
        return JSONResponse(body, status_code=status, headers=headers)
    return _page(request, status, text, listed, headers)


def _page(request: Request, status: int, message: str, details: list[dict[str, Any]],
          headers: Mapping[str, str] | None) -> Response:
    templates = getattr(request.app.state, "templates", None)
    if templates is not None:
        try:
            response: Response = templates.TemplateResponse(
                request, "fout.html", {"status": status, "message": message,
                                       "details": details},
                status_code=status, headers=headers)
            return response
        except Exception:  # no template yet, or it failed: fall back to plain text
            log.exception("foutpagina kon niet getoond worden")
    lines = [f"Fout {status}: {message}"]
    lines += [f"- {d.get('field') or ''}: {d.get('message') or ''}" for d in details]
    return PlainTextResponse("\n".join(lines) + "\n", status_code=status, headers=headers)


def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, WijkkaartError)
    status = next((s for kind, s in STATUS_OF.items() if isinstance(exc, kind)), 400)
    details = [d.as_dict() for d in getattr(exc, "details", [])]
    return error_response(request, status, str(exc) or None, details)


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    default = HTTP_ERRORS.get(exc.status_code, ("", ""))[1]
    # Starlette's own details are English reason phrases; show our Dutch text instead.
    english = exc.detail == _reason(exc.status_code)
    message = default if english or not exc.detail else exc.detail
    return error_response(request, exc.status_code, message, headers=exc.headers)


def _reason(status: int) -> str:
    import http

    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def _server_error(request: Request, exc: Exception) -> Response:
    # Starlette's ServerErrorMiddleware raises the exception again after this response,
    # so the server logs it with its trace; the client only gets the Dutch message. That
    # middleware sits outside the app's own, so this response gets its headers here.
    from web.security import add_security_headers

    response = error_response(request, 500)
    add_security_headers(response.headers, request.scope)
    return response


def exception_handlers() -> dict[Any, Callable[[Request, Exception], Response]]:
    """The handlers the app installs: domain errors, HTTP errors and everything else."""
    return {WijkkaartError: _domain_error, HTTPException: _http_error, Exception: _server_error}
