/// Named parameters in flat buffers: all values in one, all gradients in another (zeroing them is one
/// memset; optimizers and clipping are single loops). Names are checkpoint keys
/// (`encoder.layer.3.attention.self.query.weight`).
public final class ParameterStore {
    public struct Parameter: Sendable, Equatable {
        public let name: String
        public let shape: [Int]
        /// First element in `values` and `gradients`.
        public let offset: Int
        public var count: Int { shape.reduce(1, *) }
        /// Frozen parameters keep their values: optimizers skip them.
        public var trainable = true
        /// Whether weight decay applies; off by default for biases and normalization weights.
        public var weightDecay: Bool
        /// Multiplies the learning rate (layer-wise decay, discriminative learning rates).
        public var learningRateScale: Float = 1
    }

    public private(set) var parameters: [Parameter]
    private let index: [String: Int]
    public let values: TensorStorage
    public let gradients: TensorStorage

    /// All elements, trainable or not.
    public var count: Int { values.count }

    public init(_ specifications: [(name: String, shape: [Int])]) {
        var parameters: [Parameter] = []
        var index: [String: Int] = [:]
        var offset = 0
        for (name, shape) in specifications {
            precondition(index[name] == nil, "parameter \(name) declared twice")
            index[name] = parameters.count
            // Biases (including PyTorch's recurrent bias_ih_l0) and normalization weights take no decay.
            let last = name.split(separator: ".").last ?? ""
            let noDecay = last.hasPrefix("bias") || name.contains("LayerNorm") || name.contains("norm.")
            parameters.append(Parameter(name: name, shape: shape, offset: offset, weightDecay: !noDecay))
            offset += (shape.reduce(1, *) + 15) & ~15  // 64-byte aligned rows for the kernels
        }
        self.parameters = parameters
        self.index = index
        values = TensorStorage(zeroedCount: offset)
        gradients = TensorStorage(zeroedCount: offset)
    }

    public func parameter(_ name: String) -> Parameter? { index[name].map { parameters[$0] } }

    /// The value of `name` as a view into the store (writes change the model).
    public func value(_ name: String) -> Tensor {
        let p = parameters[required(name)]
        return Tensor(storage: values, offset: p.offset, shape: p.shape)
    }

    /// The gradient of `name` as a view into the store.
    public func gradient(_ name: String) -> Tensor {
        let p = parameters[required(name)]
        return Tensor(storage: gradients, offset: p.offset, shape: p.shape)
    }

    private func required(_ name: String) -> Int {
        guard let i = index[name] else { preconditionFailure("no parameter named \(name)") }
        return i
    }

    /// Zeroes the gradients of trainable parameters (frozen ones are never written, and a frozen
    /// embedding table can be most of the store).
    public func zeroGradients() {
        for p in parameters where p.trainable { (gradients.pointer + p.offset).update(repeating: 0, count: p.count) }
    }

    /// Freezes (or unfreezes) every parameter whose name matches `pattern`; returns how many matched.
    /// Patterns are globs: `*` matches any run of characters, e.g. `encoder.layer.*` or `*.bias`.
    @discardableResult
    public func setTrainable(_ trainable: Bool, matching pattern: String) -> Int {
        update(matching: pattern) { $0.trainable = trainable }
    }

    /// Sets the learning-rate multiplier of every parameter matching `pattern`; returns how many matched.
    @discardableResult
    public func setLearningRateScale(_ scale: Float, matching pattern: String) -> Int {
        update(matching: pattern) { $0.learningRateScale = scale }
    }

    /// Turns weight decay on or off for every parameter matching `pattern`; returns how many matched.
    @discardableResult
    public func setWeightDecay(_ decays: Bool, matching pattern: String) -> Int {
        update(matching: pattern) { $0.weightDecay = decays }
    }

    private func update(matching pattern: String, _ change: (inout Parameter) -> Void) -> Int {
        var matched = 0
        for i in parameters.indices where globMatches(pattern, parameters[i].name) {
            change(&parameters[i])
            matched += 1
        }
        return matched
    }

    /// Elements of trainable parameters.
    public var trainableCount: Int { parameters.filter(\.trainable).reduce(0) { $0 + $1.count } }
}

/// `*` matches any run of characters, everything else itself.
package func globMatches(_ pattern: String, _ text: String) -> Bool {
    let p = Array(pattern.utf8), t = Array(text.utf8)
    var (pi, ti, star, mark) = (0, 0, -1, 0)
    while ti < t.count {
        if pi < p.count && p[pi] != UInt8(ascii: "*") && p[pi] == t[ti] {
            pi += 1; ti += 1
        } else if pi < p.count && p[pi] == UInt8(ascii: "*") {
            star = pi; mark = ti; pi += 1
        } else if star >= 0 {
            pi = star + 1; mark += 1; ti = mark
        } else {
            return false
        }
    }
    while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
    return pi == p.count
}
