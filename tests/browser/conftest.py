"""Real headless Chromium (Debian's ``chromium`` + ``chromium-driver``) driven by selenium.

Nothing downloads a browser: selenium is pointed at /usr/bin/chromium and
/usr/bin/chromedriver (``.ci/run`` installs both). Without them the tests skip, saying why.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
REPO = Path(__file__).resolve().parents[2]
# closed networks otherwise flood the log with update/sync/QUIC errors
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,1600", "--force-device-scale-factor=1")


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where screenshots go: $SIANODE_TEST_ARTIFACTS or results/test-artifacts/."""
    d = Path(os.environ.get("SIANODE_TEST_ARTIFACTS", REPO / "results" / "test-artifacts"))
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (Debian package 'chromium'; .ci/run installs it)")
    if not CHROMEDRIVER.exists():
        pytest.skip("no /usr/bin/chromedriver (Debian package 'chromium-driver')")
    webdriver = pytest.importorskip("selenium.webdriver",
                                    reason="selenium missing (pip install -e '.[test]')")
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="sianode-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
