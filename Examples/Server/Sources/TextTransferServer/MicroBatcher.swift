import Dispatch
import Synchronization

/// Dynamic micro-batching: texts from concurrent requests go through the model together. While the model is
/// busy with one batch, everything that arrives waits, and goes next as one batch (at most `maxBatch` texts
/// each); when the model is idle, a request starts at once, or after `maxDelay` if one is set, to gather
/// company. Batches run one at a time on a queue of their own, so the model's compute threads are never
/// shared between two batches and the server's event loops never compute.
final class MicroBatcher<Output: Sendable>: Sendable {
    private struct Waiting {
        let texts: [String]
        let continuation: CheckedContinuation<[Output], Never>
    }

    private struct State {
        var waiting: [Waiting] = []
        var running = false
    }

    private let model: @Sendable ([String]) -> [Output]
    private let maxBatch: Int
    private let maxDelayMicroseconds: Int
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "text-transfer.model")

    /// `model` maps texts to one output each, in order.
    init(maxBatch: Int, maxDelayMicroseconds: Int, model: @escaping @Sendable ([String]) -> [Output]) {
        self.model = model
        self.maxBatch = maxBatch
        self.maxDelayMicroseconds = maxDelayMicroseconds
    }

    /// The outputs of `texts`, computed in a batch with whatever else is waiting.
    func submit(_ texts: [String]) async -> [Output] {
        await withCheckedContinuation { continuation in
            let start = state.withLock { state -> Bool in
                state.waiting.append(Waiting(texts: texts, continuation: continuation))
                if state.running { return false }
                state.running = true
                return true
            }
            guard start else { return }
            if maxDelayMicroseconds > 0 {
                queue.asyncAfter(deadline: .now() + .microseconds(maxDelayMicroseconds)) { self.runUntilIdle() }
            } else {
                queue.async { self.runUntilIdle() }
            }
        }
    }

    /// Runs batches of what is waiting until nothing is.
    private func runUntilIdle() {
        while true {
            let batch = state.withLock { state -> [Waiting] in
                var taken: [Waiting] = []
                var count = 0
                while let next = state.waiting.first, taken.isEmpty || count + next.texts.count <= maxBatch {
                    taken.append(state.waiting.removeFirst())
                    count += next.texts.count
                }
                if taken.isEmpty { state.running = false }
                return taken
            }
            guard !batch.isEmpty else { return }
            let outputs = model(batch.flatMap(\.texts))
            var start = 0
            for waiting in batch {
                waiting.continuation.resume(returning: Array(outputs[start..<(start + waiting.texts.count)]))
                start += waiting.texts.count
            }
        }
    }
}
