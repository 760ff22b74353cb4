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
import type { RuleRegistrationStatus } from '../claims/registration.ts';
import type { HistoryOnRuns } from '../claims/oldRules.ts';
import type { LinearControl } from '../claims/linearControl.ts';
import type { Tag } from '../experiment/plan.ts';

export interface ReportInput {
  readonly scale: Scale;
  readonly results: readonly ClaimResult[];
  readonly run: ScaleRun;
  readonly provenance: Provenance;
  /** each rule's registration and the rule history, with the old rules run on these runs */
  readonly rules?: { readonly registration: readonly RuleRegistrationStatus[]; readonly history: readonly HistoryOnRuns[] };
  readonly linearControl?: LinearControl;
  /** every budget run with why it stopped (experiment/budgetReason.ts) */
  readonly budgetRuns?: readonly { readonly tag: Tag; readonly key: string; readonly loss: number; readonly evaluations: number; readonly reason: string }[];
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
    ...scale.fixedN.map(
      (f) =>
        `random data, fixed N: d = h = ${f.width}, L = ${f.L} (N = ${familyN(f)}), P/N in {${f.ratios.join(', ')}}, seeds ${seedList(f.seeds)}` +
        (f.refine
          ? `; then P = r P* for r in {${f.refine.ratiosOfPstar.join(', ')}}${f.refine.acrossWindow ? ` and ${f.refine.acrossWindow} across the window` : ''}, seeds ${seedList(f.refine.seeds)}, budget ${f.refine.maxEvaluations ?? scale.maxEvaluations}`
          : ''),
    ),
    ...scale.mnist.map((m) => `MNIST parity (PCA d = 10): P = ${m.P}, L = ${m.L}, h in {${m.widths.join(', ')}}, seeds ${seedList(m.seeds)} (initialisations; one data seed ${m.dataSeed}), ${m.nTest} test patterns`),
    ...scale.softplus.map((s) => `softplus (beta = ${s.beta}): d = ${s.d}, h = ${s.h}, L = ${s.L}, P in {${s.Ps.join(', ')}}, seeds ${seedList(s.seeds)}`),
    `linear control (L = 0): d = ${scale.linear.d}, P/N in {${scale.linear.ratios.join(', ')}}, seeds ${seedList(scale.linear.seeds)}`,
    `every run: quadratic hinge (kappa = 1), ReLU unless stated, biases, orthogonal init, float64, default minimiser (ReLU: the adam0 trajectory with early lr decays on plateaus, jammed only with a passed non-smooth certificate; softplus and L = 0: L-BFGS, Adam escape, L-BFGS, Newton), budget ${scale.maxEvaluations} gradient evaluations`,
  ];
  return lines.map((l) => `- ${l}`).join('\n');
}

/** The markdown's copy of the claims' values: long arrays and texts (per-pattern data) named, not printed. */
function brief(_key: string, v: unknown): unknown {
  if (Array.isArray(v) && v.length > 40) return `(${v.length} values: results.json)`;
  if (typeof v === 'string' && v.length > 400) return `(${v.length} characters: results.json)`;
  return v;
}

const short = (d: string | null) => (d ? d.replace(/\.\d+Z$/, 'Z') : '—');

/**
 * The rule history, newest first: every change made to a rule after results under the old rule
 * had been seen, what changed and why, and what the old rule says on this report's runs.
 */
export function ruleHistorySection(history: readonly HistoryOnRuns[]): string {
  if (!history.length) return section('Rule history', 2, 'No rule of these claims has changed.');
  const body = history.map((e) => {
    const head = `**${e.commit}** (${e.date ? short(e.date) : 'not yet committed'}), replacing the rules of ${e.before}. Seen under the old rules: ${e.seen ?? 'nothing'}.`;
    const rows = e.texts.map((t) => {
      const old = e.oldVerdicts.find((v) => v.claim === t.claim);
      const says = !old ? '—' : 'verdict' in old ? `**${old.verdict}**: ${old.measured}` : old.error;
      return [t.claim, t.was, t.now, t.why, says];
    });
    return `${head}\n\n${table(['claim', 'was', 'now', 'why', `the old rule (${e.before}) on these runs`], rows)}`;
  });
  return section('Rule history', 2, body.join('\n'));
}

/** Each rule's digest, its last change, and whether it was registered before the first run it decides on. */
export function registrationSection(reg: readonly RuleRegistrationStatus[]): string {
  const rows = reg.map((r) => [
    r.claim,
    r.digest.slice(0, 12),
    r.lastChange ? `${r.lastChange.commit} (${short(r.lastChange.date)})${r.uncommitted ? ', with uncommitted changes' : ''}` : 'no git history',
    short(r.registeredAt),
    short(r.firstRunAt),
    r.before ? 'yes' : 'no',
  ]);
  return section(
    'Rules and their registration',
    2,
    `\`verify\` stores each rule's digest (its texts and the code files it runs, \`src/claims/ruleDigest.ts\`) in the store before its sweep starts; a digest keeps its first registration.\n\n${table(['claim', 'rule digest', 'rule code last changed', 'registered in this store', 'first run it reads written', 'registered before its runs'], rows)}`,
  );
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
    `Scale \`${scale.name}\`${input.partial ? ` (claims ${results.map((r) => r.claim.id).join(', ')} only)` : ''}: ${counts.pass} pass, ${counts.fail} fail, ${counts.inconclusive} inconclusive, from ${run.tagged.length} runs (${run.computed} computed now, ${run.reused} read from the store, ${run.failures.length} failed) in ${fmt(input.wallSeconds / 60, 3)} min. Paper: ${PAPER}. Each rule's digest is registered in the store before the sweep, and the table of registrations says whether it predates the first run the claim reads; the rule history lists every change made to a rule after results had been seen, why, and what the old rule says on these runs. A claim whose runs include budget runs is decided with them counted as fitted and as minima, and stands only where both agree. A failing claim is a finding at this size, reported with its numbers.\n`,
  );
  if (input.rules) parts.push(registrationSection(input.rules.registration), ruleHistorySection(input.rules.history));
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
  // the linear control (SCIENCE.md, "The linear-model control")
  const lc = input.linearControl;
  if (lc && lc.runs) {
    const file = await writeFigure(
      figDir,
      'control-linear-model',
      nDeltaVsPOverN(lc.points.map((p) => ({ ...p, series: 'linear model, L = 0' })), { title: 'Control: the linear model jumps to N_Delta about N with Hp = 0' }),
      { saveSpec: true, onWarn: () => {} },
    );
    parts.push(
      section(
        'Controls',
        2,
        [
          `**Linear model (L = 0).** Hp = 0, so N_- = 0 and stability bounds nothing; the perceptron at margin 0 jams isostatic at Cover's P = 2 Ntot, so N_Delta should jump to about N there (SCIENCE.md, "The linear-model control", corrected in this report's rule history: it used to predict a continuous onset, and the runs contradicted it). Runs with loss > 0: ${lc.withLoss}, of them with 0 < N_Delta/N < 0.35: ${lc.inGap}; smallest N_Delta/N ${fmt(lc.minNDeltaOverN)}. Runs with spectra whose Hp has a negative eigenvalue: ${lc.negativeHp} of ${lc.withSpectra}. Budget runs: ${lc.budget}.`,
          table(['P', 'runs', 'fitted', "Cover's probability of separable"], lc.byP.map((p) => [p.P, p.runs, p.fitted, p.cover])),
          figure(`figures/${file}`, 'N_Delta/N against P/N for the linear model'),
          '**Too small a budget.** `spec/claims/controls.spec.ts` re-runs the claims on sweeps whose step budget is far too small and asserts that claim 5 then no longer passes: the specs can fail. The claim specs under `spec/claims/` do the same for every claim on synthetic records that violate it.',
        ].join('\n\n'),
      ),
    );
  }
  if (run.placements?.length) {
    parts.push(
      section(
        'Runs near P*: the refinement pass',
        2,
        `Each family with a refinement was first run on its coarse grid; its P* and window were fitted on those runs, and fresh seeds were placed near P* (\`src/experiment/placement.ts\`; a function of the coarse records, so a re-run places the same P).\n\n${table(
          ['family', 'N', 'basis', 'P*', 'window', 'P placed', 'seeds', 'budget', 'why'],
          run.placements.map((p) => [`L = ${p.L}, d = h = ${p.width}`, p.N, p.basis, p.Pstar, p.window ? `${fmt(p.window[0])}..${fmt(p.window[1])}` : '—', p.Ps.join(', '), seedList(p.seeds), p.maxEvaluations, p.why]),
        )}`,
      ),
    );
  }
  if (input.budgetRuns?.length) {
    const label = (t: Tag) =>
      t.kind === 'fixedN' ? `random L = ${t.L}, d = h = ${t.width}${t.pass === 'refine' ? ' (refinement)' : ''}` : t.kind === 'mnist' ? `MNIST P = ${t.P}, L = ${t.L}, h = ${t.h}` : t.kind;
    parts.push(
      section(
        'Budget runs and why they stopped',
        2,
        `${input.budgetRuns.length} of ${run.tagged.length} runs ended \`budget\` (outcome unknown; each claim is decided with them counted both ways).\n\n${table(
          ['run', 'P', 'seed', 'loss', 'evaluations', 'why it stopped'],
          input.budgetRuns.map((b) => [label(b.tag), b.tag.P, b.tag.seed, b.loss, b.evaluations, b.reason]),
        )}`,
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
  parts.push(
    details(
      'Raw claim values (in full in results.json)',
      codeBlock(JSON.stringify(results.map((r) => ({ claim: r.claim.id, verdict: r.outcome.verdict, values: r.outcome.values })), brief, 1), 'json'),
    ),
  );
  const md = parts.join('\n');
  const mdPath = join(dir, 'VERIFICATION.md');
  writeFileAtomic(mdPath, md);
  const deltaRuns = results.find((r) => r.claim.id === 9)?.outcome.values.deltaRuns;
  const keepDeltas = new Set(Array.isArray(deltaRuns) ? (deltaRuns as string[]) : []);
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
    rules: input.rules ?? null,
    budgetRuns: input.budgetRuns ?? [],
    linearControl: input.linearControl ?? null,
    // per-pattern Delta kept for the runs claim 9 reads, so that it can be recomputed from this file
    runs: run.tagged.map((t) => ({ tag: t.tag, record: committedRecord(t.record, keepDeltas.has(t.record.key)) })),
    // where each fixed-N family's refinement runs were placed, from its coarse pass, and why
    ...(run.placements ? { placements: run.placements } : {}),
    // the runs whose every eigenvalue the spectrum figure draws
    spectra: run.spectra.map((s) => ({ side: s.side, record: committedRecord(s.record) })),
    failures: run.failures.map((f) => ({ key: f.key, message: f.message })),
  });
  return mdPath;
}
