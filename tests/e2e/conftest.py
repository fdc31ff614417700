"""Browser journeys: Playwright drives Debian's Chromium (/usr/bin/chromium), never a downloaded browser."""
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's async guard would refuse ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("KYCUONG_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: run `make test` as root or apt-get install chromium"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


# A full-page screenshot costs about as much as the axe run itself (≈0.5 s): taken when the check fails
# (the evidence to look at) and for every checked page when KYCUONG_E2E_SCREENSHOTS=1 (to review layouts).
SCREENSHOTS = os.environ.get("KYCUONG_E2E_SCREENSHOTS", "") not in ("", "0")


@pytest.fixture
def axe():
    """Returns check(page, label): runs axe-core (from npm) and fails on serious or critical violations."""
    assert AXE.exists(), "axe-core is missing: run `make test` (npm ci)"
    source = AXE.read_text(encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)

    def check(page, label):
        page.add_script_tag(content=source)
        # Every rule still runs and every violation is reported in full; resultTypes only stops axe from
        # collecting (and shipping to Python) every node that passed, which nothing here reads.
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})"
        )
        bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        if bad or SCREENSHOTS:
            page.screenshot(path=str(ARTIFACTS / f"{label}.png"), full_page=True)
        summary = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}" for v in bad
        ]
        assert not bad, f"axe on {label}:\n" + "\n".join(summary)
        return result

    return check
