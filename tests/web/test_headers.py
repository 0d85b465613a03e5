"""Security headers on every response: pages, the API, static files, redirects and errors
(including a path no route matches); the OpenAPI pages under /schema alone may load their
CDN scripts."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from chamber.settings import Settings
from tests.web.conftest import forget_limits, sign_in
from web.app import create_app
from web.headers import CSP


def _strict(response) -> None:
    policy = response.headers["content-security-policy"]
    assert policy == CSP
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert "script-src 'self';" in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


@pytest.mark.parametrize(
    "path",
    ["/", "/divisions", "/login", "/api/divisions", "/static/style.css", "/static/app.js",
     "/api/divisions/99999", "/no/such/page", "/proxy", "/api/proxy", "/static/nothing.css"],
)
def test_every_response_carries_the_security_headers(client_for, path):
    response = client_for("anonymous").get(path, follow_redirects=False)
    _strict(response)


def test_refusals_carry_them_too(world, client_for):
    client = client_for("public")
    csrf_refused = client.post(f"/api/divisions/{world.division}/votes", json={"option": "x"})
    assert csrf_refused.status_code == 403
    _strict(csrf_refused)
    forbidden = client.get("/clerk")
    assert forbidden.status_code == 403
    _strict(forbidden)
    forget_limits(world.engine)
    app = create_app(world.engine, scheduler=False, clock=lambda: world.now,
                     config=Settings(vote_rate=1, login_rate=100))
    limited = TestClient(app)
    sign_in(limited, "public")
    path = f"/api/divisions/{world.division}/votes"
    token = {"x-csrftoken": limited.cookies["csrftoken"]}
    answers = [limited.post(path, json={"option": "content"}, headers=token) for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 429]
    for answer in answers:
        _strict(answer)


def test_the_schema_pages_alone_may_style_inline_and_load_nothing_from_elsewhere(client_for):
    client = client_for("anonymous")
    page = client.get("/schema")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self';" in policy
    assert "http" not in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    _strict(client.get("/schemata"))  # only /schema and below


def test_the_pages_have_no_inline_scripts_or_handlers(world, client_for):
    client = client_for("public")
    for path in ("/", f"/divisions/{world.division}", "/proxy", "/receipts", "/no/such/page"):
        text = client.get(path).text
        for inline in ("<script>", "javascript:", " hx-on", " onclick=", " style="):
            assert inline not in text, (path, inline)
