import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A directory that a command writes as a whole (a saved classifier, a checkpoint, an export): reserved
/// before the work starts, built beside its target, flushed to disk, and swapped in with one exchange so
/// that the path always holds either the old directory or the new one, whole.
///
/// `reserve` refuses, before anything is computed, to replace what this kind of output is not: a regular
/// file, a symbolic link, a device, a directory without `marker` (unless it is empty), or a path that holds
/// one of the run's inputs — unless `overwrite` (never for links and devices). It also takes a lock, so a
/// second run writing the same path fails at once instead of both reporting success.
public final class OutputDirectory {
    /// The target path, trailing slashes removed.
    public let path: String
    /// The file whose presence marks a directory as this kind of output (`text_transfer.json`).
    public let marker: String
    private var lock: OutputLock?

    private init(path: String, marker: String, lock: OutputLock?) {
        self.path = path
        self.marker = marker
        self.lock = lock
    }

    deinit { lock?.release() }

    /// Checks that `path` may receive this output and locks it for this process.
    /// - Parameters:
    ///   - inputs: files and directories the run reads; the output may not be, or contain, any of them.
    ///   - locking: false for an output that a locked parent output already covers (its checkpoint).
    public static func reserve(_ path: String, marker: String, overwrite: Bool = false, inputs: [String] = [],
                               locking: Bool = true) throws -> OutputDirectory {
        let target = try normalizedOutputPath(path)
        switch FileKind(atPath: target) {
        case .absent:
            break
        case .symbolicLink:
            throw ModelFileError(file: target, message: "is a symbolic link: give the directory it points to, or another path")
        case .other:
            throw ModelFileError(file: target, message: "exists and is not a directory: refusing to replace it")
        case .regularFile:
            guard overwrite else {
                throw ModelFileError(file: target, message: "is a file, not a \(marker) directory: refusing to replace it (--overwrite replaces it)")
            }
        case .directory:
            if let input = inputs.first(where: { isSameOrInside($0, directory: target) }) {
                guard overwrite else {
                    throw ModelFileError(file: target, message: "holds \(input), an input of this run: refusing to replace it (--overwrite replaces it)")
                }
            }
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []
            if !entries.isEmpty && !entries.contains(marker) && !overwrite {
                throw ModelFileError(file: target, message: "is a directory without \(marker), not an output of this command: refusing to replace it (--overwrite replaces it)")
            }
        }
        let parent = (target as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            do { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
                throw ModelFileError(file: parent, message: "cannot create the directory: \(error.localizedDescription)")
            }
        }
        return OutputDirectory(path: target, marker: marker, lock: locking ? try OutputLock(for: target) : nil)
    }

    /// Builds the directory: `fill` writes its files into an empty staging directory beside the target; then
    /// every file is flushed, and the staging directory is exchanged with the target (or renamed onto it
    /// when there is none). The old directory is removed only after the exchange. A failure leaves the
    /// target as it was and removes the staging directory.
    public func write(_ fill: (_ staging: String) throws -> Void) throws {
        let staging = siblingPath(of: path, suffix: "partial-\(ProcessInfo.processInfo.processIdentifier)")
        let fm = FileManager.default
        removeLeftovers()
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: false)
            try fill(staging)
            try syncTree(staging)
            try swapIn(staging)
        } catch {
            try? fm.removeItem(atPath: staging)
            throw error
        }
    }

    /// Removes what killed runs left beside the target (their staging directories, old copies moved aside):
    /// this process holds the path, so no other run is still writing them.
    private func removeLeftovers() {
        let parent = (path as NSString).deletingLastPathComponent
        let prefix = "." + (path as NSString).lastPathComponent + "."
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent.isEmpty ? "." : parent)) ?? []
        where name.hasPrefix(prefix) && ["partial-", "old-", "removed-"].contains(where: { name.dropFirst(prefix.count).hasPrefix($0) }) {
            try? FileManager.default.removeItem(atPath: parent.isEmpty ? name : parent + "/" + name)
        }
    }

    /// Removes the target (a checkpoint no longer needed), if it is this kind of output.
    public func remove() {
        guard FileKind(atPath: path) == .directory, FileManager.default.fileExists(atPath: path + "/" + marker) else { return }
        let aside = siblingPath(of: path, suffix: "removed-\(ProcessInfo.processInfo.processIdentifier)")
        if rename(path, aside) == 0 { try? FileManager.default.removeItem(atPath: aside) }
    }

    /// Releases the lock before the object goes away (a long-lived caller that is done with the path).
    public func release() {
        lock?.release()
        lock = nil
    }

    private func swapIn(_ staging: String) throws {
        if FileKind(atPath: path) == .absent {
            guard rename(staging, path) == 0 else { throw renameError() }
        } else if exchangePaths(staging, path) {
            // `staging` now holds the old output.
        } else {
            // No atomic exchange on this file system: move the old aside first, so that it is never
            // deleted before the new one is in place.
            let aside = siblingPath(of: path, suffix: "old-\(ProcessInfo.processInfo.processIdentifier)")
            try? FileManager.default.removeItem(atPath: aside)
            guard rename(path, aside) == 0 else { throw renameError() }
            guard rename(staging, path) == 0 else {
                let error = renameError()
                _ = rename(aside, path)
                throw error
            }
            _ = rename(aside, staging)
        }
        syncDirectory((path as NSString).deletingLastPathComponent)
        try? FileManager.default.removeItem(atPath: staging)
    }

    private func renameError() -> ModelFileError {
        ModelFileError(file: path, message: "cannot rename into place: \(String(cString: strerror(errno)))")
    }
}

/// `path` without trailing slashes, refusing the empty path, "/", "." and "..".
func normalizedOutputPath(_ path: String) throws -> String {
    var target = path
    while target.count > 1 && target.hasSuffix("/") { target.removeLast() }
    let name = (target as NSString).lastPathComponent
    guard !target.isEmpty, target != "/", name != ".", name != ".." else {
        throw ModelFileError(file: path, message: "is not a path an output can be written to")
    }
    return target
}

/// `parent/.name.suffix`: a hidden sibling on the same file system, so renames between them are atomic.
func siblingPath(of path: String, suffix: String) -> String {
    let parent = (path as NSString).deletingLastPathComponent
    let name = "." + (path as NSString).lastPathComponent + "." + suffix
    return parent.isEmpty ? name : parent + "/" + name
}

/// Whether `input` is `directory` itself or lies inside it (after resolving links).
public func isSameOrInside(_ input: String, directory: String) -> Bool {
    let resolvedInput = URL(fileURLWithPath: input).resolvingSymlinksInPath().standardizedFileURL.path
    let resolvedDirectory = URL(fileURLWithPath: directory).resolvingSymlinksInPath().standardizedFileURL.path
    return resolvedInput == resolvedDirectory || resolvedInput.hasPrefix(resolvedDirectory + "/")
}

/// What is at a path, without following a final symbolic link.
enum FileKind: Equatable {
    case absent, regularFile, directory, symbolicLink, other

    init(atPath path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            self = .absent
            return
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: self = .regularFile
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symbolicLink
        default: self = .other
        }
    }
}

/// Exchanges two paths atomically with renameat2(RENAME_EXCHANGE) (Linux 3.15+, glibc 2.28+), which the
/// Glibc module does not declare; false where the call is missing or the file system refuses it.
func exchangePaths(_ a: String, _ b: String) -> Bool {
    #if os(Linux)
    typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return false }
    let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
    let renameExchange: UInt32 = 2
    return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
    #else
    return false
    #endif
}

/// fsync of every regular file below `directory`, then of the directories themselves.
func syncTree(_ directory: String) throws {
    let fm = FileManager.default
    for relative in (fm.enumerator(atPath: directory)?.allObjects as? [String]) ?? [] {
        let file = directory + "/" + relative
        if FileKind(atPath: file) == .regularFile {
            try syncFile(file)
        } else if FileKind(atPath: file) == .directory {
            syncDirectory(file)
        }
    }
    syncDirectory(directory)
}

/// fsync of a directory, so that renames inside it survive a crash (best effort: some file systems refuse).
func syncDirectory(_ directory: String) {
    let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY)
    guard fd >= 0 else { return }
    _ = fsync(fd)
    close(fd)
}

/// An exclusive lock on `parent/.name.lock`, held while a run writes `name`.
final class OutputLock {
    private var descriptor: Int32
    private let path: String

    init(for target: String) throws {
        path = siblingPath(of: target, suffix: "lock")
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw ModelFileError(file: path, message: "cannot create the lock file: \(String(cString: strerror(errno)))") }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                close(fd)
                throw ModelFileError(file: target, message: "another run is writing this output (it holds \(path))")
            }
            // The holder before us may have removed the file after we opened it: lock the file that is there.
            var held = stat(), current = stat()
            if fstat(fd, &held) == 0, stat(path, &current) == 0, held.st_ino == current.st_ino, held.st_dev == current.st_dev {
                descriptor = fd
                return
            }
            close(fd)
        }
    }

    func release() {
        guard descriptor >= 0 else { return }
        unlink(path)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
