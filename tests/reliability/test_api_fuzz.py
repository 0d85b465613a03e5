"""Schemathesis against the OpenAPI schema: generated requests to every API operation, as a
signed-in public voter with a valid CSRF token, never get a 500."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from litestar.testing import TestClient

from chamber.settings import Settings
from tests.web.conftest import build_world, sign_in
from web.app import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    from chamber.db import make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('api') / 'api.db'}")
    upgrade(engine)
    world = build_world(engine)
    app = create_app(
        engine,
        scheduler=False,
        clock=lambda: world.now,
        config=Settings(vote_rate=10**9, login_rate=10**9),
    )
    client = TestClient(app)
    sign_in(client, "public")
    auth = {
        "cookies": dict(client.cookies),
        "headers": {"x-csrftoken": client.cookies["csrftoken"]},
    }
    yield schemathesis.openapi.from_asgi("/schema/openapi.json", app), auth
    engine.dispose()


EXAMPLES = 40


def test_no_operation_answers_with_a_server_error(api):
    """Every operation of the schema, with generated parameters and bodies (the pytest plugin
    of schemathesis does not run under pytest 9, so operations are driven by hypothesis here)."""
    schema, auth = api
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14
    tried = 0
    for operation in operations:

        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            nonlocal tried
            tried += 1
            response = case.call(
                headers={**(case.headers or {}), **auth["headers"]}, cookies=auth["cookies"]
            )
            assert response.status_code < 500, (case.method, case.path, response.text[:300])

        check()
    assert tried >= len(operations) * 5
