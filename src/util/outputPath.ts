import { existsSync, mkdirSync, rmSync, statSync, statfsSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from './errors.ts';

/**
 * Output paths are checked, and their folders made, before any work: a run of minutes or hours must
 * never end on "cannot write". The file systems of the kernel (/proc, /sys, cgroups) are refused
 * from their type, before any mkdir: Node 20's recursive mkdir loops forever under /proc.
 */
const PSEUDO_FS: Record<number, string> = { 0x9fa0: 'proc', 0x62656572: 'sysfs', 0x27e0eb: 'cgroup', 0x63677270: 'cgroup2', 0x64626720: 'debugfs', 0x74726163: 'tracefs', 0x73636673: 'securityfs' };

/** The nearest folder of `path` (or `path` itself) that exists. */
function nearestExisting(path: string): string {
  let p = path;
  while (!existsSync(p)) {
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  return p;
}

function refusePseudo(flag: string, path: string): void {
  const at = nearestExisting(path);
  let type: number | undefined;
  try {
    type = Number(statfsSync(at).type);
  } catch {
    return; // no statfs here: the write probe below still decides
  }
  const fs = PSEUDO_FS[type];
  if (fs) throw new InputError(flag, path, `a path on a real file system (${at} is on ${fs}, which holds no files of ours)`);
}

/** Makes `dir` (and its parents) and proves it writable with a probe file that is removed at once. */
function makeWritable(flag: string, path: string, dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    const probe = resolve(dir, `.jamming-probe-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (e) {
    throw new InputError(flag, path, `a path whose folder can be created and written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message} at ${dir})`);
  }
}

/** A file to be written later (run file, store): not a folder, its folder created and writable now. Returns the absolute path. */
export function prepareOutputFile(flag: string, path: string): string {
  const abs = resolve(path);
  if (path.trim() === '') throw new InputError(flag, path, 'a file path');
  refusePseudo(flag, abs);
  if (existsSync(abs) && statSync(abs).isDirectory()) throw new InputError(flag, path, 'a file path (this is a folder)');
  makeWritable(flag, path, dirname(abs));
  return abs;
}

/** A folder to be written later (a report): not a file, created and writable now. Returns the absolute path. */
export function prepareOutputDir(flag: string, path: string): string {
  const abs = resolve(path);
  if (path.trim() === '') throw new InputError(flag, path, 'a folder path');
  refusePseudo(flag, abs);
  if (existsSync(abs) && !statSync(abs).isDirectory()) throw new InputError(flag, path, 'a folder (this is a file)');
  makeWritable(flag, path, abs);
  return abs;
}
