"""The real pose media fixture (tests/pose/conftest.py) for the end-to-end `gmi analyze` tests."""

from tests.pose.conftest import pose_media  # noqa: F401
