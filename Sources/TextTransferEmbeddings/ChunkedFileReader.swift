import Foundation

/// Reads a file sequentially through one buffer (a few MiB, grown only for a longer line), so that a
/// multi-gigabyte vector file is read with bounded memory. Positions are tracked for error messages.
final class ChunkedFileReader {
    let path: String
    private let descriptor: Int32
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0, end = 0
    private var atEnd = false
    /// The file offset of the next unread byte.
    private(set) var offset = 0
    /// 1-based number of the line `nextLine` returned last.
    private(set) var lineNumber = 0
    /// The file's length when opened (0 for a pipe or device), which bounds what a header may declare.
    let fileSize: Int

    init(path: String, chunkSize: Int = 4 << 20) throws {
        self.path = path
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw VectorFileError(file: path, message: "cannot open: \(String(cString: strerror(errno)))") }
        var info = stat()
        fileSize = fstat(descriptor, &info) == 0 && info.st_mode & S_IFMT == S_IFREG ? Int(info.st_size) : 0
        capacity = chunkSize
        buffer = .allocate(capacity: capacity + 1)
        buffer[0] = 0
    }

    /// How many rows of at least `bytesPerRow` bytes the rest of the file can hold: a cap on what a header
    /// declares, so that a reservation never outgrows the file (unbounded for pipes, whose size is unknown).
    func rowsThatFit(bytesPerRow: Int) -> Int {
        fileSize == 0 ? Int.max : max(0, fileSize - offset) / max(bytesPerRow, 1)
    }

    deinit {
        close(descriptor)
        buffer.deallocate()
    }

    /// Reads more after the unread bytes, moving them to the front and growing the buffer when it is full.
    /// Returns false at the end of the file. The byte after the unread ones is always 0, so C number
    /// parsers stop there.
    private func refill() throws -> Bool {
        guard !atEnd else { return false }
        if start > 0 {
            (buffer).update(from: buffer + start, count: end - start)
            (end, start) = (end - start, 0)
        }
        if end == capacity {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2 + 1)
            grown.update(from: buffer, count: end)
            buffer.deallocate()
            (buffer, capacity) = (grown, capacity * 2)
        }
        let n = read(descriptor, buffer + end, capacity - end)
        guard n >= 0 else { throw VectorFileError(file: path, byteOffset: offset, message: "read failed: \(String(cString: strerror(errno)))") }
        if n == 0 { atEnd = true }
        end += n
        buffer[end] = 0
        return n > 0
    }

    /// The next line without its line break (and a trailing '\r'); valid until the next call. nil at the
    /// end of the file.
    func nextLine() throws -> UnsafeBufferPointer<UInt8>? {
        var searched = start
        while true {
            if let found = memchr(buffer + searched, 0x0A, end - searched) {
                let newline = UnsafeMutablePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - buffer
                return line(until: newline, consumed: newline + 1)
            }
            searched = end
            let before = start
            guard try refill() else {
                guard end > start else { return nil }
                return line(until: end, consumed: end)  // last line without a line break
            }
            searched -= before - start
        }
    }

    private func line(until stop: Int, consumed: Int) -> UnsafeBufferPointer<UInt8> {
        var last = stop
        if last > start && buffer[last - 1] == 0x0D { last -= 1 }
        buffer[last] = 0  // terminates the final number for strtof (overwrites '\n', '\r' or the end)
        let result = UnsafeBufferPointer(start: buffer + start, count: last - start)
        offset += consumed - start
        start = consumed
        lineNumber += 1
        return result
    }

    /// Exactly `count` bytes, valid until the next call; nil if the file ends first.
    func take(_ count: Int) throws -> UnsafeBufferPointer<UInt8>? {
        while end - start < count {
            guard try refill() else { return nil }
        }
        let result = UnsafeBufferPointer(start: buffer + start, count: count)
        start += count
        offset += count
        return result
    }

    /// Bytes up to (not including) `delimiter`, which is consumed; nil if the file ends first.
    func take(until delimiter: UInt8) throws -> UnsafeBufferPointer<UInt8>? {
        var searched = start
        while true {
            if let found = memchr(buffer + searched, Int32(delimiter), end - searched) {
                let stop = UnsafeMutablePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - buffer
                let result = UnsafeBufferPointer(start: buffer + start, count: stop - start)
                offset += stop + 1 - start
                start = stop + 1
                return result
            }
            searched = end
            let before = start
            guard try refill() else { return nil }
            searched -= before - start
        }
    }

    /// Skips bytes while `predicate` holds.
    func skip(while predicate: (UInt8) -> Bool) throws {
        while true {
            while start < end && predicate(buffer[start]) { start += 1; offset += 1 }
            if start < end { return }
            guard try refill() else { return }
        }
    }
}
