"""Following the main navigation in browser tests: an item may sit in a dropdown menu
(``templates/includes/nav.html``), so open its menu first, as a person would."""

from __future__ import annotations

import re


def follow_nav(page, name: str | re.Pattern | None = None, *, href: str | None = None) -> None:
    """Click the main-navigation link named ``name`` (exact, or a pattern) or going to
    ``href``, opening the dropdown menu that holds it if it is in one."""
    nav = page.get_by_test_id("main-nav")
    if href is not None:
        anchor = page.locator(f"a[href='{href}']")
    else:
        # By text, not by role: a link in a closed menu is hidden from the role tree.
        text = re.compile(rf"^\s*{re.escape(name)}\s*$") if isinstance(name, str) else name
        anchor = page.locator("a").filter(has_text=text)
    link = nav.locator(anchor)
    if not link.is_visible():
        menu = nav.locator("li.dropdown").filter(has=anchor)
        menu.locator("[data-bs-toggle=dropdown]").click()
    link.click()
