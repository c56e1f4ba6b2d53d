"""Headless-browser check of the widgets notebook (nbs/11_widgets.ipynb).

Starts JupyterLab on 127.0.0.1 (free port, random token), opens the notebook in headless Chromium
(Debian's /usr/bin/chromium driven by Playwright), runs all cells, waits for the GET explorer's plotly
figure, moves its iteration slider with the keyboard and checks that the figure's title and image change
to the new iteration. Saves a screenshot to runs/browser_check.png. Exit 0 on success, 1 on failure.

usage: .venv/bin/python .ci/browser_check.py [--smoke] [--timeout 170] [--chromium /usr/bin/chromium]
  --smoke   run the notebook with IN_TEST=1 (tiny preset) instead of the default `digits` preset.
"""
from __future__ import annotations
import argparse, os, re, secrets, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = "nbs/11_widgets.ipynb"
SHOT = REPO / "runs" / "browser_check.png"
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
TITLE_RE = re.compile(r"GET \| (\w+) \| iteration (\d+) of (\d+)")


def log(msg): print(f"[browser_check {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]


def start_lab(port: int, token: str, tmp: Path, smoke: bool) -> subprocess.Popen:
    jupyter = Path(sys.executable).parent / "jupyter"
    if not jupyter.exists(): raise SystemExit(f"FAIL: no `jupyter` next to {sys.executable}; install jupyterlab into .venv.")
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"), JUPYTERLAB_WORKSPACES_DIR=str(tmp / "ws"),
               JUPYTER_RUNTIME_DIR=str(tmp / "runtime"), GET_NB_NO_PROGRESS="1", MPLBACKEND="Agg")
    env.pop("IN_TEST", None)
    if smoke: env["IN_TEST"] = "1"
    # no news / update pop-ups over the page
    (tmp / "settings" / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    (tmp / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}')
    (tmp / "settings" / "@jupyterlab" / "docmanager-extension").mkdir(parents=True)
    (tmp / "settings" / "@jupyterlab" / "docmanager-extension" / "plugin.jupyterlab-settings").write_text('{"autosave": false}')
    # a copy of the notebook: running it in the browser never touches the repository's file
    (tmp / "root" / "nbs").mkdir(parents=True)
    shutil.copy(REPO / NOTEBOOK, tmp / "root" / NOTEBOOK)
    cmd = [str(jupyter), "lab", "--no-browser", f"--port={port}", f"--IdentityProvider.token={token}", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.root_dir={tmp / 'root'}", "--ServerApp.open_browser=False", "--LabApp.expose_app_in_browser=True",
           "--ServerApp.port_retries=0"] + (["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])
    logf = open(tmp / "lab.log", "w")
    return subprocess.Popen(cmd, cwd=tmp / "root", env=env, stdout=logf, stderr=subprocess.STDOUT, start_new_session=True)


def wait_http(url: str, proc: subprocess.Popen, timeout: float) -> None:
    t0 = time.time()
    while time.time() - t0 < timeout:
        if proc.poll() is not None: raise RuntimeError(f"JupyterLab exited early with code {proc.returncode}.")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200: return
        except Exception: time.sleep(0.5)
    raise RuntimeError(f"JupyterLab did not answer at {url} within {timeout:.0f} s.")


def stop_lab(proc: subprocess.Popen) -> None:
    if proc.poll() is not None: return
    try: os.killpg(proc.pid, signal.SIGTERM)         # its own session: the server and its kernels
    except ProcessLookupError: return
    try: proc.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL); proc.wait(5)


def get_title(page) -> str | None:
    "Title text of the first plotly figure whose title is the GET explorer's."
    return page.evaluate("""() => {
        for (const t of document.querySelectorAll('.widget-vbox .js-plotly-plot .gtitle')) {
            if (/GET \\| \\w+ \\| iteration/.test(t.textContent)) return t.textContent; }
        return null; }""")


def get_image_href(page) -> str | None:
    "The `<image>` data URI of the GET explorer's sample grid (plotly draws go.Image as an SVG image)."
    return page.evaluate("""() => {
        for (const p of document.querySelectorAll('.widget-vbox .js-plotly-plot')) {
            const t = p.querySelector('.gtitle');
            if (!t || !/GET \\| \\w+ \\| iteration/.test(t.textContent)) continue;
            const im = p.querySelector('image');
            return im ? (im.getAttribute('href') || im.getAttribute('xlink:href')) : null; }
        return null; }""")


def check(page, base: str, token: str, timeout: float) -> str:
    url = f"{base}/lab/tree/{NOTEBOOK}?token={token}"
    log(f"open {url.replace(token, '<token>')}")
    page.goto(url, wait_until="domcontentloaded", timeout=60_000)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell && "
                           "document.querySelector('.jp-Notebook .jp-Cell')", timeout=60_000)
    page.wait_for_function("""() => { const w = window.jupyterapp.shell.currentWidget;
        return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel &&
               w.sessionContext.session.kernel.status === 'idle'; }""", timeout=60_000)
    log("kernel idle: run all cells")
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); return true; }")   # do not await the run
    t0 = time.time()
    while True:
        err = page.evaluate("""() => { const e = document.querySelector('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
                                       return e && /Error|Traceback/.test(e.textContent) ? e.textContent.slice(-3000) : null; }""")
        if err: raise AssertionError(f"a notebook cell raised an error:\n{err}")
        title = get_title(page)
        if title: break
        if time.time() - t0 > timeout: raise AssertionError(f"no GET explorer figure appeared within {timeout:.0f} s")
        time.sleep(1)
    m = TITLE_RE.search(title)
    if not m: raise AssertionError(f"unexpected figure title {title!r}")
    solver, k, n = m.group(1), int(m.group(2)), int(m.group(3))
    log(f"figure rendered after {time.time() - t0:.0f} s: {title!r}")
    href0 = get_image_href(page)
    # the explorer's slider: the first ipywidgets slider whose label is 'iteration'
    slider = page.locator(".widget-slider", has=page.locator("label", has_text="iteration")).first
    handle = slider.locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.click()
    key, want = ("ArrowLeft", k - 1) if k > 1 else ("ArrowRight", k + 1)
    handle.press(key)
    log(f"pressed {key} on the iteration slider: expect iteration {want}")
    t1 = time.time()
    while time.time() - t1 < 30:
        title2 = get_title(page)
        m2 = TITLE_RE.search(title2 or "")
        if m2 and int(m2.group(2)) != k: break
        time.sleep(0.3)
    else:
        raise AssertionError(f"the figure title did not change within 30 s after moving the slider (still {title2!r})")
    if int(m2.group(2)) != want or m2.group(1) != solver:
        raise AssertionError(f"after the slider moved the figure shows {title2!r}, expected iteration {want} of {solver}")
    time.sleep(0.5)
    href1 = get_image_href(page)
    if href0 is None or href1 is None: raise AssertionError("no sample-grid image found in the GET explorer figure")
    if href0 == href1: raise AssertionError("the figure title changed but the sample-grid image did not")
    # the slider's readout agrees with the figure
    readout = slider.locator(".widget-readout").first.text_content().strip()
    if readout != str(want): raise AssertionError(f"slider readout {readout!r} but the figure shows iteration {want}")
    page.mouse.move(0, 0)
    page.evaluate("""() => { for (const p of document.querySelectorAll('.widget-vbox .js-plotly-plot')) {
        const t = p.querySelector('.gtitle');
        if (t && /GET \\| \\w+ \\| iteration/.test(t.textContent)) { p.closest('.widget-vbox').scrollIntoView({block: 'center'}); return; } } }""")
    time.sleep(0.5)
    return title2


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--smoke", action="store_true", help="run the notebook with IN_TEST=1 (tiny preset)")
    ap.add_argument("--timeout", type=float, default=170, help="overall limit in seconds")
    ap.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    a = ap.parse_args()
    t_start = time.time()
    if not Path(a.chromium).exists():
        print(f"FAIL: no Chromium at {a.chromium}; install it with `apt-get update && apt-get install -y chromium` "
              "(or pass --chromium PATH).", flush=True); return 1
    try: from playwright.sync_api import sync_playwright
    except ImportError:
        print("FAIL: the Python package `playwright` is missing; `.venv/bin/pip install playwright` "
              "(no `playwright install` needed: the check drives Debian's chromium).", flush=True); return 1
    port, token = free_port(), secrets.token_hex(16)
    tmp = Path(tempfile.mkdtemp(prefix="browser_check_"))
    base = f"http://127.0.0.1:{port}"
    proc = start_lab(port, token, tmp, a.smoke)
    ok, msg = False, ""
    try:
        wait_http(f"{base}/api/status?token={token}", proc, 60)
        log(f"JupyterLab up on port {port} after {time.time() - t_start:.0f} s")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=a.chromium, args=CHROME_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            try:
                msg = check(page, base, token, max(30, a.timeout - (time.time() - t_start) - 20))
                ok = True
            except Exception as e:
                msg = f"{type(e).__name__}: {e}"
            finally:
                SHOT.parent.mkdir(parents=True, exist_ok=True)
                try: page.screenshot(path=str(SHOT)); log(f"screenshot: {SHOT.relative_to(REPO)}")
                except Exception as e: log(f"could not save a screenshot: {e}")
                browser.close()
    except Exception as e:
        msg = f"{type(e).__name__}: {e}"
    finally:
        stop_lab(proc)
    if not ok:
        lab_log = (tmp / "lab.log").read_text(errors="replace")[-3000:] if (tmp / "lab.log").exists() else ""
        print(f"FAIL: {msg}\n--- end of the JupyterLab log ---\n{lab_log}", flush=True)
    else:
        print(f"OK: the GET explorer updated to {msg!r} after moving the slider "
              f"({time.time() - t_start:.0f} s in all)", flush=True)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
