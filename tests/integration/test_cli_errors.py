"""Bad input is refused before any traffic: exit 2 and one line
`benchctl: error: <what>, <where>; <what to do>` that names the problem and the flag to change."""

import os
import re
import tempfile
import time
import unittest

from harness import LoadTestCase, free_port, run_load

ERROR_LINE = re.compile(r"benchctl: error: .+, .+; .+")
CRASH_SIGNS = ("Traceback", "terminate called", "what():", "Aborted", "core dumped",
               "Segmentation fault", "AddressSanitizer", "runtime error:")


class CliErrors(LoadTestCase):

    def setUp(self):
        # Nothing listens here: a run that wrongly goes ahead fails fast instead of hanging.
        self.url = f"http://127.0.0.1:{free_port()}/"

    def assertRefused(self, args, *mentions):
        """`benchctl load ARGS` exits 2 at once with an error line containing every mention."""
        started = time.monotonic()
        run = run_load(args, timeout=30)
        elapsed = time.monotonic() - started
        self.assertEqual(run.returncode, 2, f"bad input was not refused: {args}" + run.describe())
        self.assertTrue(run.stderr.startswith("benchctl: error:"), run.describe())
        first_line = run.stderr.splitlines()[0]
        self.assertRegex(first_line, ERROR_LINE)
        for mention in mentions:
            self.assertIn(mention.lower(), first_line.lower(),
                          f"the error does not name {mention!r}" + run.describe())
        for sign in CRASH_SIGNS:
            self.assertNotIn(sign, run.stderr, run.describe())
        self.assertNotIn("Requests/sec", run.stdout, "a run happened" + run.describe())
        self.assertIsNone(run.doc, "a --json document was written for refused input")
        self.assertLess(elapsed, 5.0, "refusing bad input took too long")

    def test_a_url_without_a_scheme_is_refused(self):
        self.assertRefused(["127.0.0.1:8080/", "-n", "10"], "URL")

    def test_a_url_without_a_host_is_refused(self):
        self.assertRefused(["http:///index.html", "-n", "10"], "URL")

    def test_a_url_with_a_port_out_of_range_is_refused(self):
        self.assertRefused(["http://127.0.0.1:99999/", "-n", "10"], "URL", "port")

    def test_an_https_url_is_refused_as_not_supported_yet(self):
        self.assertRefused(["https://127.0.0.1:8443/", "-n", "10"], "https", "not supported")

    def test_an_unresolvable_host_is_refused(self):
        # .invalid never resolves (RFC 6761), with or without a network.
        self.assertRefused(["http://no-such-host.invalid:8080/", "-n", "10"],
                           "no-such-host.invalid")

    def test_a_json_path_in_a_missing_directory_is_refused_before_the_load(self):
        with tempfile.TemporaryDirectory() as tmp:
            self.assertRefused([self.url, "-n", "10", "--json",
                                os.path.join(tmp, "missing", "x.json")], "--json")

    def test_a_json_path_that_is_a_directory_is_refused_before_the_load(self):
        with tempfile.TemporaryDirectory() as tmp:
            self.assertRefused([self.url, "-n", "10", "--json", tmp], "--json")

    def test_a_body_file_that_is_a_directory_is_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            self.assertRefused([self.url, "-n", "10", "-m", "POST", "--body-file", tmp],
                               "--body-file", "directory")

    def test_a_transfer_encoding_header_is_refused(self):
        # benchctl frames every body with Content-Length; a TE header would contradict it.
        self.assertRefused([self.url, "-n", "10", "-m", "POST", "--body", "x",
                            "-H", "Transfer-Encoding: chunked"], "Transfer-Encoding")

    def test_fewer_requests_than_connections_is_refused(self):
        self.assertRefused([self.url, "-n", "5", "-c", "10"], "-n", "-c")

    def test_a_zero_rate_is_refused(self):
        self.assertRefused([self.url, "-R", "0", "-d", "1s"], "-R")

    def test_a_negative_rate_is_refused(self):
        self.assertRefused([self.url, "-R", "-5", "-d", "1s"], "-R")

    def test_a_malformed_duration_is_refused(self):
        self.assertRefused([self.url, "-d", "10x"], "-d", "10x")

    def test_a_malformed_timeout_is_refused(self):
        self.assertRefused([self.url, "-n", "10", "--timeout", "10x"], "--timeout", "10x")

    def test_a_malformed_warmup_is_refused(self):
        self.assertRefused([self.url, "-n", "10", "--warmup", "10x"], "--warmup", "10x")

    def test_a_missing_body_file_is_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            missing = os.path.join(tmp, "no-such-body.json")
            self.assertRefused([self.url, "-n", "10", "-m", "POST", "--body-file", missing],
                               "--body-file", missing)


if __name__ == "__main__":
    unittest.main()
