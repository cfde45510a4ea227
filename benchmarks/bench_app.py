"""Benchmark the review app (``asn-eval app``: Voilà, preheated kernel) in real Chromium.

Prints figures; fails on nothing. For each city — the sample city (``data/sample``, or 2,500
generated employees) and a 100,000-employee city generated once as Parquet into ``--work`` — a
real ``python -m asn_eval app`` server is started and measured with headless Chromium:

- **first render**: navigate → the status line is there and the employee table rendered, with a
  preheated kernel. Measured once the server has said it is ready *and* its kernels are idle (the
  preheat finished); one load to warm the browser, then ``--loads`` reloads, each after the pool
  has been refilled and has finished preheating; the median is printed.
- **OPD change**: choose another agency in the OPD picker → the status line has changed and every
  figure has loaded (the table and figure are redrawn before the status line). Median of
  ``--changes`` changes across several agencies. The kernel's own share (the seconds the status
  line reports) is printed beside it.
- **A forum together** (sample city): ``--together`` reviewers (5) open the app at the same
  moment, each in a browser context of their own (own cookies and cache, as own devices), on a
  server with as many preheated kernels (``--kernel-siap``, as ``--lan`` has). Each page's first
  render is timed in the page itself (from its navigation start until the status line and table
  are there), beside the same pages opened one alone, and the CPU seconds the browsers and the
  server spent meanwhile (here all on one machine; in a forum each browser has its own). The
  pages are then closed as a browser tab closes them, and the kernels left are counted.

Baselines in the same run, with the very Voilà command and environment ``asn-eval app`` runs (read
from :mod:`asn_eval.app.server`, only the notebook swapped): a plain Voilà render of a notebook
with one ``print`` (the floor of any first render), alone and ``--together`` at once, and a widget
round trip in a notebook with one dropdown and one HTML widget (the floor of any interaction).
Figures print as ratios to them, next to the targets: first render ≤ 2 s; each of 5 together
≤ 5 s; OPD change ≤ 300 ms (sample), ≤ 1 s (100k). Requests leaving 127.0.0.1 are blocked (and
counted) so that no figure waits on the web. Every page is opened with the server's token.

``docs/aplikasi.png`` (1280×800, the DLH view of the sample city, Ringkasan tab) is taken on the
way.

    .venv/bin/python benchmarks/bench_app.py [--data data/sample] [--work /tmp/asn-bench-app]
        [--loads 5] [--changes 10] [--together 5] [--tanpa-100k]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import psutil

ROOT = Path(__file__).resolve().parent.parent
PERIODE = "2025"
TARGET_RENDER_S = 2.0
TARGET_TOGETHER_S = 5.0
TARGET_CHANGE_S = {"sample": 0.3, "100k": 1.0}
AGENCIES = ["DINKES", "DLH", "DISDIK", "BKPSDM", "PKM-01", "DPUPR", "SETDA", "KEC-01"]
STATUS_CHANGED = """before => {
    const line = [...document.querySelectorAll('small')]
        .find(e => e.textContent.includes('pegawai ('));
    return line !== undefined && line.textContent !== before;
}"""
IMAGES_LOADED = "() => [...document.querySelectorAll('img')].every(i => i.complete)"
READY_MARK = """(() => {
    const ready = () => %s;
    new MutationObserver((_, observer) => {
        if (window.__asnReady === undefined && ready()) {
            window.__asnReady = performance.now();  // ms since this page's navigation start
            observer.disconnect();
        }
    }).observe(document, {childList: true, subtree: true, characterData: true});
})();"""
APP_READY_JS = (
    "[...document.querySelectorAll('small')].some(e => e.textContent.includes('pegawai (')) && "
    "[...document.querySelectorAll('th')].some(e => e.textContent.includes('predikat_kalibrasi'))"
)
PRINT_READY_JS = "document.body !== null && document.body.innerText.includes('halo dari voila')"
READY_URL = re.compile(r"siap di (http://\S+)")
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')


# -- servers -------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A server process (``asn-eval app`` or plain Voilà) and the kernels under it."""

    def __init__(
        self, command: list[str], port: int, log: Path, env: dict[str, str], token: str = ""
    ) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}/" + (f"?token={token}" if token else "")
        self.log = log
        self.started = time.perf_counter()
        with log.open("w") as out:
            self.process = subprocess.Popen(
                command,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
            )

    def wait_ready(self, timeout: float, line: str | None) -> float:
        """Wait for ``line`` in the output (or, without one, for a static file); return seconds.

        With ``line``, the address printed after it (with its token) becomes :attr:`url`.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"server stopped:\n{self.log.read_text()[-3000:]}")
            if line is not None:
                if line in (text := self.log.read_text()):
                    self.url = READY_URL.search(text).group(1)
                    return time.perf_counter() - self.started
            else:
                try:  # never "/": each request for the page starts a kernel
                    static = f"http://127.0.0.1:{self.port}/voila/static/voila.js"
                    with urllib.request.urlopen(static, timeout=2):
                        return time.perf_counter() - self.started
                except OSError:
                    pass
            time.sleep(0.2)
        sys.exit(f"server not ready in {timeout:.0f} s:\n{self.log.read_text()[-3000:]}")

    def processes(self) -> list[psutil.Process]:
        try:
            return psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []

    def kernels(self) -> dict[int, psutil.Process]:
        found = {}
        for process in self.processes():
            try:
                if "ipykernel" in " ".join(process.cmdline()):
                    found[process.pid] = process
            except psutil.Error:
                pass
        return found

    def settle(self, before: set[int] | None, timeout: float) -> float:
        """Wait until the kernel pool is refilled and every process is idle; return seconds.

        ``before``: the kernels there were before the last page load (which took the preheated
        kernel); a kernel not among them is the refill. Idle: under 3 % CPU for two seconds.
        """
        started = time.perf_counter()
        deadline = time.monotonic() + timeout
        while before is not None and not set(self.kernels()) - before:
            if time.monotonic() > deadline:
                sys.exit("the kernel pool was not refilled")
            time.sleep(0.2)
        quiet = 0
        while quiet < 2:
            if time.monotonic() > deadline:
                sys.exit(f"kernels still busy after {timeout:.0f} s")
            watched = self.processes()
            for process in watched:
                try:
                    process.cpu_percent(None)
                except psutil.Error:
                    pass
            time.sleep(1.0)
            busy = []
            for process in watched:
                try:
                    busy.append(process.cpu_percent(None))
                except psutil.Error:
                    pass
            quiet = quiet + 1 if max(busy, default=0) < 3 else 0
        return time.perf_counter() - started

    def kernel_ids(self) -> set[str]:
        """The ids of the kernels running now (from their connection file names)."""
        found = set()
        for process in self.kernels().values():
            try:
                hit = re.search(r"kernel-([0-9a-f-]{36})\.json", " ".join(process.cmdline()))
            except psutil.Error:
                continue
            if hit:
                found.add(hit.group(1))
        return found

    def kernel_rss_gib(self) -> list[float]:
        sizes = []
        for process in self.kernels().values():
            try:
                sizes.append(process.memory_info().rss / 2**30)
            except psutil.Error:
                pass
        return sorted(sizes)

    def stop(self) -> None:
        tree = self.processes()
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        _, alive = psutil.wait_procs(tree, timeout=15)
        for process in alive:
            process.kill()


def app_server(data: Path, work: Path, name: str, *extra: str) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "asn_eval", "app", str(data), "--periode", PERIODE]
    command += ["--port", str(port), "--keputusan", str(work / f"keputusan-{name}.sqlite")]
    env = {**os.environ, "ASN_EVAL_CACHE": str(work / "cache")}
    return Server([*command, *extra], port, work / f"server-{name}.log", env)


def voila_server(notebook: Path, data: Path, work: Path, *extra: str) -> Server:
    """Plain Voilà on ``notebook`` with exactly the command and environment of ``asn-eval app``."""
    import contextlib
    import io

    from asn_eval import cli
    from asn_eval.app import server
    from asn_eval.app.launcher import TOKEN_VARIABLE

    port = free_port()
    seen: dict[str, object] = {}

    def capture(command: list[str], env: dict[str, str], *_args, **_kwargs) -> int:
        seen.update(command=command, env=env)
        return 0

    serve, server.serve = server.serve, capture  # read the command; start nothing
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            decisions = str(work / "x.sqlite")
            cli.main(["app", str(data), "--port", str(port), "--keputusan", decisions, *extra])
    finally:
        server.serve = serve
    command = [str(notebook) if a.endswith("aplikasi.ipynb") else a for a in seen["command"]]
    assert str(notebook) in command, seen["command"]
    env = seen["env"]
    log = work / f"server-{notebook.stem}.log"
    return Server(command, port, log, env, token=env[TOKEN_VARIABLE])


def baseline_notebooks(work: Path) -> tuple[Path, Path]:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    printed = work / "halo.ipynb"
    nbformat.write(
        new_notebook(
            cells=[new_code_cell('print("halo dari voila")')], metadata={"kernelspec": kernel}
        ),
        printed,
    )
    widget = work / "pilih.ipynb"
    source = (
        "import ipywidgets as w\n"
        "pilih = w.Dropdown(options=['a', 'b', 'c', 'd'], description='Pilih')\n"
        "hasil = w.HTML('<small>a: 0 pegawai (awal)</small>')\n"
        "def ubah(change):\n"
        "    hasil.value = f\"<small>{change['new']}: 0 pegawai ({change['new']})</small>\"\n"
        "pilih.observe(ubah, names='value')\n"
        "w.VBox([pilih, hasil])"
    )
    nbformat.write(
        new_notebook(cells=[new_code_cell(source)], metadata={"kernelspec": kernel}), widget
    )
    return printed, widget


# -- measuring -----------------------------------------------------------------------------------
def status(page):
    return page.locator("small", has_text="pegawai (")


def measure_loads(page, server: Server, ready, loads: int, timeout: float) -> list[float]:
    """Warm once, then time ``loads`` reloads, each with a freshly preheated kernel."""
    before = set(server.kernels())
    page.goto(server.url, timeout=timeout * 1000)
    ready(page, timeout)
    server.settle(before, timeout)
    times = []
    for _ in range(loads):
        before = set(server.kernels())
        started = time.perf_counter()
        page.reload(timeout=timeout * 1000)
        ready(page, timeout)
        times.append(time.perf_counter() - started)
        server.settle(before, timeout)
    return times


def cpu_seconds(processes: list[psutil.Process]) -> dict[int, float]:
    """CPU seconds (user and system) each process has used so far, by pid."""
    found = {}
    for process in processes:
        try:
            times = process.cpu_times()
            found[process.pid] = times.user + times.system
        except psutil.Error:
            pass
    return found


def wait_pool(server: Server, size: int, timeout: float) -> None:
    """Wait until ``size`` kernels run (closed pages' ended, the pool refilled) and all idle."""
    deadline = time.monotonic() + timeout
    while len(server.kernels()) != size:
        if time.monotonic() > deadline:
            sys.exit(f"{len(server.kernels())} kernels, not {size}, after {timeout:.0f} s")
        time.sleep(0.5)
    server.settle(None, timeout)


def measure_together(new_context, server: Server, ready_js: str, n: int, timeout: float) -> dict:
    """Open ``n`` pages at the same moment, each in a context of its own; time each in the page.

    Returns each page's seconds from its navigation start until ``ready_js`` held, the CPU
    seconds the browsers and the server (Voilà and kernels) used meanwhile, and the kernels
    left a few seconds after the pages were closed as a browser closes a tab.
    """
    contexts = [new_context() for _ in range(n)]
    pages = []
    for context in contexts:
        context.add_init_script(READY_MARK % ready_js)
        pages.append(context.new_page())
    me = psutil.Process()
    served = {server.process.pid, *(q.pid for q in server.processes())}
    before = cpu_seconds(me.children(recursive=True))
    for page in pages:  # each navigation starts without waiting for the others
        page.evaluate("url => setTimeout(() => { location.href = url; }, 0)", server.url)
    seconds = []
    for page in pages:
        page.wait_for_function("() => window.__asnReady !== undefined", timeout=timeout * 1000)
        seconds.append(page.evaluate("window.__asnReady") / 1000)
    after = cpu_seconds(me.children(recursive=True))
    served |= {q.pid for q in server.processes()}  # refills started meanwhile
    used = {pid: after[pid] - before.get(pid, 0.0) for pid in after}
    theirs = {KERNEL_ID.search(page.content()).group(1) for page in pages}
    closed = time.perf_counter()
    for page in pages:
        page.close(run_before_unload=True)  # Voilà's beforeunload asks for the kernel's end
    while theirs & server.kernel_ids() and time.perf_counter() - closed < 60:
        time.sleep(0.1)
    ended = time.perf_counter() - closed if not theirs & server.kernel_ids() else float("nan")
    for context in contexts:
        context.close()
    return {
        "seconds": seconds,
        "cpu_server": sum(v for pid, v in used.items() if pid in served),
        "cpu_browser": sum(v for pid, v in used.items() if pid not in served),
        "ended_s": ended,
    }


def app_ready(page, timeout: float) -> None:
    status(page).wait_for(timeout=timeout * 1000)
    page.locator("th", has_text="predikat_kalibrasi").first.wait_for(
        state="attached", timeout=timeout * 1000
    )


def print_ready(page, timeout: float) -> None:
    page.get_by_text("halo dari voila").wait_for(timeout=timeout * 1000)


def choose(page, description: str, value: str) -> None:
    label = page.locator("label", has_text=re.compile(rf"^\s*{re.escape(description)}\s*$"))
    page.locator(".widget-dropdown").filter(has=label).locator("select").select_option(value)


def measure_changes(page, values: list[str], description: str, timeout: float) -> list[tuple]:
    """Time each choice until the status line has changed and every image has loaded."""
    found = []
    for value in values:
        before = status(page).inner_text()
        started = time.perf_counter()
        choose(page, description, value)
        page.wait_for_function(STATUS_CHANGED, arg=before, timeout=timeout * 1000)
        page.wait_for_function(IMAGES_LOADED, timeout=timeout * 1000)
        seconds = time.perf_counter() - started
        line = status(page).inner_text()
        kernel = re.search(r"\(([\d.]+) dtk\)", line)
        found.append((value, seconds, float(kernel.group(1)) if kernel else float("nan")))
    return found


def agencies_in(data: Path) -> list[str]:
    """The agencies of ``AGENCIES`` in this city (the 100k city prefixes codes: K01-DINKES)."""
    import asn_eval

    codes = list(asn_eval.load(data).opd["kode_opd"].astype("str"))
    found = []
    for wanted in AGENCIES:
        hits = [c for c in codes if c == wanted or c.endswith(f"-{wanted}")]
        if hits:
            found.append(hits[0])
    return found or codes[:5]


def tour(codes: list[str], n: int) -> list[str]:
    """``n`` choices cycling through ``codes`` (never the same twice in a row)."""
    return [codes[i % len(codes)] for i in range(n)]


# -- the run -------------------------------------------------------------------------------------
def prepare_100k(work: Path) -> Path:
    from asn_eval.sample.generator import write_sample

    folder = work / "kota-100000"
    done = folder / ".lengkap"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        write_sample(folder, n_pegawai=100_000, format="parquet", workbook=None)
        done.write_text("ok\n")
        print(f"generated 100,000 employees (Parquet) in {time.perf_counter() - started:.0f} s")
    return folder


def run_city(new_context, name: str, data: Path, work: Path, args, screenshot: Path | None) -> dict:
    import asn_eval

    n = len(asn_eval.load(data).pegawai)  # also fills the cache the server will read
    timeout = 180 if name == "sample" else 1200
    forum = name == "sample" and args.together > 0
    pool = ["--kernel-siap", str(args.together)] if forum else []
    server = app_server(data, work, name, *pool)
    context = new_context()
    alone = together = None
    try:
        ready_s = server.wait_ready(timeout, "siap di http://127.0.0.1:")
        settle_s = server.settle(None, timeout)
        page = context.new_page()
        loads = measure_loads(page, server, app_ready, args.loads, timeout)
        changes = measure_changes(page, tour(agencies_in(data), args.changes), "OPD", timeout)
        if screenshot is not None:
            choose(page, "OPD", "DLH")
            page.locator(".lm-TabBar-tab").filter(has_text=re.compile(r"^\s*Ringkasan\s*$")).click()
            page.wait_for_function(IMAGES_LOADED)
            status(page).filter(has_text="DLH,").wait_for()
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot))
        rss = server.kernel_rss_gib()
        page.close(run_before_unload=True)
        context.close()
        if forum:
            alone, together = forum_figures(new_context, server, APP_READY_JS, args, timeout)
    finally:
        server.stop()
    return {
        "name": name,
        "data": data,
        "n": n,
        "ready_s": ready_s,
        "preheat_s": settle_s,
        "loads": loads,
        "changes": changes,
        "rss": rss,
        "alone": alone,
        "together": together,
    }


def forum_figures(new_context, server: Server, ready_js: str, args, timeout: float) -> tuple:
    """One page alone, then ``--together`` pages at once, each on a full pool of idle kernels."""
    wait_pool(server, args.together, timeout)
    alone = [measure_together(new_context, server, ready_js, 1, timeout)["seconds"][0]]
    for _ in range(2):  # the median of three
        wait_pool(server, args.together, timeout)
        alone.append(measure_together(new_context, server, ready_js, 1, timeout)["seconds"][0])
    wait_pool(server, args.together, timeout)
    together = measure_together(new_context, server, ready_js, args.together, timeout)
    return statistics.median(alone), together


def run_baselines(new_context, data: Path, work: Path, args) -> dict:
    printed, widget = baseline_notebooks(work)
    found = {}
    pool = ["--kernel-siap", str(args.together)] if args.together > 0 else []
    for notebook in (printed, widget):
        server = voila_server(notebook, data, work, *(pool if notebook is printed else []))
        context = new_context()
        try:
            server.wait_ready(120, None)
            page = context.new_page()
            server.settle(None, 120)
            if notebook is printed:
                found["render"] = measure_loads(page, server, print_ready, args.loads, 120)
                if pool:
                    page.close(run_before_unload=True)
                    found["alone"], found["together"] = forum_figures(
                        new_context, server, PRINT_READY_JS, args, 120
                    )
                    continue
            else:
                page.goto(server.url)
                status(page).wait_for()
                changes = measure_changes(
                    page, tour(["b", "c", "d", "a"], args.changes), "Pilih", 60
                )
                found["round_trip"] = [seconds for _, seconds, _ in changes]
            page.close(run_before_unload=True)
        finally:
            context.close()
            server.stop()
    return found


def report_together(r: dict, baseline: dict, args) -> None:
    """Print the forum figures: each of the pages together, against one alone and plain Voilà."""
    seconds = r["together"]["seconds"]
    plain = baseline["together"]["seconds"]
    worst = max(seconds)
    n = len(seconds)
    print(
        f"  first render, 1 page alone     {r['alone']:7.2f} s  (new browser context each; "
        f"plain Voilà {baseline['alone']:.2f} s)"
    )
    print(
        f"  first render, {n} together      {worst:7.2f} s  slowest = {worst / r['alone']:4.1f}× "
        f"1 alone, {worst / max(plain):4.1f}× {n} plain Voilà pages together ({max(plain):.2f} s)"
        f"   target ≤ {TARGET_TOGETHER_S:.0f} s each: "
        f"{'ok' if worst <= TARGET_TOGETHER_S else 'MISSED'}"
    )
    print(f"    each page: {', '.join(f'{s:.2f}' for s in seconds)} s")
    mine, floor = r["together"], baseline["together"]
    print(
        f"    CPU meanwhile: browsers {mine['cpu_browser']:.1f} s, server and kernels "
        f"{mine['cpu_server']:.1f} s (plain Voilà: browsers {floor['cpu_browser']:.1f} s, "
        f"server {floor['cpu_server']:.1f} s), on {os.cpu_count()} cores shared by all"
    )
    print(
        f"    the {n} pages closed (as a tab closes): their kernels ended within "
        f"{mine['ended_s']:.1f} s (before: culled after 10 min)"
    )


def report(r: dict, render0: float, trip0: float) -> None:
    loads = statistics.median(r["loads"])
    change = statistics.median(s for _, s, _ in r["changes"])
    kernel = statistics.median(k for _, _, k in r["changes"])
    worst = max(r["changes"], key=lambda c: c[1])
    target = TARGET_CHANGE_S[r["name"]]
    print(f"{r['name']} city: {r['n']:,} employees ({r['data']})")
    print(
        f"  server ready (printed 'siap')  {r['ready_s']:7.1f} s; kernels idle "
        f"(preheat done) {r['preheat_s']:.1f} s later"
    )
    print(
        f"  first render, preheated        {loads:7.2f} s  = {loads / render0:4.1f}× baseline"
        f"   target ≤ {TARGET_RENDER_S:.0f} s: {'ok' if loads <= TARGET_RENDER_S else 'MISSED'}"
        f"   (loads: {', '.join(f'{s:.2f}' for s in r['loads'])})"
    )
    print(
        f"  OPD change → table and figure  {change * 1000:7.0f} ms = {change / trip0:4.1f}× "
        f"round trip  target ≤ {target * 1000:.0f} ms: {'ok' if change <= target else 'MISSED'}"
        f"   (kernel {kernel * 1000:.0f} ms; slowest {worst[0]} {worst[1] * 1000:.0f} ms)"
    )
    print(
        f"  kernels alive at the end: {len(r['rss'])}, resident "
        f"{', '.join(f'{g:.2f}' for g in r['rss'])} GiB\n",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "sample")
    parser.add_argument("--work", type=Path, default=Path("/tmp/asn-bench-app"))
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--changes", type=int, default=10)
    parser.add_argument(
        "--together", type=int, default=5, help="reviewers opening the app at once (0: none)"
    )
    parser.add_argument("--tanpa-100k", action="store_true", help="only the sample city")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    os.environ["ASN_EVAL_CACHE"] = str(args.work / "cache")

    from playwright.sync_api import sync_playwright

    from asn_eval.batch.publish import CHROMIUM_ARGS, find_chromium
    from asn_eval.sample.generator import write_sample

    chromium = find_chromium()
    if chromium is None:
        sys.exit("no Chromium: `apt-get install chromium` (Debian) or set ASN_EVAL_CHROMIUM")
    sample = args.data
    if not (sample / "pegawai.csv").exists() and not (sample / "pegawai.parquet").exists():
        sample = args.work / "sample"
        if not (sample / "pegawai.csv").exists():
            write_sample(sample, n_pegawai=2500, workbook=None)
    cities = [("sample", sample)]
    if not args.tanpa_100k:
        cities.append(("100k", prepare_100k(args.work)))

    outside: list[str] = []

    def only_local(route) -> None:
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=list(CHROMIUM_ARGS))

        def new_context():
            """A context of its own (cookies, cache), as one reviewer's browser."""
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            context.set_default_timeout(60_000)
            context.route("**/*", only_local)
            return context

        baseline = run_baselines(new_context, sample, args.work, args)
        render0 = statistics.median(baseline["render"])
        trip0 = statistics.median(baseline["round_trip"])
        print(
            f"\nreview app benchmark: asn-eval app (Voilà, preheated kernel), Chromium "
            f"{browser.version}, {os.cpu_count()} cores; medians of {args.loads} loads and "
            f"{args.changes} OPD changes\n"
        )
        print("baselines (plain Voilà, the same flags):")
        print(f"  render of a one-print notebook      {render0:6.2f} s")
        print(f"  widget round trip (dropdown → HTML) {trip0 * 1000:6.0f} ms\n", flush=True)
        for name, data in cities:
            shot = ROOT / "docs" / "aplikasi.png" if name == "sample" else None
            found = run_city(new_context, name, data, args.work, args, shot)
            if found["together"] is not None:
                report_together(found, baseline, args)
            report(found, render0, trip0)
        browser.close()

    if outside:
        print(f"blocked {len(outside)} requests to the internet: {sorted(set(outside))}")
    print(f"screenshot: {ROOT / 'docs' / 'aplikasi.png'}")


if __name__ == "__main__":
    main()
