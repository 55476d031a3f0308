"""Links: which are a URL shortener's, found in a whole column at once as one by one."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from hlexplore.catalog.urls import is_short_link, short_links

PIECES = ["https://", "http://", "goo.gl", "GOO.GL", "bit.ly", "t.co", "st.com", "x.t.co", ":80"]
PIECES += ["/", ".", "a", "\n"]
pieces = st.sampled_from(PIECES)
links = st.lists(pieces, max_size=6).map("".join) | st.text(max_size=30)


@given(urls=st.lists(links, max_size=30))
@example(urls=["https://goo.gl/x", "https://blogpost.com/t.co", "http://t.co/1", "", "https://bit.ly"])
@example(urls=["https://t.", "co/x", "https://goo.gl\nhttps://x.org"])
def test_short_links_are_the_links_is_short_link_says(urls: list[str]) -> None:
    assert short_links(urls) == [at for at, url in enumerate(urls) if is_short_link(url)]
