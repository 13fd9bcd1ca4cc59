"""Every request leaves one JSON log line with its id, and never the health data it carried."""

from __future__ import annotations

import json
import logging
import uuid

import pytest
import time_machine
from django.http import HttpRequest, HttpResponse
from django.test import Client as Browser
from django.urls import path, reverse

from needlepoint.accounts.access import PORTAL_CLIENT_KEY
from needlepoint.core.request_log import JsonFormatter, LinkTokenFilter, RequestIdFilter
from tests import factories

quiet_logger = logging.getLogger("needlepoint.tests")


def boom(request: HttpRequest) -> HttpResponse:
    quiet_logger.warning("about to fail")
    raise RuntimeError("the view broke")


urlpatterns = [path("boom/", boom)]


@pytest.fixture
def log(caplog):
    """Captured records, stamped with the request id as the console handler stamps them."""
    caplog.handler.addFilter(RequestIdFilter())
    caplog.handler.addFilter(LinkTokenFilter())
    caplog.set_level(logging.INFO)
    return caplog


def request_lines(log) -> list[dict]:
    return [
        json.loads(JsonFormatter().format(record))
        for record in log.records
        if record.name == "needlepoint.request"
    ]


def test_each_request_gets_an_id_returned_in_the_header_and_one_json_line(log, db):
    response = Browser().get(reverse("operations:health"))
    [line] = request_lines(log)
    assert len(response["X-Request-ID"]) == 32
    assert line["request_id"] == response["X-Request-ID"]
    assert line["method"] == "GET"
    assert line["path"] == "/health/"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["role"] == "anonymous"
    assert line["user_id"] is None
    assert line["remote_addr"] == "127.0.0.1"
    assert line["level"] == "INFO"
    assert line["timestamp"].endswith("+00:00")


def test_a_sane_incoming_request_id_is_kept(log, db):
    response = Browser().get(reverse("operations:health"), HTTP_X_REQUEST_ID="a1b2c3d4-proxy.7")
    assert response["X-Request-ID"] == "a1b2c3d4-proxy.7"
    assert request_lines(log)[0]["request_id"] == "a1b2c3d4-proxy.7"


@pytest.mark.parametrize("sent", ["has space", "x" * 65, 'quote"d', "new\nline", ""])
def test_an_odd_incoming_request_id_is_replaced(log, db, sent):
    response = Browser().get(reverse("operations:health"), HTTP_X_REQUEST_ID=sent)
    assert response["X-Request-ID"] != sent
    assert len(response["X-Request-ID"]) == 32


def test_a_patients_name_in_the_query_string_never_reaches_the_log(log, db):
    Browser().get("/health/?client=Philippa+Quennell&dob=1984-02-29")
    [line] = request_lines(log)
    assert line["path"] == "/health/"
    assert "Philippa" not in log.text
    assert "Quennell" not in json.dumps(request_lines(log))
    assert "1984" not in json.dumps(request_lines(log))


def test_a_posted_body_never_reaches_the_log(log, db):
    Browser().post("/health/", {"medical_history": "Isotretinoin since March"})
    assert "Isotretinoin" not in json.dumps(request_lines(log))
    assert "Isotretinoin" not in log.text


def test_signed_in_staff_are_logged_by_id_and_role(log, clinic):
    browser = factories.signed_in(clinic.practitioner)
    response = browser.get(reverse("staff:home"))
    assert response.status_code == 200
    line = request_lines(log)[-1]
    assert line["user_id"] == clinic.practitioner.user.pk
    assert line["role"] == "practitioner"
    assert clinic.practitioner.user.email not in log.text


def test_a_client_in_the_portal_is_logged_as_client_without_an_id(log, clinic):
    someone = factories.client(clinic.organisation)
    browser = Browser()
    session = browser.session
    session[PORTAL_CLIENT_KEY] = someone.pk
    session.save()
    browser.get(reverse("operations:health"))
    line = request_lines(log)[-1]
    assert line["role"] == "client"
    assert line["user_id"] is None


@pytest.mark.urls("tests.core.test_request_log")
def test_an_error_is_logged_with_the_request_id_and_its_traceback(log, db):
    response = Browser(raise_request_exception=False).get("/boom/?name=Philippa")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    [error] = [record for record in log.records if record.name == "django.request"]
    formatted = json.loads(JsonFormatter().format(error))
    assert formatted["request_id"] == request_id
    assert formatted["level"] == "ERROR"
    assert "RuntimeError: the view broke" in formatted["exception"]
    assert "request" not in formatted  # the request object itself is never written
    [line] = request_lines(log)
    assert (line["status"], line["request_id"]) == (500, request_id)
    [inside] = [record for record in log.records if record.name == "needlepoint.tests"]
    assert inside.request_id == request_id  # every record made during the request
    assert "Philippa" not in log.text


def test_behind_a_trusted_proxy_the_client_address_is_the_one_it_appended(log, db, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    Browser().get("/health/", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.9")
    assert request_lines(log)[-1]["remote_addr"] == "203.0.113.9"


def test_a_forwarded_address_from_anyone_else_is_ignored(log, db, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    Browser().get("/health/", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert request_lines(log)[-1]["remote_addr"] == "127.0.0.1"


def test_records_outside_a_request_have_an_empty_request_id():
    record = logging.LogRecord("needlepoint.worker", logging.INFO, "", 0, "sent %s", ("3",), None)
    RequestIdFilter().filter(record)
    assert json.loads(JsonFormatter().format(record))["request_id"] == ""
    assert json.loads(JsonFormatter().format(record))["message"] == "sent 3"


def test_a_booking_links_token_reaches_neither_the_log_nor_the_audit_log(log, clinic):
    from datetime import UTC, datetime, timedelta

    from needlepoint.audit.models import AuditEvent
    from needlepoint.scheduling.links import booking_link, booking_token

    visit = datetime(2031, 3, 5, 10, tzinfo=UTC)
    booking = factories.booked_treatment(clinic, visit)
    browser = Browser()
    # A token carries the second it was signed in: frozen, every link made here is the same.
    with time_machine.travel(visit - timedelta(days=1), tick=False):
        token = booking_token(booking)
        assert browser.get(booking_link(booking)).status_code == 200
        someone_elses = f"{booking_link(booking)}consent/signed/{uuid.uuid4()}.pdf"
        assert browser.get(someone_elses).status_code == 404  # audited: reaching for another form

    assert [line["path"] for line in request_lines(log)] == [
        "/b/…/",
        someone_elses.replace(token, "…"),
    ]
    assert token not in log.text
    [denied] = AuditEvent.objects.filter(action="denied")
    assert denied.path == someone_elses.replace(token, "…")


def test_the_configured_log_handlers_take_link_tokens_out():
    handlers = [handler for handler in logging.getLogger().handlers if handler.name == "console"]
    assert handlers
    for handler in handlers:
        assert any(isinstance(found, LinkTokenFilter) for found in handler.filters)
