import Synchronization

/// Workspaces for concurrent callers of one shared model: each call takes a free workspace (or makes one)
/// and returns it when done, so calls never share activations and steady use allocates nothing.
public final class WorkspacePool: Sendable {
    /// A workspace between two calls. Workspaces are not Sendable (they are mutable arenas); the pool
    /// hands each to one call at a time, which is what makes moving it between threads sound.
    private final class Parked: @unchecked Sendable {
        let workspace: Workspace
        init(_ workspace: Workspace) { self.workspace = workspace }
    }

    private let free = Mutex<[Parked]>([])

    public init() {}

    /// Runs `body` with a workspace of its own.
    public func withWorkspace<R>(_ body: (Workspace) throws -> R) rethrows -> R {
        let parked = free.withLock { $0.popLast() } ?? Parked(Workspace())
        defer { free.withLock { $0.append(parked) } }
        return try body(parked.workspace)
    }
}
