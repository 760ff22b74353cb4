import { readFileSync, existsSync } from 'node:fs';
import { ADAM0_INSTANCES, type Adam0Instance } from './adam0Instances.ts';

/** One adam0 outcome written by scripts/adam0-outcomes.mts. */
export interface Adam0Outcome {
  readonly instance: Adam0Instance;
  readonly verdict: 'fitted' | 'jammed' | 'budget';
  readonly loss: number;
  readonly nDelta: number;
  readonly gradientEvaluations: number;
  readonly thetaSha256: string;
}

export function adam0Outcome(name: string): Adam0Outcome | null {
  const url = new URL(`../../fixtures/adam0-outcomes/${name}.json`, import.meta.url);
  return existsSync(url) ? (JSON.parse(readFileSync(url, 'utf8')) as Adam0Outcome) : null;
}

export function allAdam0Outcomes(): Adam0Outcome[] {
  return ADAM0_INSTANCES.map((i) => {
    const r = adam0Outcome(i.name);
    if (!r) throw new Error(`fixtures/adam0-outcomes/${i.name}.json is missing: run npx tsx scripts/adam0-outcomes.mts --only ${i.name}`);
    return r;
  });
}
