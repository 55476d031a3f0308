"""The Textual explorer. Everything it shows is computed by hlexplore.index; this package only displays."""

from hlexplore import interpreter

interpreter.frame_rate()  # before Textual is imported
