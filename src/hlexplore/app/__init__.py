"""The Textual explorer. Everything it shows is computed by hlexplore.index; this package only displays."""

import os

# Textual paints at most TEXTUAL_FPS frames a second, and after a pause (a keystroke's first frame) its
# update timer waits one to two of those periods before the next frame: at 60, a list found 5 ms after a
# key is painted up to 33 ms later. At 120 the wait is half that; frames are still only painted when
# something changed. Textual reads it when first imported, so this package sets it before importing it.
# A user's own TEXTUAL_FPS is kept.
os.environ.setdefault("TEXTUAL_FPS", "120")
