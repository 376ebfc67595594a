import Foundation
import TextTransferCore

/// An LSTM or GRU layer, one direction or both, with PyTorch's equations, gate order and parameter names
/// (`weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, and `…_reverse`), under `prefix`.
///
/// Sequences are right-padded with lengths: each direction runs over a sequence's real steps only (the
/// backward direction starts at its last real token), padded steps output zeros, and no gradient reaches
/// or leaves them — what PyTorch gives for packed sequences.
///
/// Speed: the input projections of all time steps are one product per direction, so are the weight
/// gradients; the two directions' recurrences run on two workers at once.
public struct RecurrentLayer: Sendable {
    public enum Cell: String, Sendable, Codable, CaseIterable {
        case lstm, gru
        var gates: Int { self == .lstm ? 4 : 3 }
    }

    public let cell: Cell
    public let inputSize: Int
    public let hiddenSize: Int
    public let bidirectional: Bool
    public let prefix: String

    public init(cell: Cell, inputSize: Int, hiddenSize: Int, bidirectional: Bool, prefix: String = "rnn.") {
        self.cell = cell
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.bidirectional = bidirectional
        self.prefix = prefix
    }

    public var directions: Int { bidirectional ? 2 : 1 }
    public var outputSize: Int { hiddenSize * directions }

    func names(_ direction: Int) -> (inputWeight: String, hiddenWeight: String, inputBias: String, hiddenBias: String) {
        let suffix = direction == 1 ? "_reverse" : ""
        return (prefix + "weight_ih_l0" + suffix, prefix + "weight_hh_l0" + suffix, prefix + "bias_ih_l0" + suffix, prefix + "bias_hh_l0" + suffix)
    }

    public func parameterShapes() -> [(name: String, shape: [Int])] {
        let G = cell.gates * hiddenSize
        return (0..<directions).flatMap { d -> [(name: String, shape: [Int])] in
            let n = names(d)
            return [(n.inputWeight, [G, inputSize]), (n.hiddenWeight, [G, hiddenSize]), (n.inputBias, [G]), (n.hiddenBias, [G])]
        }
    }

    /// PyTorch's initialization: every weight and bias uniform in ±1/√H.
    public func initialize(_ store: ParameterStore, generator: inout RandomGenerator) {
        let bound = 1 / Float(hiddenSize).squareRoot()
        for (name, _) in parameterShapes() {
            let t = store.value(name)
            for i in 0..<t.count { t.pointer[i] = (generator.nextUnitFloat() * 2 - 1) * bound }
        }
    }

    /// What one direction keeps for backward, in processing order (step k is time k forwards, T−1−k backwards).
    struct DirectionState {
        let inputs: Tensor       // (T, B, E)
        let gates: Tensor        // LSTM: (T, B, 4H) activations. GRU: (T, B, 3H) input parts gi
        let activations: Tensor? // GRU: (T, B, 3H) r, z, n
        let hiddenParts: Tensor? // GRU: (T, B, 3H) gh
        let states: Tensor       // (T+1, B, H), states[0] = 0
        let cells: Tensor?       // LSTM: (T+1, B, H)
        let active: [UInt8]      // (T, B)
        var stepProducts: Tensor? = nil  // LSTM on packed W_hh: (B, 4H), one step's hPrev · W_hhᵀ
    }

    public struct Saved {
        let lengths: [Int32]
        let batch: Int
        let tokens: Int
        let directionStates: [DirectionState]
    }

    @inline(__always) func time(_ k: Int, _ direction: Int, _ T: Int) -> Int { direction == 0 ? k : T - 1 - k }

    /// Outputs (B, T, D·H) for inputs x (B, T, E), from `workspace`.
    public func forward(_ x: Tensor, lengths: [Int32], store: ParameterStore, workspace: Workspace) -> (output: Tensor, saved: Saved) {
        forward(x, lengths: lengths, store: store, workspace: workspace, packed: nil)
    }

    /// The layer's weights packed once for inference on our fp32 kernel, per direction: the input
    /// projection (with both biases, for an LSTM, which adds them together) and the hidden-to-hidden weight
    /// (with the GRU's hidden bias). A step's product is only B × G × H, small enough that OpenBLAS repacking
    /// W_hh at every step costs as much as the arithmetic. A copy: training the store afterwards does not
    /// change it.
    package struct PackedWeights: Sendable {
        let input: [PackedLinear]
        let hidden: [PackedLinear]
    }

    package func packedWeights(_ store: ParameterStore) -> PackedWeights {
        let G = cell.gates * hiddenSize
        var input: [PackedLinear] = [], hidden: [PackedLinear] = []
        for d in 0..<directions {
            let n = names(d)
            var bias = store.value(n.inputBias).values
            if cell == .lstm { bias = zip(bias, store.value(n.hiddenBias).values).map { $0 + $1 } }
            input.append(PackedLinear(precision: .fp32, weight: store.value(n.inputWeight).pointer, bias: bias,
                                      outFeatures: G, inFeatures: inputSize))
            hidden.append(PackedLinear(precision: .fp32, weight: store.value(n.hiddenWeight).pointer,
                                       bias: cell == .gru ? store.value(n.hiddenBias).pointer : nil, outFeatures: G, inFeatures: hiddenSize))
        }
        return PackedWeights(input: input, hidden: hidden)
    }

    /// `forward`, with its products on `packed` (from `packedWeights`) when given.
    package func forward(_ x: Tensor, lengths: [Int32], store: ParameterStore, workspace: Workspace,
                         packed: PackedWeights?) -> (output: Tensor, saved: Saved) {
        let (B, T, E, H, G) = (x.shape[0], x.shape[1], inputSize, hiddenSize, cell.gates * hiddenSize)
        precondition(x.shape[2] == E && lengths.count == B, "inputs \(x.shape) do not fit a layer of input size \(E)")
        let output = workspace.tensor([B, T, outputSize])
        output.zero()
        var states: [DirectionState] = []
        for d in 0..<directions {
            let n = names(d)
            let inputs = workspace.tensor([T, B, E])
            for k in 0..<T {
                let t = time(k, d, T)
                for b in 0..<B { (inputs.pointer + (k * B + b) * E).update(from: x.pointer + (b * T + t) * E, count: E) }
            }
            let gates = workspace.tensor([T, B, G])
            if let packed {
                packed.input[d].forward(x: inputs.pointer, y: gates.pointer, rows: T * B)
            } else {
                linearForward(x: inputs.pointer, weight: store.value(n.inputWeight).pointer, bias: store.value(n.inputBias).pointer,
                              y: gates.pointer, rows: T * B, inFeatures: E, outFeatures: G)
            }
            if cell == .lstm && packed == nil {  // both biases act together in an LSTM (the packed bias holds both)
                let hb = store.value(n.hiddenBias).pointer
                for r in 0..<(T * B) { addInPlace(gates.pointer + r * G, hb, count: G) }
            }
            let active = (0..<(T * B)).map { UInt8(time($0 / B, d, T) < Int(lengths[$0 % B]) ? 1 : 0) }
            let s = workspace.tensor([T + 1, B, H])
            s.zero()
            let stepProducts = packed != nil && cell == .lstm ? workspace.tensor([B, G]) : nil
            let c: Tensor? = cell == .lstm ? workspace.tensor([T + 1, B, H]) : nil
            c?.zero()
            states.append(DirectionState(inputs: inputs, gates: gates,
                                         activations: cell == .gru ? workspace.tensor([T, B, G]) : nil,
                                         hiddenParts: cell == .gru ? workspace.tensor([T, B, G]) : nil,
                                         states: s, cells: c, active: active, stepProducts: stepProducts))
        }
        ComputeThreads.parallelChunks(directions) { _, range in
            for d in range { recur(d, states[d], B: B, T: T, store: store, packed: packed?.hidden[d], output: output) }
        }
        return (output, Saved(lengths: lengths, batch: B, tokens: T, directionStates: states))
    }

    /// The recurrence of direction `d`, one step at a time.
    private func recur(_ d: Int, _ s: DirectionState, B: Int, T: Int, store: ParameterStore, packed: PackedLinear?, output: Tensor) {
        let (H, G) = (hiddenSize, cell.gates * hiddenSize)
        let n = names(d)
        let whh = store.value(n.hiddenWeight).pointer
        s.active.withUnsafeBufferPointer { active in
            for k in 0..<T {
                let hPrev = s.states.pointer + k * B * H, h = hPrev + B * H
                let act = active.baseAddress! + k * B
                switch cell {
                case .lstm:
                    let g = s.gates.pointer + k * B * G
                    if let packed, let products = s.stepProducts {
                        packed.forward(x: hPrev, y: products.pointer, rows: B)
                        addInPlace(g, products.pointer, count: B * G)
                    } else {
                        gemm(transposeB: true, m: B, n: G, k: H, a: hPrev, lda: H, b: whh, ldb: H, beta: 1, c: g, ldc: G)
                    }
                    let cPrev = s.cells!.pointer + k * B * H
                    lstmCellForward(gates: g, cPrev: cPrev, hPrev: hPrev, c: cPrev + B * H, h: h, active: act, rows: B, hidden: H)
                case .gru:
                    let gh = s.hiddenParts!.pointer + k * B * G
                    if let packed {
                        packed.forward(x: hPrev, y: gh, rows: B)  // its bias is the hidden bias
                    } else {
                        let hb = store.value(n.hiddenBias).pointer
                        for b in 0..<B { (gh + b * G).update(from: hb, count: G) }
                        gemm(transposeB: true, m: B, n: G, k: H, a: hPrev, lda: H, b: whh, ldb: H, beta: 1, c: gh, ldc: G)
                    }
                    gruCellForward(gi: s.gates.pointer + k * B * G, gh: gh, hPrev: hPrev, act: s.activations!.pointer + k * B * G, h: h,
                                   active: act, rows: B, hidden: H)
                }
                let t = time(k, d, T)
                for b in 0..<B where act[b] != 0 {
                    (output.pointer + (b * T + t) * outputSize + d * H).update(from: h + b * H, count: H)
                }
            }
        }
    }

    /// Accumulates the layer's parameter gradients from dL/doutput (B, T, D·H); returns dL/dx (B, T, E)
    /// when `inputGradient` is set (nil for frozen inputs such as fixed embeddings).
    public func backward(_ dOutput: Tensor, saved: Saved, store: ParameterStore, workspace: Workspace, inputGradient: Bool) -> Tensor? {
        let (B, T, E, H, G) = (saved.batch, saved.tokens, inputSize, hiddenSize, cell.gates * hiddenSize)
        // Per direction: gradients of the step pre-activations (LSTM: dGates; GRU: dGi and dGh).
        let dInput = (0..<directions).map { _ in workspace.tensor([T, B, G]) }
        let dHidden: [Tensor?] = (0..<directions).map { _ in cell == .gru ? workspace.tensor([T, B, G]) : nil }
        let running = (0..<directions).map { _ in (workspace.tensor([B, H]), workspace.tensor([B, H])) }
        ComputeThreads.parallelChunks(directions) { _, range in
            for d in range {
                backRecur(d, saved.directionStates[d], dOutput: dOutput, dInput: dInput[d], dHidden: dHidden[d],
                          dh: running[d].0, dc: running[d].1, B: B, T: T, store: store)
            }
        }
        let dx: Tensor? = inputGradient ? workspace.tensor([B, T, E]) : nil
        dx?.zero()
        let dxSteps = inputGradient ? workspace.tensor([T, B, E]) : nil
        for d in 0..<directions {
            let n = names(d)
            let s = saved.directionStates[d]
            dxSteps?.zero()
            // One product each over all steps: dW_ih += dGᵀ·X, dW_hh += dG_hᵀ·H_prev, biases, dX = dG·W_ih.
            linearBackward(x: s.inputs.pointer, weight: store.value(n.inputWeight).pointer, dy: dInput[d].pointer,
                           dx: dxSteps?.pointer, dWeight: store.gradient(n.inputWeight).pointer,
                           dBias: store.gradient(n.inputBias).pointer, rows: T * B, inFeatures: E, outFeatures: G)
            linearBackward(x: s.states.pointer, weight: store.value(n.hiddenWeight).pointer, dy: (dHidden[d] ?? dInput[d]).pointer,
                           dx: nil, dWeight: store.gradient(n.hiddenWeight).pointer, dBias: store.gradient(n.hiddenBias).pointer,
                           rows: T * B, inFeatures: H, outFeatures: G)
            if let dx, let dxSteps {
                for k in 0..<T {
                    let t = time(k, d, T)
                    for b in 0..<B { addInPlace(dx.pointer + (b * T + t) * E, dxSteps.pointer + (k * B + b) * E, count: E) }
                }
            }
        }
        return dx
    }

    private func backRecur(_ d: Int, _ s: DirectionState, dOutput: Tensor, dInput: Tensor, dHidden: Tensor?, dh: Tensor, dc: Tensor,
                           B: Int, T: Int, store: ParameterStore) {
        let (H, G) = (hiddenSize, cell.gates * hiddenSize)
        let whh = store.value(names(d).hiddenWeight).pointer
        dh.zero()
        dc.zero()
        s.active.withUnsafeBufferPointer { active in
            for k in stride(from: T - 1, through: 0, by: -1) {
                let act = active.baseAddress! + k * B
                let t = time(k, d, T)
                for b in 0..<B where act[b] != 0 {
                    addInPlace(dh.pointer + b * H, dOutput.pointer + (b * T + t) * outputSize + d * H, count: H)
                }
                let hPrev = s.states.pointer + k * B * H
                switch cell {
                case .lstm:
                    let dg = dInput.pointer + k * B * G
                    let cPrev = s.cells!.pointer + k * B * H
                    lstmCellBackward(gates: s.gates.pointer + k * B * G, c: cPrev + B * H, cPrev: cPrev, dh: dh.pointer, dc: dc.pointer, dGates: dg,
                                     active: act, rows: B, hidden: H)
                    gemm(m: B, n: H, k: G, a: dg, lda: G, b: whh, ldb: H, beta: 1, c: dh.pointer, ldc: H)
                case .gru:
                    let dgh = dHidden!.pointer + k * B * G
                    gruCellBackward(act: s.activations!.pointer + k * B * G, gh: s.hiddenParts!.pointer + k * B * G, hPrev: hPrev,
                                    dh: dh.pointer, dGi: dInput.pointer + k * B * G, dGh: dgh, active: act, rows: B, hidden: H)
                    gemm(m: B, n: H, k: G, a: dgh, lda: G, b: whh, ldb: H, beta: 1, c: dh.pointer, ldc: H)
                }
            }
        }
    }
}
