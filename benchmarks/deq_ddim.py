"""Parallel (DEQ-DDIM) against sequential DDIM sampling, side by side in one run.

For each chain length T: sequential depth (network calls one after another), network evaluations
(images through the network) and median wall time of the sequential chain and of the parallel
fixed-point solve (`ddim_parallel` defaults: Anderson m=5, lam=1e-3, one problem per time step in
variance-preserving units, <= 50 rounds, relative tolerance 1e-3; and Picard, <= T + 1 rounds).
Prints a table and writes benchmarks/deq_ddim.json.

    python benchmarks/deq_ddim.py [--model teacher|empirical] [--T 10 25 50 100] [--batch 1]
                                  [--repeats 3] [--device cpu|cuda] [--threads N] [--chunk N]
"""
from __future__ import annotations
import argparse, json, platform, time
from pathlib import Path

import torch

from get_nb.core import get_device, seed_everything
from get_nb.deq_ddim import EmpiricalDenoiser, time_sampling


def build_model(kind: str, device):
    if kind == "teacher":
        from get_nb.teacher import load_teacher
        m = load_teacher("digits").to(device).eval()
        return m, "digits teacher (committed, data/pretrained)", None
    from get_nb.data import load_digits
    x, y = load_digits("train")
    return EmpiricalDenoiser(x[:256], y[:256], smoothing=0.2).to(device), "ideal denoiser of 256 digits, s=0.2", None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default="teacher", choices=["teacher", "empirical"])
    ap.add_argument("--T", type=int, nargs="+", default=[10, 25, 50, 100])
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--device", default=None)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--chunk", type=int, default=None)
    ap.add_argument("--out", default=str(Path(__file__).with_name("deq_ddim.json")))
    a = ap.parse_args(argv)
    if a.threads: torch.set_num_threads(a.threads)
    dev = get_device(a.device)
    model, desc, _ = build_model(a.model, dev)
    g = seed_everything(0)
    shape = (1, 16, 16)
    noise = torch.randn(a.batch, *shape, generator=g).to(dev)
    rows = []
    for T in a.T:
        for solver, kw in [("anderson", dict(max_iter=50)), ("fixed_point", dict(max_iter=T + 1))]:
            with torch.no_grad():
                r = time_sampling(model, noise, T, repeats=a.repeats, solver=solver, chunk=a.chunk, **kw)
            r["solver"] = solver
            rows.append(r)
    machine = (torch.cuda.get_device_name(dev) if dev.type == "cuda" else
               f"CPU {platform.processor() or platform.machine()}, {torch.get_num_threads()} torch threads")
    print(f"DEQ-DDIM vs sequential DDIM | model: {desc} | batch {a.batch} | {machine} | torch {torch.__version__}")
    print(f"{'T':>5} {'solver':>11} | {'seq depth':>9} {'par rounds':>10} | {'seq NFE':>8} {'par NFE':>8} | "
          f"{'seq s':>8} {'par s':>8} {'speed-up':>8} | {'rel err':>8}")
    for r in rows:
        print(f"{r['T']:5d} {r['solver']:>11} | {r['seq_depth']:9d} {r['par_rounds']:10d} | {r['seq_nfe']:8d} "
              f"{r['par_nfe']:8d} | {r['seq_s']:8.4f} {r['par_s']:8.4f} {r['speedup']:8.2f} | {r['rel_err']:8.1e}")
    out = dict(machine=machine, model=desc, batch=a.batch, repeats=a.repeats, torch=torch.__version__,
               date=time.strftime("%Y-%m-%d"), rows=rows)
    Path(a.out).write_text(json.dumps(out, indent=1))
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
