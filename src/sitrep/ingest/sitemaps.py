"""sitemap.xml (urlset and sitemapindex) -> page URLs and child sitemaps."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from sitrep.errors import InputError

__all__ = ["Sitemap", "looks_like_sitemap", "parse_sitemap"]

MAX_URLS = 50_000  # the sitemaps protocol's own limit per file


@dataclass(frozen=True)
class Sitemap:
    pages: tuple[str, ...]
    children: tuple[str, ...]  # further sitemaps named by a sitemap index


def looks_like_sitemap(head: bytes) -> bool:
    sample = head[:2048].lower()
    return b"<urlset" in sample or b"<sitemapindex" in sample


def parse_sitemap(data: bytes, source: str) -> Sitemap:
    """Parse sitemap XML safely (no entities, no network); InputError E107 when malformed."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, recover=False
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise InputError("E107", f"{source}: malformed sitemap ({exc})") from exc
    kind = etree.QName(root).localname
    if kind not in ("urlset", "sitemapindex"):
        raise InputError("E107", f"{source}: XML root <{kind}> is not a sitemap")
    child = "url" if kind == "urlset" else "sitemap"
    locs = []
    for node in root:
        if isinstance(node.tag, str) and etree.QName(node).localname == child:
            loc = _loc(node)
            if loc:
                locs.append(loc)
            if len(locs) >= MAX_URLS:
                break
    if kind == "urlset":
        return Sitemap(pages=tuple(locs), children=())
    return Sitemap(pages=(), children=tuple(locs))


def _loc(node: etree._Element) -> str | None:
    for sub in node:
        if isinstance(sub.tag, str) and etree.QName(sub).localname == "loc" and sub.text:
            return str(sub.text).strip()
    return None
