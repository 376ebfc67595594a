import Foundation
import TextTransferTokenization

/// The teacher's logits on a transfer set (or an encoder's features of a text set), written to a directory
/// as they are computed so that a run killed while labelling (a big augmented set takes minutes) starts
/// again where it stopped.
///
/// `NAME.json` (`teacher-logits.json` unless named) says what the rows belong to (a digest of the model
/// and of every text, in order) and `NAME.f32` holds the rows, little-endian float32, appended a chunk at
/// a time. A digest that does not match, or a file cut mid-row, is started over or cut back to whole rows.
struct TeacherLogitCache {
    private struct Header: Codable, Equatable {
        var key: String
        var texts: Int
        var classes: Int
    }

    let directory: String
    private let header: Header
    private let name: String
    private var rowsPath: String { directory + "/\(name).f32" }
    private var headerPath: String { directory + "/\(name).json" }

    init(directory: String, teacher: String, texts: [String], pairs: [String]?, classes: Int, name: String = "teacher-logits") {
        var digest = Fingerprint()
        if let description = try? String(contentsOfFile: teacher + "/" + ClassifierDescription.fileName, encoding: .utf8) { digest.mix(description) }
        let weights = try? FileManager.default.attributesOfItem(atPath: teacher + "/model.safetensors")
        digest.mix("\(weights?[.size] ?? 0) \((weights?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)")
        for t in texts { digest.mix(t) }
        for p in pairs ?? [] { digest.mix(p) }
        self.directory = directory
        self.name = name
        header = Header(key: digest.hex, texts: texts.count, classes: classes)
    }

    /// The rows a run before this one finished, or none (and an empty cache for this set).
    func resume() throws -> [[Float]] {
        let fm = FileManager.default
        if let data = fm.contents(atPath: headerPath), (try? JSONDecoder().decode(Header.self, from: data)) == header,
           let rows = fm.contents(atPath: rowsPath) {
            let width = header.classes * MemoryLayout<Float>.size
            let whole = min(rows.count / width, header.texts)
            if whole * width != rows.count { try FileHandle(forWritingTo: URL(fileURLWithPath: rowsPath)).truncate(atOffset: UInt64(whole * width)) }
            return (0..<whole).map { r in
                (0..<header.classes).map { c in
                    let offset = (r * header.classes + c) * MemoryLayout<Float>.size
                    return Float(bitPattern: UInt32(littleEndian: rows[offset..<offset + 4].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }))
                }
            }
        }
        try? fm.removeItem(atPath: rowsPath)
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try JSONEncoder().encode(header).write(to: URL(fileURLWithPath: headerPath), options: .atomic)
        guard fm.createFile(atPath: rowsPath, contents: nil) else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: rowsPath]) }
        return []
    }

    /// Appends rows to the file and flushes them, so that they survive the process.
    func append(_ rows: [[Float]]) throws {
        var bytes = Data(capacity: rows.count * header.classes * 4)
        for row in rows {
            precondition(row.count == header.classes, "a row of \(row.count) logits for \(header.classes) classes")
            for v in row { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: rowsPath))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: bytes)
        try handle.synchronize()
    }

    /// Cuts the file back to its first `rows` rows (a second cache of the same texts that got fewer rows
    /// written before the run stopped).
    func truncate(toRows rows: Int) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: rowsPath))
        defer { try? handle.close() }
        try handle.truncate(atOffset: UInt64(rows * header.classes * MemoryLayout<Float>.size))
    }
}
