"""Shared fixtures. Browser fixtures live in tests/browser_support.py."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser_support import browser_context, browser_page, streamlit_app  # noqa: E402

__all__ = ["browser_context", "browser_page", "streamlit_app"]
