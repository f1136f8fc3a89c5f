"""Shared pytest configuration: hypothesis profiles for the whole suite.

``quick`` is the default (the README's test line); ``thorough`` draws many more
examples and is what ``nox -s thorough`` runs. Pick one with the
``HYPOTHESIS_PROFILE`` environment variable.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "quick",
    max_examples=25,
    deadline=None,
    # The same examples on every run: the test line (and CI) gives the same
    # answer twice; exploring new examples is the thorough profile's job.
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))
