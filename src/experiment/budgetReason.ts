import type { RunRecord } from '../run/record.ts';
import type { Phase } from '../train/minimise.ts';
import { DEFAULT_BUDGET } from '../train/minimise.ts';
import { CERTIFICATE_RULE, type NonsmoothCertificate } from '../train/minimumCertificate.ts';
import { GRAD_RTOL, HESS_RTOL, type Certificate } from '../analyse/certificate.ts';

/** 500000 -> "500k", 1250000 -> "1.25M", 812 -> "812". */
export function evaluationsText(n: number): string {
  if (n >= 1e6) return `${Number((n / 1e6).toPrecision(3))}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  if (n >= 1e3) return `${Number((n / 1e3).toPrecision(2))}k`;
  return String(n);
}

const pct = (x: number) => `${Number((100 * x).toPrecision(2))}%`;
/** Two significant digits; small numbers as 3e-5. */
const sig = (x: number) => {
  const v = Number(x.toPrecision(2));
  return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v);
};

/** What failed in a non-smooth certificate: the stationarity levels over their tolerance, the trials that went lower. */
export function certificateFailure(c: NonsmoothCertificate): string {
  const rule = CERTIFICATE_RULE;
  const parts: string[] = [];
  const i = c.sampling.findIndex((l) => l.ratio > rule.stationarityRtol);
  if (i >= 0) {
    const rel = c.sampling.length === rule.radii.length ? `${rule.radii[i].toExponential(0)} |theta|` : c.sampling[i].radius.toPrecision(2);
    parts.push(`not stationary at radius ${rel} (hull ${sig(c.sampling[i].ratio)} of the gradient scale, allowed ${sig(rule.stationarityRtol)})`);
  }
  for (const t of c.perturbations) {
    if (!(t.drop > rule.maxDrop)) continue;
    parts.push(`${t.size === 0 ? 'restart from the point' : `perturbed trial (size ${t.size.toExponential(0)})`} ${pct(t.drop)} lower after ${evaluationsText(t.evaluations)} evaluations`);
  }
  return parts.length ? parts.join('; ') : 'not passed';
}

/** What keeps a smooth network's end point from the smooth certificate (analyse/certificate.ts). */
export function smoothCertificateFailure(c: Certificate): string {
  const parts: string[] = [];
  if (c.kinks > 0) parts.push(`${c.kinks} kink${c.kinks === 1 ? '' : 's'}`);
  if (!(c.gradientNorm <= GRAD_RTOL * c.gradientScale)) parts.push(`gradient ${sig(c.gradientNorm / c.gradientScale)} of its scale (allowed ${sig(GRAD_RTOL)})`);
  const top = Math.max(c.lambdaMax, 0);
  if (!(c.lambdaMin >= -HESS_RTOL * top)) parts.push(`lambda_min(H) ${top > 0 ? `${sig(c.lambdaMin / top)} of lambda_max (allowed ${sig(-HESS_RTOL)})` : sig(c.lambdaMin)}`);
  return parts.length ? parts.join('; ') : 'not passed';
}

/** The loss a descent after a failed certificate started from: the lowest the certificate's trials reached, else the candidate's. */
function startOfDescent(c: NonsmoothCertificate): number {
  const candidate = c.perturbations.length ? c.perturbations[0].loss / (1 - c.perturbations[0].drop) : NaN;
  return Math.min(candidate, ...c.perturbations.map((t) => t.loss));
}

/**
 * Why a `budget` run stopped, in a few words read off its record: the phases (train/minimise.ts)
 * and, on ReLU, the last non-smooth certificate. Undefined for any other verdict.
 */
export function budgetReason(r: RunRecord): string | undefined {
  const res = r.results;
  if (res.verdict !== 'budget') return undefined;
  const train = r.item.config.train;
  const budget = train.maxEvaluations ?? DEFAULT_BUDGET[train.optimizer];
  const used = res.gradientEvaluations;
  const loss = `loss ${res.loss.toPrecision(2)}`;
  const phases: readonly Phase[] = res.phases;
  const last = phases[phases.length - 1];
  if (r.item.config.loss.kind === 'crossEntropy') return `cross-entropy never reaches zero loss: budget of ${evaluationsText(budget)} spent (${loss})`;
  if (!last) return `no phase recorded (${loss})`;
  const c = res.certificate;
  const cert = c?.kind === 'nonsmooth' ? c : undefined;
  // "certificate 2: failed" (ReLU), "smooth certificate 1: failed" (softplus, L = 0)
  if (/certificate.*: failed$/.test(last.name)) {
    const what = cert ? certificateFailure(cert) : c && c.kind !== 'nonsmooth' ? smoothCertificateFailure(c) : 'not passed';
    return `certificate failing when the budget ended (${last.name.replace(/: failed$/, '')}): ${what}`;
  }
  if (last.reason === 'converged') return `descent stopped at its plateau (last phase ${last.name}) with ${evaluationsText(Math.max(0, budget - used))} of ${evaluationsText(budget)} evaluations left: too few for the certificate (${loss})`;
  // the last phase stopped at its cap, its own stall rule not met: still descending
  const before = phases[phases.length - 2];
  let rate = '';
  if (cert && before?.name.startsWith('certificate')) {
    const start = startOfDescent(cert);
    const drop = (start - res.loss) / start;
    // a rate per 10k only over 10k or more: a shorter phase is mostly Adam's restart
    if (Number.isFinite(drop) && last.evaluations > 0) rate = `, down ${pct(drop)} in its ${evaluationsText(last.evaluations)} evaluations${last.evaluations >= 1e4 ? `, ${pct(drop / (last.evaluations / 1e4))} per 10k` : ''}`;
  } else if (phases.length === 1) {
    rate = `, ${evaluationsText(last.evaluations)} evaluations${last.name.startsWith('adam0') ? ' without a plateau at the lr floor' : ''}, no certificate reached`;
  }
  if (used >= budget) return `budget spent while still descending (last phase ${last.name}${rate}; ${loss})`;
  return `last phase ${last.name} stopped at its cap of ${evaluationsText(last.evaluations)} evaluations while still descending (${evaluationsText(used)} of the ${evaluationsText(budget)} budget used; ${loss})`;
}
