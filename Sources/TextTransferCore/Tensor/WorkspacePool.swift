import Synchronization

/// Workspaces for concurrent callers of one shared model: each call takes one and gives it back, so
/// activations are reused across calls and no two threads share one.
public final class WorkspacePool: Sendable {
    private let free = Mutex<[Workspace]>([])

    public init() {}

    /// Runs `body` with a workspace of its own.
    public func withWorkspace<R>(_ body: (Workspace) throws -> R) rethrows -> R {
        let workspace = free.withLock { $0.popLast() } ?? Workspace()
        defer { free.withLock { $0.append(workspace) } }
        return try body(workspace)
    }
}
