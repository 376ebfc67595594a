import Foundation
/// A problem with a model file, named by file and (when there is one) the key or tensor concerned.
/// Its description is one line, fit to print as a CLI error.
public struct ModelFileError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// What `localizedDescription` shows: the same one line as `description`.
    public var errorDescription: String? { description }

    public let file: String
    public let key: String?
    public let message: String

    public init(file: String, key: String? = nil, message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    public var description: String {
        if let key { return "\(file): '\(key)': \(message)" }
        return "\(file): \(message)"
    }
}
