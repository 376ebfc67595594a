import Foundation
#if canImport(Glibc)
import Glibc
#endif

// The standard streams through their file descriptors, unbuffered: a full disk, a closed stream or a
// directory on stdin becomes an error message and a non-zero exit instead of a trap in Foundation's
// FileHandle, and output never exits 0 after being lost.

/// Writes `data` to standard output.
func writeStandardOutput(_ data: Data) throws {
    if let code = writeAll(data, to: STDOUT_FILENO) { throw StreamError.write(code) }
}

/// Writes `text` to standard output.
func writeStandardOutput(_ text: String) throws { try writeStandardOutput(Data(text.utf8)) }

/// `print` for the CLI's results: a failure to write them ends the run with a message and exit status 1.
func printOutput(_ text: String, terminator: String = "\n") {
    do { try writeStandardOutput(text + terminator) } catch { fail("\(error)") }
}

/// Writes a line to standard error; a closed or full stderr loses it (there is nowhere left to say so).
func writeStandardError(_ line: String) {
    _ = writeAll(Data((line.hasSuffix("\n") ? line : line + "\n").utf8), to: STDERR_FILENO)
}

/// Writes `text` to standard error as it is (a progress bar redrawn with a carriage return).
func writeStandardErrorInPlace(_ text: String) {
    _ = writeAll(Data(text.utf8), to: STDERR_FILENO)
}

/// All of standard input.
func readStandardInput() throws -> Data {
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
        if n == 0 { return data }
        if n < 0 {
            if errno == EINTR { continue }
            throw StreamError.read(errno)
        }
        data.append(contentsOf: buffer[0..<n])
    }
}

/// Writes every byte, retrying short writes; the errno of a failure, nil on success.
private func writeAll(_ data: Data, to descriptor: Int32) -> Int32? {
    data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Int32? in
        var offset = 0
        while offset < bytes.count {
            let n = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return n < 0 ? errno : EIO }
            offset += n
        }
        return nil
    }
}

enum StreamError: Error, CustomStringConvertible {
    case read(Int32), write(Int32)

    var description: String {
        switch self {
        case let .read(code): "<stdin>: cannot read: \(String(cString: strerror(code)))"
        case let .write(code): "<stdout>: cannot write: \(String(cString: strerror(code)))"
        }
    }
}
