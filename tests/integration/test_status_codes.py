"""Responses of any status are completed requests, counted by status, never errors."""

import unittest

from harness import LoadTestCase, Nginx, find_line, run_load


class StatusCodes(LoadTestCase):

    def assertAllAnswered(self, nginx, path, status, n=300):
        run = run_load([nginx.url(path), "-t", "1", "-c", "4", "-n", str(n)])
        self.assertRan(run)
        doc = run.doc
        self.assertEqual(doc["status_codes"], {str(status): n})
        self.assertErrors(doc)
        r = doc["requests"]
        self.assertEqual((r["started"], r["completed"], r["failed"]), (n, n, 0))
        self.assertEqual(nginx.settled_request_count(at_least=n), n)
        self.assertEqual(nginx.status_counts(), {status: n})
        return run

    def test_404_responses_are_completed_and_counted_as_non_2xx_3xx(self):
        with Nginx() as nginx:
            run = self.assertAllAnswered(nginx, "/missing", 404)
            self.assertEqual(run.doc["non_2xx_3xx"], 300)
            self.assertIsNotNone(find_line(run.stdout, r"  Non-2xx or 3xx responses: 300"),
                                 run.describe())
            self.assertIsNotNone(find_line(run.stdout, r"  Status codes: 404 x 300"),
                                 run.describe())
            self.assertIsNone(find_line(run.stdout, r"\s*Socket errors:.*"), run.describe())

    def test_503_responses_are_completed_and_counted_as_non_2xx_3xx(self):
        with Nginx() as nginx:
            run = self.assertAllAnswered(nginx, "/busy", 503)
            self.assertEqual(run.doc["non_2xx_3xx"], 300)
            self.assertIsNotNone(find_line(run.stdout, r"  Non-2xx or 3xx responses: 300"),
                                 run.describe())
            self.assertIsNotNone(find_line(run.stdout, r"  Status codes: 503 x 300"),
                                 run.describe())

    def test_200_responses_print_no_non_2xx_3xx_line(self):
        with Nginx() as nginx:
            run = self.assertAllAnswered(nginx, "/", 200)
            self.assertEqual(run.doc["non_2xx_3xx"], 0)
            self.assertIsNone(find_line(run.stdout, r"\s*Non-2xx or 3xx responses:.*"),
                              run.describe())
            self.assertIsNotNone(find_line(run.stdout, r"  Status codes: 200 x 300"),
                                 run.describe())

    def test_204_responses_without_a_body_complete(self):
        with Nginx() as nginx:
            run = self.assertAllAnswered(nginx, "/empty", 204)
            self.assertEqual(run.doc["non_2xx_3xx"], 0)
            self.assertIsNone(find_line(run.stdout, r"\s*Non-2xx or 3xx responses:.*"),
                              run.describe())

    def test_head_responses_complete_without_waiting_for_the_announced_body(self):
        # nginx announces the 1 MiB Content-Length of /big but sends no body to HEAD; a client
        # waiting for that body would time out.
        with Nginx() as nginx:
            run = run_load([nginx.url("/big"), "-t", "1", "-c", "2", "-n", "50", "-m", "HEAD",
                            "--timeout", "1s"])
            self.assertRan(run)
            self.assertErrors(run.doc)
            self.assertEqual(run.doc["status_codes"], {"200": 50})
            self.assertEqual(nginx.settled_request_count(at_least=50), 50)
            self.assertEqual({line.method for line in nginx.access_log()}, {"HEAD"})


if __name__ == "__main__":
    unittest.main()
