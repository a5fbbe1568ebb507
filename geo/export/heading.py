"""The snapshot's title, fitted to the page: as large as it can be, on at most two lines, never past the page's
edge or over the line below it.

A title is what the analyst typed (up to 120 characters on the Briefing page; any length from the command
line). At the designed size a long one ran off the page. It is drawn at that size when it fits on one line,
else at the largest size (down to MIN_TITLE_PT) at which it fits on MAX_TITLE_LINES lines, wrapped between
words; a word wider than the page is broken. At the smallest size a title that still does not fit is cut
with an ellipsis (the whole title stays in the file's metadata).
"""

from __future__ import annotations

from collections.abc import Callable

from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.transforms import Bbox

TITLE_PT = 27.0
#: Never smaller than this (the summary line below is 15 pt): a title stays a title.
MIN_TITLE_PT = 16.0
MAX_TITLE_LINES = 2
LINE_SPACING = 1.15
_STEP_PT = 0.5
ELLIPSIS = "…"


def draw_title(fig: Figure, title: str, band: Bbox, home_y: float, scale: float, colour: str, family: str) -> Text:
    """Draw the title left-aligned in band (display pixels: the page's width between its margins, from the
    page's top margin down to what is below), at its home height (figure fraction) when it fits there at
    full size on one line, else centred in the band. scale: the page's font scale."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    x = band.x0 / fig.bbox.width
    text = fig.text(x, home_y, title, fontsize=TITLE_PT * scale, fontweight="bold", va="center", ha="left",
                    linespacing=LINE_SPACING, color=colour, family=family)
    if _inside(text, band, renderer):
        return text
    text.set_y((band.y0 + band.y1) / 2 / fig.bbox.height)
    steps = int((TITLE_PT - MIN_TITLE_PT) / _STEP_PT)
    sizes = [(TITLE_PT - k * _STEP_PT) * scale for k in range(steps + 1)]
    fits = _largest_fitting(sizes, lambda size: _fit(text, title, size, band, renderer))
    if fits is not None:
        _fit(text, title, fits, band, renderer)
        return text
    size = sizes[-1]
    lines = wrap_to_width(title, band.width, _font(text, size), renderer)
    rows = max(1, min(MAX_TITLE_LINES, _rows_that_fit(text, size, band, renderer)))
    if len(lines) > rows:
        lines = [*lines[:rows - 1], _cut(" ".join(lines[rows - 1:]), band.width, _font(text, size), renderer)]
    _set(text, lines, size, band, renderer)
    return text


def _largest_fitting(sizes: list[float], fits: Callable[[float], bool]) -> float | None:
    """The first of sizes (largest first) that fits, by bisection: a title that fits at one size fits at a
    smaller one."""
    low, high = 0, len(sizes)  # sizes[:low] do not fit; sizes[high:] fit
    while low < high:
        middle = (low + high) // 2
        if fits(sizes[middle]):
            high = middle
        else:
            low = middle + 1
    return sizes[low] if low < len(sizes) else None


def _fit(text: Text, title: str, size: float, band: Bbox, renderer: RendererBase) -> bool:
    """Show the title wrapped at size; whether it fits on MAX_TITLE_LINES lines inside the band."""
    lines = wrap_to_width(title, band.width, _font(text, size), renderer)
    return len(lines) <= MAX_TITLE_LINES and _set(text, lines, size, band, renderer)


def wrap_to_width(text: str, width: float, font: FontProperties, renderer: RendererBase) -> list[str]:
    """Greedy line breaking by measured width (display pixels): between words, and inside a word only when
    the word alone is wider than a line."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if _width(candidate, font, renderer) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while _width(word, font, renderer) > width and len(word) > 1:
            cut = max(1, _fits(word, width, font, renderer))
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    return [*lines, line] if line else lines


def _fits(word: str, width: float, font: FontProperties, renderer: RendererBase) -> int:
    """How many leading characters of word fit in width (bisection: widths grow with the characters)."""
    low, high = 0, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if _width(word[:middle], font, renderer) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def _cut(text: str, width: float, font: FontProperties, renderer: RendererBase) -> str:
    """text, shortened at its end with an ellipsis until it fits in width."""
    while text and _width(text + ELLIPSIS, font, renderer) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def _rows_that_fit(text: Text, size: float, band: Bbox, renderer: RendererBase) -> int:
    rows = 1
    while rows < MAX_TITLE_LINES and _set(text, ["X"] * (rows + 1), size, band, renderer):
        rows += 1
    return rows


def _set(text: Text, lines: list[str], size: float, band: Bbox, renderer: RendererBase) -> bool:
    """Show lines at size; whether they are inside the band."""
    text.set_text("\n".join(lines))
    text.set_fontsize(size)
    return _inside(text, band, renderer)


def _inside(text: Text, band: Bbox, renderer: RendererBase) -> bool:
    extent = text.get_window_extent(renderer)
    return bool(extent.x0 >= band.x0 and extent.x1 <= band.x1 and extent.y0 >= band.y0 and extent.y1 <= band.y1)


def _font(text: Text, size: float) -> FontProperties:
    font = text.get_fontproperties().copy()
    font.set_size(size)
    return font


def _width(text: str, font: FontProperties, renderer: RendererBase) -> float:
    return float(renderer.get_text_width_height_descent(text, font, ismath=False)[0])
