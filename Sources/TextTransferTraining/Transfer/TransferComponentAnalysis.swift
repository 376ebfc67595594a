import TextTransferCore

/// Transfer component analysis (Pan, Tsang, Kwok & Yang, 2011) on a Nyström approximation of its RBF
/// kernel, so that it costs O(n·m) for m landmarks instead of TCA's O(n²): the k directions of the kernel
/// feature space that keep the data's variance while shrinking the distance between the domains' means
/// (their MMD). With every point a landmark it is exact TCA: the problem max tr(Wᵀ KHK W) subject to
/// Wᵀ(KLK + μI)W = I, with W = ΦA for the Nyström features Φ (ΦΦᵀ = K), becomes the m × m problem
/// max tr(Aᵀ G S G A) subject to Aᵀ(G M G + μG)A = I, where G = ΦᵀΦ, S = ΦᵀHΦ and M = ΦᵀLΦ = δδᵀ,
/// δ the difference of the domains' mean features; a point x embeds as φ(x)ᵀ G A (Pan's K(x, X) W).
public struct TransferComponentAnalysis: Sendable {
    public struct Settings: Codable, Sendable, Equatable {
        /// Nyström landmarks, half from each domain (fewer when the domains have fewer points).
        public var landmarks = 500
        /// Transfer components kept.
        public var components = 32
        /// μ: the weight of the components' norm against the domains' distance.
        public var mu = 1.0
        /// The RBF kernel's σ; nil for the median distance between the landmarks times `bandwidthScale`.
        public var bandwidth: Double?
        public var bandwidthScale = 1.0
        public var seed: UInt64 = 0

        public init() {}
    }

    public let settings: Settings
    /// The kernel's Nyström features (its σ is `kernel.bandwidth`).
    public let kernel: NystromFeatureMap
    /// G A (m × k): z(x) = φ(x) · projection.
    let projection: DenseMatrix

    public init(source: [[Float]], target: [[Float]], settings: Settings = Settings()) {
        precondition(source.count >= 2 && target.count >= 2, "each domain needs two points")
        precondition(settings.landmarks >= 2 && settings.components >= 1 && settings.mu > 0, "landmarks ≥ 2, components ≥ 1, μ > 0")
        self.settings = settings
        kernel = NystromFeatureMap(source: source, target: target, landmarks: settings.landmarks, bandwidth: settings.bandwidth,
                                   bandwidthScale: settings.bandwidthScale, seed: settings.seed)
        // G = ΦᵀΦ and each domain's feature sums, a block of rows at a time: Φ itself (n × m) is never
        // held, so memory stays O(m²) beside the rows however many there are.
        let m = kernel.landmarkCount
        var g = DenseMatrix(zeros: m, m)
        var sums = [[Double]](repeating: [Double](repeating: 0, count: m), count: 2)
        for (domain, rows) in [source, target].enumerated() {
            for start in stride(from: 0, to: rows.count, by: 4096) {
                let phi = kernel.features(DenseMatrix(Array(rows[start..<min(start + 4096, rows.count)])))
                g = g + phi.times(phi, transposingSelf: true)
                for r in 0..<phi.rows { for c in 0..<m { sums[domain][c] += phi[r, c] } }
            }
        }
        let n = Double(source.count + target.count)
        let mean = (0..<m).map { (sums[0][$0] + sums[1][$0]) / n }
        // S = ΦᵀHΦ = Σ (φ − mean)(φ − mean)ᵀ = G − n·mean·meanᵀ.
        var s = g
        for i in 0..<m { for j in 0..<m { s[i, j] -= n * mean[i] * mean[j] } }
        let delta = (0..<m).map { sums[0][$0] / Double(source.count) - sums[1][$0] / Double(target.count) }
        let gDelta = DenseMatrix(rows: m, columns: 1, values: delta).times(g, transposingSelf: true)  // δᵀG (1 × m)
        var b = gDelta.times(gDelta, transposingSelf: true)  // Gδ δᵀG
        for i in b.values.indices { b.values[i] += settings.mu * g.values[i] }
        // G is singular where the landmarks' kernel was cut: a ridge at rounding's scale keeps B invertible.
        let ridge = 1e-9 * (0..<m).reduce(0.0) { $0 + b[$1, $1] } / Double(m)
        for i in 0..<m { b[i, i] += ridge }
        let bInverseRoot = b.symmetricFunction { $0 > 0 ? 1 / $0.squareRoot() : 0 }
        let gsg = g.times(s).times(g)
        let (values, vectors) = bInverseRoot.times(gsg).times(bInverseRoot).symmetricEigen
        let k = min(settings.components, m)
        // The k largest eigenvalues' vectors (ascending order from LAPACK), as columns.
        var v = DenseMatrix(zeros: m, k)
        for c in 0..<k {
            let row = values.count - 1 - c
            for j in 0..<m { v[j, c] = vectors[row, j] }
        }
        projection = g.times(bInverseRoot.times(v))
    }

    /// The transfer components of `rows` (n × k).
    public func transform(_ rows: [[Float]]) -> [[Float]] {
        guard !rows.isEmpty else { return [] }
        return kernel.features(DenseMatrix(rows)).times(projection).asFloatRows
    }
}

/// The Nyström approximation of an RBF kernel k(x, y) = exp(−‖x − y‖² / (2σ²)) on m landmarks, half from
/// each of two samples: φ(x) = k(x, landmarks) K_mm^{−1/2}, so that φ(x)·φ(y) ≈ k(x, y) and a linear model
/// on φ is an approximate kernel machine, at O(n·m).
public struct NystromFeatureMap: Sendable {
    /// σ: given, or the median distance between the landmarks (times a scale).
    public let bandwidth: Double
    let landmarks: DenseMatrix
    /// K_mm^{−1/2} (m × m), its smallest eigenvalues (below 1e-10 of the largest) cut.
    let whitening: DenseMatrix
    /// m: the width of the features.
    public var landmarkCount: Int { landmarks.rows }

    /// The landmarks depend on the seed and the rows only, so maps that differ in σ share them.
    public init(source: [[Float]], target: [[Float]], landmarks count: Int, bandwidth: Double? = nil, bandwidthScale: Double = 1, seed: UInt64 = 0) {
        var generator = RandomGenerator(seed: seed)
        let fromTarget = min(target.count, count / 2), fromSource = min(source.count, count - fromTarget)
        func pick(_ rows: [[Float]], _ n: Int) -> [[Float]] {
            guard n < rows.count else { return rows }
            var order = Array(rows.indices)
            order.shuffle(using: &generator)
            return order.prefix(n).sorted().map { rows[$0] }
        }
        landmarks = DenseMatrix(pick(source, fromSource) + pick(target, min(target.count, count - fromSource)))
        let distances = DenseMatrix.squaredDistances(landmarks, landmarks)
        self.bandwidth = bandwidth ?? bandwidthScale * distances.medianOffDiagonalDistance
        let kmm = Self.kernel(distances, bandwidth: self.bandwidth)
        let top = kmm.symmetricEigen.values.last ?? 1
        whitening = kmm.symmetricFunction { $0 > 1e-10 * top ? 1 / $0.squareRoot() : 0 }
    }

    /// A map read back from its parts (a saved `KernelHead`).
    init(landmarks: DenseMatrix, whitening: DenseMatrix, bandwidth: Double) {
        (self.landmarks, self.whitening, self.bandwidth) = (landmarks, whitening, bandwidth)
    }

    /// φ of each row (n × m).
    public func features(_ rows: [[Float]]) -> [[Float]] { features(rows, withComponents: nil) }

    /// φ(x) ⧺ φ(x)·P (φ(x) alone without P): a linear model on these is a kernel machine on k + k_TCA. A
    /// block of rows at a time: the distances and kernel values are doubles, n × m of them for all rows at
    /// once (800 MB for 100k rows).
    func features(_ rows: [[Float]], withComponents projection: DenseMatrix?) -> [[Float]] {
        var out: [[Float]] = []
        out.reserveCapacity(rows.count)
        for start in stride(from: 0, to: rows.count, by: 4096) {
            let phi = features(DenseMatrix(Array(rows[start..<min(start + 4096, rows.count)])))
            let z = projection.map { phi.times($0) }
            for r in 0..<phi.rows {
                out.append((0..<phi.columns).map { Float(phi[r, $0]) } + (0..<(z?.columns ?? 0)).map { Float(z![r, $0]) })
            }
        }
        return out
    }

    func features(_ x: DenseMatrix) -> DenseMatrix { Self.kernel(DenseMatrix.squaredDistances(x, landmarks), bandwidth: bandwidth).times(whitening) }

    static func kernel(_ squared: DenseMatrix, bandwidth: Double) -> DenseMatrix {
        let gamma = 1 / (2 * bandwidth * bandwidth)
        return DenseMatrix(rows: squared.rows, columns: squared.columns, values: squared.values.map { Double.exp(-gamma * $0) })
    }
}
