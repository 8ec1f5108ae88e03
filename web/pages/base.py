"""What every page shares: the Jinja2 environment (autoescape on), labels for vocabulary
keys, and ``render``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from directory.validation import display_phone
from directory.vocabularies import LIFE_DOMAINS, PARTNER_TYPES, TARGET_GROUPS, WEEKDAYS, Vocabulary
from web.auth import Account, csrf_token

__all__ = ["make_templates", "render", "user_of", "TEMPLATES_DIR", "STATIC_DIR"]

WEB_DIR = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"
PHASES = {0: "0 voorbereiding", 1: "1 kwartiermaken", 2: "2 outreachend", 3: "3 geborgd"}


def _labeller(vocab: Vocabulary) -> Any:
    def label(key: str | None) -> str:
        if not key:
            return ""
        return vocab.label(key) if key in vocab else key
    return label


def web_url(url: str | None) -> str | None:
    """A link target only when it is an http(s) address (never ``javascript:`` and such)."""
    if isinstance(url, str) and url.lower().startswith(("https://", "http://")):
        return url
    return None


def user_of(request: Request) -> Account | None:
    """The user the access layer found (no store call: safe in async code)."""
    user = getattr(request.state, "user", None)
    return user if isinstance(user, Account) else None


def _page_context(request: Request) -> dict[str, Any]:
    return {"user": user_of(request), "csrf_token": lambda: csrf_token(request)}


def make_templates() -> Jinja2Templates:
    """The templates, with autoescaping on for every file."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True,
        trim_blocks=True, lstrip_blocks=True)
    env.filters.update({
        "domain": _labeller(LIFE_DOMAINS), "target": _labeller(TARGET_GROUPS),
        "day": _labeller(WEEKDAYS), "partner_type": _labeller(PARTNER_TYPES),
        "phase": lambda value: PHASES.get(value, "onbekend") if value is not None else "onbekend",
        "thousands": lambda n: f"{n:,}".replace(",", ".") if isinstance(n, int) else n,
        "phone": lambda e164: display_phone(e164) if e164 else "",
        "weburl": web_url,
    })
    env.globals.update({"LIFE_DOMAINS": list(LIFE_DOMAINS), "TARGET_GROUPS": list(TARGET_GROUPS),
                        "WEEKDAYS": list(WEEKDAYS)})
    return Jinja2Templates(env=env, context_processors=[_page_context])


def render(request: Request, name: str, context: dict[str, Any] | None = None,
           status: int = 200) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    response: Response = templates.TemplateResponse(request, name, context or {},
                                                    status_code=status)
    return response
