"""Runs environment/ablate.sh for real on a tiny plan (run by environment/test.sh after the jar is built):
    python3 environment/ablate_test.py
Each run trains the tiny preset for a few iterations on a small synthetic 64² set and is scored by `evaluate`
with the shipped segmenter, so the table's numbers are the kit's own; the tests check the table, that a finished
run is never trained again (a killed ablation resumes), and the errors a user gets."""

import json
import os
import pathlib
import subprocess
import tempfile
import unittest

ROOT = pathlib.Path(__file__).resolve().parent.parent
ABLATE = ROOT / "environment" / "ablate.sh"
SPADE = ROOT / "environment" / "spade-anime"
COLUMNS = 15


def ablate(plan, out, data, **env):
    e = dict(os.environ, PRESET="tiny", DATA=str(data), ITERATIONS="4", JOBS="2", **env)
    return subprocess.run(["bash", str(ABLATE), str(plan), str(out)], env=e, capture_output=True, text=True,
                          timeout=600)


def rows(out):
    lines = (out / "table.tsv").read_text(encoding="utf-8").splitlines()
    return lines[0].split("\t"), [line.split("\t") for line in lines[1:]]


class AblateTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = pathlib.Path(cls.tmp.name)
        cls.data = cls.dir / "synthetic-64"
        subprocess.run([str(SPADE), "synth", "--count", "30", "--size", "64", "--seed", "1", "--out", str(cls.data)],
                       check=True, capture_output=True, text=True, timeout=300)
        cls.plan = cls.dir / "plan"
        cls.plan.write_text("# NAME SEED [train options]\nbase 1\n\nr1-gamma-1 1 --set gpCoef=1\n", encoding="utf-8")
        cls.out = cls.dir / "out"
        cls.first = ablate(cls.plan, cls.out, cls.data)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_a_plan_trains_scores_and_tabulates_every_run(self):
        self.assertEqual(self.first.returncode, 0, self.first.stderr)
        header, table = rows(self.out)
        self.assertEqual(len(header), COLUMNS)
        self.assertEqual([r[:3] for r in table], [["base", "1", "—"], ["r1-gamma-1", "1", "--set gpCoef=1"]])
        for r in table:
            self.assertEqual(len(r), COLUMNS, r)
            l1, psnr, miou_ratio = float(r[4]), float(r[5]), float(r[11])
            self.assertTrue(0 < l1 < 1, r)
            self.assertTrue(5 < psnr < 40, r)
            self.assertTrue(0 <= miou_ratio <= 2, r)
            self.assertGreater(float(r[3]), 0, "training seconds")
        # the plan's options reached the runs, over ablate.sh's own
        base = json.loads((self.out / "base-s1" / "options.json").read_text(encoding="utf-8"))
        r1 = json.loads((self.out / "r1-gamma-1-s1" / "options.json").read_text(encoding="utf-8"))
        self.assertEqual((base["iterations"], base["threads"], base["tileEvery"]), (4, 1, 0))
        self.assertEqual((base["gpCoef"], r1["gpCoef"]), (10.0, 1.0))
        md = (self.out / "table.md").read_text(encoding="utf-8")
        self.assertIn("| base | 1 | — |", md)
        self.assertIn("| r1-gamma-1 | 1 | --set gpCoef=1 |", md)

    def test_a_rerun_trains_nothing_again_and_rescores_from_the_evaluation(self):
        self.assertEqual(self.first.returncode, 0, self.first.stderr)
        score = self.out / "base-s1.score"
        kept = score.read_text(encoding="utf-8")
        logs = {p: p.stat().st_mtime_ns for p in self.out.glob("*.log")}
        score.unlink()   # as if killed between evaluate and score
        again = ablate(self.plan, self.out, self.data)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual({p: p.stat().st_mtime_ns for p in self.out.glob("*.log")}, logs, "no run trained again")
        self.assertEqual(score.read_text(encoding="utf-8"), kept)
        self.assertEqual(len(rows(self.out)[1]), 2)

    def test_a_failing_run_is_named_and_the_others_still_tabulated(self):
        out = self.dir / "failing"
        plan = self.dir / "failing.plan"
        plan.write_text("bad 1 --set noSuchOption=1\n", encoding="utf-8")
        r = ablate(plan, out, self.data)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(f"bad seed 1: training failed, see {out}/bad-s1.train.log", r.stderr)
        self.assertIn("noSuchOption", (out / "bad-s1.train.log").read_text(encoding="utf-8"))
        self.assertEqual(rows(out)[1], [])

    def test_a_missing_plan_or_data_folder_is_a_usage_error(self):
        r = ablate(self.dir / "nowhere.plan", self.dir / "x", self.data)
        self.assertEqual((r.returncode, r.stderr.strip()), (2, f"ablate.sh: plan {self.dir}/nowhere.plan: no such file"))
        r = ablate(self.plan, self.dir / "x", self.dir / "no-data")
        self.assertEqual(r.returncode, 2)
        self.assertIn(f"data {self.dir}/no-data: no such folder", r.stderr)
        self.assertFalse((self.dir / "x").exists(), "nothing written for a refused plan")


if __name__ == "__main__":
    unittest.main()
