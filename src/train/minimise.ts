import type { Objective, Evaluation } from '../loss/objective.ts';
import { evaluate } from '../loss/objective.ts';
import { objectiveLandscape } from './objectiveLandscape.ts';
import type { MinimiserResult, Progress, StopRule } from './landscape.ts';
import { adamRun, constantLr, DEFAULT_ADAM_RUN } from './adamRun.ts';
import { adam0, DEFAULT_ADAM0, ADAM0_RULE } from './adam0.ts';
import { fire, DEFAULT_FIRE } from './fire.ts';
import { lbfgs, DEFAULT_LBFGS } from './lbfgs.ts';
import { newton, DEFAULT_NEWTON } from './newton.ts';
import { tfjsAdam } from './tfjsAdam.ts';
import { plateauAdam, DEFAULT_PLATEAU_ADAM } from './plateauAdam.ts';
import { certifyMinimum, type NonsmoothCertificate } from './minimumCertificate.ts';
import { InputError, requireFinite, requireInt, requireOneOf } from '../util/errors.ts';
import { endPoint } from '../analyse/endPoint.ts';
import { certify, GRAD_RTOL } from '../analyse/certificate.ts';
import { norm2 } from '../util/vector.ts';

/**
 * Verdicts (every run ends in exactly one):
 *   fitted  N_Delta = 0 and the loss is exactly 0;
 *   jammed  loss > 0 at a certified minimum: for the default on a ReLU network, the non-smooth
 *           certificate (train/minimumCertificate.ts) passed; for the default on smooth networks
 *           (softplus, L = 0), the smooth certificate's tests (analyse/certificate.ts) passed; for
 *           the other minimisers, the loss stalled to the rule's tolerance and
 *           analyse/certificate.ts measures the smooth certificate afterwards;
 *   budget  neither within the evaluation budget: never reported as either of the others.
 * A NaN or a divergence throws: the run is failed and nothing is stored.
 */
export type Verdict = 'fitted' | 'jammed' | 'budget';

export const OPTIMIZERS = ['default', 'adam0', 'adam', 'fire', 'lbfgs'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
export const ENGINES = ['float64', 'tfjs'] as const;
export type EngineName = (typeof ENGINES)[number];

export interface MinimiseOptions {
  readonly optimizer: OptimizerName;
  readonly engine: EngineName;
  /** total gradient evaluations allowed (float64 and tfjs together); per-optimizer default when absent */
  readonly maxEvaluations?: number;
  /** learning rate of the plain `adam` optimizer and of the tfjs bulk phase */
  readonly lr?: number;
  readonly tfjsBackend?: 'tensorflow' | 'wasm' | 'cpu';
  readonly onProgress?: (p: Progress) => void;
  readonly progressEvery?: number;
}

export interface Phase {
  readonly name: string;
  readonly reason: MinimiserResult['reason'];
  readonly evaluations: number;
  readonly steps: number;
}

export interface TrainOutcome {
  readonly theta: Float64Array;
  readonly verdict: Verdict;
  readonly evaluation: Evaluation;
  readonly steps: number;
  readonly gradientEvaluations: number;
  readonly wallSeconds: number;
  readonly phases: readonly Phase[];
  /** the tfjs backend used, for engine tfjs */
  readonly backend?: string;
  /** the default on a ReLU network: the last certificate measured (passed when jammed) */
  readonly certificate?: NonsmoothCertificate;
}

/** Budgets when none is given: adam0 as the authors (2M steps, ADAM0_RULE), the others far less. */
export const DEFAULT_BUDGET: Record<OptimizerName, number> = {
  // the default on ReLU follows adam0's trajectory (train/plateauAdam.ts): adam0's budget
  default: ADAM0_RULE.maxEvaluations,
  adam0: ADAM0_RULE.maxEvaluations,
  adam: 200_000,
  fire: 200_000,
  lbfgs: 200_000,
};

/** The stall rule of the polishing and plain minimisers: < 1e-9 relative progress over 200 evaluations. */
export const POLISH_RULE = { window: 200, relTol: 1e-9, gradTol: 0 } as const;
/**
 * Each L-BFGS phase of a round of the smooth default stops after this many evaluations even if it
 * still creeps (where Ntot > NEWTON_MAX_N, later rounds allow more: DEFAULT_ROUND_GROWTH); no cap ends
 * a run.
 */
export const DEFAULT_PHASE_CAP = 5000;
/**
 * The default's Adam phases after an L-BFGS stall: lr 1e-3 then 1e-4, each until 1000 evaluations
 * gain < 1e-3 or 10k evaluations; they only have to move the run off the kink it stalled on.
 */
export const DEFAULT_ESCAPE_LRS = [1e-3, 1e-4] as const;
export const DEFAULT_ESCAPE_RULE = { window: 1000, relTol: 1e-3 } as const;
export const DEFAULT_ESCAPE_CAP = 10_000;
/**
 * Newton's stall rule counts real evaluations (one or two per iteration; the Hessians are charged
 * apart): < 1e-9 relative progress over 20 of them, and at most 40 Hessians in the first round.
 */
export const NEWTON_RULE = { window: 20, relTol: 1e-9, gradTol: 0 } as const;
export const NEWTON_MAX_HESSIANS = 40;
/** Learning rate of the plain `adam` optimizer and of the tfjs bulk phase. */
export const DEFAULT_BULK = { lr: 1e-3 } as const;

/** Largest Ntot for which the default finishes with exact-Hessian Newton steps. */
export const NEWTON_MAX_N = 2000;

export function validateMinimiseOptions(o: MinimiseOptions): MinimiseOptions {
  requireOneOf('optimizer', o.optimizer, OPTIMIZERS);
  requireOneOf('engine', o.engine, ENGINES);
  if (o.maxEvaluations !== undefined) requireInt('maxEvaluations', o.maxEvaluations, 1);
  if (o.lr !== undefined) requireFinite('lr', o.lr, 0, Infinity, true);
  if (o.engine === 'tfjs' && o.optimizer === 'adam0') {
    throw new InputError('engine', o.engine, 'float64 with optimizer adam0 (the authors ran float64)');
  }
  return o;
}

export async function minimise(obj: Objective, theta0: Float64Array, options: MinimiseOptions): Promise<TrainOutcome> {
  const o = validateMinimiseOptions(options);
  const start = performance.now();
  const land = objectiveLandscape(obj);
  const budget = o.maxEvaluations ?? DEFAULT_BUDGET[o.optimizer];
  const phases: Phase[] = [];
  let theta = theta0;
  let backend: string | undefined;
  let used = 0;
  const left = () => Math.max(1, budget - used);
  const record = (name: string, r: MinimiserResult) => {
    phases.push({ name, reason: r.reason, evaluations: r.evaluations, steps: r.steps });
    used += r.evaluations;
    theta = r.theta;
    return r;
  };
  const rule = (extra: Partial<StopRule> = {}): StopRule => ({ maxEvaluations: left(), ...POLISH_RULE, ...extra });
  const progress = [o.onProgress, o.progressEvery] as const;

  let last!: MinimiserResult;
  let certificate: NonsmoothCertificate | undefined;
  const relu = obj.arch.L > 0 && obj.arch.activation === 'relu';
  if (o.engine === 'tfjs') {
    // bulk in float32, then the float64 reference engine decides (SCIENCE.md: float32 is harmful near jamming)
    const r = await tfjsAdam(obj, theta, { lr: o.lr ?? DEFAULT_BULK.lr, maxSteps: Math.max(1, Math.floor(budget / 2)), backend: o.tfjsBackend }, o.onProgress);
    backend = r.backend;
    phases.push({ name: `tfjs-adam (${r.backend}, float32)`, reason: r.stoppedAt === 'zero' ? 'zero' : 'budget', evaluations: r.evaluations, steps: r.steps });
    used += r.evaluations;
    theta = r.theta;
    // the float64 decision: on ReLU the default's certified descent (quasi-Newton stalls on kinks)
    last = relu
      ? reluDefault(land, theta, record, left, (c) => (certificate = c), progress, 'float64 adam')
      : record('lbfgs (float64 polish)', lbfgs(land, theta, DEFAULT_LBFGS, rule(), ...progress));
  } else {
    switch (o.optimizer) {
      case 'adam0':
        last = record('adam0', adam0(land, theta, DEFAULT_ADAM0, { ...ADAM0_RULE, maxEvaluations: budget }, ...progress));
        break;
      case 'adam':
        last = record('adam', adamRun(land, theta, { ...DEFAULT_ADAM_RUN, lr: constantLr(o.lr ?? DEFAULT_ADAM_RUN.lr(0)) }, rule(), ...progress));
        break;
      case 'fire':
        last = record('fire', fire(land, theta, DEFAULT_FIRE, rule(), ...progress));
        break;
      case 'lbfgs':
        last = record('lbfgs', lbfgs(land, theta, DEFAULT_LBFGS, rule(), ...progress));
        break;
      case 'default':
        if (relu) {
          last = reluDefault(land, theta, record, left, (c) => (certificate = c), progress);
          break;
        }
        last = smoothDefault(land, obj, theta, budget, record, left, rule, progress, () => used);
        break;
    }
  }
  // every ReLU stall is certified before it may be called jammed, whichever minimiser stalled
  // (SCIENCE.md: a stall on a kink is often not a minimum); the others do not descend further
  if (relu && last.reason === 'converged' && certificate === undefined && used < budget) {
    const c = certifyMinimum(land, theta, last.point.value, 0).certificate;
    certificate = c;
    phases.push({ name: `certificate: ${c.passed ? 'passed' : 'failed'}`, reason: c.passed ? 'converged' : 'budget', evaluations: c.evaluations, steps: 0 });
    used += c.evaluations;
  }
  const ev = evaluate(obj, theta);
  const verdict: Verdict =
    ev.value === 0 && ev.nDelta === 0 ? 'fitted' : last.reason === 'converged' && (certificate === undefined || certificate.passed) ? 'jammed' : 'budget';
  return {
    theta,
    verdict,
    evaluation: ev,
    steps: phases.reduce((s, p) => s + p.steps, 0),
    gradientEvaluations: used,
    wallSeconds: (performance.now() - start) / 1000,
    phases,
    ...(backend ? { backend } : {}),
    ...(certificate ? { certificate } : {}),
  };
}

type Record_ = (name: string, r: MinimiserResult) => MinimiserResult;
type ProgressArgs = readonly [((p: Progress) => void) | undefined, number | undefined];

/**
 * The default on ReLU networks: the authors' adam0 trajectory with early decays on plateaus
 * (train/plateauAdam.ts), so it fits where adam0 fits and kills no unit adam0 keeps alive
 * (SCIENCE.md pitfalls: large early quasi-Newton steps did). At its floor the end point must pass the
 * non-smooth certificate; where it fails, descent continues with Adam from the lowest point the
 * certificate found (or from the same point), until the certificate passes or the budget ends.
 */
function reluDefault(
  land: ReturnType<typeof objectiveLandscape>,
  theta0: Float64Array,
  record: Record_,
  left: () => number,
  setCertificate: (c: NonsmoothCertificate) => void,
  progress: ProgressArgs,
  firstName = 'adam0 with plateau decays',
): MinimiserResult {
  let theta = theta0;
  for (let round = 0; ; round++) {
    const a = plateauAdam(land, theta, DEFAULT_PLATEAU_ADAM, left(), ...progress);
    const last = record(round === 0 ? firstName : `adam (descent ${round})`, a);
    if (last.reason !== 'converged') return last;
    theta = last.theta;
    if (left() <= 1) return { ...last, reason: 'budget' };
    const { certificate, better } = certifyMinimum(land, theta, last.point.value, round);
    setCertificate(certificate);
    // a certificate once begun is finished and charged in full, even past the budget (at most one
    // certificate: a passing restart trial ends within about 30k evaluations, a failing one as soon
    // as it is 0.2% lower; with the perturbations at most about 50k): its verdict is worth more than
    // the overrun
    record(`certificate ${round}: ${certificate.passed ? 'passed' : 'failed'}`, { ...last, reason: certificate.passed ? 'converged' : 'budget', steps: 0, evaluations: certificate.evaluations });
    if (certificate.passed) return last;
    if (better) theta = better.theta;
    if (left() <= 1) return { ...last, reason: 'budget' };
  }
}

/**
 * The default on smooth landscapes (softplus, L = 0), where quasi-Newton and Newton steps are valid:
 * rounds of L-BFGS, Adam escapes, L-BFGS and damped Newton (where Ntot <= NEWTON_MAX_N), repeated
 * until the loss is exactly zero, the end point passes the smooth certificate's tests (SCIENCE.md,
 * "Thresholds"; claim 3 decides on these minima), or the budget is spent. No phase cap ends a run.
 * Round 0 is the old fixed sequence (a run fitted there is unchanged; one certified there ends at the
 * same point, one Hessian later); each later round doubles the cap of its polishing phase (Newton, or
 * L-BFGS where Ntot > NEWTON_MAX_N), so a run that needs one long polish gets it within a few rounds
 * (SCIENCE.md, "Slow minimisation near jamming": minima at large weights took about 2400 Newton
 * steps, measured at d = h = 8, L = 1, beta = 2, P = 250).
 */
function smoothDefault(
  land: ReturnType<typeof objectiveLandscape>,
  obj: Objective,
  theta0: Float64Array,
  budget: number,
  record: Record_,
  left: () => number,
  rule: (extra?: Partial<StopRule>) => StopRule,
  progress: ProgressArgs,
  used: () => number,
): MinimiserResult {
  let theta = theta0;
  for (let round = 0; ; round++) {
    const last = smoothRound(land, theta, round, budget, record, left, rule, progress, used);
    if (last.reason === 'zero') return last;
    // a certificate once begun is charged in full, even past the budget (at most one Hessian)
    if (used() < budget && smoothCertified(obj, land, last.theta, round, record)) return { ...last, reason: 'converged' };
    if (used() >= budget) return { ...last, reason: 'budget' };
    theta = last.theta;
  }
}

/** The smooth default's polishing cap grows by this factor from one round to the next. */
export const DEFAULT_ROUND_GROWTH = 2;

/** A phase cap of round `round` (round 0: the base cap). */
const roundCap = (base: number, round: number) => base * DEFAULT_ROUND_GROWTH ** round;

/** One round of the smooth default; stops early at a zero loss or when the budget is spent. */
function smoothRound(
  land: ReturnType<typeof objectiveLandscape>,
  theta0: Float64Array,
  round: number,
  budget: number,
  record: Record_,
  left: () => number,
  rule: (extra?: Partial<StopRule>) => StopRule,
  progress: ProgressArgs,
  used: () => number,
): MinimiserResult {
  const tag = round === 0 ? '' : ` (round ${round})`;
  const going = (r: MinimiserResult) => r.reason !== 'zero' && used() < budget;
  // where Newton polishes, only its cap grows (L-BFGS creeps where Newton converges: measured, half
  // the evaluations to a certified minimum at d = 4, h = 6, beta = 2); elsewhere L-BFGS's grows
  const newtonFollows = land.n <= NEWTON_MAX_N;
  const lbfgsCap = roundCap(DEFAULT_PHASE_CAP, newtonFollows ? 0 : round);
  // 1. L-BFGS: on fittable instances its line search crosses the last constraints to an exactly zero
  //    loss in a few hundred evaluations.
  let last = record(`lbfgs${tag}`, lbfgs(land, theta0, DEFAULT_LBFGS, rule({ maxEvaluations: Math.min(left(), lbfgsCap) }), ...progress));
  // 2. Where it stalls, Adam's momentum walks on, then L-BFGS again.
  for (const lr of DEFAULT_ESCAPE_LRS) {
    if (!going(last)) return last;
    const escape = rule({ ...DEFAULT_ESCAPE_RULE, maxEvaluations: Math.min(left(), DEFAULT_ESCAPE_CAP) });
    last = record(`adam lr ${lr.toExponential(0)}${tag}`, adamRun(land, last.theta, { ...DEFAULT_ADAM_RUN, lr: constantLr(lr) }, escape, ...progress));
  }
  if (!going(last)) return last;
  last = record(`lbfgs (polish)${tag}`, lbfgs(land, last.theta, DEFAULT_LBFGS, rule({ maxEvaluations: Math.min(left(), lbfgsCap) }), ...progress));
  // 3. The last mile with the exact Hessian while affordable: L-BFGS creeps near a smooth minimum,
  //    Newton converges quadratically.
  if (!going(last) || land.n > NEWTON_MAX_N) return last;
  const cap = Math.min(left(), roundCap(NEWTON_MAX_HESSIANS, round) * (land.hessianCost ?? land.n) + NEWTON_RULE.window);
  return record(`newton (polish)${tag}`, newton(land, last.theta, DEFAULT_NEWTON, rule({ ...NEWTON_RULE, maxEvaluations: cap }), ...progress));
}

/**
 * The smooth certificate's tests at theta (analyse/certificate.ts: |grad| <= 1e-6 sqrt(2 loss
 * lambda_max(H)), lambda_min(H) >= -1e-6 lambda_max(H), no kink), charged one Hessian and recorded
 * as a phase. The eigenvalues are skipped where the gradient fails even against Gershgorin's bound
 * of lambda_max (max row sum of |H|), which no eigenvalue exceeds.
 */
function smoothCertified(obj: Objective, land: ReturnType<typeof objectiveLandscape>, theta: Float64Array, round: number, record: Record_): boolean {
  const ev = evaluate(obj, theta);
  const point = endPoint(obj, theta, ev);
  const { H, n } = point.hessian();
  const passed = norm2(ev.gradient) <= GRAD_RTOL * Math.sqrt(2 * ev.value * gershgorinBound(H, n)) && certify(point).kind === 'smooth';
  const evaluations = land.hessianCost ?? land.n;
  record(`smooth certificate ${round}: ${passed ? 'passed' : 'failed'}`, { theta, point: ev, reason: passed ? 'converged' : 'budget', steps: 0, evaluations });
  return passed;
}

/** max_i sum_j |H_ij|: no eigenvalue of H exceeds it in absolute value. */
function gershgorinBound(H: Float64Array, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.abs(H[i * n + j]);
    m = Math.max(m, s);
  }
  return m;
}
