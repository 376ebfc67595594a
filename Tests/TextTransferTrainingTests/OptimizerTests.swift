import XCTest
import TextTransferCore
import TextTransferEncoders
import TextTransferIO
import TextTransferTokenization
import TextTransferTraining

/// Optimizers, clipping and schedules against hand-computed values.
final class OptimizerTests: XCTestCase {
    func store(_ weight: [Float], _ bias: [Float]) -> ParameterStore {
        let s = ParameterStore([("layer.weight", [weight.count]), ("layer.bias", [bias.count])])
        s.value("layer.weight").pointer.update(from: weight, count: weight.count)
        s.value("layer.bias").pointer.update(from: bias, count: bias.count)
        return s
    }

    func setGradients(_ s: ParameterStore, _ w: [Float], _ b: [Float]) {
        s.gradient("layer.weight").pointer.update(from: w, count: w.count)
        s.gradient("layer.bias").pointer.update(from: b, count: b.count)
    }

    func testAdamWFirstStepByHand() {
        let s = store([1.0, -2.0], [0.5])
        setGradients(s, [0.1, -0.3], [2.0])
        AdamW(weightDecay: 0.1).step(s, learningRate: 0.01)
        // Step 1: m̂ = g, v̂ = g², so the update is lr·g/(|g| + eps) ≈ lr·sign(g); decay only on the weight.
        let w = s.value("layer.weight").values, b = s.value("layer.bias").values
        let decayed: Float = 1 - 0.01 * 0.1
        let expected0: Float = 1.0 * decayed - 0.01 * (0.1 / (0.1 + 1e-8))
        let expected1: Float = -2.0 * decayed + 0.01 * (0.3 / (0.3 + 1e-8))
        XCTAssertEqual(w[0], expected0, accuracy: 1e-6)
        XCTAssertEqual(w[1], expected1, accuracy: 1e-6)
        XCTAssertEqual(b[0], 0.5 - 0.01, accuracy: 1e-6, "no weight decay on biases")
    }

    func testAdamWKernelGivesTheSwiftLoopsBits() {
        // Two parameters (one decayed), several steps of changing gradients and rates, an odd length for the lane tail.
        func run(vectorized: Bool) -> [UInt32] {
            let s = ParameterStore([("layer.weight", [1037]), ("layer.bias", [13])])
            var generator = RandomGenerator(seed: 9)
            for i in 0..<s.count { s.values.pointer[i] = generator.nextNormal() }
            s.setWeightDecay(false, matching: "layer.bias")
            let optimizer = AdamW(weightDecay: 0.01)
            optimizer.vectorized = vectorized
            for step in 0..<5 {
                for i in 0..<s.count { s.gradients.pointer[i] = step == 2 && i % 3 == 0 ? 0 : generator.nextNormal(std: 0.1) }
                optimizer.step(s, learningRate: 1e-3 / Float(step + 1))
            }
            return (0..<s.count).map { s.values.pointer[$0].bitPattern }
        }
        let swift = run(vectorized: false)
        XCTAssertEqual(run(vectorized: true), swift)
    }

    func testFrozenParametersAndLearningRateScales() {
        let s = store([1.0], [1.0])
        s.setTrainable(false, matching: "*.bias")
        s.setLearningRateScale(0.5, matching: "layer.*")
        setGradients(s, [1.0], [1.0])
        SGD().step(s, learningRate: 0.1)
        XCTAssertEqual(s.value("layer.weight").values, [1.0 - 0.05])
        XCTAssertEqual(s.value("layer.bias").values, [1.0], "frozen")
    }

    func testSGDMomentumAndNesterovByHand() {
        for nesterov in [false, true] {
            let s = store([0.0], [0.0])
            let sgd = SGD(momentum: 0.9, nesterov: nesterov)
            for g in [Float(1), 2] {
                setGradients(s, [g], [0])
                sgd.step(s, learningRate: 0.1)
            }
            // buffer: 1, then 0.9·1 + 2 = 2.9. Plain: −0.1·1 − 0.1·2.9 = −0.39.
            // Nesterov: −0.1·(1 + 0.9·1) − 0.1·(2 + 0.9·2.9) = −0.19 − 0.461 = −0.651.
            XCTAssertEqual(s.value("layer.weight").values[0], nesterov ? -0.651 : -0.39, accuracy: 1e-6)
        }
    }

    func testPenalties() {
        let s = store([2.0, -3.0], [0])
        setGradients(s, [0, 0], [0])
        SGD(penalties: Penalties(l1: 0.5, l2: 0.1)).step(s, learningRate: 1)
        XCTAssertEqual(s.value("layer.weight").values, [2.0 - 0.5 - 0.2, -3.0 + 0.5 + 0.3])
    }

    func testClippingAndTheNonFiniteGuard() throws {
        let s = store([0, 0], [0])
        setGradients(s, [3, 0], [4])
        XCTAssertEqual(try clipGradientNorm(s, maxNorm: 1, step: 0), 5, accuracy: 1e-9)
        XCTAssertEqual(try gradientNorm(s, step: 0), 1, accuracy: 1e-5)
        setGradients(s, [1, .nan], [0])
        XCTAssertThrowsError(try gradientNorm(s, step: 7)) { error in
            XCTAssertEqual(error as? TrainingError, .nonFiniteGradient(step: 7, parameter: "layer.weight"))
            XCTAssertEqual("\(error)", "step 7: the gradient of layer.weight is not finite")
        }
    }

    func testSchedules() {
        let linear = LearningRateSchedule.linearWarmupThenDecay(1, warmup: 10, total: 110)
        XCTAssertEqual(linear(0), 0)
        XCTAssertEqual(linear(5), 0.5)
        XCTAssertEqual(linear(10), 1)
        XCTAssertEqual(linear(60), 0.5)
        XCTAssertEqual(linear(110), 0)
        let cosine = LearningRateSchedule.warmupCosine(1, warmup: 10, total: 110)
        XCTAssertEqual(cosine(60), 0.5, accuracy: 1e-6)
        XCTAssertEqual(cosine(110), 0, accuracy: 1e-6)
        XCTAssertEqual(LearningRateSchedule.stepDecay(1, every: 10, factor: 0.5)(25), 0.25)
        XCTAssertEqual(LearningRateSchedule.inverseSquareRoot(1, warmup: 4)(15), 0.5, accuracy: 1e-6)  // √(4/16)
        XCTAssertEqual(LearningRateSchedule.constant(0.3)(1000), 0.3)
        // ULMFiT: T=100, cut 10: peak at step 10, lr/32 at steps 0 and 100.
        let stlr = LearningRateSchedule.slantedTriangular(1, total: 100)
        XCTAssertEqual(stlr(0), 1 / 32, accuracy: 1e-6)
        XCTAssertEqual(stlr(10), 1, accuracy: 1e-6)
        XCTAssertEqual(stlr(100), 1 / 32, accuracy: 1e-6)
    }

    func testGlobs() {
        XCTAssertTrue(globMatches("encoder.layer.*", "encoder.layer.3.output.dense.weight"))
        XCTAssertTrue(globMatches("*.bias", "pooler.dense.bias"))
        XCTAssertTrue(globMatches("encoder.layer.*.attention.*", "encoder.layer.10.attention.self.key.bias"))
        XCTAssertFalse(globMatches("encoder.layer.1.*", "encoder.layer.10.x"))
        XCTAssertFalse(globMatches("*.bias", "pooler.dense.weight"))
    }
}
