// Scalar approximations written so that LLVM vectorizes the loops that call them (no calls, no branches).

/// e^x with a relative error under 2e-7 on [-87, 88] (Cephes expf: range reduction by ln 2, a degree-5
/// polynomial, and the exponent placed directly in the bits). Inputs below -87.3 give 0.
@inline(__always)
public func fastExp(_ input: Float) -> Float {
    let x = min(max(input, -87.3), 88.3)
    let n = (x * 1.44269504088896341 + 0.5).rounded(.down)
    var r = x - n * 0.693359375
    r = r + n * 2.12194440e-4
    let r2 = r * r
    var p: Float = 1.9875691500e-4
    p = p * r + 1.3981999507e-3
    p = p * r + 8.3334519073e-3
    p = p * r + 4.1665795894e-2
    p = p * r + 1.6666665459e-1
    p = p * r + 5.0000001201e-1
    let y = p * r2 + r + 1
    let scale = Float(bitPattern: UInt32(bitPattern: Int32(n) + 127) << 23)
    let result = y * scale
    return input < -87.3 ? 0 : result
}

/// erf(x) to within a few float ulps: the odd/even rational approximation on [-4, 4] that Eigen and XLA
/// use for float (erf is ±1 in float outside that range).
@inline(__always)
public func fastErf(_ input: Float) -> Float {
    let x = min(max(input, -4), 4)
    let x2 = x * x
    var p: Float = -2.72614225801306e-10
    p = p * x2 + 2.77068142495902e-08
    p = p * x2 + -2.10102402082508e-06
    p = p * x2 + -5.69250639462346e-05
    p = p * x2 + -7.34990630326855e-04
    p = p * x2 + -2.95459980854025e-03
    p = p * x2 + -1.60960333262415e-02
    p = p * x
    var q: Float = -1.45660718464996e-05
    q = q * x2 + -2.13374055278905e-04
    q = q * x2 + -1.68282697438203e-03
    q = q * x2 + -7.37332916720468e-03
    q = q * x2 + -1.42647390514189e-02
    return p / q
}
