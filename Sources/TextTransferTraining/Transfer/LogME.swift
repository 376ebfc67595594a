import Foundation
import TextTransferCore

/// LogME (You et al., ICML 2021): how well frozen features suit a labelled task, without training — the
/// log of the maximum evidence of a Bayesian linear model from the features to each class's one-hot
/// column, per example, averaged over the classes. Higher is better; it ranks encoders for a task as
/// their fine-tuned accuracy does in most NLP setups. The evidence is maximised over the prior's and the
/// noise's precisions (α, β) by MacKay's fixed point, on the eigendecomposition of FᵀF, as the authors'
/// code does (at most 11 rounds, stopping when α/β moves by less than 1%).
public enum LogME {
    /// `features` n rows of width d, `labels` in 0..<classes.
    public static func score(features: [[Float]], labels: [Int], classes: Int) -> Double {
        let N = features.count, D = features.first?.count ?? 0
        precondition(N == labels.count && N > 0 && D > 0, "\(N) feature rows for \(labels.count) labels")
        let f = features.map { $0.map(Double.init) }
        // FᵀF (D × D, symmetric; the lower triangle, column-major, is what dsyevd reads).
        var gram = [Double](repeating: 0, count: D * D)
        for row in f {
            for a in 0..<D where row[a] != 0 {
                let ra = row[a]
                for b in a..<D { gram[a * D + b] += ra * row[b] }  // column a, rows b ≥ a
            }
        }
        let (eigenvalues, vectors) = symmetricEigen(gram, dimension: D, triangle: "L")
        let s = eigenvalues.map(abs)  // singular values of the PSD matrix, as the SVD gives them
        var total = 0.0
        for k in 0..<classes {
            let y = labels.map { $0 == k ? 1.0 : 0.0 }
            total += evidence(y, f: f, s: s, vectors: vectors, D: D)
        }
        return total / Double(classes)
    }

    /// The maximum log evidence of one target column y, per example.
    static func evidence(_ y: [Double], f: [[Double]], s: [Double], vectors: [Double], D: Int) -> Double {
        let N = f.count
        let epsilon = 1e-5
        var fy = [Double](repeating: 0, count: D)  // Fᵀy
        for (row, t) in zip(f, y) where t != 0 { for j in 0..<D { fy[j] += row[j] * t } }
        // tmp_i = v_i · Fᵀy, v_i the i-th eigenvector (row i of `vectors`).
        let tmp = (0..<D).map { i in (0..<D).reduce(0.0) { $0 + vectors[i * D + $1] * fy[$1] } }
        var alpha = 1.0, beta = 1.0, lambda = alpha / beta
        var alphaDenominator = 0.0, betaDenominator = 0.0
        for _ in 0..<11 {
            let gamma = s.reduce(0.0) { $0 + $1 / ($1 + lambda) }
            var m = [Double](repeating: 0, count: D)
            for i in 0..<D {
                let c = tmp[i] * beta / (alpha + beta * s[i])
                for j in 0..<D { m[j] += vectors[i * D + j] * c }
            }
            alphaDenominator = m.reduce(0.0) { $0 + $1 * $1 }
            alpha = gamma / (alphaDenominator + epsilon)
            betaDenominator = 0
            for (row, t) in zip(f, y) {
                var fm = 0.0
                for j in 0..<D { fm += row[j] * m[j] }
                betaDenominator += (t - fm) * (t - fm)
            }
            beta = (Double(N) - gamma) / (betaDenominator + epsilon)
            let next = alpha / beta
            if abs(next - lambda) / lambda < 0.01 { break }
            lambda = next
        }
        let n = Double(N), d = Double(D)
        let logDeterminant = s.reduce(0.0) { $0 + Double.log(alpha + beta * $1) }
        let evidence = d / 2 * Double.log(alpha) + n / 2 * Double.log(beta) - 0.5 * logDeterminant
            - beta / 2 * (betaDenominator + epsilon) - alpha / 2 * (alphaDenominator + epsilon) - n / 2 * Double.log(2 * Double.pi)
        return evidence / n
    }
}
