"""The analyst's desk in a real browser: map, time filter, event card, XSS, accessibility,
phone and keyboard use."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from browser.pixels import rgb_pixels
from browser.support import VENDOR, Desk

WATER = (0xD7, 0xE6, 0xF2)
LAND = (0xF4, 0xF1, 0xEA)
TYPE_COLOURS = [(0xD5, 0x5E, 0x00), (0xB8, 0x6E, 0x00), (0xA0, 0x52, 0x7F), (0x00, 0x72, 0xB2)]


def open_map(page: Any, desk: Desk, query: str = "") -> int:
    """Load the map page and wait until the map has drawn its events; their number."""
    page.goto(f"{desk.url}/{query}")
    page.wait_for_selector("#map[data-state=ready]")
    return int(page.get_attribute("#map", "data-visible"))


def near(pixel: tuple[int, int, int], colour: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


def test_map_draws_the_offline_basemap_and_the_demo_events(
    page: Any, desk: Desk, artifacts: Path
) -> None:
    visible = open_map(page, desk)
    assert visible > 20
    shot = page.locator("#map").screenshot(path=str(artifacts / "map.png"))
    pixels = rgb_pixels(shot)
    colours = Counter(pixels)
    water = sum(n for c, n in colours.items() if near(c, WATER, 3))
    land = sum(n for c, n in colours.items() if near(c, LAND, 3))
    events = sum(n for c, n in colours.items() if any(near(c, t) for t in TYPE_COLOURS))
    assert water > len(pixels) * 0.02, "no sea: the basemap did not draw"
    assert land > len(pixels) * 0.2, "no land: the basemap did not draw"
    assert events > 30, "no event icons in the map's pixels"
    assert len(colours) > 200
    assert page.locator("#map-labels .place-label").count() > 3  # labels from the gazetteer
    assert page.problems == []


def test_the_time_window_changes_the_events_shown(page: Any, desk: Desk) -> None:
    everything = open_map(page, desk)
    last = int(page.get_attribute("#t-end", "max"))
    page.locator("#t-end").fill(str(last // 3))
    expect(page.locator("#map")).not_to_have_attribute("data-visible", str(everything))
    fewer = int(page.get_attribute("#map", "data-visible"))
    assert 0 <= fewer < everything
    assert page.locator("#count").inner_text().startswith(f"{fewer} ")
    assert page.locator("#event-list > li[data-id]").count() == min(fewer, 200)
    assert "until=" in page.url  # the window is in the address, to share or reload
    page.locator("#play").click()
    assert page.get_attribute("#play", "aria-pressed") == "true"
    page.locator("#play").click()
    assert page.get_attribute("#play", "aria-pressed") == "false"


def test_the_server_filter_narrows_the_map(page: Any, desk: Desk) -> None:
    everything = open_map(page, desk)
    page.select_option("#f-type", "Battles")
    expect(page.locator("#map")).not_to_have_attribute("data-visible", str(everything))
    assert 0 < int(page.get_attribute("#map", "data-visible")) < everything
    assert "event_type=Battles" in page.url


def test_clicking_an_event_icon_opens_its_card_with_sources(page: Any, desk: Desk) -> None:
    open_map(page, desk)
    point = page.evaluate(
        """async () => {
          const map = document.getElementById('map').maplibre;
          const source = map.getSource('events');
          const data = await source.getData();
          const target = data.features.find((f) => f.properties.outlets >= 1);
          map.jumpTo({center: target.geometry.coordinates, zoom: 11});
          await new Promise((done) => map.once('idle', done));
          const hit = map.queryRenderedFeatures({layers: ['icons']})[0];
          const p = map.project(hit.geometry.coordinates);
          return {x: p.x, y: p.y, id: hit.properties.id};
        }"""
    )
    page.locator("#map canvas").click(position={"x": point["x"], "y": point["y"]})
    card = page.locator("#card")
    card.locator(".sources li").first.wait_for()
    assert card.is_visible()
    assert card.locator(f'a[href="/events/{point["id"]}"]').count() == 1
    assert card.locator(".sources blockquote mark").first.inner_text().strip()
    assert card.locator('.sources a[href^="/articles/"]').count() >= 1


def test_the_xss_fixture_is_inert(page: Any, desk: Desk) -> None:
    for path in (f"/articles/{desk.xss_article}", "/search?q=Sarmada", "/articles"):
        page.goto(desk.url + path)
        page.wait_for_load_state("load")
        assert page.title() != "owned"
        assert page.locator("img[src=x], main script").count() == 0
    page.goto(f"{desk.url}/articles/{desk.xss_article}")
    text = page.locator("main").inner_text()
    assert '<script>document.title="owned";alert("xss")</script>' in text
    assert "onerror=" in text
    assert page.problems == []


@pytest.mark.parametrize("kind", ["map", "event", "article", "actor", "timeline"])
def test_axe_finds_no_serious_violations(browser: Any, desk: Desk, kind: str) -> None:
    paths = {
        "map": "/",
        "event": f"/events/{desk.event_id}",
        "article": f"/articles/{desk.article_id}",
        "actor": f"/actors/{desk.actor_id}",
        "timeline": "/timeline",
    }
    context = browser.new_context(bypass_csp=True)  # to inject axe; the app's CSP is tested apart
    page = context.new_page()
    try:
        page.goto(desk.url + paths[kind])
        if kind == "map":
            page.wait_for_selector("#map[data-state=ready]")
        page.add_script_tag(path=str(VENDOR / "axe-core" / "axe.min.js"))
        violations = page.evaluate("async () => (await axe.run(document)).violations")
    finally:
        context.close()
    serious = [
        f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes']][:3]})"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_pages_fit_a_phone(browser: Any, desk: Desk) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        for path in ("/", f"/events/{desk.event_id}", f"/articles/{desk.article_id}", "/events"):
            page.goto(desk.url + path)
            if path == "/":
                page.wait_for_selector("#map[data-state=ready]")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
        page.goto(desk.url + "/")
        assert page.locator("#map").bounding_box()["width"] <= 375
    finally:
        context.close()


def test_filters_and_event_list_are_reachable_by_keyboard(page: Any, desk: Desk) -> None:
    open_map(page, desk)
    page.locator("body").focus()
    reached: list[str] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                "(() => { const e = document.activeElement;"
                " return e.id || (e.closest('#event-list') ? 'event-list' : e.tagName); })()"
            )
        )
        if "event-list" in reached:
            break
    for stop in ("f-since", "t-start", "t-end", "play", "f-type", "f-actor", "f-disputed"):
        assert stop in reached
    assert "event-list" in reached
    page.keyboard.press("Enter")  # the focused list link opens the event page
    page.wait_for_url("**/events/*")
