/** writeFileAtomic (src/util/atomicWrite.ts): a reader sees the old file or the new one, never half; a failed write leaves nothing. */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/util/atomicWrite.ts';

describe('writeFileAtomic', () => {
  it('replaces a file whole', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jamming-atomic-'));
    const f = join(dir, 'a.json');
    writeFileSync(f, 'old');
    writeFileAtomic(f, 'new');
    expect(readFileSync(f, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });
  it('a rename that fails (the target is a folder) throws and leaves no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jamming-atomic-'));
    const target = join(dir, 'occupied');
    mkdirSync(target);
    expect(() => writeFileAtomic(target, 'x')).toThrow(/rename/);
    expect(readdirSync(dir)).toEqual(['occupied']);
  });
});
