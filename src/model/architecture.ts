import { InputError, requireInt } from '../util/errors.ts';

export type Activation = 'relu' | 'softplus';

/**
 * A fully connected network with L hidden layers of width h and a scalar output (SCIENCE.md, "Set-up"):
 *   a_0 = x, a_l = sigma(W_l a_{l-1} + b_l) for l = 1..L, f = W_{L+1} a_L + b_{L+1}.
 * No 1/sqrt(h) factors. L = 0 is the linear model f = W_1 x + b_1.
 * softplus(z) = log(1 + exp(beta z)) / beta: a smooth network where the Hessian argument of claim 3
 * applies exactly (ReLU minima sit on kinks, see SCIENCE.md, "ReLU end points sit on kinks").
 */
export interface Architecture {
  readonly d: number;
  readonly h: number;
  readonly L: number;
  readonly activation: Activation;
  /** softplus sharpness; ignored for relu. */
  readonly beta: number;
  readonly bias: boolean;
}

/**
 * Flat parameter layout, the one documented format for run files and outside implementations:
 * for l = 1 .. L+1, W_l row-major (out x in), then b_l (absent when bias = false).
 * Layer l has in = (l = 1 ? d : h) and out = (l = L+1 ? 1 : h).
 */
export interface LayerSlice {
  readonly inDim: number;
  readonly outDim: number;
  /** offset of W_l[0][0] in the flat vector */
  readonly w: number;
  /** offset of b_l[0], or -1 without biases */
  readonly b: number;
}

export interface Layout {
  readonly layers: readonly LayerSlice[];
  /** all parameters, biases included: what the Hessian is taken over */
  readonly Ntot: number;
  /** weights only, the paper's N = d h + (L-1) h^2 + h (biases excluded: rescaling symmetry) */
  readonly N: number;
}

export function makeArchitecture(a: Partial<Architecture> & { d: number; h: number; L: number }): Architecture {
  const d = requireInt('d', a.d, 1);
  const L = requireInt('L', a.L, 0, 64);
  const h = L === 0 ? requireInt('h', a.h, 0) : requireInt('h', a.h, 1);
  const activation = a.activation ?? 'relu';
  if (activation !== 'relu' && activation !== 'softplus') {
    throw new InputError('activation', activation, 'relu or softplus');
  }
  const beta = a.beta ?? 10;
  if (!Number.isFinite(beta) || beta <= 0) throw new InputError('beta', beta, 'a finite number > 0');
  return { d, h, L, activation, beta, bias: a.bias ?? true };
}

export function layout(arch: Architecture): Layout {
  const layers: LayerSlice[] = [];
  let offset = 0;
  let N = 0;
  for (let l = 1; l <= arch.L + 1; l++) {
    const inDim = l === 1 ? arch.d : arch.h;
    const outDim = l === arch.L + 1 ? 1 : arch.h;
    const w = offset;
    offset += inDim * outDim;
    N += inDim * outDim;
    const b = arch.bias ? offset : -1;
    if (arch.bias) offset += outDim;
    layers.push({ inDim, outDim, w, b });
  }
  return { layers, Ntot: offset, N };
}

/** The paper's N for a given (d, h, L): weights only. */
export function weightCount(d: number, h: number, L: number): number {
  return L === 0 ? d : d * h + (L - 1) * h * h + h;
}
