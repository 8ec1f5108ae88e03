"""Drawing a :class:`graph.picture.Picture` with pyvis: the vis-network data (nodes, edges,
options) the web page draws from its own script, and one self-contained HTML file that works
offline (vis-network from pyvis's own copy, inlined with the data; nothing from outside)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from graph.picture import GROUPS, Picture, kinds_of

__all__ = ["RELATION_LABELS", "STYLES", "vis_data", "picture_html"]

RELATION_LABELS = {
    "MEMBER_OF": "lid van",
    "LIAISON_FOR": "relatiebeheerder voor",
    "WORKS_AT": "werkt bij",
    "KNOWS": "kent",
    "SERVES": "werkt in",
}
# group → vis-network look; the shape differs per group, so colour is not the only cue
STYLES: dict[str, dict[str, Any]] = {
    "team": {"shape": "box", "color": "#1f4e79", "font": {"color": "#ffffff"}},
    "teamlid": {"shape": "dot", "color": "#2e75b6", "size": 12},
    "contactpersoon": {"shape": "triangle", "color": "#767676", "size": 9},
    "partner": {"shape": "square", "color": "#2e7d32", "size": 14},
    "partner_een": {"shape": "diamond", "color": "#b35900", "size": 16},
    "partner_geen": {"shape": "star", "color": "#c62828", "size": 18},
    "gebied": {"shape": "ellipse", "color": "#d9e2f3", "font": {"color": "#1a1a1a"}},
}
SHAPE_NAMES = {"box": "rechthoek", "dot": "stip", "triangle": "driehoek", "square": "vierkant",
               "diamond": "ruit", "star": "ster", "ellipse": "ovaal"}
TEMPLATES = Path(__file__).resolve().parent / "templates"


def _options(node_count: int) -> dict[str, Any]:
    """vis-network options; the groups carry colour and size (pyvis sets the shape)."""
    return {
        "groups": {group: {k: v for k, v in style.items() if k != "shape"}
                   for group, style in STYLES.items()},
        "interaction": {"hover": True, "keyboard": {"enabled": True}, "tooltipDelay": 150},
        "layout": {"improvedLayout": node_count <= 150},
        "physics": {"solver": "barnesHut", "stabilization": {"iterations": 250},
                    "barnesHut": {"gravitationalConstant": -4000, "springLength": 120}},
        "nodes": {"font": {"size": 14, "face": "sans-serif"}},
        "edges": {"smooth": False, "color": {"color": "#9e9e9e", "highlight": "#1f4e79"},
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}},
    }


def _network(picture: Picture) -> Any:
    """The pyvis Network of the picture (imported late: pyvis loads IPython)."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line", heading=picture.title)
    for node in picture.nodes:
        shape = STYLES.get(node["group"], {}).get("shape", "dot")
        net.add_node(node["id"], label=node["name"], title=node["title"],
                     group=node["group"], shape=shape)
    for edge in picture.edges:
        type_ = edge["type"]
        net.add_edge(edge["src"], edge["dst"], title=RELATION_LABELS.get(type_, type_),
                     dashes=type_ == "KNOWS", width=2 if type_ == "LIAISON_FOR" else 1)
    net.options = _options(len(picture.nodes))
    return net


def vis_data(picture: Picture) -> dict[str, Any]:
    """What the page's script needs: vis-network nodes, edges and options, the legend
    (group, Dutch name, colour, shape, count) and the notes."""
    nodes, edges, _, _, _, options = _network(picture).get_network_data()
    counts = kinds_of(picture.nodes)
    legend = [{"group": g, "label": GROUPS[g], "count": counts.get(g, 0),
               "shape": SHAPE_NAMES[STYLES[g]["shape"]], "color": STYLES[g]["color"]}
              for g in GROUPS]
    return {"title": picture.title, "nodes": nodes, "edges": edges,
            "options": json.loads(options), "legend": legend, "notes": picture.notes,
            "total": picture.total, "shown": len(picture.nodes),
            "relations": RELATION_LABELS}


@cache
def _environment() -> jinja2.Environment:
    from pyvis import network as pyvis_network

    vis = Path(pyvis_network.__file__).resolve().parent / "lib" / "vis-9.1.2"
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([TEMPLATES, vis]),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return env


def picture_html(picture: Picture) -> str:
    """One HTML file with vis-network, the data and the legend inlined: opens offline."""
    env = _environment()
    loader = env.loader
    assert loader is not None
    library = loader.get_source(env, "vis-network.min.js")[0]
    css = loader.get_source(env, "vis-network.css")[0]
    return env.get_template("picture.html").render(
        data=vis_data(picture), library=library, library_css=css)
