// Plain-loop twin of `PackedLinear`: the same rounding (bf16 to nearest even; int8 scales max|v| / 127 per
// weight row and per activation row and group of 64, rounded to nearest even, clamped to ±127) and the same
// order of additions, written out directly.

/// bfloat16 of `value` as a Float: the top 16 bits, rounded to nearest even.
package func referenceBFloat16(_ value: Float) -> Float {
    if value.isNaN { return value }
    var bits = value.bitPattern
    bits &+= 0x7fff &+ ((bits >> 16) & 1)
    return Float(bitPattern: bits & 0xffff_0000)
}

/// (127 / max|v|, max|v| / 127): the int8 quantizing and dequantizing scales of one row.
package func referenceInt8Scales(_ v: ArraySlice<Float>) -> (quantize: Float, dequantize: Float) {
    let peak = v.map { abs($0) }.max() ?? 0
    guard peak.isFinite else { return (0, .nan) }
    return (peak > 0 ? 127 / peak : 0, peak / 127)
}

package func referenceInt8(_ v: Float, _ quantize: Float) -> Int32 {
    Int32(min(127, max(-127, (v * quantize).rounded(.toNearestOrEven))))
}

/// Y = X · Wᵀ + b in `precision`, X (rows, in), W (out, in).
package func referencePackedLinear(precision: Precision, x: [Float], weight: [Float], bias: [Float]?, rows: Int,
                                   inFeatures: Int, outFeatures: Int) -> [Float] {
    var y = [Float](repeating: 0, count: rows * outFeatures)
    let weightScales = (0..<outFeatures).map { referenceInt8Scales(weight[($0 * inFeatures)..<(($0 + 1) * inFeatures)]) }
    for r in 0..<rows {
        let row = x[(r * inFeatures)..<((r + 1) * inFeatures)]
        for o in 0..<outFeatures {
            let w = weight[(o * inFeatures)..<((o + 1) * inFeatures)]
            var acc = bias?[o] ?? 0
            switch precision {
            case .fp32:
                for (a, b) in zip(row, w) { acc = acc.addingProduct(a, b) }
            case .bf16:
                // pairs (k, k+1), the odd product added first, as vdpbf16ps does; an odd last k pairs with 0
                for k in stride(from: 0, to: inFeatures, by: 2) {
                    if k + 1 < inFeatures { acc += referenceBFloat16(row[row.startIndex + k + 1]) * referenceBFloat16(w[w.startIndex + k + 1]) }
                    acc += referenceBFloat16(row[row.startIndex + k]) * referenceBFloat16(w[w.startIndex + k])
                }
            case .int8:
                // activations: a scale per group of 64 inputs; each group's integer sum scaled and added in fp32
                var total: Float = 0
                for g in stride(from: 0, to: inFeatures, by: 64) {
                    let end = min(g + 64, inFeatures)
                    let groupScale = referenceInt8Scales(row[(row.startIndex + g)..<(row.startIndex + end)])
                    var sum: Int32 = 0
                    for k in g..<end {
                        sum += referenceInt8(row[row.startIndex + k], groupScale.quantize) * referenceInt8(w[w.startIndex + k], weightScales[o].quantize)
                    }
                    total = total.addingProduct(Float(sum), groupScale.dequantize)
                }
                acc = (bias?[o] ?? 0).addingProduct(total, weightScales[o].dequantize)
            }
            y[r * outFeatures + o] = acc
        }
    }
    return y
}
