import XCTest
import TextTransferCore
import TextTransferEncoders
import TextTransferIO
import TextTransferTokenization
import TextTransferTraining

/// The fast RecurrentLayer (Float, BLAS, C cells, directions in parallel) against its Double twin.
final class RecurrentLayerTests: XCTestCase {
    /// Inference with the weights packed for our fp32 kernel (`packedWeights`) gives the outputs of the
    /// OpenBLAS products, for both cells, both directions and uneven lengths.
    func testPackedWeightsGiveTheSameOutputs() {
        let (B, T, E, H) = (5, 7, 6, 20)
        let lengths: [Int32] = [7, 3, 1, 6, 4]
        for cell in RecurrentLayer.Cell.allCases {
            let layer = RecurrentLayer(cell: cell, inputSize: E, hiddenSize: H, bidirectional: true)
            let store = ParameterStore(layer.parameterShapes())
            var generator = RandomGenerator(seed: 3)
            layer.initialize(store, generator: &generator)
            let x = Tensor(shape: [B, T, E], values: (0..<(B * T * E)).map { _ in generator.nextUnitFloat() * 2 - 1 })
            let plain = layer.forward(x, lengths: lengths, store: store, workspace: Workspace()).output.values
            let packed = layer.forward(x, lengths: lengths, store: store, workspace: Workspace(),
                                       packed: layer.packedWeights(store)).output.values
            XCTAssertEqual(plain.count, packed.count)
            let worst = zip(plain, packed).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(worst, 1e-5, "\(cell): worst difference \(worst)")
            XCTAssertGreaterThan(plain.map(abs).max()!, 0.05, "\(cell): the outputs are not all zero")
        }
    }

    func testMatchesTwinForLSTMAndGRUInBothDirectionsWithUnevenLengths() {
        let (B, T, E, H) = (4, 6, 5, 7)
        let lengths: [Int32] = [6, 2, 5, 1]
        for cell in RecurrentLayer.Cell.allCases {
            for bidirectional in [false, true] {
                let layer = RecurrentLayer(cell: cell, inputSize: E, hiddenSize: H, bidirectional: bidirectional)
                let store = ParameterStore(layer.parameterShapes())
                var generator = RandomGenerator(seed: 8)
                layer.initialize(store, generator: &generator)
                let x = Tensor(shape: [B, T, E], values: (0..<(B * T * E)).map { _ in generator.nextUnitFloat() * 2 - 1 })
                let dOut = Tensor(shape: [B, T, layer.outputSize], values: (0..<(B * T * layer.outputSize)).map { _ in generator.nextUnitFloat() - 0.5 })
                let workspace = Workspace()
                let (out, saved) = layer.forward(x, lengths: lengths, store: store, workspace: workspace)
                let dx = layer.backward(dOut, saved: saved, store: store, workspace: workspace, inputGradient: true)!
                let weights = (0..<layer.directions).map { d -> ReferenceRecurrentWeights<Double> in
                    let names = layer.parameterShapes().map(\.name)[(d * 4)..<(d * 4 + 4)].map { store.value($0).values.map(Double.init) }
                    return ReferenceRecurrentWeights(inputWeight: names[0], hiddenWeight: names[1], inputBias: names[2], hiddenBias: names[3])
                }
                let twin = referenceRecurrent(lstm: cell == .lstm, x: x.values.map(Double.init), lengths: lengths.map(Int.init), batch: B,
                                              tokens: T, inputSize: E, hiddenSize: H, weights: weights, dOut: dOut.values.map(Double.init))
                let label = "\(cell) bidirectional \(bidirectional)"
                assertClose(out.values, twin.output, "\(label) output")
                assertClose(dx.values, twin.dx, "\(label) dx")
                for d in 0..<layer.directions {
                    let names = layer.parameterShapes().map(\.name)[(d * 4)..<(d * 4 + 4)]
                    let expected = [twin.gradients[d].inputWeight, twin.gradients[d].hiddenWeight, twin.gradients[d].inputBias, twin.gradients[d].hiddenBias]
                    for (name, e) in zip(names, expected) { assertClose(store.gradient(name).values, e, "\(label) \(name)") }
                }
            }
        }
    }

    func assertClose(_ fast: [Float], _ plain: [Double], _ message: String, line: UInt = #line) {
        XCTAssertEqual(fast.count, plain.count, message, line: line)
        for (i, (f, p)) in zip(fast, plain).enumerated() where abs(Double(f) - p) > 2e-5 * max(1, abs(p)) {
            return XCTFail("\(message): element \(i) is \(f), twin gives \(p)", line: line)
        }
    }
}
