import TextTransferCore

/// What a fitted transfer kernel needs to classify new target rows, and nothing of how it was fitted:
/// the Nyström map of the RBF kernel (landmarks, K_mm^{−1/2}, σ), the TCA projection when the kernel was
/// adapted, and the logistic regression on top. A classifier directory stores it as tensors under
/// `kernel.` beside a frozen encoder whose pooled (normalized) vectors it reads.
public struct KernelHead: Sendable {
    /// The names its tensors are stored under.
    public static let landmarksName = "kernel.landmarks", whiteningName = "kernel.whitening", projectionName = "kernel.projection"
    public static let weightName = "kernel.classifier.weight", biasName = "kernel.classifier.bias"

    public let bandwidth: Double
    let map: NystromFeatureMap
    /// G·A of TCA (m × k); nil for the unadapted kernel.
    let projection: DenseMatrix?
    /// classes × featureWidth, row-major.
    let weights: [Float], biases: [Float]

    public var classes: Int { biases.count }
    /// The width of the rows it reads (the encoder's).
    public var inputWidth: Int { map.landmarks.columns }
    /// m, or m + k when adapted: the features the logistic regression reads.
    public var featureWidth: Int { map.landmarkCount + (projection?.columns ?? 0) }

    init(map: NystromFeatureMap, projection: DenseMatrix?, weights: [Float], biases: [Float]) {
        (self.map, self.projection, self.weights, self.biases) = (map, projection, weights, biases)
        bandwidth = map.bandwidth
        precondition(weights.count == biases.count * featureWidth, "weights for \(biases.count) classes × \(featureWidth) features")
    }

    /// Reads the head back from its tensors (`tensor(name)`, nil when absent); errors name the tensor.
    public init(bandwidth: Double, tensor: (String) throws -> Tensor?) throws {
        func matrix(_ name: String, _ required: Bool = true) throws -> DenseMatrix? {
            guard let t = try tensor(name) else {
                if required { throw ConfigurationError(key: name, message: "missing tensor") }
                return nil
            }
            guard t.shape.count == 2 else { throw ConfigurationError(key: name, message: "shape \(t.shape) is not a matrix") }
            return DenseMatrix(rows: t.shape[0], columns: t.shape[1], values: t.values.map(Double.init))
        }
        guard bandwidth.isFinite, bandwidth > 0 else { throw ConfigurationError(key: "kernel.bandwidth", message: "must be positive, not \(bandwidth)") }
        let landmarks = try matrix(Self.landmarksName)!, whitening = try matrix(Self.whiteningName)!
        let projection = try matrix(Self.projectionName, false)
        let m = landmarks.rows
        guard whitening.rows == m, whitening.columns == m else {
            throw ConfigurationError(key: Self.whiteningName, message: "shape [\(whitening.rows), \(whitening.columns)] should be [\(m), \(m)] for \(m) landmarks")
        }
        if let projection, projection.rows != m {
            throw ConfigurationError(key: Self.projectionName, message: "has \(projection.rows) rows for \(m) landmarks")
        }
        let width = m + (projection?.columns ?? 0)
        guard let w = try tensor(Self.weightName), w.shape.count == 2, w.shape[1] == width else {
            throw ConfigurationError(key: Self.weightName, message: "missing, or not (classes, \(width))")
        }
        guard let b = try tensor(Self.biasName), b.shape == [w.shape[0]] else {
            throw ConfigurationError(key: Self.biasName, message: "missing, or not (\(w.shape[0]))")
        }
        self.init(map: NystromFeatureMap(landmarks: landmarks, whitening: whitening, bandwidth: bandwidth), projection: projection,
                  weights: w.values, biases: b.values)
    }

    /// The tensors `init(bandwidth:tensor:)` reads.
    public var tensors: [String: Tensor] {
        func tensor(_ m: DenseMatrix) -> Tensor { Tensor(shape: [m.rows, m.columns], values: m.values.map(Float.init)) }
        var out = [Self.landmarksName: tensor(map.landmarks), Self.whiteningName: tensor(map.whitening),
                   Self.weightName: Tensor(shape: [classes, featureWidth], values: weights), Self.biasName: Tensor(shape: [classes], values: biases)]
        if let projection { out[Self.projectionName] = tensor(projection) }
        return out
    }

    /// The features the logistic regression reads: φ(x), with the transfer components φ(x)·P after it.
    public func features(_ rows: [[Float]]) -> [[Float]] { map.features(rows, withComponents: projection) }

    /// One row of logits (classes) per input row.
    public func logits(_ rows: [[Float]]) -> [[Float]] {
        LogisticRegressionFit.logits(features(rows), weights: weights, biases: biases, classes: classes)
    }

    /// The most probable class of each row.
    public func predict(_ rows: [[Float]]) -> [Int] {
        LogisticRegressionFit.predict(features(rows), weights: weights, biases: biases, classes: classes)
    }
}
