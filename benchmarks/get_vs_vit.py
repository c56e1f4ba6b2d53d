"""GET vs ViT throughput: images/s for one-step sampling and for training steps, with MACs per image.

Models are the CIFAR-10 configs of the GET paper (get_nb.get.GET_CONFIGS; 32x32x3, patch 2). Sampling = one call with 6
equilibrium iterations (GET) or one pass (ViT), no gradient. Training step = the fixed-point
correction loss (6 tracked states for GET, L1) + backward + AdamW step.

    python benchmarks/get_vs_vit.py                                # CPU: batch 2, 1 repeat
    python benchmarks/get_vs_vit.py --device cuda --batch 128 --repeats 10 --dtype bf16

Prints a table and writes benchmarks/get_vs_vit.json (with the machine it ran on).
"""
from __future__ import annotations
import argparse, json, os, platform, sys, time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from get_nb.get import GET_CONFIGS, PAPER_MACS_G, build_model, count_macs, get_fpc_loss  # noqa: E402

DEFAULT_MODELS = ["GET-T", "GET-M", "GET-S", "GET-B", "ViT-B/2", "ViT-L/2"]


def machine(device: torch.device) -> dict:
    info = {"platform": platform.platform(), "python": platform.python_version(), "torch": torch.__version__,
            "device": str(device), "threads": torch.get_num_threads(), "cpu_count": os.cpu_count()}
    try:
        info["cpu"] = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        info["cpu"] = platform.processor()
    if device.type == "cuda": info["gpu"] = torch.cuda.get_device_name(device)
    try: info["load_average_1m"] = os.getloadavg()[0]
    except OSError: pass
    return info


def sync(device):
    if device.type == "cuda": torch.cuda.synchronize(device)


def bench_model(name: str, device: torch.device, batch: int, repeats: int, dtype, iters: int, warmup: bool) -> dict:
    cfg = GET_CONFIGS[name]
    torch.manual_seed(0)
    model = build_model(cfg).to(device)
    n_params = sum(p.numel() for p in model.parameters())
    g = torch.Generator(device="cpu").manual_seed(0)
    noise = torch.randn(batch, 3, 32, 32, generator=g).to(device)
    target = (torch.rand(batch, 3, 32, 32, generator=g) * 2 - 1).to(device)
    amp = (lambda: torch.autocast(device.type, dtype=dtype)) if dtype is not None else (lambda: torch.autocast(device.type, enabled=False))
    kw = dict(iters=iters) if cfg.arch == "get" else {}

    def sample(x):
        with torch.no_grad(), amp(): return model(x, **kw)

    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4, weight_decay=0.0)

    def train_step(x, t):
        with amp(): loss, _ = get_fpc_loss(model, x, t, **kw)
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
        return loss

    if warmup:   # first calls allocate and pick kernels: not timed
        sample(noise[:1]); train_step(noise[:1], target[:1]); sync(device)
    sync(device); t0 = time.perf_counter()
    for _ in range(repeats): sample(noise)
    sync(device); t_sample = (time.perf_counter() - t0) / repeats
    model.train(); sync(device); t0 = time.perf_counter()
    for _ in range(repeats): train_step(noise, target)
    sync(device); t_train = (time.perf_counter() - t0) / repeats
    macs = count_macs(cfg, iters=iters) / 1e9
    peak = torch.cuda.max_memory_allocated(device) / 2**30 if device.type == "cuda" else None
    if device.type == "cuda": torch.cuda.reset_peak_memory_stats(device)
    del model, opt
    return dict(model=name, arch=cfg.arch, params_M=n_params / 1e6, macs_G=macs, paper_macs_G=PAPER_MACS_G.get(name),
                sample_img_s=batch / t_sample, train_img_s=batch / t_train, sample_s_per_batch=t_sample,
                train_s_per_batch=t_train, sample_TMACs_s=batch * macs / t_sample / 1e3, peak_mem_GiB=peak)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device", default="cpu", help="cpu | cuda | cuda:1 ...")
    ap.add_argument("--batch", type=int, default=2, help="images per call (paper: 128)")
    ap.add_argument("--repeats", type=int, default=1, help="timed calls per measurement")
    ap.add_argument("--iters", type=int, default=6, help="equilibrium iterations for GET")
    ap.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    ap.add_argument("--dtype", default="fp32", choices=["fp32", "bf16", "fp16"], help="autocast dtype")
    ap.add_argument("--models", default=",".join(DEFAULT_MODELS), help="comma-separated names from GET_CONFIGS")
    ap.add_argument("--no-warmup", action="store_true")
    ap.add_argument("--out", default=str(Path(__file__).with_name("get_vs_vit.json")))
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    device = torch.device(a.device)
    if device.type == "cuda":
        if not torch.cuda.is_available(): sys.exit("--device cuda was asked for but CUDA is not available here.")
        torch.backends.cuda.matmul.allow_tf32 = True; torch.backends.cudnn.allow_tf32 = True
    dtype = {"fp32": None, "bf16": torch.bfloat16, "fp16": torch.float16}[a.dtype]
    names = [n.strip() for n in a.models.split(",") if n.strip()]
    bad = [n for n in names if n not in GET_CONFIGS]
    if bad: sys.exit(f"Unknown model(s) {bad}; choose from {list(GET_CONFIGS)}.")
    mach = machine(device)
    print(f"machine: {mach.get('gpu', mach['cpu'])}, {mach['threads']} threads, torch {mach['torch']}; "
          f"batch {a.batch}, repeats {a.repeats}, {a.dtype}, GET at {a.iters} iterations")
    rows = []
    hdr = f"{'model':<9} {'params(M)':>9} {'MACs/img(G)':>11} {'paper':>6} {'sample img/s':>13} {'train img/s':>12}"
    print(hdr); print("-" * len(hdr))
    for n in names:
        r = bench_model(n, device, a.batch, a.repeats, dtype, a.iters, not a.no_warmup)
        rows.append(r)
        pm = "-" if r["paper_macs_G"] is None else f"{r['paper_macs_G']:.1f}"
        print(f"{n:<9} {r['params_M']:>9.1f} {r['macs_G']:>11.1f} {pm:>6} {r['sample_img_s']:>13.3f} {r['train_img_s']:>12.3f}", flush=True)
    by = {r["model"]: r for r in rows}
    ratios = {}
    if "GET-B" in by and "ViT-L/2" in by:
        ratios = {"GET-B/ViT-L2_params": by["GET-B"]["params_M"] / by["ViT-L/2"]["params_M"],
                  "GET-B/ViT-L2_sample_speed": by["GET-B"]["sample_img_s"] / by["ViT-L/2"]["sample_img_s"],
                  "GET-B/ViT-L2_train_speed": by["GET-B"]["train_img_s"] / by["ViT-L/2"]["train_img_s"]}
        print("GET-B vs ViT-L/2: " + ", ".join(f"{k.split('_', 1)[1]} x{v:.2f}" for k, v in ratios.items()))
    out = {"machine": mach, "settings": vars(a), "results": rows, "ratios": ratios,
           "time": time.strftime("%Y-%m-%dT%H:%M:%S")}
    Path(a.out).write_text(json.dumps(out, indent=1))
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
