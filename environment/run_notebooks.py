"""Runs notebooks headless with nbclient (the engine of `jupyter nbconvert --execute`), one after the
other in name order, and stops at the first failing cell with the notebook, the cell number and the
error (with --keep-going: goes on with the next notebook, and fails at the end). Each executed
notebook, a failed one included, is written to the output folder; --failures FILE lists the failed
ones, a line each (test.sh's summary reads it). Called by run-notebooks.sh, which sets up Jupyter's
folders; run with Debian's /usr/bin/python3."""

import argparse
import base64
import binascii
import os
import pathlib
import sys
import tempfile
import struct
import time
import zlib

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

KNOB_PREFIXES = ("SPADE_", "MAX_")
RUNNER_SETTINGS = ("SPADE_JUPYTER_DIR", "SPADE_NOTEBOOKS_DIR", "SPADE_EXECUTED_DIR")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kernel", required=True)
    parser.add_argument("--timeout", type=int, required=True, help="seconds per cell")
    parser.add_argument("--notebooks", required=True, help="folder with the *.ipynb files")
    parser.add_argument("--out", required=True, help="folder for the executed notebooks")
    parser.add_argument("--keep-going", action="store_true", help="run the rest after a failing notebook")
    parser.add_argument("--failures", help="file to list the failed notebooks in (rewritten; empty when none)")
    parser.add_argument("paths", nargs="*", help="notebooks to run instead of all in --notebooks")
    args = parser.parse_args()

    paths = [pathlib.Path(p) for p in args.paths] or sorted(pathlib.Path(args.notebooks).glob("*.ipynb"))
    if not paths:
        print(f"run-notebooks: no notebooks in {args.notebooks}, nothing to run")
        return 0
    for p in paths:
        if not p.is_file():
            print(f"run-notebooks: {p}: no such notebook", file=sys.stderr)
            return 2
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    knobs = " ".join(f"{k}={v}" for k, v in sorted(os.environ.items())
                     if k.startswith(KNOB_PREFIXES) and k not in RUNNER_SETTINGS)
    print(f"run-notebooks: {len(paths)} notebook(s), kernel {args.kernel}, knobs: {knobs or '(none)'}", flush=True)

    started = time.monotonic()
    failed = []
    if args.failures:
        pathlib.Path(args.failures).write_text("", encoding="utf-8")
    for path in paths:
        t0 = time.monotonic()
        failure = run(path, out / path.name, args.kernel, args.timeout)
        seconds = time.monotonic() - t0
        if failure:
            print(f"FAILED {path} after {seconds:.1f} s: {failure}", file=sys.stderr)
            print(f"run-notebooks: the executed notebook, with the error, is {out / path.name}", file=sys.stderr)
            failed.append(f"{path.name}: {failure.splitlines()[0]} (executed copy: {out / path.name})")
            if args.failures:
                pathlib.Path(args.failures).write_text("\n".join(failed) + "\n", encoding="utf-8")
            if not args.keep_going:
                return 1
            continue
        print(f"ok     {path.name}  {seconds:.1f} s", flush=True)
    print(f"run-notebooks: {len(paths)} notebook(s) ran in {time.monotonic() - started:.1f} s, {len(failed)} failed;"
          f" output in {out}")
    return 1 if failed else 0


def run(path, target, kernel, timeout):
    """Executes one notebook; returns None, or a description of the failing cell."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name=kernel, timeout=timeout,
                            resources={"metadata": {"path": str(path.parent.resolve())}})
    client.reset_execution_trackers()
    failure = None
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                where = f"cell {index + 1} of {len(nb.cells)}"
                try:
                    client.execute_cell(cell, index)
                except CellExecutionError as e:
                    failure = f"{where} (In [{cell.get('execution_count')}]): {e.ename}: {e.evalue}\n" \
                              + cell_error(cell, e)
                    break
                except CellTimeoutError:
                    failure = f"{where}: still running after {timeout} s (NOTEBOOK_TIMEOUT)"
                    break
                except DeadKernelError:
                    failure = f"{where}: the kernel died (out of memory? see the Jupyter log above)"
                    break
    finally:
        write_atomically(nb, target)
    return failure or broken_images(nb)


def broken_images(nb):
    """The first image/png output that is not a complete PNG (a chunk cut short, a bad CRC, no IEND), or None."""
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            data = out.get("data", {}).get("image/png")
            if data is not None:
                problem = png_problem(data if isinstance(data, str) else "".join(data))
                if problem:
                    return f"cell {index + 1} of {len(nb.cells)}: an image/png output is not a complete PNG: {problem}"
    return None


def png_problem(b64):
    """None for a complete PNG (base64), else what is wrong: every chunk's CRC is checked, IEND must end it."""
    try:
        png = base64.b64decode(b64, validate=False)
    except (binascii.Error, ValueError) as e:
        return f"not base64 ({e})"
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        return "no PNG signature"
    at = 8
    while at < len(png):
        if len(png) - at < 12:
            return f"truncated chunk header at byte {at}"
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        end = at + 8 + length
        if end + 4 > len(png):
            return f"chunk {kind!r} at byte {at} cut short"
        if zlib.crc32(png[at + 4:end]) != struct.unpack(">I", png[end:end + 4])[0]:
            return f"bad CRC in chunk {kind!r}"
        at = end + 4
        if kind == b"IEND":
            return None if at == len(png) else f"{len(png) - at} bytes after IEND"
    return "no IEND chunk"


def cell_error(cell, error):
    """The traceback the kernel showed in the cell, indented; nbclient's own text if there is none."""
    lines = [line for out in cell.get("outputs", []) if out.get("output_type") == "error"
             for line in out.get("traceback", [])]
    return "\n".join("    " + line for line in lines) if lines else str(error)


def write_atomically(nb, target):
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            nbformat.write(nb, f)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


if __name__ == "__main__":
    sys.exit(main())
