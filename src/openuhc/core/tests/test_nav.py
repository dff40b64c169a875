"""The menu: sections by what people do, each role only its own; breadcrumbs and the current section."""

from __future__ import annotations

from openuhc.core import nav


def _sections(role):  # noqa: ANN001, ANN202
    return [section.key for section, _items in nav.menu_for(role).sections]


def test_each_role_sees_only_its_sections_in_a_few_groups():
    assert _sections("national") == ["people", "units", "claims", "funds", "rights", "governance", "monitoring",
                                     "admin"]
    assert _sections("localfund") == ["units", "funds", "monitoring"]
    assert _sections("centre") == ["people", "units", "rights", "monitoring"]
    assert "admin" not in _sections("analyst") and "people" not in _sections("analyst")
    assert _sections(None) == ["funds", "rights", "governance", "monitoring"]  # the public pages
    assert "governance" in _sections("secretariat") and "claims" not in _sections("secretariat")
    # no more top-level entries than sections: a national officer's twenty pages fold into eight
    assert len(nav.menu_for("national").items()) > 15


def test_a_page_registered_without_a_section_still_shows_under_more():
    nav.register("test.page", "Test page", "monitoring:open", {"analyst"})
    try:
        assert nav.ITEMS["test.page"].section == nav.MORE
        assert "more" in _sections("analyst")
    finally:
        del nav.ITEMS["test.page"]


def test_the_page_a_request_belongs_to_is_the_longest_address_else_its_namespace():
    menu = nav.menu_for("national")
    assert nav.current("/budget/designer/", "budget", menu).key == "budget.designer"
    assert nav.current("/budget/UCS/2570/", "budget", menu).key == "budget.years"
    assert nav.current("/funds/L5601011/", "localfund", menu).key == "localfund.overview"
    assert nav.current("/accounts/home/", "accounts", menu) is None


def test_pages_below_a_section_show_where_they_are_and_mark_the_section(world, client_for):
    client = client_for("hospital")
    home = client.get("/accounts/home/").content.decode()
    assert 'class="breadcrumb"' not in home
    unit = client.get("/units/56001/").content.decode()
    assert 'class="breadcrumb"' in unit and "Service units" in unit and 'href="/units/"' in unit
    assert 'class="section current"' in unit
    units = client.get("/units/").content.decode()
    assert 'aria-current="page"' in units
    # the menu's hidden parts stay reachable without JavaScript: every item is a plain link
    assert 'href="/claims/"' in home and "<script>" not in home and "onclick" not in home
