import Foundation
/// A problem with tokenizer files or input, naming the file and line or key where there is one.
public struct TokenizerError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// What `localizedDescription` shows: the same one line as `description`.
    public var errorDescription: String? { description }

    public let file: String
    public let line: Int?
    public let key: String?
    public let message: String

    public init(file: String, line: Int? = nil, key: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let key { place += ": '\(key)'" }
        return "\(place): \(message)"
    }
}
