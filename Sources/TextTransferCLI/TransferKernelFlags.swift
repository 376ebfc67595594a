import ArgumentParser
import TextTransferTraining

/// The transfer kernel's settings, as `adapt` and `train --strategy transfer-kernel` take them.
struct TransferKernelFlags: ParsableArguments {
    @Option(help: "Nyström landmarks of the kernel.") var landmarks: Int = 1000
    @Option(help: "Comma-separated TCA μ values reverse validation chooses from.") var mus: String = "0.1,1,10"
    @Option(help: "Comma-separated TCA component counts reverse validation chooses from.") var components: String = "16,64"
    @Option(help: "Comma-separated multiples of the median-heuristic RBF bandwidth; the unadapted kernel's held-out source accuracy chooses.")
    var bandwidthScales: String = "1,0.5,2"
    @Flag(help: "Align the source's second-order statistics to the target's (CORAL) before TCA: for features whose scales differ between domains.")
    var coral = false

    var isUsed: Bool { landmarks != 1000 || mus != "0.1,1,10" || components != "16,64" || bandwidthScales != "1,0.5,2" || coral }

    private func list<T: LosslessStringConvertible>(_ text: String, _ flag: String) throws -> [T] {
        // An empty entry ("1,,2", "1,") is a typo to report, not a value to skip.
        let values = text.split(separator: ",", omittingEmptySubsequences: false).map { T(String($0).trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else { throw ValidationError("\(flag) must be a comma-separated list of numbers, not '\(text)'") }
        return values.map { $0! }
    }

    func validate() throws {
        guard landmarks >= 2 else { throw ValidationError("--landmarks must be at least 2, not \(landmarks)") }
        let m: [Double] = try list(mus, "--mus"), k: [Int] = try list(components, "--components"), b: [Double] = try list(bandwidthScales, "--bandwidth-scales")
        guard m.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw ValidationError("--mus must be positive, not '\(mus)'") }
        guard b.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw ValidationError("--bandwidth-scales must be positive, not '\(bandwidthScales)'") }
        guard k.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--components must be at least 1, not '\(components)'") }
    }

    func settings(seed: UInt64) -> TransferKernelClassifier.Settings {
        var s = TransferKernelClassifier.Settings()
        (s.landmarks, s.seed, s.coral) = (landmarks, seed, coral)
        s.mus = (try? list(mus, "--mus") as [Double]) ?? s.mus  // checked in validate()
        s.components = (try? list(components, "--components") as [Int]) ?? s.components
        s.bandwidthScales = (try? list(bandwidthScales, "--bandwidth-scales") as [Double]) ?? s.bandwidthScales
        return s
    }
}
