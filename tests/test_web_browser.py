"""The desk's web page in a real browser: headless Chromium (Debian's chromium and
chromium-driver, which `scripts/dev.sh test` installs) driven by selenium."""

from __future__ import annotations

import json
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import jsonschema
import pytest

from quotetrace_client import QuoteTraceClient
from quotetrace_client.results import DiffOp
from quotetrace_server.config import ServerConfig

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from web_screenshot import chromium_driver, chromium_paths

if TYPE_CHECKING:
    from selenium.webdriver import Chrome

    from quotetrace_server.api.server import RunningServer
    from quotetrace_server.engine.engine import Engine

pytestmark = pytest.mark.skipif(
    chromium_paths() is None,
    reason="Chromium is absent: apt-get install chromium chromium-driver "
    "(scripts/dev.sh test installs them)",
)

WHY_WE_CAME = "That’s why we came here"
SCHEMA = json.loads((Path(__file__).parent / "claimreview.schema.json").read_text())
# Markup inside a quotation and its article's metadata, as a hostile page could carry it.
HOSTILE_QUOTE = (
    "We will <script>window.pwned = 1</script> build <img src=x onerror=window.pwned=2> "
    "bridges for every family in this town"
)
HOSTILE_TEXT = f'Mayor Jane Roe said: "{HOSTILE_QUOTE}." The council met on Monday.\n'
SAFE_URL = "https://news.example/roe-bridges"


# How long a page may take to come back with its verdict: generous, since a loaded CI
# machine can take many seconds to verify and render; a page that answers sooner ends the
# wait at once.
PAGE_SECONDS = 120


@pytest.fixture(scope="module")
def browser() -> Iterator[Chrome]:
    driver = chromium_driver()
    # No implicit wait: each page is waited for explicitly (shown_answer), and then every
    # lookup reads the loaded page as it is. An implicit wait would make each lookup that
    # rightly finds nothing (a diff without insertions, no script in the page) wait it out.
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


def shown_answer(browser: Chrome) -> str:
    """Waits for the page of an answer to be shown; its verdict. After a click the old
    page stays until the new one comes, so wait for the answer's element, not a fixed time
    (the form's empty page has no verdict)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    wait = WebDriverWait(browser, PAGE_SECONDS)
    verdict = wait.until(expected_conditions.presence_of_element_located((By.ID, "verdict")))
    wait.until(lambda shown: shown.execute_script("return document.readyState") == "complete")
    return str(verdict.text)


@pytest.fixture(scope="module")
def hostile_web(
    tmp_path_factory: pytest.TempPathFactory, models_dir: str
) -> Iterator[RunningServer]:
    """An index of two printings of a quotation full of markup: one article whose URL is
    `javascript:`, whose title and outlet are markup; one with an https URL."""
    from quotetrace_server.api.server import start_server
    from quotetrace_server.engine.engine import Engine
    from quotetrace_server.ingest.model import Article, ArticleMeta

    engine: Engine = Engine.open(tmp_path_factory.mktemp("hostile") / "h.db", models_dir)
    engine.ingest(
        Article(
            HOSTILE_TEXT,
            ArticleMeta(
                title="<b onmouseover=window.pwned=3>Bridges</b>",
                outlet="<i>Evil</i> Gazette",
                date="2024-01-02",
                url="javascript:window.pwned=4",
            ),
        )
    )
    engine.ingest(
        Article(
            "In other news. " + HOSTILE_TEXT,
            ArticleMeta(
                title="Roe on bridges", outlet="Town Courier", date="2024-01-05", url=SAFE_URL
            ),
        )
    )
    running = start_server(engine, ServerConfig(host="127.0.0.1", port=0, http_port=0))
    yield running
    running.stop(grace=None)
    engine.close()


def texts(browser: Chrome, selector: str) -> list[str]:
    from selenium.webdriver.common.by import By

    return [e.text for e in browser.find_elements(By.CSS_SELECTOR, selector)]


def test_desk_pastes_a_quote_and_sees_verdict_wordings_speakers_and_outlets(
    browser: Chrome, seeded_web: RunningServer
) -> None:
    from selenium.webdriver.common.by import By

    with QuoteTraceClient(f"127.0.0.1:{seeded_web.port}") as client:
        result = client.verify_result(WHY_WE_CAME, speaker="Kim Jong Un")
    browser.get(f"http://127.0.0.1:{seeded_web.http_port}/")
    browser.find_element(By.ID, "q").send_keys(WHY_WE_CAME)
    browser.find_element(By.ID, "speaker").send_keys("Kim Jong Un")
    browser.find_element(By.ID, "verify").click()

    assert shown_answer(browser) == result.verdict == "MISATTRIBUTED"
    assert browser.find_element(By.ID, "explanation").text == result.explanation
    assert texts(browser, "#speakers td.name") == [s.name for s in result.speakers]
    assert texts(browser, ".wording .printed .text") == [v.text for v in result.variants]
    diffs = browser.find_elements(By.CSS_SELECTOR, ".wording .diff")
    for variant, diff in zip(result.variants, diffs, strict=True):
        shown_ins = [e.text for e in diff.find_elements(By.TAG_NAME, "ins")]
        shown_del = [e.text for e in diff.find_elements(By.TAG_NAME, "del")]
        inserted = [s.variant_text for s in variant.diff if s.op in (DiffOp.INSERT, DiffOp.REPLACE)]
        deleted = [s.query_text for s in variant.diff if s.op in (DiffOp.DELETE, DiffOp.REPLACE)]
        assert shown_ins == [t for t in inserted if t]
        assert shown_del == [t for t in deleted if t]
    assert texts(browser, "#outlets td.name") == [o.name for o in result.outlets]
    dates = sorted(o.date for v in result.variants for o in v.occurrences if o.date)
    assert sorted(texts(browser, "#outlets time")) == dates


def test_claimreview_link_downloads_valid_json_ld_for_the_shown_claim(
    browser: Chrome, seeded_web: RunningServer
) -> None:
    from selenium.webdriver.common.by import By

    query = urllib.parse.urlencode({"q": WHY_WE_CAME, "speaker": "Kim Jong Un"})
    browser.get(f"http://127.0.0.1:{seeded_web.http_port}/?{query}")
    shown = shown_answer(browser)
    href = browser.find_element(By.ID, "claimreview").get_attribute("href")
    assert href is not None
    with urllib.request.urlopen(href, timeout=30) as response:
        review = json.loads(response.read())
    jsonschema.validate(review, SCHEMA)
    assert review["claimReviewed"] == WHY_WE_CAME
    assert review["itemReviewed"]["author"]["name"] == "Kim Jong Un"
    assert review["quotetrace"]["verdict"] == shown


def test_markup_in_the_corpus_is_shown_as_text_and_runs_nothing(
    browser: Chrome, hostile_web: RunningServer
) -> None:
    from selenium.webdriver.common.by import By

    query = urllib.parse.urlencode({"q": HOSTILE_QUOTE})
    browser.get(f"http://127.0.0.1:{hostile_web.http_port}/?{query}")
    assert shown_answer(browser)
    assert browser.execute_script("return typeof window.pwned") == "undefined"
    assert browser.find_elements(By.CSS_SELECTOR, "main script, main img, main b, main i") == []
    printed = texts(browser, ".wording .printed .text")
    assert any("<script>window.pwned = 1</script>" in t for t in printed), printed
    assert "<i>Evil</i> Gazette" in texts(browser, "#outlets td.name")
    hrefs = [
        a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "main a[href]")
    ]
    assert SAFE_URL in hrefs
    assert not [h for h in hrefs if h and h.lower().startswith("javascript:")]
    assert "javascript:window.pwned=4" in texts(browser, ".printings code")
    for link in browser.find_elements(By.CSS_SELECTOR, "main a[href]"):
        if link.get_attribute("href") == SAFE_URL:
            assert link.text == "Roe on bridges"
    browser.find_element(By.ID, "q")  # the quote is back in the form, as text
    assert browser.find_element(By.ID, "q").get_attribute("value") == HOSTILE_QUOTE
