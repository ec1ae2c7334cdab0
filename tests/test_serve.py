"""``proofsheet serve``: the page checks as ``check`` does, escapes everything, keeps its limits.

The browser test needs Debian's chromium and chromium-driver. Without them it skips
locally and fails in CI (``CI`` set), where .ci/run installs them.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():  # Starlette 1.x would rather have httpx2; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from proofsheet.serve import app as app_module
from proofsheet.serve import worker
from proofsheet.serve.mathml import safe_mathml

ROOT = Path(__file__).resolve().parents[1]
FORM = "application/x-www-form-urlencoded"
WRONG = (
    "$$\\sigma(-x) = 1 - \\sigma(x)$$\n"
    "\n"
    "$$\\sigma(-x) = \\frac{1}{1+e^{-x}}$$\n"
)  # line 1 right, line 3 wrong (x = 1 shows it)


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    (out / "answers.en.md").write_text("# Answers\n", encoding="utf-8")
    (out / "proofs.en.md").write_text("# not on the list\n", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def client(build):
    with TestClient(make_app(build)) as c:
        yield c


def make_app(build: Path):
    return app_module.make_app(build=build, seconds=5.0, checks=1)


def steps(html: str) -> list[dict]:
    """Each step on the page: its line, status, classes."""
    found = re.findall(
        r'<li class="([^"]*)" id="[^"]*" data-line="(\d+)" data-status="(\w+)"', html
    )
    return [{"classes": c.split(), "line": int(n), "status": s} for c, n, s in found]


def test_the_page_loads_with_the_form_and_the_listed_sheets_only(client):
    r = client.get("/")
    assert r.status_code == 200
    assert '<textarea name="text"' in r.text and 'type="file"' in r.text
    assert "/sheet/answers.en.md" in r.text and "proofs.en.md" not in r.text


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.post("/check", data={"text": WRONG}),
        lambda c: c.post("/check", files={"file": ("a.md", WRONG.encode())}, data={"text": ""}),
    ],
    ids=["pasted", "uploaded"],
)
def test_a_wrong_step_is_marked_on_its_line_with_the_counterexample(client, send):
    r = send(client)
    assert r.status_code == 200
    assert [(s["line"], s["status"]) for s in steps(r.text)] == [(1, "verified"), (3, "refuted")]
    assert "first-wrong" in steps(r.text)[1]["classes"]
    assert 'id="first-wrong"' in r.text and "✗" in r.text
    assert "counterexample at x = 1: left side = 0.268941, right side = 0.731059" in r.text
    assert r.text.count("<math") == 2  # each formula rendered as math


def test_html_in_the_input_is_escaped_everywhere(client):
    hostile = "<script>alert(1)</script>\n\n$$x<y> = x$$\n\n$$\\text{<img src=x>} = 1$$\n"
    r = client.post("/check", data={"text": hostile})
    assert r.status_code == 200
    assert "<script>" not in r.text and "<img" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text  # back in the textarea, as text


@pytest.mark.parametrize(
    "kwargs, status, title",
    [
        ({"files": {"file": ("a.md", b"\xff\xfe$$x = x$$")}, "data": {"text": ""}}, 400, "UTF-8"),
        ({"files": {"file": ("a.md", b"$$x$$\0\0")}, "data": {"text": ""}}, 400, "Not a text"),
        ({"data": {"text": "   "}}, 400, "Nothing to check"),
        ({"content": b"text=%ff%fe", "headers": {"content-type": FORM}}, 400, "UTF-8"),
        ({"content": b"\x00\xff garbage", "headers": {"content-type": "text/plain"}}, 415, "form"),
        (
            {"content": b"--b\r\ngarbage", "headers": {"content-type": "multipart/form-data"}},
            400,
            "Not a form",
        ),
    ],
    ids=["bad-utf8", "binary", "empty", "percent-garbage", "not-a-form", "broken-multipart"],
)
def test_bad_input_gets_the_error_page_not_a_traceback(client, kwargs, status, title):
    r = client.post("/check", **kwargs)
    assert r.status_code == status
    assert 'id="error"' in r.text and title in r.text
    assert "Traceback" not in r.text


@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": {"text": "x" * (300 * 1024)}},
        {"content": iter([b"text=" + b"x" * 65536] * 5)},  # chunked: no Content-Length
    ],
    ids=["content-length", "chunked"],
)
def test_an_oversized_request_is_refused_with_413(client, kwargs):
    kwargs.setdefault("headers", {"content-type": FORM})
    r = client.post("/check", **kwargs)
    assert r.status_code == 413
    assert "Too large" in r.text and "256 KiB" in r.text


@pytest.mark.parametrize(
    "path, status",
    [
        ("/sheet/answers.en.md", 200),
        ("/sheet/proofs.en.md", 404),  # in the build folder, not on the list
        ("/sheet/..%2Fanswers.en.md", 404),
        ("/sheet/answers.zh.md", 404),  # on the list, not built
        ("/nowhere", 404),
    ],
)
def test_only_the_listed_sheets_are_served(client, path, status):
    r = client.get(path)
    assert r.status_code == status
    if status == 200:
        assert r.text == "# Answers\n"


def test_the_sheets_are_read_at_start_up_not_per_request(build, tmp_path):
    (tmp_path / "answers.en.md").write_text("first\n", encoding="utf-8")
    with TestClient(make_app(tmp_path)) as c:
        (tmp_path / "answers.en.md").write_text("changed\n", encoding="utf-8")
        assert c.get("/sheet/answers.en.md").text == "first\n"


def test_a_check_past_its_time_limit_stops_the_worker_not_the_server(monkeypatch):
    monkeypatch.setattr(worker, "check_text", lambda *a, **k: time.sleep(60))
    start = time.monotonic()
    answer = worker.check_in_worker("$$x = x$$", 0.5)
    assert answer["status"] == worker.STOPPED and "0.5 s" in answer["reason"]
    assert time.monotonic() - start < 10


def test_a_client_gets_one_check_at_a_time(build, monkeypatch):
    import asyncio

    import httpx

    def slow_check(text, seconds):
        time.sleep(0.5)
        return {"status": worker.STOPPED, "reason": "slow"}

    monkeypatch.setattr(app_module, "check_in_worker", slow_check)
    app = make_app(build)

    async def twice():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://page") as c:
            send = lambda: c.post("/check", data={"text": "$$x = x$$"})
            return await asyncio.gather(send(), send())

    assert sorted(r.status_code for r in asyncio.run(twice())) == [200, 429]


@pytest.mark.parametrize(
    "markup",
    [
        "<mi>a<b</mi>",
        '<mi onclick="f()">x</mi>',
        "<mrow><script>alert(1)</script></mrow>",
        '<maction actiontype="statusline"><mi>x</mi></maction>',
        "<mi>&unknownentity;</mi>",
        '<math href="javascript:f()"><mi>x</mi></math>',
    ],
)
def test_mathml_off_the_allow_list_is_dropped(markup):
    assert safe_mathml(markup) == ""


# --- the real browser -------------------------------------------------------------------------

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def browser():
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not shutil.which(p)]
    if missing:
        reason = f"{' and '.join(missing)} not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser test, but {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.add_argument("--window-size=1000,900")
    options.binary_location = CHROMIUM
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def server(build):
    """``proofsheet serve`` on a free port, in its own process, as a teacher starts it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = "from proofsheet.cli import main; main()"
    args = ["serve", "--port", str(port), "--build", str(build), "--seconds", "5"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", command, *args], env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert proc.poll() is None, "proofsheet serve exited"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def test_in_a_browser_a_pasted_wrong_step_shows_its_cross(browser, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server + "/")
    browser.find_element(By.ID, "text").send_keys(WRONG)
    browser.find_element(By.ID, "check").click()
    WebDriverWait(browser, 30).until(ready.presence_of_element_located((By.ID, "summary")))
    wrong = browser.find_element(By.CSS_SELECTOR, "li.first-wrong")
    assert wrong.get_attribute("data-line") == "3"
    assert wrong.find_element(By.CLASS_NAME, "mark").text == "✗"
    assert "counterexample at x = 1" in wrong.text
    assert wrong.find_element(By.TAG_NAME, "math").size["height"] > 0  # MathML laid out
    (ROOT / "build").mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ROOT / "build" / "serve-screenshot.png"))
