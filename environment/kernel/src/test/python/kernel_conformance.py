"""The Jupyter project's kernel conformance suite (Debian's python3-jupyter-kernel-test) against the
spade-java kernel. Every sample attribute is filled in, so a skipped test means a missing feature, not a
missing sample; KernelConformanceIT runs this file and asserts that all tests pass and none is skipped.
Usage: /usr/bin/python3 kernel_conformance.py [-v]   (JUPYTER_PATH must lead to the spade-java kernelspec)"""

import unittest

import jupyter_kernel_test


class SpadeJavaKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "spade-java"

    # kernel_info_reply: language_info.name must match kernel.json's "language"
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("to stderr");'

    completion_samples = [
        # a variable declared earlier in the same, not yet executed, cell
        {"text": 'String s = "x"; s.toUpperC', "matches": {"toUpperCase("}},
        # the cursor at the end of a complete method name
        {"text": "Math.max", "matches": {"max("}},
        {"text": "Math.flo", "matches": {"floor(", "floorDiv(", "floorMod("}},
    ]

    complete_code_samples = ["int a = 1;", "1 + 2", 'System.out.println("x");', "class A { }"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "int b = 1 +", 'String t = "a" +']
    invalid_code_samples = ["1 +* 2", "int 3x = 1;", "int x = ;)"]

    # the pager, as IJava does it: `expr?` and `expr??` execute to a page payload
    code_page_something = "String?"

    code_generate_error = 'throw new IllegalStateException("expected by the test")'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"spade".length()', "result": "5"},
        {"code": "Math.abs(-3)", "result": "3"},
    ]
    code_display_data = [
        {"code": 'display("shown")', "mime": "text/plain"},
        {"code": 'display(new java.awt.image.BufferedImage(4, 3, java.awt.image.BufferedImage.TYPE_INT_RGB))',
         "mime": "image/png"},
    ]

    # matches "6 * 7" above; the suite runs code_execute_result before each history request
    code_history_pattern = "6 *"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "String"

    code_clear_output = 'clearOutput()'


if __name__ == "__main__":
    unittest.main()
