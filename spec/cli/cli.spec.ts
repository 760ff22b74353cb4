import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../../bin/jamming.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'jamming-cli-'));

function jamming(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('jamming CLI', () => {
  it('--help lists the commands', () => {
    const r = jamming('--help');
    expect(r.code).toBe(0);
    for (const c of ['train', 'hessian', 'verify']) expect(r.stdout).toContain(c);
  });

  describe('train, then hessian on the saved run (the acceptance commands)', () => {
    const runFile = join(dir, 'r.json');
    let hess: { Ntot: number; N: number; nDelta: number; spectra: Record<string, number> & Record<'eigH' | 'eigH0' | 'eigHp', number[]>; recordAgrees?: boolean };
    beforeAll(() => {
      const t = jamming('train', '--dataset', 'random', '--P', '200', '--d', '10', '--h', '10', '--L', '2', '--seed', '1', '--save-run', runFile);
      expect(t.code, t.stderr).toBe(0);
      expect(t.stdout).toMatch(/verdict\s+(fitted|jammed|budget)/);
      const h = jamming('hessian', '--run', runFile, '--json');
      expect(h.code, h.stderr).toBe(0);
      hess = JSON.parse(h.stdout);
    });
    it('prints the three spectra, each of length Ntot, and the counts', () => {
      expect(hess.N).toBe(10 * 10 + 10 * 10 + 10);
      expect(hess.Ntot).toBe(hess.N + 21);
      for (const k of ['eigH', 'eigH0', 'eigHp'] as const) expect(hess.spectra[k]).toHaveLength(hess.Ntot);
      for (const k of ['nNegH', 'nNegHp', 'rankH0']) expect(Number.isInteger(hess.spectra[k])).toBe(true);
      expect(hess.spectra.rankH0).toBeLessThanOrEqual(hess.nDelta);
    });
    it('the run file holds format, version, the run record, data and parameters, and nothing twice', () => {
      const run = JSON.parse(readFileSync(runFile, 'utf8'));
      expect(run.format).toBe('jamming-run');
      expect(run.version).toBe(3);
      expect(Object.keys(run).sort()).toEqual(['data', 'format', 'numerics', 'params', 'record', 'version']);
      expect(run.record.item.config.data).toEqual({ kind: 'random', P: 200, d: 10, seed: 1 });
      expect(run.record.item.analyse).toEqual({ spectra: 'counts', deltas: false, testError: false });
      expect(run.data.x).toHaveLength(200);
      expect(run.params).toHaveLength(hess.Ntot);
      for (const k of ['loss', 'N', 'Ntot', 'nDelta', 'gradientNorm', 'steps', 'wallSeconds', 'verdict']) expect(run.record.results).toHaveProperty(k);
      // a jammed run's record keeps its counts, and hessian, from the parameters alone, finds the same
      if (run.record.results.verdict === 'jammed') expect(hess.recordAgrees).toBe(true);
    });
    it('same config and seed give bit-identical parameters', () => {
      const again = join(dir, 'r2.json');
      expect(jamming('train', '--P', '200', '--d', '10', '--h', '10', '--L', '2', '--seed', '1', '--save-run', again).code).toBe(0);
      expect(JSON.parse(readFileSync(again, 'utf8')).params).toEqual(JSON.parse(readFileSync(runFile, 'utf8')).params);
    });
    it('--no-save-data leaves the data out and hessian regenerates it from the config', () => {
      const lean = join(dir, 'lean.json');
      expect(jamming('train', '--P', '200', '--d', '10', '--h', '10', '--L', '2', '--seed', '1', '--save-run', lean, '--no-save-data').code).toBe(0);
      expect(JSON.parse(readFileSync(lean, 'utf8')).data).toBeUndefined();
      const h = JSON.parse(jamming('hessian', '--run', lean, '--json').stdout);
      expect(h.spectra.eigH).toEqual(hess.spectra.eigH);
    });
  });

  it('--optimizer adam0 runs the authors\' protocol; every run reports verdict, steps and gradient evaluations', () => {
    const r = jamming('train', '--P', '60', '--d', '4', '--h', '4', '--L', '1', '--optimizer', 'adam0', '--max-evals', '300', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.record.item.config.train.optimizer).toBe('adam0');
    expect(out.record.results.phases[0].name).toBe('adam0');
    expect(['fitted', 'budget']).toContain(out.record.results.verdict);
    expect(out.record.results.gradientEvaluations).toBeLessThanOrEqual(300);
    expect(out.record.results.steps).toBeGreaterThan(0);
  });

  it('accepts a run file written by hand by an outside implementation (PyTorch reference case)', () => {
    const ref = JSON.parse(readFileSync(new URL('../../fixtures/pytorch/cases.json', import.meta.url), 'utf8'));
    const c = ref.cases.find((k: { arch: { L: number }; loss: { kind: string } }) => k.arch.L === 2 && k.loss.kind === 'quadratic');
    const file = join(dir, 'hand.json');
    writeFileSync(file, JSON.stringify({ format: 'jamming-run', version: 1, arch: { ...c.arch, beta: c.arch.beta ?? 10 }, loss: c.loss, params: c.params, data: { x: c.x, y: c.y } }));
    const h = jamming('hessian', '--run', file, '--json');
    expect(h.code, h.stderr).toBe(0);
    const out = JSON.parse(h.stdout);
    const scale = Math.max(...c.eigH.map(Math.abs));
    out.spectra.eigH.forEach((v: number, i: number) => expect(Math.abs(v - c.eigH[i])).toBeLessThan(1e-10 * scale));
    expect(out.nDelta).toBe(c.nDelta);
  });

  describe('bad input: a clear error naming the field, exit code 2, nothing written', () => {
    it.each([
      [['train', '--P', '-3', '--h', '4', '--L', '1'], /--P: got "-3"; allowed: a value written --P=-3/],
      [['train', '--P=-3', '--h', '4', '--L', '1'], /--P: got "-3"; allowed: an integer from 2 to 10000000/],
      [['train', '--P', '1', '--h', '4', '--L', '1'], /--P: got "1"; allowed: an integer from 2 to 10000000/],
      [['train', '--dataset', 'mnist', '--P', '69000', '--n-test', '5000', '--h', '4', '--L', '1'], /--n-test: got "5000"; allowed: an integer from 0 to 1000/],
      [['train', '--dataset', 'random', '--data', 'x.csv', '--P', '20', '--h', '4', '--L', '1'], /--data: got "x.csv"; allowed: nothing here; data of kind "random" takes only --dataset, --P, --d, --data-seed/],
      [['train', '--P', '20', '--h', '0', '--L', '1'], /--h: got "0"; allowed: an integer >= 1/],
      [['train', '--P', '20', '--h', 'wide', '--L', '1'], /--h: got "wide"/],
      [['train', '--P', '20', '--h', '4', '--L', '1', '--activation', 'tanh'], /--activation: got "tanh"; allowed: one of relu, softplus/],
      [['train', '--P', '20', '--h', '4', '--L', '1', '--loss', 'mse'], /--loss: got "mse"; allowed: one of quadratic, linear, crossEntropy/],
      [['train', '--P', '20', '--h', '4', '--L', '1', '--bogus'], /--bogus/],
      [['train', '--h', '4', '--L', '1'], /--P: got undefined; allowed: an integer from 2 to 10000000 \(required\)/],
      [['hessian', '--run', '/nonexistent/run.json'], /--run: got "\/nonexistent\/run.json"/],
      [['frobnicate'], /unknown command "frobnicate"/],
    ])('%j', (args, message) => {
      const r = jamming(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    });

    it('a hand-written run file with the wrong number of parameters names params and Ntot', () => {
      const file = join(dir, 'bad.json');
      writeFileSync(file, JSON.stringify({ format: 'jamming-run', version: 1, arch: { d: 2, h: 3, L: 1 }, params: [1, 2, 3], data: { x: [[0, 1]], y: [1] } }));
      const r = jamming('hessian', '--run', file, '--json');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/params: got "3 numbers"; allowed: 13 numbers \(Ntot for this arch\)/);
      expect(r.stdout).toBe('');
    });

    it('an output path that cannot be written is refused before any training, and nothing is written', () => {
      // a folder where the run file should go: refused at once (exit 2), not after the run
      const target = join(dir, 'occupied');
      mkdirSync(target);
      writeFileSync(join(target, 'keep'), 'x');
      const r = jamming('train', '--P', '20', '--d', '3', '--h', '4', '--L', '1', '--max-evals', '300', '--save-run', target);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/--save-run: got ".*occupied"; allowed: a file path \(this is a folder\)/);
      expect(r.stdout).toBe('');
      expect(readdirSync(dir).some((f) => f.includes('.tmp-') || f.includes('.jamming-probe'))).toBe(false);
      expect(readdirSync(target)).toEqual(['keep']);
    });
  });
});
