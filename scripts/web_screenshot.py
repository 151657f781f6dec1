"""Screenshot the desk's web page with headless Chromium (Debian's chromium + chromium-driver).

    scripts/dev.sh serve --http-port 8080 &
    python scripts/web_screenshot.py --url http://localhost:8080/ \\
        --quote "That’s why we came here" --speaker "Kim Jong Un" --out docs/img/web.png

The tests drive the same browser through `chromium_driver()`.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path
from urllib.parse import urlencode

from selenium import webdriver
from selenium.webdriver.common.by import By

WIDTH = 1100


def chromium_paths() -> tuple[str, str] | None:
    """(chromium, chromedriver) when both are installed, else None."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def chromium_driver(width: int = WIDTH, height: int = 900) -> webdriver.Chrome:
    """Headless Chromium; the installed chromedriver, so selenium downloads nothing."""
    paths = chromium_paths()
    if paths is None:
        raise SystemExit(
            "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for argument in (
        "--headless=new",
        "--no-sandbox",  # root in a container has no user namespace for the sandbox
        "--disable-dev-shm-usage",
        "--disable-gpu",
        f"--window-size={width},{height}",
    ):
        options.add_argument(argument)
    return webdriver.Chrome(options=options, service=webdriver.ChromeService(paths[1]))


def screenshot(url: str, out: Path) -> None:
    driver = chromium_driver()
    try:
        driver.get(url)
        driver.find_element(By.ID, "verdict")
        height = int(driver.execute_script("return document.documentElement.scrollHeight"))
        driver.set_window_size(WIDTH, height + 160)  # room for the window's own frame
        time.sleep(0.3)
        out.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(out))
    finally:
        driver.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8080/")
    parser.add_argument("--quote", required=True)
    parser.add_argument("--speaker", default="")
    parser.add_argument("--out", type=Path, default=Path("docs/img/web.png"))
    args = parser.parse_args()
    query = urlencode({"q": args.quote, "speaker": args.speaker})
    screenshot(f"{args.url.rstrip('/')}/?{query}", args.out)
    print(args.out)


if __name__ == "__main__":
    main()
