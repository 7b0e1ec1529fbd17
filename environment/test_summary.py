"""Prints every failure of an environment/test.sh run and exits 1 when there is one: the failing test
methods from the surefire and failsafe XML reports of every module, the failed notebooks listed by
run_notebooks.py --failures, and the steps that exited non-zero. Stdlib only; any python3 runs it.

    test_summary.py --root DIR [--since EPOCH] [--notebooks FILE] [--step "name: exit 1"]...
"""

import argparse
import pathlib
import sys
import xml.etree.ElementTree as ET


def failed_tests(root, since):
    """(report, "Class#method: kind: message") for each failed or erroring test case, in name order.
    Reports older than `since` (seconds since the epoch) are left out: they are from an earlier run."""
    found = []
    for kind in ("surefire-reports", "failsafe-reports"):
        for report in sorted(root.glob(f"**/target/{kind}/TEST-*.xml")):
            if report.stat().st_mtime < since:
                continue
            try:
                suite = ET.parse(report).getroot()
            except ET.ParseError as e:
                found.append((report, f"unreadable report ({e})"))
                continue
            for case in suite.iter("testcase"):
                for problem in ("failure", "error"):
                    for p in case.findall(problem):
                        message = (p.get("message") or p.get("type") or "").strip().splitlines()
                        found.append((report, f"{case.get('classname')}#{case.get('name')}: {problem}: "
                                              f"{message[0][:200] if message else '(no message)'}"))
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", required=True, help="the repository root (its modules' target/ folders)")
    parser.add_argument("--since", type=float, default=0, help="ignore reports older than this (epoch seconds)")
    parser.add_argument("--notebooks", help="run_notebooks.py's --failures file (absent: no notebook failed)")
    parser.add_argument("--step", action="append", default=[], help="a step that failed, e.g. 'mvn verify: exit 1'")
    args = parser.parse_args(argv)
    root = pathlib.Path(args.root)

    tests = failed_tests(root, args.since)
    notebooks = []
    if args.notebooks and pathlib.Path(args.notebooks).is_file():
        notebooks = [l for l in pathlib.Path(args.notebooks).read_text(encoding="utf-8").splitlines() if l.strip()]
    if not (tests or notebooks or args.step):
        print("test summary: no failures")
        return 0
    print("test summary: FAILED")
    if args.step:
        print(f"  {len(args.step)} step(s) exited non-zero:")
        for s in args.step:
            print(f"    {s}")
    if tests:
        print(f"  {len(tests)} test(s) failed:")
        for report, line in tests:
            print(f"    {line}\n      ({report.relative_to(root) if report.is_relative_to(root) else report})")
    if notebooks:
        print(f"  {len(notebooks)} notebook(s) failed:")
        for line in notebooks:
            print(f"    {line}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
