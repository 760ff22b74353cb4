import { parseFlags, stringFlag } from '../util/args.ts';
import { readRunFile } from '../run/runFile.ts';
import { spectraRecord } from '../run/execute.ts';
import { layout } from '../model/architecture.ts';
import { evaluate } from '../loss/objective.ts';
import { endPoint } from '../analyse/endPoint.ts';
import { describeCertificate } from './train.ts';
import { InputError } from '../util/errors.ts';

export const HESSIAN_HELP = `jamming hessian: exact Hessian H = H0 + Hp of a run and the spectra of H, H0 and Hp

  --run FILE   a run file (from jamming train --save-run, or written by hand: see README)
  --json       print {N, Ntot, P, loss, nDelta, diagnostics, spectra: {counts, eigH, eigH0, eigHp}, record?}
               as JSON on stdout (spectra has the shape a run record keeps, with every eigenvalue)
`;

const COUNTS = ['nNegHp', 'nNegH', 'rankH0'] as const;

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
  // the analysis a run record makes of its end point (run/execute.ts), with every eigenvalue
  const point = endPoint(obj, run.theta, evaluate(obj, run.theta));
  const spectra = spectraRecord(point, true);
  const dg = point.diagnostics();
  const lay = layout(run.arch);
  // a record that kept its own counts is checked against them: same parameters, same counts
  const stored = run.record?.spectra;
  const agrees = stored ? COUNTS.every((k) => stored[k] === spectra[k]) : undefined;
  const out = {
    run: file,
    P: run.data.P,
    N: lay.N,
    Ntot: lay.Ntot,
    loss: point.evaluation.value,
    nDelta: point.evaluation.nDelta,
    diagnostics: dg,
    spectra,
    timing: point.timing,
    ...(stored ? { recordAgrees: agrees } : {}),
    ...(run.recordNumerics ? { recordNumerics: run.recordNumerics } : {}),
    // the run's record as the file keeps it (verdict and the certificate it rests on)
    ...(run.record ? { record: run.record } : run.results ? { results: run.results } : {}),
  };
  if (flags.json) {
    process.stdout.write(JSON.stringify(out) + '\n');
    return 0;
  }
  const results = run.record?.results ?? run.results;
  const range = (e: readonly number[] | undefined) => (e?.length ? `[${e[0].toExponential(3)}, ${e[e.length - 1].toExponential(3)}]` : '[]');
  process.stdout.write(
    [
      `run               ${file}`,
      `P, N, Ntot        ${out.P}, ${out.N}, ${out.Ntot}`,
      `loss              ${out.loss.toExponential(6)}`,
      `N_Delta           ${out.nDelta}   (live ${dg.liveNDelta}, contact ${dg.contactNDelta}, dead ${dg.deadPatterns}; contacts: ${dg.contacts})`,
      `loss split        live ${dg.liveLoss.toExponential(3)}, dead patterns ${dg.deadLoss.toExponential(3)}; dead units ${dg.deadUnits} (N without them ${dg.effectiveN})`,
      ...(results ? [`verdict           ${results.verdict}${results.certificate ? ` (${results.certificate.kind} certificate)` : ''}`, ...describeCertificate(results.certificate)] : []),
      `threshold         ${spectra.tolerance.toExponential(2)}  (= max|lambda(H)| * Ntot * eps * C)`,
      `N_-(Hp)           ${spectra.nNegHp}`,
      `N_-(H)            ${spectra.nNegH}   (lambda_min(H) = ${spectra.minEigH.toExponential(3)})`,
      `rank(H0)          ${spectra.rankH0}`,
      ...(stored ? [`record's counts   ${COUNTS.map((k) => stored[k]).join(', ')}: ${agrees ? 'the same' : 'DIFFERENT (the file was edited, or the numerics changed since it was written)'}`] : []),
      ...(run.recordNumerics && run.recordNumerics !== 'same' ? [`record made by    ${run.recordNumerics === 'other' ? 'other numerics than these (the code changed since the file was written)' : 'numerics the file does not name (written before run files named them): its key could not be checked'}`] : []),
      `spectrum H        ${range(spectra.eigH)}`,
      `spectrum H0       ${range(spectra.eigH0)}`,
      `spectrum Hp       ${range(spectra.eigHp)}`,
      `time              Hessian ${point.timing.hessianSeconds.toFixed(2)} s, spectra ${point.timing.spectraSeconds.toFixed(2)} s`,
    ].join('\n') + '\n',
  );
  return 0;
}
