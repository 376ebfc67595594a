import TextTransferCore
import RealModule

/// Limited-memory BFGS for smooth convex problems of modest size (a linear head on cached features), in
/// Double: two-loop recursion over the last `memory` steps and a backtracking (Armijo) line search.
public struct LBFGS: Sendable {
    public var memory = 10
    public var maxIterations = 1000
    /// Stop when every gradient component is at most this (scikit-learn's lbfgs uses 1e-4).
    public var gradientTolerance = 1e-6

    public init() {}

    /// Minimizes `objective` (value and gradient) from `x`, in place. Returns the iterations run and the
    /// final value.
    @discardableResult
    public func minimize(_ x: inout [Double], _ objective: ([Double]) -> (value: Double, gradient: [Double])) -> (iterations: Int, value: Double) {
        var (f, g) = objective(x)
        var steps: [(s: [Double], y: [Double], rho: Double)] = []
        for iteration in 0..<maxIterations {
            if g.allSatisfy({ abs($0) <= gradientTolerance }) { return (iteration, f) }
            // Direction -H·g by the two-loop recursion.
            var q = g
            var alphas = [Double](repeating: 0, count: steps.count)
            for k in steps.indices.reversed() {
                alphas[k] = steps[k].rho * dot(steps[k].s, q)
                for i in q.indices { q[i] -= alphas[k] * steps[k].y[i] }
            }
            if let last = steps.last {
                let gamma = dot(last.s, last.y) / dot(last.y, last.y)
                for i in q.indices { q[i] *= gamma }
            } else {
                let scale = 1 / max(dot(g, g).squareRoot(), 1e-12)  // first step: unit length
                for i in q.indices { q[i] *= scale }
            }
            for k in steps.indices {
                let beta = steps[k].rho * dot(steps[k].y, q)
                for i in q.indices { q[i] += (alphas[k] - beta) * steps[k].s[i] }
            }
            let direction = q.map { -$0 }
            var slope = dot(g, direction)
            var d = direction
            if slope >= 0 {  // not a descent direction (curvature lost): fall back to steepest descent
                steps.removeAll()
                d = g.map { -$0 }
                slope = -dot(g, g)
            }
            var t = 1.0
            var candidate = x, next = (value: f, gradient: g)
            while true {
                for i in x.indices { candidate[i] = x[i] + t * d[i] }
                next = objective(candidate)
                if next.value <= f + 1e-4 * t * slope || t < 1e-20 { break }
                t *= 0.5
            }
            guard t >= 1e-20 else { return (iteration, f) }
            let s = zip(candidate, x).map { $0 - $1 }, y = zip(next.gradient, g).map { $0 - $1 }
            let sy = dot(s, y)
            if sy > 1e-12 {
                steps.append((s, y, 1 / sy))
                if steps.count > memory { steps.removeFirst() }
            }
            let previous = f
            (x, f, g) = (candidate, next.value, next.gradient)
            if abs(previous - f) <= 1e-14 * max(abs(f), 1) { return (iteration + 1, f) }
        }
        return (maxIterations, f)
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for i in a.indices { sum += a[i] * b[i] }
        return sum
    }
}

/// Multinomial logistic regression fitted to convergence, as scikit-learn's LogisticRegression does:
/// minimizes the mean cross-entropy + ‖W‖² / (2·C·n) (biases unpenalized) with L-BFGS.
public enum LogisticRegressionFit {
    /// `features` n rows of width d, `labels` in 0..<classes. Returns weights (classes × d, row-major) and biases.
    public static func fit(features: [[Float]], labels: [Int], classes: Int, inverseRegularization c: Double = 1,
                           solver: LBFGS = LBFGS()) -> (weights: [Float], biases: [Float], iterations: Int, loss: Double) {
        let n = features.count, d = features.first?.count ?? 0, K = classes
        let lambda = 1 / (c * Double(n))
        var x = [Double](repeating: 0, count: K * d + K)  // W then b
        guard n > 0, d > 0 else { return (x[0..<(K * d)].map(Float.init), x[(K * d)...].map(Float.init), 0, 0) }
        // The rows as one n × d matrix: the logits and the gradient are two products (BLAS), which on
        // 100k kernel features is what makes a fit seconds, not minutes.
        var rows = [Double](repeating: 0, count: n * d)
        for (r, row) in features.enumerated() { for j in 0..<d { rows[r * d + j] = Double(row[j]) } }
        var z = [Double](repeating: 0, count: n * K)
        let column = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)  // one class's logits or ∂loss/∂logit
        defer { column.deallocate() }
        let (iterations, loss) = solver.minimize(&x) { x in
            var gradient = [Double](repeating: 0, count: x.count)
            rows.withUnsafeBufferPointer { rows in
                x.withUnsafeBufferPointer { w in
                    z.withUnsafeMutableBufferPointer { z in
                        if K <= 4 {  // a product per class: no packing of the rows (see gemvDouble)
                            for k in 0..<K {
                                gemvDouble(rows: n, columns: d, a: rows.baseAddress!, lda: d, x: w.baseAddress! + k * d, y: column.baseAddress!)
                                for r in 0..<n { z[r * K + k] = column[r] }
                            }
                        } else {
                            gemmDouble(transposeB: true, m: n, n: K, k: d, a: rows.baseAddress!, lda: d, b: w.baseAddress!, ldb: d, c: z.baseAddress!, ldc: K)
                        }
                    }
                }
            }
            var value = 0.0
            for (r, label) in labels.enumerated() {
                let o = r * K
                var top = -Double.infinity
                for k in 0..<K { z[o + k] += x[K * d + k]; top = max(top, z[o + k]) }
                var total = 0.0
                for k in 0..<K { z[o + k] = Double.exp(z[o + k] - top); total += z[o + k] }
                value -= Double.log(z[o + label] / total)
                for k in 0..<K {
                    z[o + k] = z[o + k] / total - (k == label ? 1 : 0)  // ∂loss/∂logit
                    gradient[K * d + k] += z[o + k]
                }
            }
            rows.withUnsafeBufferPointer { rows in
                z.withUnsafeBufferPointer { delta in
                    gradient.withUnsafeMutableBufferPointer { g in
                        if K <= 4 {
                            for k in 0..<K {
                                for r in 0..<n { column[r] = delta[r * K + k] }
                                gemvDouble(transposeA: true, rows: n, columns: d, a: rows.baseAddress!, lda: d, x: column.baseAddress!, y: g.baseAddress! + k * d)
                            }
                        } else {
                            gemmDouble(transposeA: true, m: K, n: d, k: n, a: delta.baseAddress!, lda: K, b: rows.baseAddress!, ldb: d, c: g.baseAddress!, ldc: d)
                        }
                    }
                }
            }
            var penalty = 0.0
            for i in 0..<(K * d) { penalty += x[i] * x[i] }
            for i in gradient.indices { gradient[i] /= Double(n) }
            for i in 0..<(K * d) { gradient[i] += lambda * x[i] }
            return (value / Double(n) + lambda / 2 * penalty, gradient)
        }
        return (x[0..<(K * d)].map(Float.init), x[(K * d)...].map(Float.init), iterations, loss)
    }

    /// One binary logistic regression per tag (scikit-learn's one-vs-rest, each at C): tag t's logit is
    /// w_t · x + b_t, `targets` the multi-hot rows (n × tags). Each is fit as a two-class softmax at C/2,
    /// which has the same optimum (the two rows settle at ±w/2, so their penalty is ‖w‖²/4), and kept as
    /// the difference of its rows.
    public static func fitOneVsRest(features: [[Float]], targets: [[Float]], tags: Int, inverseRegularization c: Double = 1)
        -> (weights: [Float], biases: [Float], iterations: Int, loss: Double) {
        let d = features.first?.count ?? 0
        var weights: [Float] = [], biases: [Float] = [], iterations = 0, loss = 0.0
        for t in 0..<tags {
            let fit = fit(features: features, labels: targets.map { $0[t] > 0.5 ? 1 : 0 }, classes: 2, inverseRegularization: c / 2)
            weights += (0..<d).map { fit.weights[d + $0] - fit.weights[$0] }
            biases.append(fit.biases[1] - fit.biases[0])
            (iterations, loss) = (iterations + fit.iterations, loss + fit.loss / Double(tags))
        }
        return (weights, biases, iterations, loss)
    }

    /// The logits of each row under `weights` (classes × d) and `biases`, as `fit` returns them.
    public static func logits(_ rows: [[Float]], weights: [Float], biases: [Float], classes: Int) -> [[Float]] {
        rows.map { row in
            let d = row.count
            return (0..<classes).map { k in
                var z = biases[k]
                for j in 0..<d { z += weights[k * d + j] * row[j] }
                return z
            }
        }
    }

    /// The highest-scoring class of each row (the first of equal scores).
    public static func predict(_ rows: [[Float]], weights: [Float], biases: [Float], classes: Int) -> [Int] {
        logits(rows, weights: weights, biases: biases, classes: classes).map { z in
            var best = 0, top = -Float.infinity
            for k in z.indices where z[k] > top { (best, top) = (k, z[k]) }
            return best
        }
    }
}
