"""`gmi drill`: start a laterality drill straight away and end on the results screen."""
import argparse

def register(sub: argparse._SubParsersAction) -> None:  # filled in with the drill
    pass
