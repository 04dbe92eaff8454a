"""jupyter_kernel_test suite for the gotrann kernel.

Run by run_suites.sh, which installs the kernel into a temporary prefix and
points JUPYTER_PATH at it:  python3 -m unittest -v test_kernel
"""

import unittest

import jupyter_kernel_test


class GotrannKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "gotrann"
    language_name = "go"
    file_extension = ".go"

    code_hello_world = 'fmt.Println("hello, world")'
    code_stderr = 'fmt.Fprintln(os.Stderr, "to stderr")'

    completion_samples = [
        {"text": "fmt.Printl", "matches": {"Println"}},
        {"text": "strings.HasPr", "matches": {"HasPrefix"}},
    ]

    complete_code_samples = ["x := 1", 'fmt.Println("hi")', "func f() int { return 1 }", "1+1"]
    incomplete_code_samples = ["func f() {", "for i := 0; i < 3; i++ {", "x := []int{1,"]
    invalid_code_samples = ["}", "x := )"]

    code_page_something = "?fmt.Println"

    code_generate_error = 'panic("boom")'

    code_execute_result = [
        {"code": "6*7", "result": "42"},
        {"code": '"go" + "pher"', "result": "gopher"},
    ]

    code_display_data = [
        {"code": 'display.Show(display.HTML("<b>hi</b>"))', "mime": "text/html"},
        {"code": 'display.Show(display.Markdown("*hi*"))', "mime": "text/markdown"},
    ]

    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "6?7"

    code_inspect_sample = "fmt.Println"

    code_clear_output = "display.Clear()"


if __name__ == "__main__":
    unittest.main()
