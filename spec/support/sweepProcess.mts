/**
 * A coordinator in a process of its own, for the specs that kill one or run two on one store:
 *   node --import tsx spec/support/sweepProcess.mts STORE COUNT [LEASE_MS]
 * sweeps COUNT small random-data runs (seeds 1..COUNT) on one worker thread and prints
 * {"computed": n, "reused": m} when done.
 */
import { openStore } from '../../src/experiment/store.ts';
import { runSweep } from '../../src/experiment/sweep.ts';
import { smallItems } from './smallItems.ts';

const [storePath, count, leaseMs] = process.argv.slice(2);
const store = openStore(storePath);
const r = await runSweep(smallItems(Number(count)), { store, workers: 1, leaseMs: Number(leaseMs ?? 60_000), pollMs: 100 });
store.close();
process.stdout.write(JSON.stringify({ computed: r.computed, reused: r.reused, failures: r.failures.length }) + '\n');
