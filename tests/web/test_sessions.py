"""The session cookie is sent back only when the session changed or is past half its life."""

from __future__ import annotations

import time

from tests.web.conftest import sign_in


def _session_cookie_set(response) -> bool:
    return any(
        value.startswith("session=") for value in response.headers.get_list("set-cookie")
    )


def test_an_unchanged_session_is_not_rewritten_until_half_its_life(client_for, monkeypatch):
    client = client_for("anonymous")
    sign_in(client, "public")
    assert "session" in client.cookies
    first = client.get("/api/proxy")
    assert first.status_code == 200
    assert not _session_cookie_set(first)  # the browser's cookie already says this
    later = time.time() + 5 * 3600  # past half of the 8-hour life
    monkeypatch.setattr("web.sessions.time.time", lambda: later)
    monkeypatch.setattr("litestar.middleware.session.client_side.time.time", lambda: later)
    refreshed = client.get("/api/proxy")
    assert refreshed.status_code == 200
    assert _session_cookie_set(refreshed)
    assert client.get("/api/proxy").status_code == 200  # still signed in with the new cookie


def test_signing_out_clears_the_cookie(client_for):
    client = client_for("anonymous")
    sign_in(client, "public")
    token = client.cookies["csrftoken"]
    out = client.delete("/api/session", headers={"x-csrftoken": token})
    assert out.status_code == 200
    assert client.get("/api/proxy").status_code == 401
