import _TextTransferVectorKernels

/// One AdamW step over `count` parameters with decoupled weight decay and no other penalty, in vector
/// lanes (`tt_adamw_f32`): θ ← θ·(1 − lrDecay) − stepSize·m / (√v / correction2Root + ε) after
/// m ← β₁m + (1 − β₁)g and v ← β₂v + (1 − β₂)g². AdamW.step's Swift loop is its twin and gives the same
/// bits (the C code is compiled without fused multiply-adds).
package func adamWUpdate(_ theta: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>, first m: UnsafeMutablePointer<Float>,
                         second v: UnsafeMutablePointer<Float>, count: Int, lrDecay: Float, beta1: Float, beta2: Float,
                         stepSize: Float, correction2Root: Float, epsilon: Float) {
    tt_adamw_f32(theta, gradient, m, v, count, lrDecay, beta1, beta2, stepSize, correction2Root, epsilon)
}
