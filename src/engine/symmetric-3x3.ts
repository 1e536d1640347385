/**
 * Functions of symmetric 3x3 matrices (row-major, 9 numbers), such as the square root of a covariance, through their
 * eigen-decomposition by cyclic Jacobi rotations: each rotation zeroes one off-diagonal pair, and a handful of sweeps
 * bring a 3x3 matrix to diagonal within double precision.
 */

const SWEEPS = 50;

/** Eigenvalues and eigenvectors (the columns of `vectors`, row-major) of the symmetric matrix `m`. */
export function symmetricEigen(m: readonly number[]): { values: number[]; vectors: number[] } {
  const a = [...m];
  const v = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    const off = a[1] * a[1] + a[2] * a[2] + a[5] * a[5];
    if (off <= 1e-30 * (a[0] * a[0] + a[4] * a[4] + a[8] * a[8]) || off === 0) break;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]]) {
      const apq = a[3 * p + q];
      if (apq === 0) continue;
      // The rotation by theta with tan(2 theta) = 2 apq / (aqq - app), taken by its smaller tangent for stability.
      const tau = (a[3 * q + q] - a[3 * p + p]) / (2 * apq);
      const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
      const c = 1 / Math.sqrt(1 + t * t);
      const s = t * c;
      for (let k = 0; k < 3; k++) {
        // A <- A J (columns p and q), then A <- J^T A (rows p and q); V <- V J.
        const [akp, akq] = [a[3 * k + p], a[3 * k + q]];
        a[3 * k + p] = c * akp - s * akq;
        a[3 * k + q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const [apk, aqk] = [a[3 * p + k], a[3 * q + k]];
        a[3 * p + k] = c * apk - s * aqk;
        a[3 * q + k] = s * apk + c * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const [vkp, vkq] = [v[3 * k + p], v[3 * k + q]];
        v[3 * k + p] = c * vkp - s * vkq;
        v[3 * k + q] = s * vkp + c * vkq;
      }
    }
  }
  return { values: [a[0], a[4], a[8]], vectors: v };
}

/** `m` to the power `power` (a symmetric matrix with eigenvalues floored at `floor`, so that a flat one has an inverse). */
export function symmetricPower(m: readonly number[], power: number, floor: number): number[] {
  const { values, vectors: v } = symmetricEigen(m);
  const d = values.map((x) => Math.max(x, floor) ** power);
  const out = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      for (let k = 0; k < 3; k++) out[3 * i + j] += v[3 * i + k] * d[k] * v[3 * j + k];
    }
  }
  return out;
}

/** The product of two 3x3 matrices. */
export function multiply3(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      for (let k = 0; k < 3; k++) out[3 * i + j] += a[3 * i + k] * b[3 * k + j];
    }
  }
  return out;
}
