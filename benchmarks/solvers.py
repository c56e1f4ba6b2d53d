"""Benchmark get_nb.solvers against the reference DEQ library `torchdeq` (benchmark-only dependency:
`.venv/bin/pip install torchdeq`), side by side in one run.

For each problem and solver: function evaluations (iterations) to reach the tolerance, and median
wall time over repeats, ours vs torchdeq, with ratios. Prints a table and writes benchmarks/solvers.json.

    .venv/bin/python benchmarks/solvers.py [--repeats 7] [--threads 1] [--device cpu] [--out benchmarks/solvers.json]
"""
from __future__ import annotations
import argparse, json, math, os, platform, statistics, time
from pathlib import Path

import torch
from torch import nn

from get_nb.solvers import solve

try:
    from torchdeq.solver import get_solver as _td_get_solver
except ImportError as e:  # a clear message, not a traceback from deep inside
    raise SystemExit("benchmarks/solvers.py needs the reference library torchdeq (benchmark only): "
                     "run `.venv/bin/pip install torchdeq`.") from e

TD_NAMES = {"fixed_point": "fixed_point_iter", "anderson": "anderson", "broyden": "broyden"}
OUR_OPTS = {"fixed_point": dict(tau=1.0), "anderson": dict(m=6, lam=1e-4, beta=1.0), "broyden": dict(line_search=False)}
TD_OPTS = {"fixed_point": dict(tau=1.0), "anderson": dict(m=6, lam=1e-4, tau=1.0), "broyden": dict(ls=False)}


# ---------------------------------------------------------------- problems
def linear_problem(device, D=256, B=8, rho=0.95, seed=0):
    "z = A z + b with symmetric A, eigenvalues spread in [-rho, rho] (ill-conditioned I - A), float64."
    seed += 20
    g = torch.Generator().manual_seed(seed)
    Q, _ = torch.linalg.qr(torch.randn(D, D, generator=g, dtype=torch.float64))
    A = (Q * torch.linspace(-rho, rho, D, dtype=torch.float64)) @ Q.T
    b = torch.randn(B, D, generator=g, dtype=torch.float64)
    A, b = A.to(device), b.to(device)
    At = A.T.contiguous()
    return (lambda z: torch.addmm(b, z, At)), torch.zeros(B, D, dtype=torch.float64, device=device)


def tanh_problem(device, D=256, Dx=64, B=32, rho=0.99, seed=0):
    "z = tanh(W z + U x + c), W symmetric with ||W||_2 = rho, float32."
    seed += 10
    g = torch.Generator().manual_seed(seed)
    W = torch.randn(D, D, generator=g); W = W + W.T; W = rho * W / torch.linalg.matrix_norm(W, 2)  # |eig| up to rho
    U = torch.randn(D, Dx, generator=g) / Dx ** 0.5; c = 0.1 * torch.randn(D, generator=g)
    x = torch.randn(B, Dx, generator=g)
    inj = (x @ U.T + c).to(device); Wt = W.T.contiguous().to(device)
    return (lambda z: torch.tanh(torch.addmm(inj, z, Wt))), torch.zeros(B, D, device=device)


class Block(nn.Module):
    "Pre-LN transformer block used as an equilibrium map z -> z + attn(LN(z + u)) + mlp(LN(.))."
    def __init__(self, d=64, heads=4, ratio=4, gain=2.0):
        super().__init__()
        self.gain = gain  # > 1 makes the map less contractive (about 50 plain iterations to 1e-4)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d, ratio * d), nn.GELU(), nn.Linear(ratio * d, d))

    def forward(self, z, u):
        h = self.ln1(z + u)
        z2 = self.attn(h, h, h, need_weights=False)[0]
        return self.gain * (z2 + self.mlp(self.ln2(z2 + u)))


def transformer_problem(device, B=8, N=16, d=64, seed=0):
    "A small weight-tied transformer-block DEQ (tokens (B, N, d)), float32."
    seed += 30
    torch.manual_seed(seed)
    blk = Block(d).to(device).eval()
    u = torch.randn(B, N, d, device=device)
    return (lambda z: blk(z, u)), torch.zeros(B, N, d, device=device)


PROBLEMS = {  # name: (builder, tol, max_iter)
    "linear rho=0.95 D=256 (f64)": (linear_problem, 1e-6, 1500),
    "tanh DEQ D=256 B=32": (tanh_problem, 1e-4, 300),
    "transformer-block DEQ 8x16x64": (transformer_problem, 1e-4, 300),
}


# ---------------------------------------------------------------- runners
class Counted:
    def __init__(self, f): self.f, self.n = f, 0
    def __call__(self, z): self.n += 1; return self.f(z)


def sync(device):
    if torch.device(device).type == "cuda": torch.cuda.synchronize()


def run_ours(f, z0, solver, tol, max_iter):
    z, st = solve(f, z0, solver=solver, max_iter=max_iter, tol=tol, **OUR_OPTS[solver])
    return z, st.abs_residual.max().item()


def run_td(f, z0, solver, tol, max_iter):
    z, _, info = _td_get_solver(TD_NAMES[solver])(f, z0, max_iter=max_iter, tol=tol, stop_mode="abs", **TD_OPTS[solver])
    return z, info["abs_lowest"].max().item()


def measure(run, f, z0, solver, tol, max_iter, device):
    cf = Counted(f)
    sync(device); t0 = time.perf_counter()
    with torch.no_grad(): z, res = run(cf, z0, solver, tol, max_iter)
    sync(device)
    return time.perf_counter() - t0, cf.n, res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=5, help="timed repeats per instance (median taken)")
    ap.add_argument("--seeds", type=int, default=3, help="random instances per problem")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--out", default=str(Path(__file__).with_name("solvers.json")))
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    from importlib.metadata import version
    td_version = version("torchdeq")
    machine = (f"{platform.machine()} {platform.system()}, {os.cpu_count()} CPU core(s) visible, "
               f"{torch.get_num_threads()} torch thread(s), device {args.device}"
               + (f" ({torch.cuda.get_device_name()})" if args.device.startswith("cuda") else ""))
    rows = []
    for pname, (build, tol, max_iter) in PROBLEMS.items():
        insts = [build(args.device, seed=s) for s in range(args.seeds)]
        for solver in ("fixed_point", "anderson", "broyden"):
            runs = {"ours": run_ours, "torchdeq": run_td}
            r = dict(problem=pname, solver=solver, tol=tol, max_iter=max_iter)
            for k in runs: r.update({f"nfe_{k}": [], f"residual_{k}": [], f"time_{k}_ms": []})
            for f, z0 in insts:
                for run in runs.values(): measure(run, f, z0, solver, tol, max_iter, args.device)  # warm-up
                times = {k: [] for k in runs}
                for _ in range(args.repeats):
                    for k, run in runs.items():  # interleaved, so load changes hit both alike
                        t, n, res = measure(run, f, z0, solver, tol, max_iter, args.device)
                        times[k].append(t)
                for k in runs:
                    r[f"nfe_{k}"].append(n if k == "torchdeq" else None)
                for k, run in runs.items():
                    t, n, res = measure(run, f, z0, solver, tol, max_iter, args.device)
                    r[f"nfe_{k}"][-1] = n; r[f"residual_{k}"].append(res)
                    r[f"time_{k}_ms"].append(1e3 * statistics.median(times[k]))
            for k in runs:
                r[f"reached_{k}"] = all(x < tol for x in r[f"residual_{k}"])
                r[f"total_nfe_{k}"] = sum(r[f"nfe_{k}"]); r[f"total_time_{k}_ms"] = sum(r[f"time_{k}_ms"])
            r["time_ratio"] = r["total_time_ours_ms"] / r["total_time_torchdeq_ms"]
            r["nfe_ratio"] = r["total_nfe_ours"] / r["total_nfe_torchdeq"]
            r["target_met"] = bool(r["reached_ours"] and (r["total_nfe_ours"] <= r["total_nfe_torchdeq"] or not r["reached_torchdeq"])
                                   and r["time_ratio"] <= 1.1)
            rows.append(r)
            print(f"{pname:32s} {solver:11s} iters {r['nfe_ours']} vs {r['nfe_torchdeq']}  time {r['total_time_ours_ms']:8.1f} vs "
                  f"{r['total_time_torchdeq_ms']:8.1f} ms  x{r['time_ratio']:.2f}  {'OK' if r['target_met'] else 'MISS'}", flush=True)
    print(f"\nmachine: {machine}; torch {torch.__version__}, torchdeq {td_version}")
    print(f"iterations = evaluations of f until the solver stopped (summed over {args.seeds} instances); "
          f"time = median of {args.repeats} repeats per instance, summed over instances")
    print("| problem | solver | tol | iters ours | iters torchdeq | ms ours | ms torchdeq | time ratio | target |")
    print("|" + "---|" * 9)
    for r in rows:
        print(f"| {r['problem']} | {r['solver']} | {r['tol']:g} | {r['total_nfe_ours']}{'' if r['reached_ours'] else ' (not reached)'} | "
              f"{r['total_nfe_torchdeq']}{'' if r['reached_torchdeq'] else ' (not reached)'} | {r['total_time_ours_ms']:.1f} | "
              f"{r['total_time_torchdeq_ms']:.1f} | {r['time_ratio']:.2f} | {'met' if r['target_met'] else 'missed'} |")
    Path(args.out).write_text(json.dumps(dict(machine=machine, torch=torch.__version__, torchdeq=td_version,
                                               repeats=args.repeats, seeds=args.seeds, rows=rows), indent=1))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
