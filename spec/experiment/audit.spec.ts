/** jamming audit (src/experiment/audit.ts): a record re-run from nothing is identical to itself, and a tampered number is named with its change. */
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/experiment/store.ts';
import { runSweep } from '../../src/experiment/sweep.ts';
import { audit, auditSample } from '../../src/experiment/audit.ts';
import { smallItems } from '../support/smallItems.ts';

describe('audit', () => {
  it('re-runs records from nothing: identical; a changed loss and a changed Delta are named', async () => {
    const s = openStore(':memory:');
    const records = (await runSweep(smallItems(3), { store: s, workers: 0 })).records;
    s.close();
    const picked = auditSample(records, 3, 1);
    expect(new Set(picked.map((r) => r.key))).toEqual(new Set(records.map((r) => r.key)));
    expect(auditSample(records, 2, 7)).toEqual(auditSample([...records].reverse(), 2, 7));
    const tampered = [
      records[0],
      { ...records[1], results: { ...records[1].results, loss: records[1].results.loss * (1 + 1e-12) + 1e-300 } },
      { ...records[2], deltas: records[2].deltas!.map((d, i) => (i === 0 ? d + 1e-9 : d)) },
    ];
    const rows = await audit(tampered, { committed: false, workers: 0 });
    expect(rows.map((r) => r.identical)).toEqual([true, false, false]);
    expect(rows[1].field).toBe('results.loss');
    expect(rows[1].differing).toBe(1);
    expect(rows[2].field).toBe('deltas');
  }, 120_000);
});
