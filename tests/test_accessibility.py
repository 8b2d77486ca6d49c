"""What a citizen with low vision, a screen reader or only a keyboard meets (issue: WCAG 2.1 AA).

axe-core runs in Debian's Chromium on the main page types at desktop and
phone width; it comes vendored inside a pinned PyPI package
(axe-playwright-python), so neither the site nor the tests need npm.
"""

from __future__ import annotations

import re
from importlib.resources import files

import pytest

AXE = files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")

PAGES = [
    "index.html", "issuers/index.html", "issuers/sanyashirenminzhengfu.html", "years/2020.html",
    "topics/index.html", "series/index.html", "notices/2020/sanfu-2020-124.html",
    "notices/2020/sanminzi-2020-92.html", "search.html?q=自来水价格", "changes.html", "404.html",
]
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def context_for(browser):
    contexts = {}

    def get(width: str):
        if width not in contexts:
            w, h = WIDTHS[width]
            contexts[width] = browser.new_context(viewport={"width": w, "height": h})
        return contexts[width]

    yield get
    for c in contexts.values():
        c.close()


def _open(context, site, path):
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
    page.goto((site / path.split("?")[0]).as_uri() + ("?" + path.split("?")[1] if "?" in path else ""))
    page.wait_for_load_state("load")
    if "search.html" in path:
        page.locator(".gz-result__title").first.wait_for(timeout=10_000)
    return page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violation(bundled_site, context_for, path, width):
    page = _open(context_for(width), bundled_site, path)
    page.add_script_tag(content=AXE)
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                 .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
    }""")
    page.close()
    assert result == []


def test_keyboard_focus_is_visible_on_every_control(bundled_site, context_for):
    page = _open(context_for("desktop"), bundled_site, "notices/2020/sanfu-2020-124.html")
    seen = 0
    for _ in range(40):
        page.keyboard.press("Tab")
        style = page.evaluate("""() => {
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            const s = getComputedStyle(el);
            return {tag: el.tagName, outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow};
        }""")
        if style is None:
            continue
        seen += 1
        assert (style["outline"] != "none" and style["width"] >= 2) or style["shadow"] != "none", style
    page.close()
    assert seen >= 20


def test_nothing_in_the_closed_drawer_takes_focus_on_a_phone(bundled_site, context_for):
    page = _open(context_for("phone"), bundled_site, "notices/2020/sanfu-2020-124.html")
    for _ in range(15):
        page.keyboard.press("Tab")
        inside = page.evaluate("() => !!document.activeElement.closest('.md-sidebar--primary')")
        assert not inside
    page.close()


# Words a reader meets that are names, not English: formats and file names.
ALLOWED = {"Atom", "JSON", "CSV", "Excel", "Schema", "zip", "site", "index", "html", "QR", "JavaScript", "U盘"}


@pytest.mark.parametrize("path", PAGES)
def test_no_english_a_citizen_reads(bundled_site, context_for, path):
    """Everything but the notices' own text is Chinese."""
    page = _open(context_for("desktop"), bundled_site, path)
    text = page.evaluate("""() => {
        const clone = document.body.cloneNode(true);
        // The notices' own text, and the auditor's detail under each revision (commit id and author name).
        clone.querySelectorAll('.notice-body, .notice-attachment-title ~ *, .gz-result__snippet, .history-audit, script, style, svg, noscript').forEach(e => e.remove());
        return clone.innerText;
    }""")
    page.close()
    words = set(re.findall(r"[A-Za-z]{3,}", text)) - ALLOWED
    assert words == set(), sorted(words)[:20]


def test_header_suggestions_are_a_combobox_used_with_arrow_keys(bundled_site, page):
    page.goto((bundled_site / "notices/2020/sanfu-2020-124.html").as_uri())
    box = page.locator(".gz-header-search input[name=q]")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "false"
    box.fill("自来水")
    page.locator("#gz-suggest [role=option]").first.wait_for(timeout=10_000)
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    first = page.locator("#gz-suggest [role=option]").first
    assert first.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    target = first.locator("a").get_attribute("href")
    box.press("Enter")
    page.wait_for_url("**/" + target.split("/")[-1])
    assert page.locator("h1").first.inner_text().startswith("三亚市人民政府关于调整自来水价格")


def test_a_notice_prints_as_a_document(bundled_site, page):
    page.goto((bundled_site / "notices/2020/sanfu-2020-124.html").as_uri())
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.md-header', '.md-tabs', '.md-sidebar--primary', '.md-footer', '.breadcrumb', '#history', 'ol.history']
        .map(s => document.querySelector(s)).filter(Boolean).map(e => getComputedStyle(e).display)""")
    assert set(hidden) == {"none"}
    title = page.evaluate("""() => { const s = getComputedStyle(document.querySelector('h1.notice-title'));
        return [s.textAlign, s.fontWeight, s.color]; }""")
    assert title == ["center", "700", "rgb(0, 0, 0)"]
    link = page.evaluate("() => getComputedStyle(document.querySelector('.notice-meta a')).color")
    assert link == "rgb(0, 0, 0)"
