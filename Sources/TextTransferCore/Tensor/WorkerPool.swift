import Foundation
import Synchronization

/// Persistent worker threads for our parallel loops. A job is published by bumping `generation`; idle
/// workers spin on it for a short while before sleeping on a condition, so the many small parallel steps
/// of one sentence (about 70) each start in well under a microsecond instead of waking sleeping threads
/// as `DispatchQueue.concurrentPerform` does.
///
/// One job runs at a time. A second caller (another thread, or a nested loop) finds the pool busy and
/// runs its chunks inline, so sharing a model across threads stays correct.
final class WorkerPool: @unchecked Sendable {
    typealias Job = (_ worker: Int, _ chunks: Int) -> Void

    private let threads: Int
    private let generation = Atomic<Int>(0)
    private let remaining = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let wakeUp = NSCondition()
    /// The job of the current generation and how many chunks it has. Written only while `busy` is held,
    /// before `generation` is released; read by workers after they acquire the new generation.
    nonisolated(unsafe) private var job: Job?
    nonisolated(unsafe) private var chunks = 0

    /// How long an idle worker spins before it sleeps: long enough to cover the gap between two steps of
    /// a forward pass, short enough not to hold a core for long after the work ends.
    private static let spinIterations = 200_000

    var capacity: Int { threads }

    init(threads: Int) {
        self.threads = threads
        for index in 0..<threads {
            let thread = Thread { [unowned self] in self.workerLoop(index) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Runs `body(chunk, chunks)` for every chunk in `0..<chunks`, the caller taking chunk 0; returns
    /// false without running anything if the pool is busy or too small.
    func run(chunks n: Int, _ body: Job) -> Bool {
        guard n - 1 <= threads, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return false
        }
        defer { busy.store(false, ordering: .releasing) }
        withoutActuallyEscaping(body) { body in
            job = body
            chunks = n
            remaining.store(threads, ordering: .relaxed)
            generation.add(1, ordering: .releasing)
            wakeUp.lock()
            wakeUp.broadcast()
            wakeUp.unlock()
            body(0, n)
            while remaining.load(ordering: .acquiring) > 0 {}
            job = nil
        }
        return true
    }

    private func workerLoop(_ index: Int) {
        var seen = 0
        while true {
            var spins = 0
            var current = generation.load(ordering: .acquiring)
            while current == seen && spins < Self.spinIterations {
                spins += 1
                current = generation.load(ordering: .acquiring)
            }
            if current == seen {
                wakeUp.lock()
                while generation.load(ordering: .acquiring) == seen { wakeUp.wait() }
                wakeUp.unlock()
                current = generation.load(ordering: .acquiring)
            }
            seen = current
            if index + 1 < chunks, let job { job(index + 1, chunks) }
            remaining.subtract(1, ordering: .releasing)
        }
    }
}
