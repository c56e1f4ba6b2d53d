"""Headless-browser check of the rendered site (`python -m get_nb.docs site` -> _docs/).

Opens _docs/index.html from disk in headless Chromium (Debian's /usr/bin/chromium driven by Playwright) with every
non-file request blocked (the site must work offline), then checks:
- the home page: its title, the navigation bar, the reading-order links to every notebook page, the demo figure loaded;
- every page: it loads, has the navigation bar, its "previous"/"next" links point at the neighbouring pages in
  reading order and lead back to the home page, every image decodes, every plotly figure was drawn by the local
  plotly.js, image traces included;
- clicking: from the home page, "next" and then a reading-order link open the right pages.
Saves runs/site_index.png and runs/site_page.png. Exit 0 on success, 1 on failure.

usage: .venv/bin/python .ci/site_check.py [--site _docs] [--page 10_deq_ddim] [--chromium /usr/bin/chromium]
"""
from __future__ import annotations
import argparse, sys, time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--allow-file-access-from-files"]


def log(msg): print(f"[site_check {time.strftime('%H:%M:%S')}] {msg}", flush=True)


PAGE_STATE = """() => {
  const nav = document.querySelector('nav.get-nb-nav.top');
  const imgs = [...document.querySelectorAll('img')];
  const plots = [...document.querySelectorAll('.plotly-graph-div')];
  const href = sel => { const a = nav && nav.querySelector(sel); return a ? a.getAttribute('href') : null; };
  return {title: document.title, nav: !!nav, home: href('a.home'), prev: href('a.prev'), next: href('a.next'),
          bottom: !!document.querySelector('nav.get-nb-nav.bottom'),
          imgs: imgs.length, broken: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => (i.getAttribute('src') || '').slice(0, 60)),
          plots: plots.length, drawn: plots.filter(p => p.querySelector('.main-svg')).length,
          blank: plots.filter(p => (p._fullData || []).filter(t => t.type === 'image' && t.visible === true).length
                                   > p.querySelectorAll('.imagelayer image').length).map(p => p.id),
          links: [...document.querySelectorAll('.jp-RenderedMarkdown a, .jp-MarkdownOutput a')].map(a => a.getAttribute('href')),
          cells: document.querySelectorAll('.jp-Cell').length};
}"""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", default="_docs"); ap.add_argument("--page", default="10_deq_ddim")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    a = ap.parse_args()
    site = (REPO / a.site).resolve()
    index = site / "index.html"
    if not index.exists(): log(f"FAIL: no {index}; run `python -m get_nb.docs site` first."); return 1
    pages = sorted(p.name for p in site.glob("*.html") if p.name != "index.html")
    order = ["index.html"] + pages
    shots = REPO / "runs"; shots.mkdir(exist_ok=True)
    errors: list[str] = []
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=a.chromium, args=CHROME_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        blocked = []
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else (blocked.append(r.request.url), r.abort()))
        js_errors = []
        page.on("pageerror", lambda e: js_errors.append(str(e)))

        def visit(name):
            page.goto((site / name).as_uri(), wait_until="load", timeout=60_000)
            try: page.wait_for_function("() => [...document.querySelectorAll('.plotly-graph-div')].every(p => p.querySelector('.main-svg'))", timeout=15_000)
            except Exception: pass
            return page.evaluate(PAGE_STATE)

        for i, name in enumerate(order):
            s = visit(name)
            want_prev = order[i - 1] if i > 0 else None
            want_next = order[i + 1] if i + 1 < len(order) else None
            bad = []
            if not s["nav"] or not s["bottom"]: bad.append("no navigation bar")
            if s["home"] != "index.html": bad.append(f"home link {s['home']!r}")
            if s["prev"] != want_prev: bad.append(f"prev link {s['prev']!r}, expected {want_prev!r}")
            if s["next"] != want_next: bad.append(f"next link {s['next']!r}, expected {want_next!r}")
            if s["broken"]: bad.append(f"{len(s['broken'])} broken images: {s['broken'][:3]}")
            if s["drawn"] != s["plots"]: bad.append(f"{s['plots'] - s['drawn']} of {s['plots']} plotly figures not drawn")
            if s["blank"]: bad.append(f"plotly image traces not drawn in {s['blank']}")
            if s["cells"] == 0: bad.append("no notebook cells rendered")
            if name == "index.html":
                missing = [p for p in pages if p not in s["links"]]
                if missing: bad.append(f"home page does not link to {missing}")
                if not any("demo_samples.png" in (l or "") for l in [page.evaluate("() => [...document.images].map(i => i.getAttribute('src')).join(' ')")]):
                    bad.append("no demo figure (images/demo_samples.png)")
                page.screenshot(path=str(shots / "site_index.png"), full_page=False)
            log(f"{name:24s} cells {s['cells']:3d}  images {s['imgs']:3d}  plotly {s['drawn']}/{s['plots']}  " + ("ok" if not bad else "FAIL: " + "; ".join(bad)))
            errors += [f"{name}: {b}" for b in bad]

        # clicking through: home -> next -> home -> a reading-order link
        visit("index.html")
        page.click("nav.get-nb-nav.top a.next"); page.wait_for_load_state("load")
        if not page.url.endswith("/" + order[1]): errors.append(f"'next' on the home page opened {page.url}")
        page.click("nav.get-nb-nav.top a.home"); page.wait_for_load_state("load")
        if not page.url.endswith("/index.html"): errors.append(f"the home link opened {page.url}")
        target = a.page + ".html"
        if target not in pages: target = pages[-1] if pages else "index.html"
        page.click(f'.jp-RenderedMarkdown a[href="{target}"]'); page.wait_for_load_state("load")
        if not page.url.endswith("/" + target): errors.append(f"the reading-order link to {target} opened {page.url}")
        try: page.wait_for_function("() => [...document.querySelectorAll('.plotly-graph-div')].every(p => p.querySelector('.main-svg'))", timeout=15_000)
        except Exception: pass
        fig = page.locator(".jp-OutputArea-output img, .jp-OutputArea-output .plotly-graph-div").first
        if fig.count(): fig.scroll_into_view_if_needed(); page.mouse.wheel(0, -250); page.wait_for_timeout(300)
        page.screenshot(path=str(shots / "site_page.png"), full_page=False)     # the first figure of the page, with the nav bar
        browser.close()
    if js_errors: log(f"javascript errors (not failures): {js_errors[:3]}")
    ext = sorted({u.split('/')[2] for u in blocked if '://' in u})
    if ext: log(f"blocked requests to {ext} (the site must not need them; math shows as TeX offline)")
    log(f"screenshots: {shots / 'site_index.png'}, {shots / 'site_page.png'}")
    if errors:
        log(f"FAIL: {len(errors)} problems"); [log("  " + e) for e in errors]; return 1
    log(f"PASS: {len(order)} pages, navigation, images and plotly figures all fine")
    return 0


if __name__ == "__main__":
    sys.exit(main())
