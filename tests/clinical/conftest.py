"""Fixtures for the clinical rules engine tests: plain Python, no Django."""

from __future__ import annotations

import pytest

from needlepoint.clinical import Rules, default_rules


@pytest.fixture
def rules() -> Rules:
    return default_rules()
