import { totalmem } from 'node:os';
import { layout, type Architecture } from '../model/architecture.ts';
import type { AnalysisRequest } from './record.ts';
import { InputError } from '../util/errors.ts';
import { KERNEL_WASM_BYTES } from '../kernels/module.ts';

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
 * 6 Ntot; the Hessian H0, Hp, H and the eigensolver's copies in linear memory (two at once on a team
 * of two threads), 5 Ntot^2, when the run may build it: spectra asked for, or a smooth network whose
 * certificate is measured on H).
 */
export function estimateRunMemory(arch: Architecture, P: number, analyse: AnalysisRequest): MemoryEstimate {
  const { Ntot } = layout(arch);
  const data = 8 * P * (arch.d + 1);
  const activations = 8 * 3 * P * arch.h * arch.L + 8 * 2 * P;
  const parameters = 8 * 6 * Ntot;
  const hessian = needsHessian(arch, analyse) ? 8 * 5 * Ntot * Ntot : 0;
  return { bytes: data + activations + parameters + hessian, parts: { data, activations, parameters, hessian } };
}

function needsHessian(arch: Architecture, analyse: AnalysisRequest): boolean {
  return analyse.spectra !== 'none' || arch.L === 0 || arch.activation === 'softplus';
}

/**
 * The largest Ntot whose Hessian the eigensolver can reduce: the kernels hold the Ntot x Ntot matrix
 * in the linear memory one operation may take (H0 and Hp are built in blocks and need no such room;
 * src/kernels/wasm/hessian.ts).
 */
export const MAX_HESSIAN_NTOT = Math.floor(Math.sqrt(KERNEL_WASM_BYTES / 8));

/**
 * Why a run cannot be made here, as the "allowed" part of its InputError, or null when it fits:
 * its Hessian beyond what the eigensolver can hold, or its estimate beyond the memory it may use.
 */
export function memoryRefusal(arch: Architecture, P: number, analyse: AnalysisRequest, available = MEMORY_SHARE * totalmem()): string | null {
  const e = estimateRunMemory(arch, P, analyse);
  const { Ntot } = layout(arch);
  if (needsHessian(arch, analyse) && Ntot > MAX_HESSIAN_NTOT) {
    return `a run whose Hessian the eigensolver can hold: Ntot <= ${MAX_HESSIAN_NTOT} (its ${show(8 * Ntot * Ntot)} matrix must fit in WASM32's 4 GiB linear memory); this one has Ntot = ${Ntot} and needs its Hessian (spectra asked for, or a smooth network's certificate)`;
  }
  if (e.bytes > available) {
    const { data, activations, parameters, hessian } = e.parts;
    return `a run that fits in ${show(available)} (${Math.round(MEMORY_SHARE * 100)}% of this machine's memory); this one needs about ${show(e.bytes)}: data ${show(data)}, activations ${show(activations)}, parameters ${show(parameters)}, Hessian ${show(hessian)}`;
  }
  return null;
}

/** Refuses, before any allocation, a run that memoryRefusal refuses. */
export function requireMemory(arch: Architecture, P: number, analyse: AnalysisRequest, available = MEMORY_SHARE * totalmem()): MemoryEstimate {
  const why = memoryRefusal(arch, P, analyse, available);
  if (why !== null) throw new InputError('size (P, d, h, L)', `P = ${P}, d = ${arch.d}, h = ${arch.h}, L = ${arch.L}`, why);
  return estimateRunMemory(arch, P, analyse);
}
