"""Everything under /api/v1/ answers with the error body, even where no operation runs."""

from __future__ import annotations

import logging

import pytest

from tests.api.conftest import Api, api_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(clinic) -> Api:
    return api_for(clinic.owner)


def test_a_path_that_is_not_in_the_api_is_a_json_404(owner):
    for path in ("/no-such-thing", "/locations/extra/parts", "/", "/bookings/"):
        answer = owner.get(path)
        assert answer.status_code == 404, path
        assert answer["Content-Type"].startswith("application/json")
        assert answer.json()["code"] == "not_found"
        assert set(answer.json()) == {"code", "message", "field"}


def test_an_unknown_path_is_a_404_without_a_token_and_for_any_method():
    for method in ("post", "put", "delete"):
        answer = Api().send(method, "/no-such-thing", {})
        assert answer.status_code == 404
        assert answer.json()["code"] == "not_found"


def test_a_method_a_path_does_not_take_is_a_json_405_naming_the_allowed_ones(owner):
    answer = owner.send("delete", "/locations", {})
    assert answer.status_code == 405
    assert answer["Allow"] == "GET"
    assert answer["Content-Type"].startswith("application/json")
    assert answer.json() == {
        "code": "method_not_allowed",
        "message": "DELETE is not allowed here; use GET.",
        "field": None,
    }


def test_a_fault_of_ours_is_a_json_500_with_the_request_id_logged(
    owner, monkeypatch, caplog, settings
):
    settings.DEBUG = False

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr("needlepoint.clinics.api.visible_locations", broken)
    with caplog.at_level(logging.ERROR, logger="needlepoint.api"):
        answer = owner.http.get(
            "/api/v1/locations", headers={**owner.headers(), "X-Request-ID": "req-42"}
        )

    assert answer.status_code == 500
    assert answer["Content-Type"].startswith("application/json")
    assert answer["X-Request-ID"] == "req-42"
    assert answer.json() == {
        "code": "server_error",
        "message": "Something went wrong on our side. Quote request id req-42.",
        "field": None,
    }
    [logged] = [record for record in caplog.records if record.name == "needlepoint.api"]
    assert "req-42" in logged.getMessage() and "GET /api/v1/locations" in logged.getMessage()
    assert "the disk is on fire" in str(logged.exc_info[1])
    assert "the disk is on fire" not in answer.content.decode()
