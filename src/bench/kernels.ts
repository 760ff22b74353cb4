import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomData } from '../data/random.ts';
import { makeArchitecture, layout } from '../model/architecture.ts';
import { initialParameters } from '../model/init.ts';
import { quadraticHinge } from '../loss/losses.ts';
import { evaluate } from '../loss/objective.ts';
import { hessianSplit } from '../loss/hessian.ts';
import { symmetricEigenvalues } from '../analyse/spectrum.ts';
import { minimise } from '../train/minimise.ts';
import { randomItem, range } from '../experiment/grid.ts';
import { openStore } from '../experiment/store.ts';
import { runSweep } from '../experiment/sweep.ts';
import { createPool } from '../experiment/pool.ts';
import { kernelsDescription, kernelTeam, teamKind, wasmArena, withKernels, withTeamKind, withThreads, type KernelsName } from '../kernels/select.ts';
import type { BenchRow, BenchSection } from './table.ts';

const TORCH_SCRIPT = fileURLToPath(new URL('../../scripts/bench_torch.py', import.meta.url));

/** PyTorch float64 is the outside baseline where `python3 -c 'import torch'` works; else a notice. */
export function torchAvailable(): boolean {
  return spawnSync('python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

function torchSeconds(workload: object): number {
  const r = spawnSync('python3', [TORCH_SCRIPT], { input: JSON.stringify(workload), encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`bench_torch.py failed (${r.signal ? `killed by ${r.signal}, out of memory?` : `exit ${r.status}`}): ${r.stderr.trim().split('\n').at(-1) ?? ''}`);
  return JSON.parse(r.stdout).seconds;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function problem(P: number, d: number, h: number, L: number) {
  const arch = makeArchitecture({ d, h, L });
  const data = randomData({ P, d, seed: 0 });
  const theta = initialParameters(arch, 0);
  return { obj: { arch, loss: quadraticHinge(1), data }, theta, workload: { d, h, L, x: Array.from(data.x), y: Array.from(data.y), theta: Array.from(theta) } };
}

/** Median seconds of `reps` calls of f on the given kernel backend (after two warm-up calls). */
function timed(backend: KernelsName, reps: number, f: () => void): number {
  return withKernels(backend, () => {
    for (let i = 0; i < 2; i++) f();
    const times: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t = performance.now();
      f();
      times.push((performance.now() - t) / 1000);
    }
    return median(times);
  });
}

const ROUNDS = 5;
/** jacfwd's chunk_size for PyTorch's Hessian above Ntot 5000 (about 5 GB of tangents at P = 1000, h = 60) */
const TORCH_HESSIAN_CHUNK = 256;
const SWEEP_ROUNDS = 3;

/**
 * One full-batch loss + gradient (all patterns have Delta > 0 at the initialisation, so nothing is
 * skipped): the kernels (the native team when built) against the WASM team, the plain-TS reference
 * and PyTorch float64, same invocation.
 */
export function benchGradient(torch: boolean): BenchSection {
  const rows: BenchRow[] = [];
  const arena = wasmArena();
  const threads = arena ? kernelTeam(arena).size : 1;
  const native = arena !== null && teamKind() === 'native';
  // the eight shapes of the earlier rows, then the paper scale's (d = h = 51, L = 3, N = 7854, P near P*)
  const shapes = [...[1000, 4000].flatMap((P) => [30, 60].flatMap((h) => [3, 5].map((L) => [P, 10, h, L]))), [25_000, 51, 51, 3]];
  for (const [P, d, h, L] of shapes) {
    const { obj, theta, workload } = problem(P, d, h, L);
    const reps = P * h * h * L > 4e7 ? 5 : 15;
    // This machine's speed drifts by tens of percent over seconds (a shared VM): the kernels and
    // PyTorch are timed in interleaved rounds and each reported as its median over the rounds.
    const k2: number[] = [];
    const k1: number[] = [];
    const w2: number[] = [];
    const pts: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      k2.push(timed('wasm', reps * 3, () => evaluate(obj, theta)));
      k1.push(withThreads(1, () => timed('wasm', reps * 3, () => evaluate(obj, theta))));
      if (native) w2.push(withTeamKind('wasm', () => timed('wasm', reps * 3, () => evaluate(obj, theta))));
      if (torch) pts.push(torchSeconds({ ...workload, kind: 'gradient', reps: reps * 3 }));
    }
    const [k, k1m, w, pt] = [median(k2), median(k1), native ? median(w2) : median(k2), torch ? median(pts) : NaN];
    const ref = timed('reference', reps, () => evaluate(obj, theta));
    rows.push({
      workload: `P=${P} d=${d} h=${h} L=${L}`,
      Ntot: layout(obj.arch).Ntot,
      [`kernels ms (${threads} threads)`]: +(k * 1e3).toFixed(2),
      'kernels ms (1 thread)': +(k1m * 1e3).toFixed(2),
      [`WASM team ms (${threads} threads)`]: +(w * 1e3).toFixed(2),
      'plain-TS ms': +(ref * 1e3).toFixed(2),
      'PyTorch ms': torch ? +(pt * 1e3).toFixed(2) : 'skipped',
      'plain-TS/kernels': +(ref / k).toFixed(2),
      'WASM team/PyTorch': torch ? +(w / pt).toFixed(2) : '',
      'kernels/PyTorch': torch ? +(k / pt).toFixed(2) : '',
    });
  }
  const how = `kernels: ${kernelsDescription()} on ${threads} thread${threads > 1 ? 's' : ''} (JAMMING_THREADS; the same bits on 1), zero terms of the ReLU skipped exactly; WASM team: the same operations on the WebAssembly kernels (JAMMING_TEAM=wasm)${native ? '' : ', here the kernels column itself'}; kernels, WASM team and PyTorch: medians of ${ROUNDS} interleaved rounds`;
  return { name: 'gradient: one full-batch loss + gradient, float64', note: torch ? `${how}; baselines: plain-TS reference loops (bit-identical results) and PyTorch float64 (scripts/bench_torch.py, all cores); target (the kernels no slower than PyTorch float64 on the same machine): kernels/PyTorch <= 1 on every row` : `${how}; PyTorch not importable here: that baseline is skipped`, rows };
}

/** The exact Hessian split and the spectrum of H: the kernels, plain TS (up to Ntot ~ 1000) and torch.func.hessian + eigvalsh. */
export function benchHessian(torch: boolean): BenchSection {
  const rows: BenchRow[] = [];
  for (const h of [13, 20, 29, 42, 60]) { // Ntot = 521, 1081, 2089, 4117, 8041 (the last two near 4000 and 8000)
    const { obj, theta, workload } = problem(1000, 10, h, 3);
    const n = layout(obj.arch).Ntot;
    const run = (backend: KernelsName) =>
      withKernels(backend, () => {
        let t = performance.now();
        const s = hessianSplit(obj, theta);
        const th = (performance.now() - t) / 1000;
        t = performance.now();
        symmetricEigenvalues(s.H, n);
        return { th, te: (performance.now() - t) / 1000 };
      });
    const w = run('wasm');
    const r = n <= 1100 ? run('reference') : null; // the reference at Ntot 2089 takes ~25 s: measured once in the note
    // a baseline that fails (torch.func.hessian runs out of memory at Ntot 8041 here) is a row that says so
    let ptFailed = '';
    let pt = NaN;
    if (torch) {
      try {
        // above Ntot ~5000 jacfwd's tangents go 256 at a time: all at once is killed out of memory here
        pt = torchSeconds({ ...workload, kind: 'hessian', ...(n > 5000 ? { chunk: TORCH_HESSIAN_CHUNK } : {}) });
      } catch (e) {
        ptFailed = (e as Error).message;
      }
    }
    const total = w.th + w.te;
    rows.push({
      workload: `P=1000 d=10 h=${h} L=3`,
      Ntot: n,
      'kernels Hessian s': +w.th.toFixed(2),
      'kernels eigvals s': +w.te.toFixed(2),
      'plain-TS s': r ? +(r.th + r.te).toFixed(2) : 'not run',
      'PyTorch s': !torch ? 'skipped' : ptFailed ? ptFailed.slice(0, 60) : +pt.toFixed(2),
      'plain-TS/kernels': r ? +((r.th + r.te) / total).toFixed(2) : '',
      'kernels/PyTorch': torch && !ptFailed ? +(total / pt).toFixed(2) : '',
    });
  }
  return { name: 'Hessian: H0, Hp, H and the spectrum of H', note: `kernels: ${kernelsDescription()}: H0 as a Gram product of the Jacobian rows with Delta > 0 (team threads; WASM kernels), Hp by forward-over-reverse columns (the team's kernels), Householder reduction in one pass a step (WASM kernels), QL in TS; PyTorch: torch.func.hessian (jacfwd over jacrev; ${TORCH_HESSIAN_CHUNK} tangents at a time above Ntot 5000) + eigvalsh, all cores; target (the Hessian no slower than PyTorch float64 on the same machine): kernels/PyTorch <= 1 at Ntot ~ 4000 and ~ 8000`, rows };
}

/** Time to verdict of one run near N* (default minimiser), and sweep throughput with 1 and 2 workers. */
export async function benchRuns(): Promise<BenchSection> {
  const rows: BenchRow[] = [];
  const near = problem(750, 12, 12, 2); // N = 300, P/N = 2.5: near P* for this size
  // one untimed run first (compilation, the helper thread's start), then the median of three
  await minimise(near.obj, near.theta, { optimizer: 'default', engine: 'float64' });
  const times: number[] = [];
  let r: Awaited<ReturnType<typeof minimise>> | undefined;
  let t = 0;
  for (let k = 0; k < 3; k++) {
    t = performance.now();
    r = await minimise(near.obj, near.theta, { optimizer: 'default', engine: 'float64' });
    times.push((performance.now() - t) / 1000);
  }
  rows.push({ workload: 'one run near N* (d=h=12, L=2, P=750)', value: +median(times).toFixed(2), unit: `s to verdict (${r!.verdict}, ${r!.gradientEvaluations} evaluations; median of 3 after a warm-up run)`, ratio: '' });
  // a slice of the ci sweep (N = 136, P/N from 0.5 to 4 across the transition, 8 seeds): fitted,
  // jammed and slow runs mixed as in a real sweep, in the sweep's own order
  const items = [0.5, 1, 1.5, 1.75, 2, 2.25, 2.5, 3, 4].flatMap((ratio) => range(8).map((seed) => randomItem({ P: Math.round(ratio * 136), h: 8, L: 2, seed }, { spectra: 'counts', deltas: false, testError: false })));
  // 1 and 2 workers alternate over SWEEP_ROUNDS rounds (this machine's speed drifts over tens of
  // seconds); each is reported as its median over the rounds, with the rounds themselves
  const perMinute: Record<1 | 2, number[]> = { 1: [], 2: [] };
  const startup: Record<1 | 2, number[]> = { 1: [], 2: [] };
  for (let round = 0; round < SWEEP_ROUNDS; round++) {
    for (const workers of [1, 2] as const) {
      const store = openStore(join(mkdtempSync(join(tmpdir(), 'jamming-bench-')), 'bench.sqlite'));
      t = performance.now();
      const pool = createPool({ workers });
      await pool.warm();
      startup[workers].push((performance.now() - t) / 1000);
      t = performance.now();
      await runSweep(items, { store, pool });
      const minutes = (performance.now() - t) / 60_000;
      await pool.close();
      store.close();
      perMinute[workers].push(items.length / minutes);
    }
  }
  for (const workers of [1, 2] as const) {
    const each = perMinute[workers].map((x) => x.toFixed(1)).join(', ');
    rows.push({
      workload: `sweep of ${items.length} runs (d=h=8, L=2, P/N 0.5..4), ${workers} worker${workers > 1 ? 's' : ''}`,
      value: +median(perMinute[workers]).toFixed(1),
      unit: `runs per minute, median of ${SWEEP_ROUNDS} rounds (${each}; pool start-up ${median(startup[workers]).toFixed(1)} s apart)`,
      ratio: workers === 1 ? 1 : +(median(perMinute[2]) / median(perMinute[1])).toFixed(2),
    });
  }
  return { name: 'runs: time to verdict and sweep throughput', note: `kernels: ${kernelsDescription()}; the single run uses this thread's team (JAMMING_THREADS, 2 on the main thread by default); in a sweep each worker runs one run on one thread, so a run never competes with the pool; target (runs are independent, so a second core should nearly double the sweep): 2 workers >= 1.8x the throughput of 1`, rows };
}
