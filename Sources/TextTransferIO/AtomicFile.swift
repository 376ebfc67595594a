import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes `data` to `path` so that a failure never leaves a half-written file there: into a hidden file
/// beside it, flushed, then renamed into place.
///
/// A symbolic link is written through (the file it names is replaced, the link stays); a device or a pipe
/// (`/dev/stdout`, a FIFO) is written directly, never replaced; a directory is refused, and so is any of
/// `inputs`, the files the same run reads.
public func writeAtomically(_ data: Data, to path: String, inputs: [String] = []) throws {
    try writeAtomically(to: path, inputs: inputs) { write in try data.withUnsafeBytes(write) }
}

/// `writeAtomically` of a file too large to build in memory first: `body` hands its parts in order to the
/// function it is given, which writes each as it comes (a 2.4 GB fastText model straight from its matrices).
public func writeAtomically(to path: String, inputs: [String] = [], parts body: (_ write: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
    if let input = inputs.first(where: { isSameFile($0, path) }) {
        throw ModelFileError(file: path, message: "is \(input), an input of this run: refusing to overwrite it")
    }
    // What the path finally names (links followed, /dev/stdout's /proc link included).
    var info = stat()
    let target: String
    if stat(path, &info) == 0 {
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            throw ModelFileError(file: path, message: "is a directory: give a file name")
        case S_IFREG:
            guard let resolved = realpath(path, nil) else { throw ModelFileError(file: path, message: "cannot resolve the path") }
            target = String(cString: resolved)
            free(resolved)
            if target.hasPrefix("/proc/") {  // /dev/stdout redirected to a file: write to the open file
                try writeDirectly(body, to: path, flags: O_APPEND)
                return
            }
        default:  // a device, a pipe, a socket: written as it is, never replaced
            try writeDirectly(body, to: path)
            return
        }
    } else if FileKind(atPath: path) == .symbolicLink {
        throw ModelFileError(file: path, message: "is a symbolic link to nothing: refusing to replace it")
    } else {
        target = path
    }
    let temporary = siblingPath(of: target, suffix: "\(ProcessInfo.processInfo.processIdentifier).partial")
    do {
        // Our own write loop, not Data.write(to:): on Linux that corrupts everything past 2,147,479,552
        // bytes (the most one write(2) moves), e.g. a 300-d fastText .bin of 2.4 GB.
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw ModelFileError(file: path, message: "cannot write: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try body { try writeAll($0, to: fd, path: path) }
        guard fsync(fd) == 0 else { throw ModelFileError(file: path, message: "cannot flush to disk: \(String(cString: strerror(errno)))") }
        guard rename(temporary, target) == 0 else {
            throw ModelFileError(file: path, message: "cannot rename into place: \(String(cString: strerror(errno)))")
        }
        syncDirectory((target as NSString).deletingLastPathComponent)
    } catch let error as ModelFileError {
        try? FileManager.default.removeItem(atPath: temporary)
        throw error
    } catch {
        try? FileManager.default.removeItem(atPath: temporary)
        throw ModelFileError(file: path, message: "cannot write: \(error.localizedDescription)")
    }
}

/// Writes to an existing device or pipe without creating or replacing anything.
private func writeDirectly(_ body: (_ write: (UnsafeRawBufferPointer) throws -> Void) throws -> Void, to path: String, flags: Int32 = 0) throws {
    let fd = open(path, O_WRONLY | O_CLOEXEC | flags)
    guard fd >= 0 else { throw ModelFileError(file: path, message: "cannot open for writing: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    try body { try writeAll($0, to: fd, path: path) }
}

/// Writes all of `bytes` to `fd`, however many write(2) calls it takes (each moves at most 1 GiB here;
/// Linux itself stops one at 2,147,479,552 bytes and reports what it moved).
func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32, path: String) throws {
    var offset = 0
    while offset < bytes.count {
        let n = Glibc.write(fd, bytes.baseAddress! + offset, min(bytes.count - offset, 1 << 30))
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { throw ModelFileError(file: path, message: "cannot write: \(String(cString: strerror(errno)))") }
        offset += n
    }
}

/// fsync of one file.
func syncFile(_ path: String) throws {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw ModelFileError(file: path, message: "cannot open to flush: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    guard fsync(fd) == 0 else { throw ModelFileError(file: path, message: "cannot flush to disk: \(String(cString: strerror(errno)))") }
}

/// Whether two paths name the same existing file (same device and inode).
public func isSameFile(_ a: String, _ b: String) -> Bool {
    var x = stat(), y = stat()
    guard stat(a, &x) == 0, stat(b, &y) == 0 else { return false }
    return x.st_dev == y.st_dev && x.st_ino == y.st_ino
}
