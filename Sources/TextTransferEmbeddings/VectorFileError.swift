import Foundation
/// A problem in a word-vector file, placed by line (text formats) or byte offset (binary formats).
/// Its description is one line, fit to print as a CLI error.
public struct VectorFileError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// What `localizedDescription` shows: the same one line as `description`.
    public var errorDescription: String? { description }

    public let file: String
    public let line: Int?
    public let byteOffset: Int?
    public let message: String

    public init(file: String, line: Int? = nil, byteOffset: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.byteOffset = byteOffset
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        if let byteOffset { return "\(file): byte \(byteOffset): \(message)" }
        return "\(file): \(message)"
    }
}
