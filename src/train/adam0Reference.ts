import { readFileSync, existsSync } from 'node:fs';
import { ADAM0_INSTANCES, type Adam0Instance } from './adam0Instances.ts';

/** One adam0 outcome written by scripts/adam0-reference.mts. */
export interface Adam0Reference {
  readonly instance: Adam0Instance;
  readonly verdict: 'fitted' | 'jammed' | 'budget';
  readonly loss: number;
  readonly nDelta: number;
  readonly gradientEvaluations: number;
  readonly thetaSha256: string;
}

export function adam0Reference(name: string): Adam0Reference | null {
  const url = new URL(`../../fixtures/adam0-reference/${name}.json`, import.meta.url);
  return existsSync(url) ? (JSON.parse(readFileSync(url, 'utf8')) as Adam0Reference) : null;
}

export function allAdam0References(): Adam0Reference[] {
  return ADAM0_INSTANCES.map((i) => {
    const r = adam0Reference(i.name);
    if (!r) throw new Error(`fixtures/adam0-reference/${i.name}.json is missing: run npx tsx scripts/adam0-reference.mts --only ${i.name}`);
    return r;
  });
}
