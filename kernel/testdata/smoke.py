"""Smoke tests of the gotrann kernel against real Jupyter clients.

- nbclient executes a small notebook;
- jupyter_client: interrupt_request (message mode) and SIGINT both stop a
  running cell and leave the kernel alive; stdin round trip with input();
  control kernel_info while a cell runs; restart; shutdown.

Run by run_suites.sh (JUPYTER_PATH must point at an installed kernelspec).
"""

import os
import signal
import sys
import time
import unittest

import nbformat
from jupyter_client.manager import start_new_kernel
from nbclient import NotebookClient

TIMEOUT = 30


def run(kc, code, **kw):
    """Execute code; return (reply content, [(msg_type, content)] outputs)."""
    msg_id = kc.execute(code, **kw)
    reply = kc.get_shell_msg(timeout=TIMEOUT)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=TIMEOUT)
    outs = []
    while True:
        m = kc.get_iopub_msg(timeout=TIMEOUT)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "status":
            if m["content"]["execution_state"] == "idle":
                break
            continue
        outs.append((m["msg_type"], m["content"]))
    return reply["content"], outs


def stdout(outs):
    return "".join(c["text"] for t, c in outs if t == "stream" and c["name"] == "stdout")


class NotebookSmoke(unittest.TestCase):
    def test_nbclient(self):
        nb = nbformat.v4.new_notebook()
        nb.cells = [
            nbformat.v4.new_code_cell("x := 6 * 7"),
            nbformat.v4.new_code_cell('fmt.Println("x is", x)'),
            nbformat.v4.new_code_cell("x + 1"),
        ]
        NotebookClient(nb, kernel_name="gotrann", timeout=TIMEOUT).execute()
        self.assertEqual(nb.cells[1].outputs[0]["text"], "x is 42\n")
        self.assertEqual(nb.cells[2].outputs[0]["data"]["text/plain"], "43")
        self.assertEqual(nb.cells[2].execution_count, 3)


class FaultSmoke(unittest.TestCase):
    """Cells that kill or wedge the interpreter worker: the kernel answers
    with an error naming the cause within 5 s, the very next cell runs with
    earlier declarations defined, and the heartbeat never stops."""

    @classmethod
    def setUpClass(cls):
        # a small memory cap, so that the out-of-memory cell ends quickly
        os.environ["GOTRANN_WORKER_MEMORY"] = "2GiB"
        try:
            cls.km, cls.kc = start_new_kernel(kernel_name="gotrann")
        finally:
            del os.environ["GOTRANN_WORKER_MEMORY"]

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def fault(self, code, ename, evalue):
        reply, _ = run(self.kc, "func kept() int { return 7 }")
        self.assertEqual(reply["status"], "ok", reply)
        start = time.monotonic()
        reply, outs = run(self.kc, code)
        took = time.monotonic() - start
        self.assertEqual(reply["status"], "error", reply)
        self.assertEqual(reply["ename"], ename, reply)
        self.assertIn(evalue, reply["evalue"])
        self.assertTrue(any(t == "error" for t, _ in outs), outs)
        self.assertLess(took, 5.0)
        self.assertTrue(self.km.is_alive())
        self.assertTrue(self.kc.hb_channel.is_beating())
        reply, outs = run(self.kc, 'fmt.Println("alive", kept())')
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual(stdout(outs), "alive 7\n")

    def test_recursion(self):
        self.fault("func rec(n int) int { return rec(n+1) + 1 }\nrec(0)", "StackOverflow", "fatal error: stack overflow")

    def test_out_of_memory(self):
        self.fault("b := make([]byte, 30<<30)\nb[1<<29] = 1", "OutOfMemory", "out of memory")

    def test_concurrent_map_writes(self):
        self.fault("""m := map[int]int{}
for i := 0; i < 4; i++ {
	go func() {
		for j := 0; ; j++ {
			m[j%100] = j
		}
	}()
}
time.Sleep(5 * time.Second)""", "FatalError", "concurrent map")

    def test_stdout_closed(self):
        self.fault("os.Stdout.Close()", "StdioClosed", "os.Stdout was closed")

    def test_timer_panic(self):
        # a panic in a timer callback must not take anything down
        reply, outs = run(self.kc, 'time.AfterFunc(10*time.Millisecond, func() { panic("boom") })\ntime.Sleep(300 * time.Millisecond)')
        reply, outs2 = run(self.kc, 'fmt.Println("alive")')
        self.assertEqual(reply["status"], "ok", reply)
        text = "".join(c.get("text", "") + c.get("evalue", "") for t, c in outs + outs2)
        self.assertIn("boom", text)


class ClientSmoke(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name="gotrann")

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=False)
        assert not cls.km.is_alive()

    def interrupt_with(self, how):
        msg_id = self.kc.execute("for { }")
        # Wait until the cell runs (its execute_input is published).
        while True:
            m = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_input":
                break
        # control answers while the cell runs
        req = self.kc.session.msg("kernel_info_request")
        self.kc.control_channel.send(req)
        rep = self.kc.get_control_msg(timeout=TIMEOUT)
        self.assertEqual(rep["parent_header"]["msg_id"], req["header"]["msg_id"])
        t0 = time.time()
        how()
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        elapsed = time.time() - t0
        self.assertEqual(reply["content"]["status"], "error")
        self.assertLess(elapsed, 2.0)
        content, outs = run(self.kc, "1+1")
        self.assertEqual(content["status"], "ok")
        return elapsed

    def test_interrupt_message(self):
        self.assertEqual(self.km.kernel_spec.interrupt_mode, "message")
        elapsed = self.interrupt_with(self.km.interrupt_kernel)
        print(f"\n  interrupt_request -> execute_reply: {elapsed * 1000:.1f} ms", file=sys.stderr)

    def test_interrupt_sigint(self):
        pid = self.km.provisioner.process.pid
        for _ in range(2):  # a second SIGINT must not kill the kernel either
            elapsed = self.interrupt_with(lambda: os.kill(pid, signal.SIGINT))
            self.assertTrue(self.km.is_alive())
        print(f"\n  SIGINT -> execute_reply: {elapsed * 1000:.1f} ms", file=sys.stderr)

    def test_control_kernel_info_while_running(self):
        msg_id = self.kc.execute("time.Sleep(2 * time.Second)")
        while True:
            m = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_input":
                break
        req = self.kc.session.msg("kernel_info_request")
        self.kc.control_channel.send(req)
        t0 = time.time()
        rep = self.kc.get_control_msg(timeout=TIMEOUT)
        self.assertEqual(rep["parent_header"]["msg_id"], req["header"]["msg_id"])
        self.assertLess(time.time() - t0, 1.0)
        self.km.interrupt_kernel()
        self.kc.get_shell_msg(timeout=TIMEOUT)

    def test_stdin(self):
        msg_id = self.kc.execute('var s string\nfmt.Scanln(&s)\nfmt.Println("got", s)', allow_stdin=True)
        req = self.kc.get_stdin_msg(timeout=TIMEOUT)
        self.assertEqual(req["msg_type"], "input_request")
        self.assertEqual(req["parent_header"]["msg_id"], msg_id)
        self.kc.input("gopher")
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])

    def test_zz_restart(self):
        run(self.kc, "y := 5")
        self.km.restart_kernel(now=False)
        self.kc.wait_for_ready(timeout=TIMEOUT)
        content, outs = run(self.kc, "1+1")
        self.assertEqual(content["status"], "ok")
        self.assertEqual(content["execution_count"], 1)


if __name__ == "__main__":
    unittest.main()
