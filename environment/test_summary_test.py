"""Tests of test_summary.py on crafted surefire/failsafe reports (run by environment/test.sh):
    python3 environment/test_summary_test.py"""

import contextlib
import io
import os
import pathlib
import tempfile
import unittest

import test_summary

PASSED = """<testsuite name="a.PassTest" tests="1"><testcase classname="a.PassTest" name="ok"/></testsuite>"""
FAILED = """<testsuite name="a.BadTest" tests="3">
  <testcase classname="a.BadTest" name="fine"/>
  <testcase classname="a.BadTest" name="wrong"><failure message="expected 2 but was 3" type="AssertionError"/></testcase>
  <testcase classname="a.BadTest" name="crash"><error message="boom&#10;second line" type="IllegalStateException"/></testcase>
</testsuite>"""
IT_FAILED = """<testsuite name="k.NotebookIT"><testcase classname="k.NotebookIT" name="runs"><failure type="X"/></testcase></testsuite>"""


class SummaryTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = pathlib.Path(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def report(self, module, kind, name, text):
        p = self.root / module / "target" / kind / f"TEST-{name}.xml"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        return p

    def summary(self, *args):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            rc = test_summary.main(["--root", str(self.root), *args])
        return rc, out.getvalue()

    def test_all_passed_exits_0(self):
        self.report("lib", "surefire-reports", "a.PassTest", PASSED)
        self.assertEqual(self.summary(), (0, "test summary: no failures\n"))

    def test_lists_every_failure_of_every_module_and_notebook(self):
        self.report("lib", "surefire-reports", "a.PassTest", PASSED)
        self.report("lib", "surefire-reports", "a.BadTest", FAILED)
        self.report("environment/kernel", "failsafe-reports", "k.NotebookIT", IT_FAILED)
        nb = self.root / "failed-notebooks.txt"
        nb.write_text("05-training.ipynb: cell 7 of 20: RuntimeException: x\n", encoding="utf-8")
        rc, out = self.summary("--notebooks", str(nb), "--step", "mvn verify: exit 1")
        self.assertEqual(rc, 1)
        self.assertIn("a.BadTest#wrong: failure: expected 2 but was 3", out)
        self.assertIn("a.BadTest#crash: error: boom", out)
        self.assertNotIn("second line", out)
        self.assertIn("k.NotebookIT#runs: failure: X", out)
        self.assertIn("3 test(s) failed", out)
        self.assertIn("05-training.ipynb: cell 7 of 20", out)
        self.assertIn("mvn verify: exit 1", out)
        self.assertNotIn("fine", out)
        self.assertNotIn("PassTest", out)

    def test_reports_of_an_earlier_run_are_ignored(self):
        old = self.report("lib", "surefire-reports", "a.BadTest", FAILED)
        os.utime(old, (1000, 1000))
        self.assertEqual(self.summary("--since", "2000")[0], 0)

    def test_a_failed_step_alone_fails(self):
        rc, out = self.summary("--step", "run-notebooks: exit 2")
        self.assertEqual(rc, 1)
        self.assertIn("run-notebooks: exit 2", out)

    def test_an_unreadable_report_is_a_failure(self):
        self.report("lib", "surefire-reports", "a.Cut", "<testsuite><testcase")
        rc, out = self.summary()
        self.assertEqual(rc, 1)
        self.assertIn("unreadable report", out)


if __name__ == "__main__":
    unittest.main()
