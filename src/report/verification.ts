import { mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomicWrite.ts';
import { join } from 'node:path';
import type { ClaimResult } from '../claims/decide.ts';
import type { Scale } from '../experiment/scales.ts';
import { familyN } from '../experiment/scales.ts';
import type { ScaleRun } from '../experiment/runScale.ts';
import type { Provenance } from './provenance.ts';
import { writeFigure } from './vega.ts';
import { table, section, figure, details, codeBlock } from './markdown.ts';
import { fmt } from '../util/format.ts';
import { writeJsonAtomic } from '../run/runFile.ts';
import { nDeltaVsPOverN, plotSpec, spectrumHistograms, statisticVsN, type SpectrumRow } from './figures.ts';
import { renderDetails, trendTable } from './details.ts';
import { committedRecord, type RunRecord } from '../run/record.ts';

export interface ReportInput {
  readonly scale: Scale;
  readonly results: readonly ClaimResult[];
  readonly run: ScaleRun;
  readonly provenance: Provenance;
  readonly wallSeconds: number;
  /** true when only some claims were evaluated (--claim): the report says so */
  readonly partial: boolean;
}

const PAPER = 'Geiger, Spigler, d\'Ascoli, Sagun, Baity-Jesi, Biroli, Wyart, arXiv:1809.09349; Spigler et al., arXiv:1810.09665; Geiger et al., arXiv:1901.01608';

/** "100..107" for a run of consecutive seeds, else the list. */
function seedList(seeds: readonly number[]): string {
  const consecutive = seeds.length > 2 && seeds.every((x, i) => i === 0 || x === seeds[i - 1] + 1);
  return consecutive ? `${seeds[0]}..${seeds[seeds.length - 1]}` : seeds.join(', ');
}

function scaleConfig(scale: Scale): string {
  const lines = [
    ...scale.fixedN.map((f) => `random data, fixed N: d = h = ${f.width}, L = ${f.L} (N = ${familyN(f)}), P/N in {${f.ratios.join(', ')}}, seeds ${seedList(f.seeds)}`),
    ...scale.mnist.map((m) => `MNIST parity (PCA d = 10): P = ${m.P}, L = ${m.L}, h in {${m.widths.join(', ')}}, seeds ${seedList(m.seeds)} (initialisations; one data seed ${m.dataSeed}), ${m.nTest} test patterns`),
    ...scale.softplus.map((s) => `softplus (beta = ${s.beta}): d = ${s.d}, h = ${s.h}, L = ${s.L}, P in {${s.Ps.join(', ')}}, seeds ${seedList(s.seeds)}`),
    `linear control (L = 0): d = ${scale.linear.d}, P/N in {${scale.linear.ratios.join(', ')}}, seeds ${seedList(scale.linear.seeds)}`,
    `every run: quadratic hinge (kappa = 1), ReLU unless stated, biases, orthogonal init, float64, default minimiser (ReLU: the adam0 trajectory with early lr decays on plateaus, jammed only with a passed non-smooth certificate; softplus and L = 0: L-BFGS, Adam escape, L-BFGS, Newton), budget ${scale.maxEvaluations} gradient evaluations`,
  ];
  return lines.map((l) => `- ${l}`).join('\n');
}

/**
 * The rules that differ from those of the last committed report, with what changed and why, ahead
 * of any result: a reader judges the rule before the verdict it gives.
 */
export function rulesChanged(results: readonly ClaimResult[]): string {
  const changed = results.filter((r) => r.claim.ruleChange !== null);
  const body = changed.length
    ? changed.map((r) => `- **Claim ${r.claim.id}** (${r.claim.title}). ${r.claim.ruleChange}`).join('\n')
    : 'None: every pass rule is the one of the last committed report.';
  return section('Rules changed since the last report', 2, body);
}


/** Writes VERIFICATION.md, its SVG figures and results.json into `dir`; every file atomically. */
export async function writeVerificationReport(dir: string, input: ReportInput): Promise<string> {
  const { scale, results, run, provenance: prov } = input;
  mkdirSync(dir, { recursive: true });
  const figDir = join(dir, 'figures');
  const counts = { pass: 0, fail: 0, inconclusive: 0 };
  for (const r of results) counts[r.outcome.verdict]++;
  const parts: string[] = [];
  parts.push(`# Verification report: the jamming transition of deep networks\n`);
  parts.push(
    `Scale \`${scale.name}\`${input.partial ? ` (claims ${results.map((r) => r.claim.id).join(', ')} only)` : ''}: ${counts.pass} pass, ${counts.fail} fail, ${counts.inconclusive} inconclusive, from ${run.tagged.length} runs (${run.computed} computed now, ${run.reused} read from the store, ${run.failures.length} failed) in ${fmt(input.wallSeconds / 60, 3)} min. Paper: ${PAPER}. Every pass rule and regime was fixed before any result was seen (the rules changed since the last report are listed first, with why); a failing claim is a finding at this size, reported with its numbers.\n`,
  );
  parts.push(rulesChanged(results));
  parts.push(
    section(
      'Summary',
      2,
      table(
        ['claim', 'paper', 'measured', 'verdict'],
        results.map((r) => [`${r.claim.id}. ${r.claim.title}`, r.claim.paperValue, r.outcome.measured, `**${r.outcome.verdict}**`]),
      ),
    ),
  );
  for (const r of results) {
    const figs: string[] = [];
    for (const f of r.outcome.figures) {
      const file = await writeFigure(figDir, f.name, plotSpec(f.plot), { saveSpec: true, onWarn: () => {} });
      figs.push(`${figure(`figures/${file}`, f.caption)}\n*${f.caption}*\n`);
    }
    const trends = r.outcome.trends.filter((t) => t.points.length > 0);
    if (trends.length) {
      const caption = `Claim ${r.claim.id}: ${trends.map((t) => t.statistic).join('; ')}, per family against N (circles: families where the claim decides; triangles: outside its regime); dashed: the papers' value.`;
      const file = await writeFigure(figDir, `claim${r.claim.id}-trend-in-n`, statisticVsN(trends, { title: `Claim ${r.claim.id}: its statistic against N` }), { saveSpec: true, onWarn: () => {} });
      figs.push(`**Per size.** ${trends.map((t) => `${t.statistic} (interval: ${t.interval})`).join('; ')}.\n\n${trendTable(trends)}\n${figure(`figures/${file}`, caption)}\n*${caption}*\n`);
    }
    parts.push(
      section(
        `Claim ${r.claim.id}: ${r.claim.title} — ${r.outcome.verdict}`,
        2,
        [
          `> ${r.claim.statement}\n>\n> Source: ${r.claim.source}`,
          `**Regime.** ${r.claim.regime}`,
          `**Pass rule.** ${r.claim.passRule}`,
          ...(r.claim.ruleChange ? [`**Rule change.** ${r.claim.ruleChange}`] : []),
          `**Measured.** ${r.outcome.measured}`,
          `**Verdict.** ${r.outcome.verdict}`,
          renderDetails(r.outcome.details),
          ...figs,
          `**Runs.** ${r.claim.uses.join(', ')} runs of the \`${scale.name}\` scale (configuration below); seeds as listed there.`,
          `**Re-run.** \`npx jamming verify --claim ${r.claim.id} --scale ${scale.name}\``,
        ].join('\n\n'),
      ),
    );
  }
  // spectra below, at and above jamming
  const rows: SpectrumRow[] = [];
  for (const s of run.spectra) {
    const sp = s.record.spectra;
    if (!sp?.eigH) continue;
    for (const [matrix, eig] of [['H', sp.eigH], ['H0', sp.eigH0!], ['Hp', sp.eigHp!]] as const) for (const e of eig) rows.push({ matrix, side: s.side, eigenvalue: e });
  }
  if (rows.length) {
    const file = await writeFigure(figDir, 'spectra-below-at-above', spectrumHistograms(rows), { saveSpec: true, onWarn: () => {} });
    const desc = run.spectra.map((s) => `${s.side}: N = ${s.record.results.N}, P = ${s.record.results.P}, seed ${s.record.item.config.seed}, ${s.record.results.verdict}, N_Delta = ${s.record.results.nDelta}`).join('; ');
    parts.push(section('Spectra of H, H0 and Hp below, at and above jamming', 2, `${figure(`figures/${file}`, 'Spectra of H, H0 and Hp')}\n${desc}. Above jamming every sum is empty and the three matrices are exactly 0.`));
  }
  // the linear control
  const lin = run.tagged.filter((t) => t.tag.kind === 'linear');
  if (lin.length) {
    const file = await writeFigure(
      figDir,
      'control-linear-model',
      nDeltaVsPOverN(lin.map((t) => ({ PoverN: t.record.results.P / t.record.results.N, nDeltaOverN: t.record.results.nDelta / t.record.results.N, series: 'linear model, L = 0' })), { title: 'Control: the linear model has Hp = 0 and no jump' }),
      { saveSpec: true, onWarn: () => {} },
    );
    const small = lin.filter((t) => t.record.results.nDelta > 0 && t.record.results.nDelta / t.record.results.N < 0.35).length;
    parts.push(
      section(
        'Controls',
        2,
        [
          `**Linear model (L = 0).** Hp = 0, so the stability argument gives no lower bound and N_Delta/N should leave 0 continuously. Runs with loss > 0 and 0 < N_Delta/N < 0.35: ${small} of ${lin.filter((t) => t.record.results.nDelta > 0).length}.`,
          figure(`figures/${file}`, 'N_Delta/N against P/N for the linear model'),
          '**Too small a budget.** `spec/claims/controls.spec.ts` re-runs the claims on sweeps whose step budget is far too small and asserts that claim 5 then no longer passes: the specs can fail. The claim specs under `spec/claims/` do the same for every restated claim on synthetic records that violate it.',
        ].join('\n\n'),
      ),
    );
  }
  if (run.failures.length) {
    parts.push(section('Failed runs (nothing stored for them)', 2, table(['key', 'error'], run.failures.map((f) => [f.key.slice(0, 12), `${f.name}: ${f.message}`]))));
  }
  parts.push(section('Configuration', 2, scaleConfig(scale)));
  parts.push(
    section(
      'Provenance',
      2,
      [
        table(
          ['item', 'value'],
          [
            ['git commit', `${prov.commit}${prov.dirty ? ' (dirty: uncommitted changes)' : ''}`],
            ['numerics digest', prov.numerics],
            ['Node', prov.node],
            ['engine', prov.engine],
            ['cores', `${prov.cores} (${prov.cpu})`],
            ['wall time', `${fmt(input.wallSeconds / 60, 3)} min`],
            ['date', prov.date],
            ...Object.entries(prov.packages).map(([k, v]) => [k, v]),
          ],
        ),
        `Re-run everything: \`npx jamming verify --scale ${scale.name}\`.`,
      ].join('\n\n'),
    ),
  );
  parts.push(details('Raw claim values (also in results.json)', codeBlock(JSON.stringify(results.map((r) => ({ claim: r.claim.id, verdict: r.outcome.verdict, values: r.outcome.values })), null, 1), 'json')));
  const md = parts.join('\n');
  const mdPath = join(dir, 'VERIFICATION.md');
  writeFileAtomic(mdPath, md);
  writeJsonAtomic(join(dir, 'results.json'), {
    scale: scale.name,
    provenance: prov,
    claims: results.map((r) => ({
      id: r.claim.id,
      title: r.claim.title,
      verdict: r.outcome.verdict,
      measured: r.outcome.measured,
      regime: r.claim.regime,
      passRule: r.claim.passRule,
      ruleChange: r.claim.ruleChange,
      trends: r.outcome.trends,
      values: r.outcome.values,
    })),
    runs: run.tagged.map((t) => ({ tag: t.tag, record: committedRecord(t.record) })),
    // the runs whose every eigenvalue the spectrum figure draws
    spectra: run.spectra.map((s) => ({ side: s.side, record: committedRecord(s.record) })),
    failures: run.failures.map((f) => ({ key: f.key, message: f.message })),
  });
  return mdPath;
}
