"""The optional map tile server for the results map (off by default).

Without ``WIJKKAART_TILES_URL`` the map on ``/zoeken`` shows the result markers on a plain
background and the page requests nothing outside the app. With it (a Leaflet tile template such
as ``https://tile.openstreetmap.org/{z}/{x}/{y}.png``) the browser loads tiles from that server,
and the search page's Content-Security-Policy allows that origin in ``img-src``.
``WIJKKAART_TILES_ATTRIBUTION`` sets the credit shown on the map.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["Tiles", "tiles_from_env", "csp_with_tiles", "TILES_ENV", "ATTRIBUTION_ENV"]

TILES_ENV = "WIJKKAART_TILES_URL"
ATTRIBUTION_ENV = "WIJKKAART_TILES_ATTRIBUTION"
DEFAULT_ATTRIBUTION = "Kaartgegevens © OpenStreetMap-bijdragers"
_HOST = re.compile(r"^(\{s\}\.)?[A-Za-z0-9.-]+(:\d+)?$")


@dataclass(frozen=True)
class Tiles:
    url: str
    attribution: str
    origin: str  # for the CSP: scheme://host[:port], ``{s}.`` subdomains as ``*.``


def tiles_from_env(environ: dict[str, str] | None = None) -> Tiles | None:
    """The configured tile server, or None (unset, or not a usable http(s) tile template)."""
    env = os.environ if environ is None else environ
    url = env.get(TILES_ENV, "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not _HOST.match(parts.netloc):
        return None
    if not all(f"{{{k}}}" in url for k in "zxy"):
        return None
    origin = f"{parts.scheme}://{parts.netloc.replace('{s}.', '*.')}"
    attribution = env.get(ATTRIBUTION_ENV, "").strip() or DEFAULT_ATTRIBUTION
    return Tiles(url=url, attribution=attribution, origin=origin)


def csp_with_tiles(csp: str, tiles: Tiles) -> str:
    """``csp`` with the tile server's origin added to ``img-src``."""
    directives = [d.strip() for d in csp.split(";") if d.strip()]
    out = [f"{d} {tiles.origin}" if d.split()[0] == "img-src" else d for d in directives]
    if not any(d.split()[0] == "img-src" for d in directives):
        out.append(f"img-src 'self' {tiles.origin}")
    return "; ".join(out)
