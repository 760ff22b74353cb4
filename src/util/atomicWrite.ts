import { writeFileSync, renameSync, rmSync } from 'node:fs';

let counter = 0;

/**
 * Writes to a temporary file beside `path`, then renames it over `path`: a reader never sees half a
 * file, and a failed write leaves nothing behind. The one implementation of this for the project.
 */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}-${counter++}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
