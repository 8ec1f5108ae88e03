"""Uploads waiting between an import's dry run and its confirmation.

The file stays on the server in a private temporary folder (mode 0700), found by a random
token that only counts for the session that uploaded it (the token is bound to a digest of
that session's secret CSRF token and account name, never to anything the cookie carries in
the clear). An upload is deleted once confirmed, when replaced, or after ``max_age``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import HTTPConnection

__all__ = ["Upload", "UploadStash", "owner_of", "stash_of", "safe_name"]

MAX_AGE_SECONDS = 30 * 60
MAX_PER_OWNER = 3


@dataclass(frozen=True)
class Upload:
    token: str
    owner: str
    path: Path
    format: str | None
    skip_invalid: bool
    created: float


def safe_name(name: str | None) -> str:
    """The upload's file name without folders or odd characters (the extension is a hint
    for format detection)."""
    cleaned = re.sub(r"[^\w.\-]", "_", Path(name or "").name).lstrip(".")
    return cleaned[-100:] or "upload"


def owner_of(request: HTTPConnection) -> str:
    """Who an upload belongs to: this session (its CSRF secret) and account."""
    session = request.session
    key = str(session.get("csrf") or "")
    user = str(session.get("user") or "")
    return hashlib.sha256(f"{key}\x00{user}".encode()).hexdigest()


class UploadStash:
    """Uploads by token; thread-safe; expired ones are removed on every call."""

    def __init__(self, max_age: float = MAX_AGE_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_age, self.clock = max_age, clock
        self._uploads: dict[str, Upload] = {}
        self._lock = threading.Lock()

    def put(self, owner: str, filename: str, content: bytes, format: str | None,
            skip_invalid: bool) -> Upload:
        self.sweep()
        folder = Path(tempfile.mkdtemp(prefix="wijkkaart-upload-"))
        path = folder / safe_name(filename)
        path.write_bytes(content)
        path.chmod(0o600)
        upload = Upload(secrets.token_urlsafe(32), owner, path, format, skip_invalid,
                        self.clock())
        with self._lock:
            mine = sorted((u for u in self._uploads.values() if u.owner == owner),
                          key=lambda u: u.created)
            self._uploads[upload.token] = upload
        for old in mine[:max(0, len(mine) - MAX_PER_OWNER + 1)]:
            self.discard(old.token)
        return upload

    def get(self, token: str, owner: str) -> Upload | None:
        """The upload when it exists, has not expired and belongs to ``owner``."""
        self.sweep()
        with self._lock:
            upload = self._uploads.get(token)
        if upload is None or not hmac.compare_digest(upload.owner, owner):
            return None
        return upload

    def discard(self, token: str) -> None:
        with self._lock:
            upload = self._uploads.pop(token, None)
        if upload is not None:
            shutil.rmtree(upload.path.parent, ignore_errors=True)

    def sweep(self) -> None:
        limit = self.clock() - self.max_age
        with self._lock:
            old = [t for t, u in self._uploads.items() if u.created < limit]
        for token in old:
            self.discard(token)

    def __len__(self) -> int:
        with self._lock:
            return len(self._uploads)


def stash_of(request: HTTPConnection) -> UploadStash:
    """The app's stash (made on first use)."""
    state = request.app.state
    stash = getattr(state, "upload_stash", None)
    if not isinstance(stash, UploadStash):
        stash = UploadStash()
        state.upload_stash = stash
    return stash
