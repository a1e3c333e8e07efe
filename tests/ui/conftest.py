"""The real pose media fixture (tests/pose/conftest.py) for the camera check scene test."""

from tests.pose.conftest import pose_media  # noqa: F401
