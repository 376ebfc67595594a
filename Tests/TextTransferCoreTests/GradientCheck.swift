import XCTest

/// Central finite differences in Double: checks that `analytic` is the gradient of `loss` at `point`.
/// Every coordinate is checked up to 400; beyond that an evenly spread sample.
func checkGradient(_ name: String, at point: [Double], analytic: [Double], step: Double = 1e-5, tolerance: Double = 1e-6,
                   file: StaticString = #filePath, line: UInt = #line, loss: ([Double]) -> Double) {
    XCTAssertEqual(point.count, analytic.count, "\(name): gradient size", file: file, line: line)
    let stride = max(1, point.count / 400)
    var worst = 0.0
    for i in Swift.stride(from: 0, to: point.count, by: stride) {
        var plus = point, minus = point
        plus[i] += step
        minus[i] -= step
        let numeric = (loss(plus) - loss(minus)) / (2 * step)
        let error = abs(numeric - analytic[i]) / max(1, abs(numeric) + abs(analytic[i]))
        worst = max(worst, error)
        if error > tolerance {
            XCTFail("\(name): d/dx[\(i)] analytic \(analytic[i]) vs numeric \(numeric)", file: file, line: line)
            return
        }
    }
    XCTAssertLessThanOrEqual(worst, tolerance, name, file: file, line: line)
}

/// Σ y_i r_i: a scalar loss whose gradient with respect to y is r.
func weightedSum(_ y: [Double], _ r: [Double]) -> Double { zip(y, r).reduce(0) { $0 + $1.0 * $1.1 } }
