"""What hlexplore remembers about its user: preferences, bookmarks, notes, filter history, the last session.

Free of Textual and Rich. Everything lives in platformdirs' user directories for "hlexplore".
"""
