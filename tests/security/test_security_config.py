"""Exposure: Streamlit bound to 127.0.0.1 with XSRF on, and the shipped reverse-proxy configs carry the
security headers Streamlit cannot set (issue 9, "Exposure" and "Lax validation")."""

from __future__ import annotations

import re
import tomllib

import pytest

from geo.paths import ROOT

DEPLOY = ROOT / "docs" / "deploy"


def test_streamlit_is_bound_to_loopback_with_xsrf_and_cors_checks():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server = config["server"]
    assert server["address"] == "127.0.0.1"
    assert server["enableXsrfProtection"] is True and server["enableCORS"] is True
    assert set(server["allowedHosts"]) <= {"localhost", "127.0.0.1"}
    assert server.get("enableAgentApi", False) is False
    assert config["browser"]["gatherUsageStats"] is False


@pytest.mark.parametrize("name", ["nginx.conf", "Caddyfile"])
def test_proxy_config_sends_a_strict_csp_and_authenticates(name):
    text = (DEPLOY / name).read_text(encoding="utf-8")
    (csp,) = re.findall(r'Content-Security-Policy "([^"]+)"', text)
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    for directive, sources in directives.items():  # nothing from another host, except our own websocket
        hosts = [s for s in sources.split() if "." in s or "//" in s]
        assert all(h == "wss://briefing.example.org" for h in hosts), (directive, hosts)
    assert "127.0.0.1:8501" in text
    assert ("auth_basic " in text) if name == "nginx.conf" else ("basic_auth" in text)
    assert "X-Strike-Map-User" in text and "X-Frame-Options" in text


def test_nginx_forwards_the_websocket_and_replaces_the_user_header():
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header X-Strike-Map-User $remote_user;" in text
