#!/usr/bin/env python3
"""Adam continuation: does plain full-batch Adam lower the loss of a run the suite calls `jammed`?

An independent check in PyTorch float64 (an outside reference, never a project dependency: nothing
is imported from src/). The suite's default minimiser stops with a verdict `jammed` when it has
stalled to its own relative tolerance; that is a claim about the minimiser, not a proof that the
end point is a minimum. Here the end point is handed to the most naive minimiser there is, the one
the authors used: full-batch Adam (torch.optim.Adam, betas 0.9/0.999, eps 1e-8, fresh state) at a
fixed learning rate (default 1e-4, the authors' first rate) for K steps (default 100000). If Adam
finds a markedly lower loss, the end point was a premature stall, not a jammed minimum.

WHAT IT CHECKS, PER RUN FILE
  0. input: a run file (format "jamming-run", version 1, 2 or 3) WITH `data`; a file without data is refused
     (exit 2; `node --import tsx scripts/adam-continuation.mts --runs DIR` regenerates it). Files
     whose results.verdict is present and not "jammed" are skipped (listed), unless --all.
  1. agreement: torch's loss at the start must equal the file's results.loss to a relative 1e-10
     (both are printed). A disagreement means the two implementations (or the data) differ: that run
     is an error, Adam is not run on it, and the script exits 3.
  2. continuation: K Adam steps; the loss is evaluated at theta_0 .. theta_K (theta_t = after t
     steps). Reported: start loss, lowest loss and the step t where it was reached, final loss,
     relative drop (start - lowest) / start, N_Delta = #{Delta_mu > 0} at the start and at the lowest
     point, and whether the loss reached exactly 0 (then Adam stops: the gradient is exactly 0 there).
  3. verdict: the run FAILS when the relative drop exceeds --threshold (default 0.01).

WHY THESE THRESHOLDS
  * 1e-10 for the start loss: both sides compute the same float64 sums in different orders; the
    rounding differences are ~1e-15 relative, so 1e-10 only trips on a real disagreement (other
    data, other layout, other activation) while never on rounding.
  * 1% for the drop: from a true minimum Adam cannot go lower at all (its first steps, of size ~lr
    per coordinate whatever the gradient, only climb and then settle back), so the measured drop
    there is 0 up to rounding. The default minimiser's own stopping tolerance is far below 1% of the
    loss, so a drop above 1% is a stall, not a tolerance effect; and 1% is large enough that the
    counts the claims use (N_Delta, the Hessian's negative eigenvalues) would plausibly change.
  * lr 1e-4, K = 100000: the first stage of the authors' protocol (adam0: lr 1e-4 for 250k steps);
    a plateau that survives 1e5 of their steps is the kind of end point their protocol would have
    reported too.

NETWORK (same conventions as fixtures/pytorch/make_cases.py)
  a_0 = x, a_l = sigma(W_l a_{l-1} + b_l) for l = 1..L, f = W_{L+1} a_L + b_{L+1};
  sigma = relu, or softplus_beta(z) = (max(beta z, 0) + log1p(exp(-|beta z|))) / beta.
  Flat layout: for l = 1..L+1, W_l row-major (out x in), then b_l if bias; in = d for l = 1 else h,
  out = 1 for l = L+1 else h. Delta_mu = kappa - y_mu f(x_mu); loss = (1/P) sum_mu ell(Delta_mu):
  quadratic hinge max(D, 0)^2 / 2 (the suite's default), linear hinge max(D, 0), cross-entropy
  softplus(D - kappa).

USAGE
  python3 scripts/adam-continuation.py FILE_OR_DIR... [--steps 100000] [--lr 1e-4]
      [--threshold 0.01] [--jobs 1] [--json OUT] [--all]
  prints a markdown table (one row per run) and the line `K runs: F lowered by more than 1%`.
  Exit: 0 no run fails, 1 some run fails, 2 bad input, 3 torch's start loss disagrees with a file.
  One torch thread per process (set_num_threads(1)); --jobs J runs J files at once.
  Needs: pip install torch==2.13.0+cpu
"""
import argparse
import json
import math
import multiprocessing as mp
import os
import re
import sys
import time

import torch

torch.set_default_dtype(torch.float64)

START_LOSS_RTOL = 1e-10
EXIT_OK, EXIT_FAIL, EXIT_INPUT, EXIT_DISAGREE = 0, 1, 2, 3


class BadInput(Exception):
    """A run file or an argument the script cannot use (exit 2)."""


# ----------------------------------------------------------------------------- input
def load_run(path):
    """Reads and validates one run file; returns a plain dict of what the continuation needs."""
    try:
        with open(path, encoding="utf-8") as fh:
            raw = json.load(fh)
    except OSError as e:
        raise BadInput(f"{path}: cannot read ({e.strerror})")
    except json.JSONDecodeError as e:
        raise BadInput(f"{path}: invalid JSON ({e})")
    if not isinstance(raw, dict):
        raise BadInput(f"{path}: expected a JSON object (a jamming run file)")
    if raw.get("format") != "jamming-run" or raw.get("version") not in (1, 2, 3):
        raise BadInput(f"{path}: format/version is {raw.get('format')!r}/{raw.get('version')!r}, expected 'jamming-run'/1, 2 or 3")
    if raw.get("version") == 3:
        # version 3 keeps the run record, whose item holds the config and whose results the verdict
        rec = raw.get("record")
        if not isinstance(rec, dict) or not isinstance(rec.get("item"), dict):
            raise BadInput(f"{path}: field 'record.item' missing or not an object")
        raw = {**raw, "config": rec["item"].get("config"), "results": rec.get("results")}
    if raw.get("version") == 1:
        # version 1 carried the architecture and the loss beside the config
        a, lo = raw.get("arch"), raw.get("loss") or {}
        if not isinstance(a, dict):
            raise BadInput(f"{path}: field 'arch' missing or not an object")
    else:
        # version 2: {config, params, data?} (and 3, its config read from the record above); the architecture is config.model with d the data's row length
        cfg = raw.get("config")
        if not isinstance(cfg, dict) or not isinstance(cfg.get("model"), dict):
            raise BadInput(f"{path}: field 'config.model' missing or not an object")
        data = raw.get("data")
        rows = data.get("x") if isinstance(data, dict) else None
        d = len(rows[0]) if isinstance(rows, list) and rows and isinstance(rows[0], list) else (cfg.get("data") or {}).get("d")
        a = {**cfg["model"], "d": d}
        lo = cfg.get("loss") or {}
    arch = {
        "d": a.get("d"), "h": a.get("h", 0), "L": a.get("L"),
        "activation": a.get("activation", "relu"), "beta": a.get("beta", 10), "bias": a.get("bias", True),
    }
    for k in ("d", "h", "L"):
        if not isinstance(arch[k], int) or arch[k] < 0 or (k == "d" and arch[k] < 1):
            raise BadInput(f"{path}: arch.{k} = {arch[k]!r}, expected a non-negative integer")
    if arch["L"] > 0 and arch["h"] < 1:
        raise BadInput(f"{path}: arch.h = {arch['h']!r}, expected >= 1 when L > 0")
    if arch["activation"] not in ("relu", "softplus"):
        raise BadInput(f"{path}: arch.activation = {arch['activation']!r}, expected 'relu' or 'softplus'")
    if not isinstance(arch["bias"], bool):
        raise BadInput(f"{path}: arch.bias = {arch['bias']!r}, expected true or false")
    kind, kappa = lo.get("kind", "quadratic"), lo.get("kappa", 1)
    if kind not in ("quadratic", "linear", "crossEntropy"):
        raise BadInput(f"{path}: loss.kind = {kind!r}, expected quadratic, linear or crossEntropy")
    params = raw.get("params")
    n = n_params(arch)
    if not isinstance(params, list) or len(params) != n:
        got = f"{len(params)} numbers" if isinstance(params, list) else repr(params)[:40]
        raise BadInput(f"{path}: field 'params' has {got}, expected {n} (Ntot for this arch)")
    data = raw.get("data")
    if data is None:
        how = ("regenerate it from the file's config with `node --import tsx scripts/adam-continuation.mts --runs DIR`"
               if isinstance(raw.get("config"), dict) else "and there is no 'config' to regenerate it from")
        raise BadInput(f"{path}: field 'data' is missing (a file written with --no-save-data?); {how}")
    x, y = data.get("x") if isinstance(data, dict) else None, data.get("y") if isinstance(data, dict) else None
    if not isinstance(x, list) or not isinstance(y, list) or len(x) != len(y) or len(x) == 0:
        raise BadInput(f"{path}: field 'data' must be {{x: P x d numbers, y: P labels}} with P >= 1")
    if any(not isinstance(r, list) or len(r) != arch["d"] for r in x):
        raise BadInput(f"{path}: field 'data.x' must have rows of arch.d = {arch['d']} numbers")
    if any(v not in (1, -1) for v in y):
        raise BadInput(f"{path}: field 'data.y' must hold +1/-1 labels")
    results = raw.get("results") if isinstance(raw.get("results"), dict) else {}
    config = raw.get("config") if isinstance(raw.get("config"), dict) else {}
    return {
        "file": path, "arch": arch, "kind": kind, "kappa": float(kappa),
        "params": params, "x": x, "y": y, "results": results, "config": config,
    }


def natural(name):
    """sort key: s2 before s10"""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


def expand(paths):
    """Files as given, directories as their *.json files in natural name order."""
    out = []
    for p in paths:
        if os.path.isdir(p):
            out += [os.path.join(p, f) for f in sorted(os.listdir(p), key=natural) if f.endswith(".json")]
        else:
            out.append(p)
    return out


# ----------------------------------------------------------------------------- model
def layer_dims(arch):
    return [(arch["d"] if l == 1 else arch["h"], 1 if l == arch["L"] + 1 else arch["h"]) for l in range(1, arch["L"] + 2)]


def n_params(arch):
    return sum(o * i + (o if arch["bias"] else 0) for i, o in layer_dims(arch))


def n_weights_paper(arch):
    """N of the paper, weights only: d h + (L-1) h^2 + h (for L = 0: d)."""
    return sum(o * i for i, o in layer_dims(arch))


def make_loss(arch, kind, kappa, X, y):
    """Returns delta(theta) -> Delta_mu and loss(Delta) -> mean ell(Delta), on the flat vector."""
    dims, beta = layer_dims(arch), float(arch["beta"])
    relu = arch["activation"] == "relu"

    def delta(theta):
        A, k = X, 0
        for l, (fin, fout) in enumerate(dims):
            W = theta[k:k + fin * fout].view(fout, fin)
            k += fin * fout
            Z = A @ W.T
            if arch["bias"]:
                Z = Z + theta[k:k + fout]
                k += fout
            if l == len(dims) - 1:
                return kappa - y * Z[:, 0]
            if relu:
                A = torch.relu(Z)
            else:  # written out: torch's softplus switches to the identity above a threshold
                t = beta * Z
                A = (torch.clamp(t, min=0.0) + torch.log1p(torch.exp(-torch.abs(t)))) / beta

    def loss(D):
        if kind == "quadratic":
            return 0.5 * (torch.relu(D) ** 2).mean()
        if kind == "linear":
            return torch.relu(D).mean()
        t = D - kappa
        return (torch.clamp(t, min=0.0) + torch.log1p(torch.exp(-torch.abs(t)))).mean()

    return delta, loss


# ----------------------------------------------------------------------------- one run
_warm = False


def warm_up():
    """torch's first autograd pass and Adam step in a process cost seconds of one-off set-up; pay it
    before the clock starts so that the reported seconds measure the steps."""
    global _warm
    if not _warm:
        w = torch.zeros(3, requires_grad=True)
        opt = torch.optim.Adam([w], lr=1e-4, betas=(0.9, 0.999), eps=1e-8)
        (w.sum() ** 2).backward()
        opt.step()
        _warm = True


def continue_run(job):
    """Start-loss agreement, then K Adam steps; returns the row for this run (never raises on numerics)."""
    run, steps, lr, threshold = job["run"], job["steps"], job["lr"], job["threshold"]
    torch.set_num_threads(1)
    warm_up()
    t0 = time.perf_counter()
    X = torch.tensor(run["x"])
    y = torch.tensor(run["y"], dtype=torch.float64)
    delta, loss_of = make_loss(run["arch"], run["kind"], run["kappa"], X, y)
    theta = torch.tensor(run["params"], requires_grad=True)
    res, cfg = run["results"], run["config"]
    row = {
        "file": run["file"],
        "N": res.get("N", n_weights_paper(run["arch"])),
        "P": len(run["y"]),
        "seed": cfg.get("seed"),
        "dataSeed": (cfg.get("data") or {}).get("seed"),
        "fileVerdict": res.get("verdict"),
        "fileLoss": res.get("loss"),
        "fileNDelta": res.get("nDelta"),
        "steps": steps, "lr": lr, "threshold": threshold,
    }

    with torch.no_grad():
        D0 = delta(theta)
        start = loss_of(D0).item()
        nd0 = int((D0 > 0).sum())
    row.update(startLoss=start, nDeltaStart=nd0)
    file_loss = res.get("loss")
    if isinstance(file_loss, (int, float)):
        rel = abs(start - file_loss) / max(abs(start), abs(file_loss)) if (start or file_loss) else 0.0
        row["startLossRelDiff"] = rel
        if not rel <= START_LOSS_RTOL:  # also catches NaN
            row.update(check="ERROR", error=f"torch start loss {start!r} != file results.loss {file_loss!r} (rel {rel:.2e} > {START_LOSS_RTOL:g})",
                       seconds=time.perf_counter() - t0)
            return row

    # fresh Adam state, the authors' betas and eps; full batch, so the iteration is deterministic
    opt = torch.optim.Adam([theta], lr=lr, betas=(0.9, 0.999), eps=1e-8)
    best, best_step, best_nd = start, 0, nd0
    trace, next_trace = [], 1  # the loss at steps 0, 1, 10, 100, ... (for the JSON)
    # one forward pass per step: the pass at theta_t gives both the loss recorded for step t and the
    # gradient for the step to theta_{t+1}
    for t in range(steps + 1):
        opt.zero_grad(set_to_none=False)
        D = delta(theta)
        L = loss_of(D)
        cur = L.item()
        if not math.isfinite(cur):
            row.update(check="ERROR", error=f"loss became {cur} at step {t}", seconds=time.perf_counter() - t0)
            return row
        if cur < best:
            best, best_step, best_nd = cur, t, int((D > 0).sum())
        if t == 0 or t == next_trace:
            trace.append([t, cur])
            next_trace = 10 * t if t else 1
        if t == steps or cur == 0.0:  # exactly zero: the gradient is exactly zero too, nothing left to do
            break
        L.backward()
        opt.step()
    drop = (start - best) / start if start > 0 else 0.0
    row.update(
        lowestLoss=best, lowestStep=best_step, nDeltaLowest=best_nd, finalLoss=cur, finalStep=t,
        relativeDrop=drop, reachedZero=best == 0.0, trace=trace + ([[t, cur]] if trace[-1][0] != t else []),
        check="FAIL" if drop > threshold else "pass",
        seconds=time.perf_counter() - t0,
    )
    return row


# ----------------------------------------------------------------------------- output
def fmt(v, spec=".6e"):
    return "-" if v is None else format(v, spec)


def table(rows, threshold):
    head = ["file", "N", "P", "seed", "N_Delta start", "N_Delta lowest", "start loss", "lowest loss", "final loss",
            "rel. drop", "step of lowest", "zero", "s", "check"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        seed = r["seed"] if r["dataSeed"] in (None, r["seed"]) else f"{r['seed']} (data {r['dataSeed']})"
        lines.append("| " + " | ".join(str(c) for c in [
            os.path.basename(r["file"]), r["N"], r["P"], "-" if seed is None else seed,
            r["nDeltaStart"], r.get("nDeltaLowest", "-"), fmt(r["startLoss"]), fmt(r.get("lowestLoss")),
            fmt(r.get("finalLoss")), fmt(r.get("relativeDrop"), ".3e"), r.get("lowestStep", "-"),
            {True: "yes", False: "no"}.get(r.get("reachedZero"), "-"), fmt(r.get("seconds"), ".0f"), r["check"],
        ]) + " |")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="+", help="run files, or directories of *.json run files")
    ap.add_argument("--steps", type=int, default=100000, help="Adam steps per run (default 100000)")
    ap.add_argument("--lr", type=float, default=1e-4, help="Adam learning rate (default 1e-4)")
    ap.add_argument("--threshold", type=float, default=0.01, help="a run fails when (start - lowest)/start exceeds this (default 0.01)")
    ap.add_argument("--jobs", type=int, default=1, help="runs continued at once, one torch thread each (default 1)")
    ap.add_argument("--json", metavar="FILE", help="also write every row (with a loss trace) and the summary as JSON")
    ap.add_argument("--all", action="store_true", help="also continue runs whose results.verdict is not 'jammed'")
    args = ap.parse_args(argv)
    for name, ok in (("--steps", args.steps >= 1), ("--lr", args.lr > 0), ("--threshold", args.threshold >= 0), ("--jobs", args.jobs >= 1)):
        if not ok:
            print(f"adam-continuation: bad {name} = {getattr(args, name[2:])!r}", file=sys.stderr)
            return EXIT_INPUT
    torch.set_num_threads(1)

    # every file is read and validated before any step is taken: bad input costs nothing
    try:
        files = expand(args.paths)
        if not files:
            raise BadInput(f"no *.json run files in {', '.join(args.paths)}")
        runs = [load_run(f) for f in files]
    except BadInput as e:
        print(f"adam-continuation: bad input: {e}", file=sys.stderr)
        return EXIT_INPUT
    skipped = [r["file"] for r in runs if not args.all and r["results"].get("verdict") not in (None, "jammed")]
    runs = [r for r in runs if r["file"] not in skipped]
    for f in skipped:
        print(f"skipped (verdict not jammed): {f}", file=sys.stderr)

    jobs = [{"run": r, "steps": args.steps, "lr": args.lr, "threshold": args.threshold} for r in runs]
    rows = []

    def done(row):
        rows.append(row)
        extra = f", lowest {row['lowestLoss']:.6e} at step {row['lowestStep']}" if "lowestLoss" in row else ""
        print(f"[{len(rows)}/{len(jobs)}] {os.path.basename(row['file'])}: start loss torch {row['startLoss']!r}, "
              f"file {row['fileLoss']!r}{extra}; {row['check']}{' (' + row['error'] + ')' if 'error' in row else ''} "
              f"({row['seconds']:.1f} s)", file=sys.stderr, flush=True)

    if args.jobs == 1 or len(jobs) <= 1:
        for j in jobs:
            done(continue_run(j))
    else:
        # spawn, not fork: a forked torch can deadlock in its thread pools
        with mp.get_context("spawn").Pool(min(args.jobs, len(jobs))) as pool:
            for row in pool.imap_unordered(continue_run, jobs):
                done(row)
    order = {r["file"]: i for i, r in enumerate(runs)}
    rows.sort(key=lambda r: order[r["file"]])

    failed = sum(r["check"] == "FAIL" for r in rows)
    errors = sum(r["check"] == "ERROR" for r in rows)
    summary = f"{len(rows)} runs: {failed} lowered by more than {args.threshold * 100:g}%"
    if errors:
        summary += f"; {errors} ERROR (torch and the file disagree, or the loss was not finite)"
    print(table(rows, args.threshold))
    print()
    print(summary)
    if args.json:
        out = {"steps": args.steps, "lr": args.lr, "betas": [0.9, 0.999], "eps": 1e-8, "threshold": args.threshold,
               "startLossRtol": START_LOSS_RTOL, "torch": torch.__version__, "rows": rows, "skipped": skipped,
               "failed": failed, "errors": errors, "summary": summary}
        tmp = args.json + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(out, fh, indent=1)
            fh.write("\n")
        os.replace(tmp, args.json)
    if errors:
        return EXIT_DISAGREE
    return EXIT_FAIL if failed else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
