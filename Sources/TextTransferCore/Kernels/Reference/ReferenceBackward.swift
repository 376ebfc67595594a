import RealModule

// Plain-loop twins of the backward kernels. Each returns fresh gradients (the fast kernels accumulate).

/// Twin of `linearBackward`: (dX, dW, db) for Y = X · Wᵀ + b.
package func referenceLinearBackward<T: Real>(x: [T], weight: [T], dy: [T], rows: Int, inFeatures: Int, outFeatures: Int)
    -> (dx: [T], dWeight: [T], dBias: [T]) {
    var dx = [T](repeating: 0, count: rows * inFeatures)
    var dw = [T](repeating: 0, count: outFeatures * inFeatures)
    var db = [T](repeating: 0, count: outFeatures)
    for r in 0..<rows {
        for o in 0..<outFeatures {
            let g = dy[r * outFeatures + o]
            db[o] += g
            for i in 0..<inFeatures {
                dx[r * inFeatures + i] += g * weight[o * inFeatures + i]
                dw[o * inFeatures + i] += g * x[r * inFeatures + i]
            }
        }
    }
    return (dx, dw, db)
}

/// Twin of `layerNormBackward`.
package func referenceLayerNormBackward<T: Real>(x: [T], gamma: [T], dy: [T], rows: Int, width: Int, epsilon: T)
    -> (dx: [T], dGamma: [T], dBeta: [T]) {
    var dx = [T](repeating: 0, count: x.count)
    var dg = [T](repeating: 0, count: width), db = [T](repeating: 0, count: width)
    let n = T(width)
    for r in 0..<rows {
        var mean: T = 0
        for i in 0..<width { mean += x[r * width + i] }
        mean /= n
        var variance: T = 0
        for i in 0..<width { variance += (x[r * width + i] - mean) * (x[r * width + i] - mean) }
        let rstd = 1 / T.sqrt(variance / n + epsilon)
        var sumG: T = 0, sumGX: T = 0
        for i in 0..<width {
            let xhat = (x[r * width + i] - mean) * rstd
            let g = dy[r * width + i] * gamma[i]
            sumG += g
            sumGX += g * xhat
            dg[i] += dy[r * width + i] * xhat
            db[i] += dy[r * width + i]
        }
        for i in 0..<width {
            let xhat = (x[r * width + i] - mean) * rstd
            dx[r * width + i] = rstd * (dy[r * width + i] * gamma[i] - sumG / n - xhat * sumGX / n)
        }
    }
    return (dx, dg, db)
}

/// Twin of `geluBackward`.
package func referenceGELUBackward<T: Real>(x: [T], dy: [T]) -> [T] {
    zip(x, dy).map { v, g in
        let cdf = (1 + T.erf(v / T.sqrt(2))) / 2
        let pdf = T.exp(-v * v / 2) / T.sqrt(2 * T.pi)
        return g * (cdf + v * pdf)
    }
}

/// Twin of multi-head attention for right-padded sequences: q, k, v and the result are (B, T, C) with
/// head h in columns h·D..<(h+1)·D; keys at or past `lengths[b]` are masked; `dropoutMask` (B, H, T, T)
/// scales the probabilities when given.
package func referenceAttention<T: Real>(q: [T], k: [T], v: [T], lengths: [Int], batch: Int, tokens: Int, heads: Int,
                                        headSize: Int, dropoutMask: [T]? = nil) -> [T] {
    let C = heads * headSize
    var out = [T](repeating: 0, count: batch * tokens * C)
    for b in 0..<batch {
        for h in 0..<heads {
            let p = referenceAttentionProbabilities(q: q, k: k, b: b, h: h, length: lengths[b], tokens: tokens, heads: heads, headSize: headSize)
            for i in 0..<tokens {
                for d in 0..<headSize {
                    var s: T = 0
                    for j in 0..<lengths[b] {
                        let m = dropoutMask?[((b * heads + h) * tokens + i) * tokens + j] ?? 1
                        s += p[i * tokens + j] * m * v[(b * tokens + j) * C + h * headSize + d]
                    }
                    out[(b * tokens + i) * C + h * headSize + d] = s
                }
            }
        }
    }
    return out
}

/// softmax(Q_h K_hᵀ / √D) of sequence b, head h, over its valid keys: (T, T).
func referenceAttentionProbabilities<T: Real>(q: [T], k: [T], b: Int, h: Int, length: Int, tokens: Int, heads: Int, headSize: Int) -> [T] {
    let C = heads * headSize
    var scores = [T](repeating: 0, count: tokens * tokens)
    for i in 0..<tokens {
        for j in 0..<tokens {
            var s: T = 0
            for d in 0..<headSize { s += q[(b * tokens + i) * C + h * headSize + d] * k[(b * tokens + j) * C + h * headSize + d] }
            scores[i * tokens + j] = s / T.sqrt(T(headSize))
        }
    }
    return referenceMaskedSoftmax(scores, rows: tokens, columns: tokens, validColumns: length)
}

/// Twin of `attentionBackward`: (dQ, dK, dV) given dOut.
package func referenceAttentionBackward<T: Real>(q: [T], k: [T], v: [T], dOut: [T], lengths: [Int], batch: Int, tokens: Int,
                                                heads: Int, headSize: Int, dropoutMask: [T]? = nil) -> (dq: [T], dk: [T], dv: [T]) {
    let C = heads * headSize
    var dq = [T](repeating: 0, count: q.count), dk = dq, dv = dq
    let scale = 1 / T.sqrt(T(headSize))
    for b in 0..<batch {
        for h in 0..<heads {
            let n = lengths[b]
            let p = referenceAttentionProbabilities(q: q, k: k, b: b, h: h, length: n, tokens: tokens, heads: heads, headSize: headSize)
            func at(_ m: [T], _ t: Int, _ d: Int) -> T { m[(b * tokens + t) * C + h * headSize + d] }
            func mask(_ i: Int, _ j: Int) -> T { dropoutMask?[((b * heads + h) * tokens + i) * tokens + j] ?? 1 }
            for i in 0..<tokens {
                // dP_ij = Σ_d dO_id V_jd · mask_ij; dS = P ⊙ (dP − Σ_j dP_ij P_ij)
                var dp = [T](repeating: 0, count: n)
                for j in 0..<n {
                    for d in 0..<headSize { dp[j] += at(dOut, i, d) * at(v, j, d) }
                    dp[j] *= mask(i, j)
                    for d in 0..<headSize { dv[(b * tokens + j) * C + h * headSize + d] += p[i * tokens + j] * mask(i, j) * at(dOut, i, d) }
                }
                var dot: T = 0
                for j in 0..<n { dot += dp[j] * p[i * tokens + j] }
                for j in 0..<n {
                    let ds = p[i * tokens + j] * (dp[j] - dot) * scale
                    for d in 0..<headSize {
                        dq[(b * tokens + i) * C + h * headSize + d] += ds * at(k, j, d)
                        dk[(b * tokens + j) * C + h * headSize + d] += ds * at(q, i, d)
                    }
                }
            }
        }
    }
    return (dq, dk, dv)
}
