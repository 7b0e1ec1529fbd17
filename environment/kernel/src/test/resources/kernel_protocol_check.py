"""Talks to a running kernel over the Jupyter protocol (jupyter_client, as a notebook front end does) and
prints what it saw as one JSON object, for KernelProtocolIT: kernel_info, when the output of a slow cell
arrived (live output), the stream messages of one printf, completion, is-complete and inspect replies, and an interrupt of a sleeping cell.
Usage: /usr/bin/python3 kernel_protocol_check.py KERNEL_NAME"""

import json
import sys
import time

from jupyter_client.manager import start_new_kernel
from jupyter_kernel_test.msgspec_v5 import validate_message

TIMEOUT = 60


def run_cell(kc, code, interrupt_after=None, km=None):
    """Executes code; returns its iopub messages as (seconds since the request, type, content) and the reply."""
    msg_id = kc.execute(code)
    t0 = time.monotonic()
    seen = []
    interrupted = False
    while True:
        if interrupt_after is not None and not interrupted and time.monotonic() - t0 > interrupt_after:
            km.interrupt_kernel()
            interrupted = True
        try:
            msg = kc.get_iopub_msg(timeout=0.2)
        except Exception:  # queue.Empty: nothing yet
            if time.monotonic() - t0 > TIMEOUT:
                raise TimeoutError(code)
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        seen.append((round(time.monotonic() - t0, 3), msg["msg_type"], msg["content"]))
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    while True:
        reply = kc.get_shell_msg(timeout=TIMEOUT)
        if reply["parent_header"].get("msg_id") == msg_id:
            return seen, reply["content"]


def ask(kc, request, *args, **kwargs):
    """Sends a shell request (complete, is_complete, inspect, ...) and returns its reply's content."""
    msg_id = getattr(kc, request)(*args, **kwargs)
    while True:
        reply = kc.get_shell_msg(timeout=TIMEOUT)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]


def main():
    km, kc = start_new_kernel(kernel_name=sys.argv[1], startup_timeout=TIMEOUT)
    result = {}
    try:
        info = ask(kc, "kernel_info")
        result["kernel_info"] = {"implementation": info["implementation"], "language": info["language_info"]["name"],
                                 "language_info": info["language_info"], "status": info.get("status")}

        seen, _ = run_cell(kc, 'System.out.print("step 1 of 2 ");\nThread.sleep(1500);\nSystem.out.println("step 2 of 2");')
        result["live"] = [[t, kind, c.get("text")] for t, kind, c in seen if kind in ("stream", "status")]

        seen, _ = run_cell(kc, 'System.out.printf("%s, %d %s%n", "one printf", 3, "pieces");')
        result["printf"] = [c.get("text") for _, kind, c in seen if kind == "stream"]

        run_cell(kc, 'String greeting = "hi";')
        code = "int n = 1;\ngreeting.toUpp"
        result["complete"] = ask(kc, "complete", code, len(code))
        result["is_complete"] = {c: ask(kc, "is_complete", c)
                                 for c in ["int a = 1;", "for (int i = 0; i < 3; i++) {", "int x = ;)"]}
        result["inspect"] = ask(kc, "inspect", "greeting.length()", 10)

        seen, reply = run_cell(kc, "Thread.sleep(60_000);", interrupt_after=1.0, km=km)
        result["interrupt"] = {"seconds": seen[-1][0], "reply": reply["status"],
                               "errors": [c["ename"] for _, kind, c in seen if kind == "error"]}
        _, reply = run_cell(kc, "greeting.length()")
        result["after_interrupt"] = reply["status"]

        seen, _ = run_cell(kc, 'System.out.println("old frame");\nclearOutput(true);\nSystem.out.println("new frame");')
        result["clear_output"] = [[kind, c.get("wait", c.get("text"))] for _, kind, c in seen
                                  if kind in ("stream", "clear_output")]
        _, reply = run_cell(kc, "greeting.length??")
        result["pager"] = reply.get("payload")
        comm_info = kc.comm_info()
        while True:
            msg = kc.get_shell_msg(timeout=TIMEOUT)
            if msg["parent_header"].get("msg_id") == comm_info:
                validate_message(msg, "comm_info_reply", comm_info)
                result["comm_info"] = msg["content"]
                break
        history = ask(kc, "history", raw=True, output=True, hist_access_type="tail", n=3)
        result["history"] = history["history"]

        km.restart_kernel(now=False)  # a shutdown_request with restart: true, then a new kernel process
        kc.wait_for_ready(timeout=TIMEOUT)
        _, reply = run_cell(kc, "40 + 2")
        result["after_restart"] = {"status": reply["status"], "history": ask(kc, "history", hist_access_type="tail", n=10)["history"]}
    finally:
        kc.stop_channels()
        t0 = time.monotonic()
        km.shutdown_kernel(now=False)  # a shutdown_request; jupyter_client kills the kernel after 5 s
    result["shutdown_seconds"] = round(time.monotonic() - t0, 3)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
