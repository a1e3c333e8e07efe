"""gmi: graded motor imagery and graded movement exposure for people living with chronic pain."""

__version__ = "0.1.0"
