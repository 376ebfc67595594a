import RealModule

/// One direction's parameters for the recurrent twins, in PyTorch's layout: W_ih (G·H, E), W_hh (G·H, H),
/// b_ih and b_hh (G·H), G = 4 for LSTM (i, f, g, o) and 3 for GRU (r, z, n).
package struct ReferenceRecurrentWeights<T: Real> {
    public var inputWeight, hiddenWeight, inputBias, hiddenBias: [T]
    public init(inputWeight: [T], hiddenWeight: [T], inputBias: [T], hiddenBias: [T]) {
        (self.inputWeight, self.hiddenWeight, self.inputBias, self.hiddenBias) = (inputWeight, hiddenWeight, inputBias, hiddenBias)
    }
    static func zeros(like w: Self) -> Self {
        Self(inputWeight: .init(repeating: 0, count: w.inputWeight.count), hiddenWeight: .init(repeating: 0, count: w.hiddenWeight.count),
             inputBias: .init(repeating: 0, count: w.inputBias.count), hiddenBias: .init(repeating: 0, count: w.hiddenBias.count))
    }
}

/// Plain twin of `RecurrentLayer`: x (B, T, E) → (B, T, D·H), each direction over each sequence's real
/// steps only (direction 1 runs from the last real step back), zeros at padded steps. Returns the output
/// and, given dOut, the input and parameter gradients.
package func referenceRecurrent<T: Real>(lstm: Bool, x: [T], lengths: [Int], batch B: Int, tokens: Int, inputSize E: Int,
                                        hiddenSize H: Int, weights: [ReferenceRecurrentWeights<T>], dOut: [T]? = nil)
    -> (output: [T], dx: [T], gradients: [ReferenceRecurrentWeights<T>]) {
    let D = weights.count, G = (lstm ? 4 : 3) * H
    var output = [T](repeating: 0, count: B * tokens * D * H)
    var dx = [T](repeating: 0, count: x.count)
    var gradients = weights.map { ReferenceRecurrentWeights.zeros(like: $0) }
    func sigmoid(_ v: T) -> T { 1 / (1 + T.exp(-v)) }
    func matvec(_ w: [T], _ v: ArraySlice<T>, rows: Int) -> [T] {
        (0..<rows).map { r in zip(w[(r * v.count)..<((r + 1) * v.count)], v).reduce(0) { $0 + $1.0 * $1.1 } }
    }
    for d in 0..<D {
        let w = weights[d]
        for b in 0..<B {
            let n = lengths[b]
            let steps = d == 0 ? Array(0..<n) : Array((0..<n).reversed())
            // Forward, keeping each step's values.
            var h = [T](repeating: 0, count: H), c = [T](repeating: 0, count: H)
            var saved: [(x: ArraySlice<T>, hPrev: [T], cPrev: [T], act: [T], gh: [T], c: [T])] = []
            for t in steps {
                let xt = x[((b * tokens + t) * E)..<((b * tokens + t + 1) * E)]
                let gi = zip(matvec(w.inputWeight, xt, rows: G), w.inputBias).map { $0 + $1 }
                let gh = zip(matvec(w.hiddenWeight, h[...], rows: G), w.hiddenBias).map { $0 + $1 }
                var act = [T](repeating: 0, count: G)
                let (hPrev, cPrev) = (h, c)
                if lstm {
                    for j in 0..<H {
                        let (i, f) = (sigmoid(gi[j] + gh[j]), sigmoid(gi[H + j] + gh[H + j]))
                        let (g, o) = (T.tanh(gi[2 * H + j] + gh[2 * H + j]), sigmoid(gi[3 * H + j] + gh[3 * H + j]))
                        (act[j], act[H + j], act[2 * H + j], act[3 * H + j]) = (i, f, g, o)
                        c[j] = f * cPrev[j] + i * g
                        h[j] = o * T.tanh(c[j])
                    }
                } else {
                    for j in 0..<H {
                        let r = sigmoid(gi[j] + gh[j]), z = sigmoid(gi[H + j] + gh[H + j])
                        let nn = T.tanh(gi[2 * H + j] + r * gh[2 * H + j])
                        (act[j], act[H + j], act[2 * H + j]) = (r, z, nn)
                        h[j] = (1 - z) * nn + z * hPrev[j]
                    }
                }
                saved.append((xt, hPrev, cPrev, act, gh, c))
                for j in 0..<H { output[(b * tokens + t) * D * H + d * H + j] = h[j] }
            }
            guard let dOut else { continue }
            // Backward through time.
            var dh = [T](repeating: 0, count: H), dc = [T](repeating: 0, count: H)
            for (s, t) in zip(saved, steps).reversed() {
                for j in 0..<H { dh[j] += dOut[(b * tokens + t) * D * H + d * H + j] }
                var dgi = [T](repeating: 0, count: G), dgh = [T](repeating: 0, count: G)
                var dhPrev = [T](repeating: 0, count: H)
                if lstm {
                    for j in 0..<H {
                        let (i, f, g, o) = (s.act[j], s.act[H + j], s.act[2 * H + j], s.act[3 * H + j])
                        let tc = T.tanh(s.c[j])
                        let dcTotal = dc[j] + dh[j] * o * (1 - tc * tc)
                        dgi[j] = dcTotal * g * i * (1 - i)
                        dgi[H + j] = dcTotal * s.cPrev[j] * f * (1 - f)
                        dgi[2 * H + j] = dcTotal * i * (1 - g * g)
                        dgi[3 * H + j] = dh[j] * tc * o * (1 - o)
                        dc[j] = dcTotal * f
                    }
                    dgh = dgi
                } else {
                    for j in 0..<H {
                        let (r, z, nn) = (s.act[j], s.act[H + j], s.act[2 * H + j])
                        let dnPre = dh[j] * (1 - z) * (1 - nn * nn)
                        let dzPre = dh[j] * (s.hPrev[j] - nn) * z * (1 - z)
                        let drPre = dnPre * s.gh[2 * H + j] * r * (1 - r)
                        (dgi[j], dgi[H + j], dgi[2 * H + j]) = (drPre, dzPre, dnPre)
                        (dgh[j], dgh[H + j], dgh[2 * H + j]) = (drPre, dzPre, dnPre * r)
                        dhPrev[j] = dh[j] * z
                    }
                }
                for g in 0..<G {
                    gradients[d].inputBias[g] += dgi[g]
                    gradients[d].hiddenBias[g] += dgh[g]
                    for e in 0..<E {
                        gradients[d].inputWeight[g * E + e] += dgi[g] * s.x[s.x.startIndex + e]
                        dx[(b * tokens + t) * E + e] += w.inputWeight[g * E + e] * dgi[g]
                    }
                    for k in 0..<H {
                        gradients[d].hiddenWeight[g * H + k] += dgh[g] * s.hPrev[k]
                        dhPrev[k] += w.hiddenWeight[g * H + k] * dgh[g]
                    }
                }
                dh = dhPrev
            }
        }
    }
    return (output, dx, gradients)
}
