import CTextTransferBLAS
import Dispatch
import Foundation
import Synchronization

/// The number of threads TextTransfer computes with: OpenBLAS's and our own parallel loops.
///
/// Defaults to `OPENBLAS_NUM_THREADS` when set, otherwise the number of active processors.
public enum ComputeThreads {
    private static let current = Atomic<Int>(0)
    private static let pools = Mutex<WorkerPool?>(nil)

    /// The worker pool, grown when more threads are asked for than it has.
    private static func pool(for workers: Int) -> WorkerPool {
        pools.withLock { pool in
            if let existing = pool, existing.capacity >= workers - 1 { return existing }
            let grown = WorkerPool(threads: workers - 1)
            pool = grown
            return grown
        }
    }

    /// The CPU kernels OpenBLAS runs with (e.g. "SkylakeX").
    public static var blasCoreName: String { OpenBLASKernels.coreName }

    /// The thread count in force.
    public static var count: Int {
        let n = current.load(ordering: .relaxed)
        if n > 0 { return n }
        let initial = defaultCount
        set(initial)
        return initial
    }

    /// Sets the thread count for our loops. OpenBLAS itself always runs on the calling thread: we split
    /// products across our workers instead, because OpenBLAS's idle threads spin and yield for a long
    /// while after each call, stealing the cores our own loops need (measured: a fifth of all time).
    public static func set(_ n: Int) {
        precondition(n >= 1, "thread count must be at least 1, got \(n)")
        _ = OpenBLASKernels.coreName
        current.store(n, ordering: .relaxed)
        openblas_set_num_threads(1)
    }

    static var defaultCount: Int {
        if let text = ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"], let n = Int(text), n >= 1 {
            return n
        }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Runs `body` over `0..<n` split into at most `count` contiguous chunks, in parallel.
    public static func parallelFor(_ n: Int, _ body: (Range<Int>) -> Void) {
        parallelChunks(n) { _, range in body(range) }
    }

    /// Like `parallelFor`, also passing the chunk's worker number in `0..<count`, so a worker can use
    /// scratch memory of its own.
    public static func parallelChunks(_ n: Int, _ body: (_ worker: Int, _ range: Range<Int>) -> Void) {
        let workers = min(count, n)
        if workers <= 1 {
            if n > 0 { body(0, 0..<n) }
            return
        }
        let ran = pool(for: workers).run(chunks: workers) { w, chunks in
            body(w, (n * w / chunks)..<(n * (w + 1) / chunks))
        }
        if !ran {  // the pool is busy with another caller's loop: run this one here, in order
            for w in 0..<workers { body(w, (n * w / workers)..<(n * (w + 1) / workers)) }
        }
    }
}
