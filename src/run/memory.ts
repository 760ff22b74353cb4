import { totalmem } from 'node:os';
import { layout, type Architecture } from '../model/architecture.ts';
import type { AnalysisRequest } from './record.ts';
import { InputError } from '../util/errors.ts';

/** A run may plan to use at most this share of the machine's memory (the rest: Node, the OS, other workers' slack). */
export const MEMORY_SHARE = 0.8;

export interface MemoryEstimate {
  readonly bytes: number;
  readonly parts: { readonly data: number; readonly activations: number; readonly parameters: number; readonly hessian: number };
}

const GB = 1e9;
const show = (b: number) => (b >= 1e12 ? `${(b / 1e12).toPrecision(3)} TB` : b >= GB ? `${(b / GB).toPrecision(3)} GB` : `${(b / 1e6).toPrecision(3)} MB`);

/**
 * Peak float64 memory of one run, from its sizes alone (counted as the code allocates: data P d;
 * pre-activations, activations and sensitivities 3 P h L; parameters, gradient and optimizer state
 * 6 Ntot; the Hessian H0, Hp, H and the eigensolver's copy 4 Ntot^2 when the run may build it: spectra
 * asked for, or a smooth network whose certificate is measured on H).
 */
export function estimateRunMemory(arch: Architecture, P: number, analyse: AnalysisRequest): MemoryEstimate {
  const { Ntot } = layout(arch);
  const smooth = arch.L === 0 || arch.activation === 'softplus';
  const data = 8 * P * (arch.d + 1);
  const activations = 8 * 3 * P * arch.h * arch.L + 8 * 2 * P;
  const parameters = 8 * 6 * Ntot;
  const hessian = analyse.spectra !== 'none' || smooth ? 8 * 4 * Ntot * Ntot : 0;
  return { bytes: data + activations + parameters + hessian, parts: { data, activations, parameters, hessian } };
}

/** Refuses, before any allocation, a run whose estimate does not fit in this machine's memory. */
export function requireMemory(arch: Architecture, P: number, analyse: AnalysisRequest, available = MEMORY_SHARE * totalmem()): MemoryEstimate {
  const e = estimateRunMemory(arch, P, analyse);
  if (e.bytes > available) {
    const { data, activations, parameters, hessian } = e.parts;
    throw new InputError(
      'size (P, d, h, L)',
      `P = ${P}, d = ${arch.d}, h = ${arch.h}, L = ${arch.L}`,
      `a run that fits in ${show(available)} (${Math.round(MEMORY_SHARE * 100)}% of this machine's memory); this one needs about ${show(e.bytes)}: data ${show(data)}, activations ${show(activations)}, parameters ${show(parameters)}, Hessian ${show(hessian)}`,
    );
  }
  return e;
}
