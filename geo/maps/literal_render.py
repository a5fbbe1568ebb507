"""Render folium/branca output without evaluating data as a template (server-side template injection).

branca builds a figure by rendering each element's macro, then wrapping that *rendered output* in
``Element(text)``, whose constructor compiles ``text`` as a new ``jinja2.Template`` that the figure
renders again in an unsandboxed environment. Any ``{{ ... }}`` in a quote, a place name or a title
that reached a popup was therefore executed on the server (``{{ cycler.__init__.__globals__.os }}``
reaches ``os``), and ``{{`` with a stray quote crashed the render. The compile was also more than
half of every map rerun.

The fix is at the one place where it happens: ``branca.element.Template`` (the name ``Element``
uses for its ``template`` string) becomes :class:`LiteralTemplate`, whose ``render`` returns the
text unchanged. Every caller in branca, folium and streamlit-folium passes already rendered text
there; the elements' own ``_template`` class attributes (real, fixed templates whose data arrive as
variables through ``tojson``) are untouched. Installed on import of this module, idempotently; the
map-building modules import it, so no folium map of this project renders without it.

Templates this project writes itself (popups, legend, cards) use :data:`HTML_ENV`: a sandboxed,
autoescaping environment.
"""

from __future__ import annotations

from typing import Any

import branca.element
from jinja2.sandbox import ImmutableSandboxedEnvironment

__all__ = ["HTML_ENV", "LiteralTemplate", "install"]


class LiteralTemplate:
    """Stands in for ``jinja2.Template(text)``: rendering gives back ``text`` itself, evaluated never."""

    __slots__ = ("source",)

    def __init__(self, source: str) -> None:
        self.source = str(source)

    def render(self, *args: Any, **kwargs: Any) -> str:
        return self.source


def install() -> None:
    """Make every ``branca.element.Element(text)`` literal (idempotent)."""
    if branca.element.Template is not LiteralTemplate:
        branca.element.Template = LiteralTemplate  # type: ignore[misc,assignment]


#: For HTML this project renders from templates: autoescaped, and sandboxed so that even a template
#: mistake cannot reach Python internals.
HTML_ENV = ImmutableSandboxedEnvironment(autoescape=True, trim_blocks=True, lstrip_blocks=True)

install()
