"""The search page in a real browser: headless Chromium through Selenium and Debian's chromedriver.

Nothing is downloaded: the driver is the system's (/usr/bin/chromedriver) and
Selenium Manager is told to stay offline. Skips only when Chromium or its driver
is absent (CI installs both). Saves screenshots of the search and article pages
into docs/screenshots/ for the README when SEARCHKIT_SCREENSHOTS=1.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

pytest.importorskip("uvicorn")
pytest.importorskip("selenium")
import uvicorn  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from searchkit import Article, Index  # noqa: E402
from searchkit.web import create_app  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
DRIVER = Path("/usr/bin/chromedriver")
#: The README's screenshots are refreshed only on request (SEARCHKIT_SCREENSHOTS=1), so an
#: ordinary test run never changes the checkout; otherwise they go to a temporary folder.
SHOTS = (
    Path(__file__).resolve().parent.parent / "docs" / "screenshots"
    if os.environ.get("SEARCHKIT_SCREENSHOTS")
    else Path(tempfile.gettempdir()) / "searchkit-screenshots"
)

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and DRIVER.exists()),
    reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
)

SPEAKERS = ("Maria Lopez", "Tom Baker", "Ana Silva")
SOURCES = ("Riverside Gazette", "Harbour Times")


def _articles() -> list[Article]:
    """Fourteen harbour-flood reports over two sources, four months and three quoted speakers."""
    return [
        Article(
            id=f"harbour-flood-{i:02d}",
            headline=f"Harbour flood defences {('tested', 'breached', 'repaired', 'raised')[i % 4]} after storm {i}",
            paragraphs=(
                f"The harbour wall held back the flood for most of the night, but storm {min(i, 12)} pushed water "
                "into the lower streets before dawn.",  # 12 and 13 share it: a wire copy, folded into one hit
                f'"The flood defences did what they were built to do on night {i}," said {SPEAKERS[i % 3]}, '
                "who leads the council's emergency team.",
                "Engineers will inspect the harbour gates this week and report on the cost of repairs.",
                "Residents were told to keep sandbags in place until the spring tides pass.",
            ),
            source=SOURCES[i % 2],
            date=datetime(2024, 1 + i % 4, 3 + i),
            url=f"https://example.org/news/{i}",
        )
        for i in range(14)
    ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real uvicorn server on a free loopback port, in a thread, for the module's tests."""
    index = tmp_path_factory.mktemp("browser") / "index"
    Index.from_articles(_articles(), index).close()
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(index), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must not fetch drivers or browsers
    profile = tmp_path_factory.mktemp("chromium-profile")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--window-size=1100,1000",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=str(DRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _navigate(driver: WebDriver, act: Callable[[], None]) -> None:
    """Do `act` (a click or submit) and wait until the next page has replaced this one."""
    old = driver.find_element(By.TAG_NAME, "html")
    act()
    WebDriverWait(driver, 20).until(expected_conditions.staleness_of(old))
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")


def _screenshot(driver: WebDriver, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    driver.set_window_size(1100, min(max(height, 600), 1600))
    driver.save_screenshot(str(SHOTS / name))
    driver.set_window_size(1100, 1000)


def test_search_read_an_article_page_forward_and_filter(browser: WebDriver, base_url: str) -> None:
    browser.get(base_url + "/")
    box = browser.find_element(By.NAME, "q")
    box.send_keys("flood defences")
    _navigate(browser, box.submit)

    hits = browser.find_elements(By.CSS_SELECTOR, "li.hit")
    assert len(hits) == 10
    marks = [m.text.lower() for m in browser.find_elements(By.CSS_SELECTOR, "li.hit mark")]
    assert marks and all("flood" in m or "defences" in m for m in marks)
    facets = browser.find_element(By.CSS_SELECTOR, "aside.facets").text
    assert "Riverside Gazette" in facets and "2024-01" in facets and "Maria Lopez" in facets
    assert "q=flood+defences" in browser.current_url  # shareable
    _screenshot(browser, "search.png")

    first = browser.find_element(By.CSS_SELECTOR, "li.hit h2 a")
    headline = first.text
    _navigate(browser, first.click)
    assert browser.find_element(By.TAG_NAME, "h1").text == headline
    assert len(browser.find_elements(By.CSS_SELECTOR, "p.para")) == 4
    assert browser.find_elements(By.CSS_SELECTOR, "p.para.hit")
    _screenshot(browser, "article.png")
    _navigate(browser, browser.back)

    _navigate(browser, browser.find_element(By.CSS_SELECTOR, "a[rel=next]").click)
    assert "page=2" in browser.current_url
    assert len(browser.find_elements(By.CSS_SELECTOR, "li.hit")) == 4  # 14 articles, one hit per article
    assert browser.find_element(By.CSS_SELECTOR, "ol.hits").get_attribute("start") == "11"

    speaker = browser.find_element(By.NAME, "speaker")
    speaker.send_keys("Tom Baker")
    _navigate(browser, speaker.submit)
    assert "speaker=Tom+Baker" in browser.current_url and "page=" not in browser.current_url
    hits = browser.find_elements(By.CSS_SELECTOR, "li.hit")
    assert 0 < len(hits) < 14
    assert all("Tom Baker" in h.text for h in hits)
    assert "speaker: Tom Baker" in browser.find_element(By.CSS_SELECTOR, "p.summary").text
