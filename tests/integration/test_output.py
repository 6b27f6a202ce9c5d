"""What `benchctl load` prints: wrk's text layout, its JSON document, and what it sends."""

import datetime
import json
import os
import re
import signal
import subprocess
import tempfile
import time
import unittest

from harness import (LoadTestCase, Nginx, benchctl_path, find_line, kill_group, run_load,
                     spawn)

TIME = r"[\d.]+(?:us|ms|s|m|h)"
COUNT = r"[\d.]+[kMGT]?"
PERCENT = r"[\d.]+%"
BYTES = r"[\d.]+[KMGTP]?B"

# wrk's own header lines, consecutive at the top of its output.
WRK_HEADER = [
    r"Running (?P<duration>\S+) test @ (?P<url>\S+)",
    r"  (?P<threads>\d+) threads and (?P<connections>\d+) connections",
    r"  Thread Stats\s+Avg\s+Stdev\s+Max\s+\+/- Stdev",
    rf"    Latency\s+{TIME}\s+{TIME}\s+{TIME}\s+{PERCENT}",
    rf"    Req/Sec\s+{COUNT}\s+{COUNT}\s+{COUNT}\s+{PERCENT}",
]
LATENCY_DISTRIBUTION = [r"  Latency Distribution"] + [
    rf"\s+{p}%\s+{TIME}" for p in ("50", "75", "90", "99")]
REQUESTS_IN = rf"  (?P<requests>\d+) requests in (?P<elapsed>{TIME}), (?P<read>{BYTES}) read"
WRK_FOOTER = [
    r"Requests/sec:\s+(?P<rps>[\d.]+)",
    rf"Transfer/sec:\s+{BYTES}",
]

TOP_LEVEL_KEYS = {
    "schema", "tool", "url", "settings", "started_at", "duration_sec", "interrupted", "requests",
    "errors", "status_codes", "non_2xx_3xx", "bytes_read", "bytes_written", "requests_per_sec",
    "bytes_read_per_sec", "latency_ms", "thread_requests_per_sec", "warmup_requests", "timeline",
    "histograms"}
SETTINGS_KEYS = {
    "threads", "connections", "stop_rule", "duration_sec", "requests", "iterations",
    "rate_per_sec", "timeout_sec", "method", "headers", "body_bytes", "body",
    "latency_distribution", "warmup"}
PERCENTILE_KEYS = {"min", "mean", "stddev", "max", "p50", "p75", "p90", "p95", "p99", "p999",
                   "within_stddev_pct"}


class TextOutput(LoadTestCase):

    def assertLinesInOrder(self, lines, start, patterns):
        """patterns match lines[start:] consecutively; returns the matches."""
        matches = []
        for i, pattern in enumerate(patterns):
            line = lines[start + i] if start + i < len(lines) else "<end of output>"
            m = re.fullmatch(pattern, line)
            self.assertIsNotNone(m, f"line {start + i + 1}: {line!r} does not match {pattern!r}"
                                    f"\n--- output:\n" + "\n".join(lines))
            matches.append(m)
        return matches

    def index_of(self, lines, pattern, after):
        for i in range(after, len(lines)):
            if re.fullmatch(pattern, lines[i]):
                return i
        self.fail(f"no line after line {after} matches {pattern!r}\n--- output:\n"
                  + "\n".join(lines))

    def test_text_output_has_wrks_lines_in_wrks_order(self):
        with Nginx() as nginx:
            run = run_load([nginx.url(), "-t", "2", "-c", "4", "-d", "2s"])
        self.assertRan(run)
        lines = run.stdout.splitlines()
        header = self.assertLinesInOrder(lines, 0, WRK_HEADER)
        self.assertEqual(header[0]["duration"], "2s")
        self.assertEqual(header[0]["url"], nginx.url())
        self.assertEqual((header[1]["threads"], header[1]["connections"]), ("2", "4"))
        self.assertNotIn("Latency Distribution", run.stdout)
        i = self.index_of(lines, REQUESTS_IN, after=len(WRK_HEADER))
        footer_at = self.index_of(lines, WRK_FOOTER[0], after=i + 1)
        footer = self.assertLinesInOrder(lines, footer_at, WRK_FOOTER)
        # The text says what the JSON says.
        doc = run.doc
        requests_in = re.fullmatch(REQUESTS_IN, lines[i])
        self.assertEqual(int(requests_in["requests"]), doc["requests"]["completed"])
        self.assertAlmostEqual(float(footer[0]["rps"]), doc["requests_per_sec"],
                               delta=0.01 * doc["requests_per_sec"] + 0.01)
        r = doc["requests"]
        self.assertIsNotNone(find_line(
            run.stdout,
            rf"  Requests: {r['started']} started, {r['completed']} completed, "
            rf"{r['failed']} failed, {r['in_flight_at_stop']} in flight at stop"), run.describe())
        self.assertIsNotNone(find_line(run.stdout, rf"  Status codes: 200 x {r['completed']}"),
                             run.describe())
        self.assertIsNone(find_line(run.stdout, r"\s*Socket errors:.*"), run.describe())
        self.assertEqual(run.stderr.strip(), "", "a clean run wrote to stderr")

    def test_latency_flag_adds_the_latency_distribution(self):
        with Nginx() as nginx:
            run = run_load([nginx.url(), "-t", "1", "-c", "4", "-d", "1s", "--latency"])
        self.assertRan(run)
        lines = run.stdout.splitlines()
        self.assertLinesInOrder(lines, 0, WRK_HEADER)
        self.assertLinesInOrder(lines, len(WRK_HEADER), LATENCY_DISTRIBUTION)
        self.index_of(lines, REQUESTS_IN, after=len(WRK_HEADER) + len(LATENCY_DISTRIBUTION))
        self.assertTrue(run.doc["settings"]["latency_distribution"])

    def test_an_interrupted_run_exits_130_and_still_prints_its_results(self):
        with Nginx() as nginx, tempfile.TemporaryDirectory() as tmp:
            json_path = os.path.join(tmp, "result.json")
            out_path = os.path.join(tmp, "stdout")
            with open(out_path, "w") as out:
                proc = spawn([benchctl_path(), "load", nginx.url(), "-t", "1", "-c", "4",
                              "-d", "30s", "--json", json_path],
                             stdout=out, stderr=subprocess.PIPE, text=True)
            try:
                time.sleep(1.5)
                proc.send_signal(signal.SIGINT)
                _, stderr = proc.communicate(timeout=10)
            finally:
                kill_group(proc)
            with open(out_path) as f:
                stdout = f.read()
            self.assertEqual(proc.returncode, 130, f"{stdout}\n{stderr}")
            self.assertIsNotNone(find_line(stdout, WRK_FOOTER[0]), stdout)
            with open(json_path) as f:
                doc = json.load(f)
            self.assertTrue(doc["interrupted"])
            self.assertAccounting(doc)
            self.assertGreater(doc["requests"]["completed"], 0)
            self.assertLess(doc["duration_sec"], 5.0)
            expected = doc["requests"]["completed"] + doc["requests"]["in_flight_at_stop"]
            self.assertEqual(nginx.settled_request_count(at_least=expected), expected)


class JsonOutput(LoadTestCase):

    def test_json_to_stdout_moves_the_text_to_stderr(self):
        with Nginx() as nginx:
            run = run_load([nginx.url(), "-t", "1", "-c", "4", "-n", "200", "--json", "-"])
        self.assertEqual(run.returncode, 0, run.describe())
        try:
            doc = json.loads(run.stdout)
        except ValueError as e:
            self.fail(f"stdout is not one JSON document ({e})" + run.describe())
        self.assertEqual(doc["schema"], "benchctl.load/2")
        self.assertEqual(doc["requests"]["completed"], 200)
        self.assertIsNotNone(find_line(run.stderr, WRK_FOOTER[0]), run.describe())
        self.assertIsNotNone(find_line(run.stderr, REQUESTS_IN), run.describe())

    def test_the_document_has_every_key_of_the_schema(self):
        with Nginx() as nginx:
            url = nginx.url()
            run = run_load([url, "-t", "1", "-c", "4", "-n", "200", "-H", "X-Bench: keys"])
        self.assertRan(run)
        doc = run.doc
        self.assertLessEqual(TOP_LEVEL_KEYS, set(doc), "keys missing from the document")
        self.assertNotIn("rate", doc, "rate is only for -R runs")
        self.assertNotIn("service_time_ms", doc, "service_time_ms is only for -R runs")
        self.assertEqual(doc["tool"]["name"], "benchctl")
        self.assertLessEqual({"version", "git_revision"}, set(doc["tool"]))
        self.assertEqual(doc["url"], url)
        self.assertFalse(doc["interrupted"])
        datetime.datetime.fromisoformat(doc["started_at"].replace("Z", "+00:00"))

        settings = doc["settings"]
        self.assertLessEqual(SETTINGS_KEYS, set(settings))
        self.assertEqual((settings["threads"], settings["connections"], settings["stop_rule"],
                          settings["requests"], settings["method"], settings["timeout_sec"]),
                         (1, 4, "requests", 200, "GET", 2.0))
        self.assertIn("X-Bench", json.dumps(settings["headers"]))
        self.assertLessEqual({"period_sec", "requests"}, set(settings["warmup"]))

        self.assertEqual(set(doc["requests"]),
                         {"started", "completed", "failed", "in_flight_at_stop"})
        self.assertEqual(set(doc["errors"]), {"connect", "read", "write", "timeout", "parse", "check"})
        self.assertLessEqual(PERCENTILE_KEYS, set(doc["latency_ms"]))
        lat = doc["latency_ms"]
        self.assertTrue(lat["min"] <= lat["p50"] <= lat["p75"] <= lat["p90"] <= lat["p95"]
                        <= lat["p99"] <= lat["p999"] <= lat["max"], lat)
        self.assertLessEqual({"mean", "stddev", "max", "within_stddev_pct"},
                             set(doc["thread_requests_per_sec"]))
        self.assertIn("latency", doc["histograms"])
        self.assertGreater(doc["bytes_read"], 200 * len("hello\n"))
        self.assertGreater(doc["bytes_written"], 200 * len("GET / HTTP/1.1\r\n\r\n"))
        self.assertEqual(doc["warmup_requests"], 0)
        self.assertAccounting(doc)


class RequestContent(LoadTestCase):

    def test_post_with_body_file_and_headers_reaches_nginx_whole(self):
        body = b'{"payload": "' + b"x" * 2980 + b'"}\n'
        with tempfile.TemporaryDirectory() as tmp, Nginx() as nginx:
            body_path = os.path.join(tmp, "body.json")
            with open(body_path, "wb") as f:
                f.write(body)
            run = run_load([nginx.url("/upload"), "-t", "1", "-c", "2", "-n", "50",
                            "-m", "POST", "--body-file", body_path,
                            "-H", "X-Bench: integration",
                            "-H", "Content-Type: application/json"])
            self.assertRan(run)
            self.assertEqual(run.doc["status_codes"], {"200": 50})
            nginx.settled_request_count(at_least=50)
            log = nginx.access_log()
        self.assertEqual(len(log), 50)
        for line in log:
            self.assertEqual((line.status, line.method, line.content_length, line.x_bench),
                             (200, "POST", len(body), "integration"))
            # $request_length counts the request line, the headers and the body nginx read.
            self.assertGreater(line.request_length, len(body))
            self.assertLess(line.request_length, len(body) + 300, line)
        self.assertEqual(run.doc["bytes_written"], sum(line.request_length for line in log),
                         "bytes_written is not what nginx read")
        settings = run.doc["settings"]
        self.assertEqual((settings["method"], settings["body_bytes"]), ("POST", len(body)))

    def test_the_host_header_names_the_urls_host_and_port_unless_given(self):
        with Nginx() as nginx:
            run = run_load([nginx.url(), "-t", "1", "-c", "1", "-n", "3"])
            self.assertRan(run)
            run = run_load([nginx.url(), "-t", "1", "-c", "1", "-n", "3",
                            "-H", "Host: example.test"])
            self.assertRan(run)
            nginx.settled_request_count(at_least=6)
            hosts = [line.host for line in nginx.access_log()]
        self.assertEqual(hosts, [f"127.0.0.1:{nginx.port}"] * 3 + ["example.test"] * 3)

    def test_a_body_given_inline_is_sent_with_its_length(self):
        with Nginx() as nginx:
            run = run_load([nginx.url("/upload"), "-t", "1", "-c", "1", "-n", "5",
                            "-m", "PUT", "--body", "hello body"])
            self.assertRan(run)
            nginx.settled_request_count(at_least=5)
            log = nginx.access_log()
        self.assertEqual([(l.status, l.method, l.content_length) for l in log],
                         [(200, "PUT", len("hello body"))] * 5)


if __name__ == "__main__":
    unittest.main()
