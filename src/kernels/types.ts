/**
 * What the float64 kernels compute, and the one interface both implementations give: the plain-TS
 * reference loops (reference/) and the WASM SIMD kernels (wasm/). Both give the same bits
 * (spec/kernels), so which one runs (backend.ts) changes speed, never a number. The kernels see a
 * network as plain numbers (Net): model/ builds it from an Architecture, and loss/ hands the loss
 * in as a callback, so nothing here depends on a higher stage.
 */

/** One layer's slice of the flat parameter vector: W_l row-major (outDim x inDim) at w, b_l at b (-1 without biases). */
export interface LayerShape {
  readonly inDim: number;
  readonly outDim: number;
  readonly w: number;
  readonly b: number;
}

/** sigma, sigma' and sigma'' of the hidden units; curved: sigma'' can be non-zero. */
export interface Pointwise {
  readonly sigma: (z: number) => number;
  readonly dSigma: (z: number) => number;
  readonly d2Sigma: (z: number) => number;
  readonly curved: boolean;
}

/** A network as the kernels see it (model/forward.ts's netOf builds it from an Architecture). */
export interface Net {
  /** hidden layers; layers has L + 1 entries, the last one the output */
  readonly L: number;
  readonly d: number;
  readonly h: number;
  readonly layers: readonly LayerShape[];
  /** all parameters, biases included */
  readonly Ntot: number;
  /** ReLU hidden units: the WASM kernels then apply sigma and sigma' themselves */
  readonly relu: boolean;
  readonly act: Pointwise;
}

/**
 * Everything the derivatives need from one forward pass over P patterns. Arrays are row-major
 * with one row per pattern: z[l] and a[l] are P x width of layer l (z[0] is unused, a[0] = x).
 */
export interface Trace {
  readonly P: number;
  readonly z: Float64Array[];
  readonly a: Float64Array[];
  /** network output f(x_mu), length P */
  readonly f: Float64Array;
}

/**
 * Output sensitivities per pattern: G[l][k, o] = d f(x_mu) / d z_l[o] for the k-th selected
 * pattern mu = patterns[k], l = 1..L+1 (G[L+1] is all ones). They do not depend on any weighting of
 * the patterns, so the gradient, the Jacobian and the Hessian all reuse one computation.
 * Only the selected patterns are back-propagated: for the hinge losses those with Delta > 0
 * (SCIENCE.md, "Set-up": "gradients use only the patterns with Delta > 0").
 */
export interface Sensitivities {
  readonly patterns: Int32Array;
  /** G[l] is k x outDim(l), G[0] unused */
  readonly G: Float64Array[];
  /** E[l] = W_{l+1}^T G[l+1], the sensitivity to a_l before sigma' (needed by sigma''), l = 1..L */
  readonly E: Float64Array[];
}

/** What a loss makes of the outputs f: the patterns to back-propagate and their chain-rule weights. */
export interface ChainTerms {
  readonly active: Int32Array;
  readonly c: Float64Array;
}

/** A fused loss-and-gradient evaluation. */
export interface Fused<T extends ChainTerms> {
  readonly terms: T;
  /** sum_k c_k grad_theta f(x_{active[k]}) */
  readonly gradient: Float64Array;
  /** the trace and sensitivities, when the implementation kept them (the WASM one keeps them in its own memory only) */
  readonly trace?: Trace;
  readonly sens?: Sensitivities;
}

export interface Kernels {
  readonly name: 'wasm' | 'reference';
  /** The forward pass: a_l = sigma(W_l a_{l-1} + b_l), f = W_{L+1} a_L + b_{L+1}; each z accumulates b then W_oi a_i in ascending i. */
  forwardTrace(net: Net, theta: Float64Array, x: Float64Array, P: number): Trace;
  /** Back-propagation of the selected patterns: e accumulates W_oi g_o in ascending o, skipping g_o = 0. */
  sensitivities(net: Net, theta: Float64Array, trace: Trace, patterns: Int32Array): Sensitivities;
  /**
   * sum_k c_k grad_theta f(x_{patterns[k]}): the vector-Jacobian product that gives the gradient of
   * any loss sum_mu ell(Delta_mu) once c holds the chain-rule weights. Every entry accumulates its
   * terms in ascending pattern order.
   */
  weightedGradient(net: Net, trace: Trace, s: Sensitivities, c: Float64Array): Float64Array;
  /**
   * One evaluation: the forward pass, terms(f), back-propagation of terms.active and the gradient
   * with the weights terms.c; the same operations in the same order as the three calls above.
   */
  lossAndGradient<T extends ChainTerms>(net: Net, theta: Float64Array, x: Float64Array, P: number, terms: (f: Float64Array) => T): Fused<T>;
  /**
   * The upper triangle of sum_r w_r J_r J_r^T into H0 (Ntot x Ntot, zero on entry), J_r the Jacobian
   * row of the r-th selected pattern: H0[i][j] += (w_r J_r[i]) J_r[j] over the rows in ascending
   * order, skipping w_r = 0 and w_r J_r[i] = 0.
   */
  h0Upper(net: Net, trace: Trace, s: Sensitivities, w: Float64Array, H0: Float64Array): void;
  /**
   * Every column of Hess_theta sum_k c_k f(x_{patterns[k]}) into M (Ntot x Ntot row-major, column j
   * the product with e_j), by forward-over-reverse products (reference/hvp.ts).
   */
  hessianColumns(net: Net, theta: Float64Array, trace: Trace, s: Sensitivities, c: Float64Array, M: Float64Array): void;
  /**
   * Householder reduction of dense symmetric n x n matrices (ms[q], not modified) to tridiagonal
   * form; on exit ds[q] holds the diagonal and es[q][i] couples i-1 and i. Several matrices (H, H0
   * and Hp) may be reduced at once, one per thread, each as it would be alone.
   */
  householderTridiagonal(ms: readonly Float64Array[], n: number, ds: readonly Float64Array[], es: readonly Float64Array[]): void;
}
