"""How geo.maps.style.PALETTE was found: ten colours whose every pair differs by the most ΔE*ab (CIELAB)
under normal vision and simulated deuteranopia, protanopia and tritanopia (colorspacious, severity 100),
each clear of the basemap's land and sea colours, lightness 30–82.

    .venv/bin/python -m devtools.palette_search

Greedy max-min from random starts over an 18-step sRGB grid, then single swaps while they help. Prints
the palette (darkest first) and its smallest pairwise ΔE. Deterministic (seeded).
"""

from __future__ import annotations

import itertools
import random

import numpy as np
from colorspacious import cspace_convert

from geo.maps.style import LAND_STYLE, SEA_COLOUR

CVD_TYPES = ("deuteranomaly", "protanomaly", "tritanomaly")
SIZE = 10


def views_lab(rgb: np.ndarray) -> np.ndarray:
    """(4, N, 3): CIELAB of the colours as seen normally and under each simulated deficiency."""
    views = [rgb] + [np.clip(cspace_convert(rgb, {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}, "sRGB1"),
                             0, 1) for cvd in CVD_TYPES]
    return np.stack([cspace_convert(v, "sRGB1", "CIELab") for v in views])


def hex_rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])


def candidates(steps: int = 18) -> tuple[np.ndarray, np.ndarray]:
    grid = np.linspace(0, 1, steps)
    rgb = np.array(list(itertools.product(grid, grid, grid)))
    labs = views_lab(rgb)
    background = views_lab(np.array([hex_rgb(LAND_STYLE["fillColor"]), hex_rgb(SEA_COLOUR)]))
    clear = np.min(np.linalg.norm(labs[:, :, None, :] - background[:, None, :, :], axis=3), axis=(0, 2)) >= 25
    lightness, chroma = labs[0, :, 0], np.hypot(labs[0, :, 1], labs[0, :, 2])
    keep = clear & (lightness >= 30) & (lightness <= 82) & (chroma <= 75)
    return rgb[keep], labs[:, keep, :]


def search(labs: np.ndarray, restarts: int = 400, seed: int = 7) -> list[int]:
    rng = random.Random(seed)  # noqa: S311 (a reproducible search, not a secret)
    dist = np.min(np.linalg.norm(labs[:, :, None, :] - labs[:, None, :, :], axis=3), axis=0)
    np.fill_diagonal(dist, np.inf)
    n = dist.shape[0]
    best: tuple[float, list[int]] = (0.0, [])
    for _ in range(restarts):
        chosen = _greedy(dist, rng.randrange(n))
        chosen = _improve(dist, chosen)
        score = float(dist[np.ix_(chosen, chosen)].min())
        if score > best[0]:
            best = (score, chosen)
    return best[1]


def _greedy(dist: np.ndarray, start: int) -> list[int]:
    chosen = [start]
    nearest = dist[start].copy()
    while len(chosen) < SIZE:
        nearest[chosen] = -1
        k = int(np.argmax(nearest))
        chosen.append(k)
        nearest = np.minimum(nearest, dist[k])
    return chosen


def _improve(dist: np.ndarray, chosen: list[int]) -> list[int]:
    improved = True
    while improved:
        improved = False
        current = dist[np.ix_(chosen, chosen)].min()
        for a in range(len(chosen)):
            rest = chosen[:a] + chosen[a + 1:]
            nearest = dist[rest].min(axis=0)
            k = int(np.argmax(nearest))
            if nearest[k] > current + 1e-9 and k not in chosen:
                chosen = [*rest[:a], k, *rest[a:]]
                improved = True
                break
    return chosen


def main() -> None:
    rgb, labs = candidates()
    chosen = search(labs)
    dist = np.min(np.linalg.norm(labs[:, chosen, None, :] - labs[:, None, chosen, :], axis=3), axis=0)
    np.fill_diagonal(dist, np.inf)
    for i in sorted(chosen, key=lambda i: labs[0, i, 0]):
        r, g, b = (rgb[i] * 255).round().astype(int)
        print(f"#{r:02X}{g:02X}{b:02X}  L*={labs[0, i, 0]:.0f}")
    print(f"smallest pairwise ΔE*ab over the four views: {dist.min():.1f}")


if __name__ == "__main__":
    main()
