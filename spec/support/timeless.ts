/** A record with every wall time removed: what must be bit-identical between runs. */
export function timeless(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(timeless);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([k]) => k !== 'wallSeconds')
        .map(([k, x]) => [k, timeless(x)]),
    );
  }
  return v;
}
