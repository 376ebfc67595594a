import RealModule

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
