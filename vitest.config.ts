import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['spec/**/*.spec.ts'],
    // Hessians and spectra are CPU-bound: one worker per core, generous per-test time.
    pool: 'forks',
    // The forks already take one core each: a run's kernels stay on one thread here (the default
    // for a main thread is two, src/kernels/backend.ts); spec/kernels checks two threads explicitly.
    env: { JAMMING_THREADS: '1' },
    testTimeout: 120_000,
    hookTimeout: 300_000,
    reporters: ['default'],
  },
});
