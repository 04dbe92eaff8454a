"""Benchmark: kernel start and execute round trip, gotrann vs ipykernel.

Start = from launching the process to the kernel_info reply (jupyter_client
KernelManager.start_kernel, then a kernel_info_request on shell); gotrann
answers it while its interpreter is still being built, so first_exec (launch
to the reply of a first "1+1") is reported too. start_min is usually the
runs where the client's first connect already found the kernel listening
(libzmq retries a refused connect after 100 ms).
Round trip = execute_request "1+1" until its reply, and until its iopub
idle, over N requests after a warm-up. Both kernels are measured in the
same run with the same client. Prints a table and the ratios.

Usage: python3 bench.py [--n 200] [--starts 5] [--kernels gotrann,python3]
With a kernel named gotrann-base (bench_base.sh installs an older build
under that name) it also prints the ratios of gotrann to that base.
(JUPYTER_PATH must let jupyter_client find the gotrann kernelspec.)
"""

import argparse
import statistics
import time

from jupyter_client.manager import KernelManager

TIMEOUT = 60


def pct(xs, p):
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def start_once(name):
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    msg_id = kc.kernel_info()
    while True:
        rep = kc.get_shell_msg(timeout=TIMEOUT)
        if rep["parent_header"].get("msg_id") == msg_id:
            break
    elapsed = time.perf_counter() - t0
    # Launch to the first execute reply (the interpreter must be ready).
    msg_id = kc.execute("1+1")
    while kc.get_shell_msg(timeout=TIMEOUT)["parent_header"].get("msg_id") != msg_id:
        pass
    first = time.perf_counter() - t0
    sync_iopub(kc)
    return (elapsed, first), km, kc


def sync_iopub(kc):
    """Send kernel_info until its status reaches iopub (PUB/SUB slow joiner)."""
    from queue import Empty
    for _ in range(100):
        msg_id = kc.kernel_info()
        deadline = time.perf_counter() + 0.2
        while time.perf_counter() < deadline:
            try:
                m = kc.get_iopub_msg(timeout=0.05)
            except Empty:
                continue
            if m["parent_header"].get("msg_id") == msg_id:
                while kc.get_shell_msg(timeout=TIMEOUT)["parent_header"].get("msg_id") != msg_id:
                    pass
                return
        kc.get_shell_msg(timeout=TIMEOUT)
    raise RuntimeError("iopub never delivered a message")


def execute(kc, code):
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    while True:
        rep = kc.get_shell_msg(timeout=TIMEOUT)
        if rep["parent_header"].get("msg_id") == msg_id:
            break
    t_reply = time.perf_counter() - t0
    while True:
        m = kc.get_iopub_msg(timeout=TIMEOUT)
        if (m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                and m["content"]["execution_state"] == "idle"):
            break
    assert rep["content"]["status"] == "ok", rep["content"]
    return t_reply, time.perf_counter() - t0


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def bench(name, n, starts):
    st, first = [], []
    for _ in range(starts):
        (t, f), km, kc = start_once(name)
        st.append(t)
        first.append(f)
        stop(km, kc)
    _, km, kc = start_once(name)
    for _ in range(20):  # warm-up
        execute(kc, "1+1")
    reply, idle = [], []
    for _ in range(n):
        r, i = execute(kc, "1+1")
        reply.append(r)
        idle.append(i)
    stop(km, kc)
    return {
        "start_med": statistics.median(st), "start_min": min(st), "first_exec": statistics.median(first),
        "reply_p50": pct(reply, 50), "reply_p99": pct(reply, 99),
        "idle_p50": pct(idle, 50), "idle_p99": pct(idle, 99),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--starts", type=int, default=5)
    ap.add_argument("--kernels", default="gotrann,python3")
    args = ap.parse_args()
    names = args.kernels.split(",")
    res = {name: bench(name, args.n, args.starts) for name in names}
    cols = ["start_med", "start_min", "first_exec", "reply_p50", "reply_p99", "idle_p50", "idle_p99"]
    print(f"{'kernel':14s}" + "".join(f"{c:>12s}" for c in cols) + "   (seconds; ms for round trips)")
    for name in names:
        r = res[name]
        cells = [f"{r[c]:12.3f}" for c in cols[:3]]
        cells += [f"{r[c] * 1000:12.2f}" for c in cols[3:]]
        print(f"{name:14s}" + "".join(cells))
    if "gotrann" in res and "python3" in res:
        g, p = res["gotrann"], res["python3"]
        print(f"ratios gotrann/ipykernel: start {g['start_med'] / p['start_med']:.2f}, "
              f"first execute {g['first_exec'] / p['first_exec']:.2f}, "
              f"reply p50 {g['reply_p50'] / p['reply_p50']:.2f}, idle p50 {g['idle_p50'] / p['idle_p50']:.2f}, "
              f"idle p99 {g['idle_p99'] / p['idle_p99']:.2f}")
        print(f"targets: start < 0.15 s: {'met' if g['start_med'] < 0.15 else 'NOT met'}; "
              f"p50 <= 1/3 of ipykernel: {'met' if g['idle_p50'] <= p['idle_p50'] / 3 else 'NOT met'}")
    if "gotrann" in res and "gotrann-base" in res:
        g, b = res["gotrann"], res["gotrann-base"]
        print(f"ratios gotrann/gotrann-base: first execute {g['first_exec'] / b['first_exec']:.2f}, "
              f"reply p50 {g['reply_p50'] / b['reply_p50']:.2f}, idle p50 {g['idle_p50'] / b['idle_p50']:.2f}, "
              f"idle p99 {g['idle_p99'] / b['idle_p99']:.2f}")
        print(f"targets: reply p50 within 1.2x of the base: {'met' if g['reply_p50'] <= 1.2 * b['reply_p50'] else 'NOT met'}; "
              f"first execute < 0.1 s: {'met' if g['first_exec'] < 0.1 else 'NOT met'}")


if __name__ == "__main__":
    main()
