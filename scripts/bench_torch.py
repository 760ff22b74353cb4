"""PyTorch float64 baseline for `npm run bench` (an outside reference, never a dependency).

Reads one JSON workload on stdin, builds the same network as the project (flat layout: for
l = 1..L+1, W_l row-major (out x in), then b_l; ReLU; f = W_{L+1} a_L + b_{L+1}) on the given
data and parameters, and prints {"seconds": ...} for the requested computation:
  gradient  one full-batch loss + backward of the quadratic hinge (median of `reps`)
  hessian   torch.func.hessian of the loss over all parameters (jacfwd over jacrev), then
            eigvalsh (once); with "chunk", the same forward-over-reverse products as
            vmap(jvp of grad) over the unit vectors, `chunk` at a time (vmap's chunk_size;
            jacfwd has none): at Ntot 8041 all at once is killed out of memory here
Threads: torch's default (all cores).
"""
import json
import sys
import time

import torch

torch.set_default_dtype(torch.float64)


def unflatten(theta, d, h, L):
    params, k = [], 0
    for l in range(1, L + 2):
        i = d if l == 1 else h
        o = 1 if l == L + 1 else h
        W = theta[k:k + o * i].reshape(o, i)
        k += o * i
        b = theta[k:k + o]
        k += o
        params.append((W, b))
    return params


def loss_fn(theta, x, y, d, h, L):
    a = x
    params = unflatten(theta, d, h, L)
    for l, (W, b) in enumerate(params):
        z = a @ W.T + b
        a = z if l == len(params) - 1 else torch.relu(z)
    delta = 1.0 - y * a[:, 0]
    return 0.5 * (torch.relu(delta) ** 2).sum() / x.shape[0]


def main():
    w = json.load(sys.stdin)
    d, h, L = w["d"], w["h"], w["L"]
    x = torch.tensor(w["x"]).reshape(-1, d)
    y = torch.tensor(w["y"])
    theta = torch.tensor(w["theta"])
    if w["kind"] == "gradient":
        times = []
        for _ in range(w.get("reps", 20) + 2):
            t = theta.clone().requires_grad_(True)
            s = time.perf_counter()
            loss = loss_fn(t, x, y, d, h, L)
            loss.backward()
            times.append(time.perf_counter() - s)
        times = sorted(times[2:])
        print(json.dumps({"seconds": times[len(times) // 2]}))
    else:
        f = lambda t: loss_fn(t, x, y, d, h, L)
        s = time.perf_counter()
        chunk = w.get("chunk")
        if chunk:
            g = torch.func.grad(f)
            hvp = lambda v: torch.func.jvp(g, (theta,), (v,))[1]
            H = torch.vmap(hvp, chunk_size=chunk)(torch.eye(theta.numel()))
        else:
            H = torch.func.hessian(f)(theta)
        torch.linalg.eigvalsh(H)
        print(json.dumps({"seconds": time.perf_counter() - s}))


if __name__ == "__main__":
    main()
