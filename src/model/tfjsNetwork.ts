import type { Scalar, Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '../kernels/tfjsBackend.ts';
import type { Architecture } from './architecture.ts';
import { layout, type Layout } from './architecture.ts';
import { InputError } from '../util/errors.ts';

/**
 * The network of src/model/forward.ts built from TensorFlow.js ops (float32, any tfjs backend):
 *   a_0 = x, a_l = sigma(a_{l-1} W_l^T + b_l), f = a_L W_{L+1}^T + b_{L+1},
 * sigma = tf.relu, or softplus_beta(z) = tf.softplus(beta z) / beta. Parameters come from the
 * project's flat layout (architecture.ts): for each layer W_l row-major (out x in), then b_l.
 * Every tensor is created and released inside tf.tidy: the functions leave no tensors behind.
 */

/** f(x_mu) for every pattern, in float32. x is row-major P x d. */
export function tfjsForward(tf: Tf, arch: Architecture, theta: Float64Array, x: Float64Array, P: number): Float32Array {
  const lay = checkInputs(arch, theta, x, P);
  const out = tf.tidy(() => {
    const params = paramTensors(tf, lay, theta);
    const X = tf.tensor2d(Float32Array.from(x), [P, arch.d], 'float32');
    return network(tf, arch, lay, params, X);
  });
  try {
    return Float32Array.from(out.dataSync());
  } finally {
    out.dispose();
  }
}

/**
 * The quadratic hinge loss (SCIENCE.md, "Set-up"), loss = (1/P) sum_mu relu(kappa - y_mu f(x_mu))^2 / 2, and
 * its gradient over the flat parameter layout (length Ntot), by tfjs automatic differentiation
 * (tf.valueAndGrads on tensors cut from the flat vector). float32 throughout.
 */
export function tfjsQuadraticHingeGradient(
  tf: Tf,
  arch: Architecture,
  theta: Float64Array,
  x: Float64Array,
  y: Float64Array,
  P: number,
  kappa: number,
): { loss: number; gradient: Float32Array } {
  const lay = checkInputs(arch, theta, x, P);
  if (!(y instanceof Float64Array) || y.length !== P) {
    throw new InputError('y.length', y instanceof Float64Array ? y.length : y, `a Float64Array of P = ${P} labels`);
  }
  for (let mu = 0; mu < P; mu++) if (!Number.isFinite(y[mu])) throw new InputError(`y[${mu}]`, y[mu], 'a finite number');
  if (typeof kappa !== 'number' || !Number.isFinite(kappa)) throw new InputError('kappa', kappa, 'a finite number');

  const [lossT, gradT] = tf.tidy(() => {
    const params = paramTensors(tf, lay, theta);
    const X = tf.tensor2d(Float32Array.from(x), [P, arch.d], 'float32');
    const Y = tf.tensor1d(Float32Array.from(y), 'float32');
    const lossOf = (...ps: Tensor[]): Scalar => {
      const f = network(tf, arch, lay, ps, X);
      const delta = tf.sub(tf.scalar(kappa), tf.mul(Y, f));
      const r = tf.relu(delta);
      return tf.div(tf.sum(tf.square(r)), tf.scalar(2 * P)) as Scalar;
    };
    const { value, grads } = tf.valueAndGrads(lossOf)(params);
    const flat = tf.concat(grads.map((g) => tf.reshape(g, [-1])), 0);
    return [value, flat] as [Scalar, Tensor1D];
  });
  try {
    const loss = lossT.dataSync()[0];
    const gradient = Float32Array.from(gradT.dataSync());
    if (gradient.length !== lay.Ntot) throw new Error(`internal: gradient length ${gradient.length}, Ntot ${lay.Ntot}`);
    return { loss, gradient };
  } finally {
    lossT.dispose();
    gradT.dispose();
  }
}

/** Tensors in the order of the flat layout: W_1, b_1, W_2, b_2, ... (b_l absent without biases). */
function paramTensors(tf: Tf, lay: Layout, theta: Float64Array): Tensor[] {
  const out: Tensor[] = [];
  for (const { inDim, outDim, w, b } of lay.layers) {
    out.push(tf.tensor2d(Float32Array.from(theta.subarray(w, w + inDim * outDim)), [outDim, inDim], 'float32'));
    if (b >= 0) out.push(tf.tensor1d(Float32Array.from(theta.subarray(b, b + outDim)), 'float32'));
  }
  return out;
}

/** f for a batch X (P x d), from parameter tensors in layout order. Returns a 1-D tensor of length P. */
export function network(tf: Tf, arch: Architecture, lay: Layout, params: readonly Tensor[], X: Tensor2D): Tensor1D {
  let a: Tensor2D = X;
  let k = 0;
  for (let l = 1; l <= arch.L + 1; l++) {
    const W = params[k++] as Tensor2D;
    let z: Tensor2D = tf.matMul(a, W, false, true); // P x out
    if (lay.layers[l - 1].b >= 0) z = tf.add(z, params[k++] as Tensor1D);
    if (l === arch.L + 1) {
      a = z;
    } else if (arch.activation === 'relu') {
      a = tf.relu(z);
    } else {
      a = tf.div(tf.softplus(tf.mul(z, tf.scalar(arch.beta))), tf.scalar(arch.beta));
    }
  }
  return tf.reshape(a, [-1]) as Tensor1D;
}

function checkInputs(arch: Architecture, theta: Float64Array, x: Float64Array, P: number): Layout {
  if (typeof P !== 'number' || !Number.isInteger(P) || P < 1) throw new InputError('P', P, 'an integer >= 1');
  const lay = layout(arch);
  if (!(theta instanceof Float64Array) || theta.length !== lay.Ntot) {
    throw new InputError('theta.length', theta instanceof Float64Array ? theta.length : theta, `a Float64Array of Ntot = ${lay.Ntot} parameters`);
  }
  if (!(x instanceof Float64Array) || x.length !== P * arch.d) {
    throw new InputError('x.length', x instanceof Float64Array ? x.length : x, `a Float64Array of P * d = ${P * arch.d} numbers (row-major)`);
  }
  for (let k = 0; k < theta.length; k++) if (!Number.isFinite(theta[k])) throw new InputError(`theta[${k}]`, theta[k], 'a finite number');
  for (let k = 0; k < x.length; k++) if (!Number.isFinite(x[k])) throw new InputError(`x[${k}]`, x[k], 'a finite number');
  return lay;
}
