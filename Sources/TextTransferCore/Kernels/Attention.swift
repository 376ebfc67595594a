import _TextTransferVectorKernels

/// Multi-head scaled dot-product self-attention for a right-padded batch, reading queries, keys and values
/// where the projections wrote them: q, k, v and the output are (B, T, C) with head h in columns
/// h·D ..< (h+1)·D, so no head is ever copied out. Keys at or past `lengths[b]` are masked.
///
/// `scratch` holds `ComputeThreads.count` × `attentionScratchElements` floats. When `probabilities` is given
/// (B, H, T, T), the softmax output is kept there (what backward needs). `dropoutMask` (B, H, T, T),
/// when given, scales each probability (0 or 1/(1−p)) before it weights V; `probabilities` keeps the
/// unscaled values.
package func attentionForward(
    q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
    out: UnsafeMutablePointer<Float>, lengths: UnsafePointer<Int32>,
    batch: Int, tokens: Int, heads: Int, headSize: Int,
    scratch: UnsafeMutablePointer<Float>, probabilities: UnsafeMutablePointer<Float>? = nil,
    dropoutMask: UnsafePointer<Float>? = nil
) {
    precondition(dropoutMask == nil || probabilities != nil, "attention dropout is for training, which keeps the probabilities")
    let width = heads * headSize
    let scale = 1 / Float(headSize).squareRoot()
    forEachHead(batch * heads, tokens: tokens, headSize: headSize, scratch: scratch) { index, ownScratch in
        let b = index / heads, h = index % heads
        if probabilities == nil,  // inference: our AVX-512 head kernel where it applies
           tt_attention_head_f32(q + b * tokens * width + h * headSize, k + b * tokens * width + h * headSize,
                                 v + b * tokens * width + h * headSize, out + b * tokens * width + h * headSize,
                                 tokens, Int(lengths[b]), headSize, width, scale, ownScratch) == 1 {
            return
        }
        let scores = probabilities.map { $0 + index * tokens * tokens } ?? ownScratch
        let offset = b * tokens * width + h * headSize
        let length = Int(lengths[b])
        // (T, D) · (T, D)ᵀ → (T, T); only the `length` valid key columns matter.
        gemm(transposeB: true, m: tokens, n: length, k: headSize, alpha: scale,
             a: q + offset, lda: width, b: k + offset, ldb: width, c: scores, ldc: tokens)
        maskedSoftmaxRows(scores, rows: tokens, columns: tokens, validColumns: length)
        var weights = UnsafePointer(scores)
        if let dropoutMask {
            let mask = dropoutMask + index * tokens * tokens
            for i in 0..<(tokens * tokens) { ownScratch[i] = scores[i] * mask[i] }
            weights = UnsafePointer(ownScratch)
        }
        // (T, T) · (T, D) → (T, D), summing over valid keys only.
        gemm(m: tokens, n: headSize, k: length, a: weights, lda: tokens, b: v + offset, ldb: width,
             c: out + offset, ldc: width)
    }
}

/// Inference attention over sequences stored back to back with no padding: sequence s occupies rows
/// starts[s] ..< starts[s] + lengths[s] of q, k, v and out (each row C = heads × headSize floats). Work is
/// split head-major, so each worker gets its share of every sequence however lengths are sorted. `scratch`
/// holds `ComputeThreads.count` × `attentionScratchElements(tokens: longest, …)` floats.
package func unpaddedAttentionForward(
    q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>,
    starts: UnsafePointer<Int>, lengths: UnsafePointer<Int32>, sequences: Int, longest: Int, heads: Int, headSize: Int,
    scratch: UnsafeMutablePointer<Float>
) {
    let width = heads * headSize
    let scale = 1 / Float(headSize).squareRoot()
    forEachHead(sequences * heads, tokens: longest, headSize: headSize, scratch: scratch) { index, ownScratch in
        let s = index % sequences, h = index / sequences
        let offset = starts[s] * width + h * headSize
        let n = Int(lengths[s])
        if tt_attention_head_f32(q + offset, k + offset, v + offset, out + offset, n, n, headSize, width, scale, ownScratch) == 1 {
            return
        }
        gemm(transposeB: true, m: n, n: n, k: headSize, alpha: scale, a: q + offset, lda: width, b: k + offset, ldb: width,
             c: ownScratch, ldc: n)
        maskedSoftmaxRows(ownScratch, rows: n, columns: n, validColumns: n)
        gemm(m: n, n: headSize, k: n, a: ownScratch, lda: n, b: v + offset, ldb: width, c: out + offset, ldc: width)
    }
}

/// Runs `body(index, scratch)` for each of `count` (sequence, head) items across the compute threads, each
/// worker with its own `attentionScratchElements(tokens:headSize:)` floats of `scratch`.
private func forEachHead(_ count: Int, tokens: Int, headSize: Int, scratch: UnsafeMutablePointer<Float>,
                         _ body: (_ index: Int, _ scratch: UnsafeMutablePointer<Float>) -> Void) {
    let scratchPerWorker = attentionScratchElements(tokens: tokens, headSize: headSize)
    ComputeThreads.parallelChunks(count) { worker, range in
        for index in range { body(index, scratch + worker * scratchPerWorker) }
    }
}

/// Backward of `attentionForward`, which must have kept its (dropped-out, if any) probabilities P
/// (B, H, T, T). With attention dropout, `dropoutMask` (B, H, T, T) holds each probability's scale
/// (0 or 1/(1−p)) and `probabilities` the values *before* the mask. Accumulates into dq, dk, dv
/// (B, T, C); `scratch` holds `ComputeThreads.count` matrices of (T, T).
package func attentionBackward(
    q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
    probabilities: UnsafePointer<Float>, dropoutMask: UnsafePointer<Float>?, dOut: UnsafePointer<Float>,
    dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>,
    lengths: UnsafePointer<Int32>, batch: Int, tokens: Int, heads: Int, headSize: Int,
    scratch: UnsafeMutablePointer<Float>
) {
    let width = heads * headSize
    let scale = 1 / Float(headSize).squareRoot()
    let TT = tokens * tokens
    ComputeThreads.parallelChunks(batch * heads) { worker, range in
        let dp = scratch + worker * 2 * TT
        let used = dp + TT  // the probabilities attention multiplied V by (after dropout)
        for index in range {
            let b = index / heads
            let offset = b * tokens * width + (index % heads) * headSize
            let n = Int(lengths[b])
            let p = probabilities + index * TT
            var applied = p
            if let dropoutMask {
                let mask = dropoutMask + index * TT
                for i in 0..<TT { used[i] = p[i] * mask[i] }
                applied = UnsafePointer(used)
            }
            // dV (n, D) += Pᵀ (n, T) · dO (T, D): only valid keys have nonzero weight.
            gemm(transposeA: true, m: n, n: headSize, k: tokens, a: applied, lda: tokens, b: dOut + offset, ldb: width,
                 beta: 1, c: dv + offset, ldc: width)
            // dP (T, n) = dO (T, D) · V (n, D)ᵀ
            gemm(transposeB: true, m: tokens, n: n, k: headSize, a: dOut + offset, lda: width, b: v + offset, ldb: width,
                 c: dp, ldc: tokens)
            if let dropoutMask {
                let mask = dropoutMask + index * TT
                for i in 0..<tokens { for j in 0..<n { dp[i * tokens + j] *= mask[i * tokens + j] } }
            }
            tt_softmax_backward_rows_f32(p, dp, tokens, tokens, n)  // dP → dS, the score gradient
            // dQ (T, D) += scale · dS (T, n) · K (n, D);  dK (n, D) += scale · dSᵀ (n, T) · Q (T, D)
            gemm(m: tokens, n: headSize, k: n, alpha: scale, a: dp, lda: tokens, b: k + offset, ldb: width,
                 beta: 1, c: dq + offset, ldc: width)
            gemm(transposeA: true, m: n, n: headSize, k: tokens, alpha: scale, a: dp, lda: tokens, b: q + offset, ldb: width,
                 beta: 1, c: dk + offset, ldc: width)
        }
    }
}

/// Scratch floats one worker of `attentionForward` needs: a (T, T) score matrix, or what the inference
/// head kernel keeps (Kᵀ and four score rows), whichever is larger.
package func attentionScratchElements(tokens: Int, headSize: Int) -> Int {
    max(tokens * tokens, tt_attention_head_scratch(tokens, headSize))
}
