import { parseFlags, numberFlag, stringFlag } from '../util/args.ts';
import { startWorker, redisConnection } from '../experiment/queue.ts';
import { defaultWorkers } from '../experiment/pool.ts';
import { InputError } from '../util/errors.ts';

export const WORKER_HELP = `jamming worker: compute the runs a coordinator (jamming verify --queue) puts on a Redis queue

  --queue redis://H:P   the coordinator's Redis
  --concurrency K       runs at once on this machine (default: one per core)
  --lock-ms MS          a job's lock without renewal (default 30000): a killed worker's job is
                        taken by another after about this long

Runs each job through the same pool of threads as a sweep on one machine and returns its record.
A job whose numerics digest differs from this checkout's is refused with a message, never computed.
Stops on SIGINT or SIGTERM after the runs in progress (exit 0).
`;

export async function workerCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, { queue: { type: 'string' }, concurrency: { type: 'string' }, 'lock-ms': { type: 'string' }, help: { type: 'boolean' } });
  if (flags.help) {
    process.stdout.write(WORKER_HELP);
    return 0;
  }
  const url = stringFlag(flags, 'queue');
  if (url === undefined) throw new InputError('--queue', undefined, 'redis://HOST:PORT (required)');
  redisConnection(url);
  const concurrency = flags.concurrency !== undefined ? numberFlag(flags, 'concurrency', 1, { integer: true, min: 1 }) : defaultWorkers();
  const lockMs = flags['lock-ms'] !== undefined ? numberFlag(flags, 'lock-ms', 30_000, { integer: true, min: 1000 }) : 30_000;
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const w = startWorker(url, { concurrency, lockMs, log });
  await w.ready;
  log(`worker on ${url}: ${concurrency} run(s) at once, pid ${process.pid}`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      log('stopping after the runs in progress');
      w.close().then(resolve, resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
