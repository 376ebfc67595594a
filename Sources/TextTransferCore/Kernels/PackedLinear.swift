import Foundation
import _TextTransferVectorKernels

/// The number format the Transformer's Linear layers compute in at inference. Everything else — embeddings,
/// LayerNorm, attention scores and softmax, GELU, pooling, the pooler and the classification head — stays fp32.
public enum Precision: String, Sendable, CaseIterable {
    /// fp32 weights and activations.
    case fp32
    /// Weights and activations rounded to bfloat16, products summed in fp32 (AVX-512 BF16 `vdpbf16ps`).
    case bf16
    /// Weights int8 per output channel, activations int8 per row and group of 64 inputs, quantized as each
    /// layer runs; int32 sums per group, scaled and added in fp32 (AVX-512 VNNI `vpdpbusd`).
    case int8

    var code: Int32 {
        switch self {
        case .fp32: Int32(TT_PRECISION_FP32)
        case .bf16: Int32(TT_PRECISION_BF16)
        case .int8: Int32(TT_PRECISION_INT8)
        }
    }

    /// True when this CPU has the precision's vector instructions; without them the same numbers come from
    /// portable C, many times slower.
    public var hasVectorKernel: Bool { tt_packed_linear_native(code) == 1 }
}

/// A Linear layer's weight and bias packed once for inference in a `Precision` (panels of 16 outputs,
/// PackedLinear.c). Immutable after `init`, so one instance serves every thread.
package final class PackedLinear: @unchecked Sendable {
    package let precision: Precision
    package let inFeatures: Int
    package let outFeatures: Int
    private let packed: UnsafeMutableRawPointer
    private let scales: [Float]
    private let sums: [Int32]
    private let bias: [Float]?

    package init(precision: Precision, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, outFeatures: Int, inFeatures: Int) {
        self.precision = precision
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        let bytes = tt_packed_linear_bytes(precision.code, outFeatures, inFeatures)
        packed = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        let padded = (outFeatures + 15) / 16 * 16
        var scales = [Float](repeating: 0, count: padded)
        var sums = [Int32](repeating: 0, count: padded * tt_packed_linear_groups(inFeatures))
        tt_pack_linear(precision.code, weight, outFeatures, inFeatures, packed, &scales, &sums)
        self.scales = scales
        self.sums = sums
        self.bias = bias.map { Array(UnsafeBufferPointer(start: $0, count: outFeatures)) }
    }

    deinit { packed.deallocate() }

    /// Whether fp32 inference (the Transformer's Linear layers, the recurrent layers' products) runs on this
    /// kernel: on CPUs with AVX-512, whatever OpenBLAS chose (an OPENBLAS_CORETYPE pin such as Haswell holds
    /// OpenBLAS to AVX2), measured faster than OpenBLAS's AVX-512 kernels on MiniLM's shapes too
    /// (BENCHMARKS.md). `TEXT_TRANSFER_FP32_KERNEL=openblas` keeps OpenBLAS. Not in debug builds: there the
    /// C kernels are compiled without optimization.
    package static var runsFloat32Inference: Bool {
        #if DEBUG
        false
        #else
        Precision.fp32.hasVectorKernel && ProcessInfo.processInfo.environment["TEXT_TRANSFER_FP32_KERNEL"] != "openblas"
        #endif
    }

    /// Y = X · Wᵀ + b for X (rows, in), Y (rows, out). Many rows are split across `ComputeThreads` by rows,
    /// few by groups of output panels. `vectorKernel` false runs the portable path (for its twin test).
    package func forward(x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, rows: Int, vectorKernel: Bool = true) {
        let native: Int32 = vectorKernel ? 1 : 0
        let panels = (outFeatures + 15) / 16
        let (code, packed, inF, outF) = (precision.code, UnsafeRawPointer(self.packed), inFeatures, outFeatures)
        scales.withUnsafeBufferPointer { scales in
            sums.withUnsafeBufferPointer { sums in
                withOptionalPointer(bias) { bias in
                    if rows >= 64 * ComputeThreads.count {
                        ComputeThreads.parallelFor(rows) { r in
                            tt_packed_linear_forward(code, native, x + r.lowerBound * inF, packed, scales.baseAddress, sums.baseAddress,
                                                     bias, y + r.lowerBound * outF, r.count, inF, outF, 0, panels, outF)
                        }
                    } else {
                        ComputeThreads.parallelFor((panels + 2) / 3) { groups in
                            tt_packed_linear_forward(code, native, x, packed, scales.baseAddress, sums.baseAddress, bias, y, rows,
                                                     inF, outF, groups.lowerBound * 3, min(panels, groups.upperBound * 3), outF)
                        }
                    }
                }
            }
        }
    }
}

private func withOptionalPointer<R>(_ array: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0.baseAddress) }
}

/// The bfloat16 bits the kernels round `value` to (nearest even; NaN stays NaN).
package func bfloat16Bits(_ value: Float) -> UInt16 { tt_bf16_from_f32(value) }
