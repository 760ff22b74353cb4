import { parseFlags, stringFlag } from '../util/args.ts';
import { readRunFile } from '../run/runFile.ts';
import { hessianSpectra } from '../analyse/hessianSpectra.ts';
import { layout } from '../model/architecture.ts';
import { contacts, contactTolerance } from '../loss/delta.ts';
import { diagnostics } from '../analyse/diagnostics.ts';
import { describeCertificate } from './train.ts';
import { InputError } from '../util/errors.ts';

export const HESSIAN_HELP = `jamming hessian: exact Hessian H = H0 + Hp of a run and the spectra of H, H0 and Hp

  --run FILE   a run file (from jamming train --save-run, or written by hand: see README)
  --json       print {counts, eigenvalues: {H, H0, Hp}, ...} as JSON on stdout
`;

export function hessianCommand(argv: string[]): number {
  const flags = parseFlags(argv, { run: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } });
  if (flags.help) {
    process.stdout.write(HESSIAN_HELP);
    return 0;
  }
  const file = stringFlag(flags, 'run');
  if (!file) throw new InputError('--run', undefined, 'a run file path');
  const run = readRunFile(file);
  const obj = { arch: run.arch, loss: run.loss, data: run.data };
  const sp = hessianSpectra(obj, run.theta);
  const ev = sp.evaluation;
  const lay = layout(run.arch);
  const tol = contactTolerance(run.loss.kappa);
  const out = {
    run: file,
    P: run.data.P,
    N: lay.N,
    Ntot: lay.Ntot,
    loss: ev.value,
    nDelta: ev.nDelta,
    contacts: contacts(ev.delta, tol),
    contactTolerance: tol,
    diagnostics: diagnostics(obj, ev),
    // the certificate the run's verdict rests on, as the run file stored it
    ...(run.results ? { verdict: run.results.verdict, certificate: run.results.certificate } : {}),
    scale: sp.scale,
    tolerance: sp.tolerance,
    counts: { nNegHp: sp.nNegHp, nNegH: sp.nNegH, rankH0: sp.rankH0 },
    minEigH: sp.minEigH,
    timing: sp.timing,
    eigenvalues: { H: Array.from(sp.eigH), H0: Array.from(sp.eigH0), Hp: Array.from(sp.eigHp) },
  };
  if (flags.json) {
    process.stdout.write(JSON.stringify(out) + '\n');
    return 0;
  }
  const range = (e: Float64Array) => (e.length ? `[${e[0].toExponential(3)}, ${e[e.length - 1].toExponential(3)}]` : '[]');
  process.stdout.write(
    [
      `run               ${file}`,
      `P, N, Ntot        ${out.P}, ${out.N}, ${out.Ntot}`,
      `loss              ${out.loss.toExponential(6)}`,
      `N_Delta           ${out.nDelta}   (live ${out.diagnostics.liveNDelta}, contact ${out.diagnostics.contactNDelta}, dead ${out.diagnostics.deadPatterns}; contacts: ${out.contacts})`,
      `loss split        live ${out.diagnostics.liveLoss.toExponential(3)}, dead patterns ${out.diagnostics.deadLoss.toExponential(3)}; dead units ${out.diagnostics.deadUnits} (N without them ${out.diagnostics.effectiveN})`,
      ...(run.results ? [`verdict           ${run.results.verdict}${run.results.certificate ? ` (${run.results.certificate.kind} certificate)` : ''}`, ...describeCertificate(run.results.certificate)] : []),
      `threshold         ${out.tolerance.toExponential(2)}  (= max|lambda(H)| * Ntot * eps * C)`,
      `N_-(Hp)           ${out.counts.nNegHp}`,
      `N_-(H)            ${out.counts.nNegH}   (lambda_min(H) = ${out.minEigH.toExponential(3)})`,
      `rank(H0)          ${out.counts.rankH0}`,
      `spectrum H        ${range(sp.eigH)}`,
      `spectrum H0       ${range(sp.eigH0)}`,
      `spectrum Hp       ${range(sp.eigHp)}`,
      `time              Hessian ${sp.timing.hessianSeconds.toFixed(2)} s, spectra ${sp.timing.spectraSeconds.toFixed(2)} s`,
    ].join('\n') + '\n',
  );
  return 0;
}
