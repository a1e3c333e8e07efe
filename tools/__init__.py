"""Deterministic generators that produce gmi's data files (stimulus images)."""
