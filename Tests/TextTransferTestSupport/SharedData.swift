import Foundation
import XCTest

/// The repository and the real data sets in ../shared/data that tests read.
public enum SharedData {
    public static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let directory = repository.deletingLastPathComponent().appendingPathComponent("shared/data")

    nonisolated(unsafe) private static var files: [String: [Substring]] = [:]
    private static let lock = NSLock()

    /// The path of `relative` under ../shared/data. Skips the test, saying why, when it is absent.
    public static func path(_ relative: String) throws -> String {
        let path = directory.appendingPathComponent(relative).path
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("\(path) is absent: this test reads the real data sets in ../shared/data (CI has them)")
        }
        return path
    }

    /// The text of 1-based line `number` of `source` (a `label<TAB>text` file under ../shared/data).
    /// Skips the test, saying why, when the data folder is absent (CI always has it).
    public static func text(source: String, line number: Int) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if files[source] == nil {
            let path = directory.appendingPathComponent(source).path
            guard FileManager.default.fileExists(atPath: path) else {
                throw XCTSkip("\(path) is absent: this test reads the real data sets in ../shared/data (CI has them)")
            }
            let contents = try String(contentsOfFile: path, encoding: .utf8)
            files[source] = contents.split(separator: "\n", omittingEmptySubsequences: false)
        }
        let lines = files[source]!
        guard number >= 1 && number <= lines.count, let tab = lines[number - 1].firstIndex(of: "\t") else {
            throw FixtureError("\(source):\(number) is not a label<TAB>text line")
        }
        return String(lines[number - 1][lines[number - 1].index(after: tab)...])
    }
}

/// A fixture's text: written out, or (for data sets that may not be copied into the project) a reference
/// to a line of ../shared/data, as Tools/golden's scripts record it.
public struct FixtureText: Decodable {
    public let text: String

    enum Keys: String, CodingKey { case text, source, line }

    public init(from decoder: Decoder) throws {
        if let plain = try? decoder.singleValueContainer().decode(String.self) {
            text = plain
            return
        }
        let c = try decoder.container(keyedBy: Keys.self)
        if let t = try c.decodeIfPresent(String.self, forKey: .text) {
            text = t
        } else {
            text = try SharedData.text(source: c.decode(String.self, forKey: .source), line: c.decode(Int.self, forKey: .line))
        }
    }
}

public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The set-up's all-MiniLM-L6-v2 (Scripts/setup.sh puts it in Models/).
public enum PretrainedModel {
    public static let directory = SharedData.repository.appendingPathComponent("Models/all-MiniLM-L6-v2").path

    /// Skips the test, saying why, when the model is not there (CI always runs the set-up first).
    public static func require() throws {
        guard FileManager.default.fileExists(atPath: directory + "/model.safetensors") else {
            throw XCTSkip("all-MiniLM-L6-v2 is not in Models/: run Scripts/setup.sh (CI always does)")
        }
    }
}
