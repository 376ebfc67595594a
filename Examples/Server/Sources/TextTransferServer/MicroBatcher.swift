import Dispatch
import Synchronization

/// Dynamic micro-batching: texts from concurrent requests wait up to `maxDelay` (or until `maxBatch` texts
/// are waiting) and then go through the model together, one batch at a time on a queue of their own, so the
/// model's compute threads are never shared between two batches and the server's event loops never compute.
final class MicroBatcher<Output: Sendable>: Sendable {
    private struct Waiting {
        let texts: [String]
        let continuation: CheckedContinuation<[Output], Never>
    }

    private struct State {
        var waiting: [Waiting] = []
        var waitingTexts = 0
        var timerArmed = false
    }

    private let model: @Sendable ([String]) -> [Output]
    private let maxBatch: Int
    private let maxDelay: DispatchTimeInterval
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "text-transfer.model")

    /// `model` maps texts to one output each, in order.
    init(maxBatch: Int, maxDelayMicroseconds: Int, model: @escaping @Sendable ([String]) -> [Output]) {
        self.model = model
        self.maxBatch = maxBatch
        self.maxDelay = .microseconds(maxDelayMicroseconds)
    }

    /// The outputs of `texts`, computed in a batch with whatever else arrives meanwhile.
    func submit(_ texts: [String]) async -> [Output] {
        await withCheckedContinuation { continuation in
            let action = state.withLock { state -> (flush: Bool, arm: Bool) in
                state.waiting.append(Waiting(texts: texts, continuation: continuation))
                state.waitingTexts += texts.count
                if state.waitingTexts >= maxBatch { return (true, false) }
                if state.timerArmed { return (false, false) }
                state.timerArmed = true
                return (false, true)
            }
            if action.flush {
                queue.async { self.runWaiting() }
            } else if action.arm {
                queue.asyncAfter(deadline: .now() + maxDelay) { self.runWaiting() }
            }
        }
    }

    /// Runs everything waiting as one batch and hands each request its outputs.
    private func runWaiting() {
        let batch = state.withLock { state -> [Waiting] in
            defer { state = State() }
            return state.waiting
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
