"""The Textual explorer. Everything it shows is computed by hlexplore.index; this package only displays."""
