"""`benchctl report --format html`, rendered in headless Chromium (Debian's `chromium` package).

The run is tests/fixtures/runs/small/, written once from the unit tests' run builder (see
tests/unit/report/html_report_test.cpp for the command that regenerates it): three servers, one
of them labelled `<script>alert(1)</script>`, a failed cell whose reason and log tail hold
`"'&<>`, and a pending cell. The page must render its charts with no console message, fetch
nothing, run its sorting script, and show every hostile string as text.

The Chromium tests are skipped only when no chromium binary is installed (CI installs it:
scripts/install-deps.sh). Every Chromium is started in its own process group with a throwaway
profile and killed with its group when it overstays.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import unittest

from harness import benchctl_path

HERE = os.path.dirname(os.path.abspath(__file__))
RUN = os.path.join(HERE, "..", "fixtures", "runs", "small")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_TIMEOUT = 90

# Chromium reports page console messages and failed loads on stderr with --enable-logging.
CONSOLE_LINE = re.compile(r"CONSOLE|Uncaught|Refused to|Failed to load|ERR_", re.IGNORECASE)
EXTERNAL = re.compile(r"""(?:src|href|action|srcset)\s*=\s*["']?\s*(?:https?:)?//""",
                      re.IGNORECASE)


def render_html(output):
    """Runs `benchctl report RUN --format html --output output`; returns the page."""
    subprocess.run([benchctl_path(), "report", RUN, "--format", "html", "--output", output],
                   check=True, timeout=60, capture_output=True)
    with open(output, encoding="utf-8") as page:
        return page.read()


def run_chromium(page, profile, *flags):
    """Opens file `page` in headless Chromium with `flags`, no network and a fresh profile;
    returns (stdout, stderr). Kills Chromium's whole process group when it overstays."""
    argv = [
        CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--mute-audio",
        "--enable-logging=stderr", "--v=0", f"--user-data-dir={profile}",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
        "--window-size=1400,2000", *flags, "file://" + os.path.abspath(page),
    ]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=CHROMIUM_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # helpers Chromium may leave behind
        except ProcessLookupError:
            pass
    return out, err


def console_lines(stderr):
    return [line for line in stderr.splitlines() if CONSOLE_LINE.search(line)]


def page_requests(net_log_path):
    """The URLs a page asked for, from a Chromium NetLog (--log-net-log): every request job
    with a page as initiator. The browser's own background requests (update checks, sign-in),
    which no flag fully silences and the host resolver rules send nowhere, have the initiator
    "not an origin"; a file:// page's requests have "null" and a file:// isolation key."""
    with open(net_log_path, encoding="utf-8") as log:
        net_log = json.load(log)
    start_job = net_log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = []
    for event in net_log["events"]:
        params = event.get("params", {})
        url = params.get("url", "")  # the job's end event has none
        if event["type"] != start_job or not url or url.startswith("file:"):
            continue
        from_page = (params.get("initiator") != "not an origin"
                     or "file://" in params.get("network_isolation_key", ""))
        if from_page:
            urls.append(url)
    return urls


class HtmlReportFileTest(unittest.TestCase):
    """The file itself, without a browser."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="benchctl-html-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.html = render_html(os.path.join(self.dir, "report.html"))

    def test_the_page_references_nothing_outside_itself(self):
        self.assertTrue(self.html.startswith("<!DOCTYPE html>"))
        self.assertIsNone(re.search(r"https?://", self.html, re.IGNORECASE))
        self.assertIsNone(EXTERNAL.search(self.html))
        self.assertNotIn("url(", self.html)
        self.assertNotIn("@import", self.html)
        self.assertIn("default-src 'none'", self.html)

    def test_hostile_strings_are_escaped(self):
        self.assertEqual(self.html.count("<script"), 1)  # the sorting script
        self.assertNotIn("<script>alert(1)</script>", self.html)
        self.assertNotIn("\"'&<>", self.html)
        self.assertIn("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;", self.html)
        self.assertIn("&quot;&#39;&amp;&lt;&gt;", self.html)

    def test_charts_and_table_are_balanced(self):
        self.assertEqual(self.html.count("<table"), 1)
        self.assertEqual(self.html.count("<svg "), self.html.count("</svg>"))
        self.assertEqual(self.html.count("<svg "), 7)


@unittest.skipUnless(CHROMIUM, "chromium is not installed (apt-get install chromium)")
class HtmlReportInChromiumTest(unittest.TestCase):
    """The page as headless Chromium renders it."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="benchctl-html-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.page = os.path.join(self.dir, "report.html")
        self.html = render_html(self.page)

    def chromium(self, *flags):
        return run_chromium(self.page, os.path.join(self.dir, "profile"), *flags)

    def test_renders_charts_and_runs_its_script_with_no_console_message(self):
        dom, err = self.chromium("--dump-dom")
        self.assertEqual(console_lines(err), [], err)
        # The sorting script ran: it marks the table and turns the headers into buttons.
        self.assertIn('data-sortable="ready"', dom)
        self.assertEqual(dom.count("<button"), 11)  # one per column
        # The charts are in the DOM as SVG, with their lines and bars.
        self.assertEqual(len(re.findall(r"<svg\b", dom)), 7)
        self.assertGreaterEqual(dom.count("<polyline"), 8)
        self.assertGreaterEqual(dom.count("<rect"), 4)
        # The hostile label is text: no script element but the report's own.
        self.assertEqual(len(re.findall(r"<script\b", dom)), 1)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", dom)

    def test_fetches_nothing(self):
        net_log = os.path.join(self.dir, "net-log.json")
        _, err = self.chromium("--dump-dom", f"--log-net-log={net_log}")
        self.assertEqual(console_lines(err), [], err)
        self.assertEqual(page_requests(net_log), [])

    def test_the_checks_see_a_fetch_and_the_page_policy_refuses_one(self):
        # The NetLog check sees a page's request: a page without the report's policy.
        bare = os.path.join(self.dir, "bare.html")
        with open(bare, "w", encoding="utf-8") as page:
            page.write('<!DOCTYPE html><img src="http://example.invalid/a.png" alt="">')
        net_log = os.path.join(self.dir, "bare-net-log.json")
        run_chromium(bare, os.path.join(self.dir, "profile"), "--dump-dom",
                     f"--log-net-log={net_log}")
        self.assertEqual(page_requests(net_log), ["http://example.invalid/a.png"])
        # The report's Content-Security-Policy refuses the same image, and says so.
        with open(self.page, encoding="utf-8") as page:
            html = page.read()
        injected = os.path.join(self.dir, "injected.html")
        with open(injected, "w", encoding="utf-8") as page:
            page.write(html.replace("</main>",
                                    '<img src="http://example.invalid/b.png" alt=""></main>'))
        net_log = os.path.join(self.dir, "injected-net-log.json")
        _, err = run_chromium(injected, os.path.join(self.dir, "profile"), "--dump-dom",
                              f"--log-net-log={net_log}")
        self.assertEqual(page_requests(net_log), [])
        self.assertNotEqual(console_lines(err), [], err)

    def test_clicking_a_header_sorts_the_table(self):
        # The same page with a script that clicks "requests/sec" (ascending) once it has loaded.
        with open(self.page, encoding="utf-8") as page:
            html = page.read()
        click = ('<script>document.querySelectorAll("table.summary th button")[3].click();'
                 '</script>\n</body>')
        clicked = os.path.join(self.dir, "clicked.html")
        with open(clicked, "w", encoding="utf-8") as page:
            page.write(html.replace("</body>", click))
        dom, err = run_chromium(clicked, os.path.join(self.dir, "profile"), "--dump-dom")
        self.assertEqual(console_lines(err), [], err)
        order = re.findall(r'<tr class="\w+" data-cell="([^"]+)"', dom)
        # Ascending requests/sec; the cells without a figure last, in report order.
        self.assertEqual(order, ["gunicorn.small", "script.small", "nginx.large", "nginx.small",
                                 "script.large", "gunicorn.large"])
        self.assertIn('aria-sort="ascending"', dom)

    def test_screenshot_is_not_blank(self):
        shot = os.path.join(self.dir, "report.png")
        _, err = self.chromium(f"--screenshot={shot}", "--hide-scrollbars")
        self.assertEqual(console_lines(err), [], err)
        self.assertTrue(os.path.exists(shot), err)
        # A blank 1400x2000 PNG compresses to a few KiB; charts and a table do not.
        self.assertGreater(os.path.getsize(shot), 50_000)
        with open(shot, "rb") as image:
            self.assertEqual(image.read(8), b"\x89PNG\r\n\x1a\n")


if __name__ == "__main__":
    unittest.main()
