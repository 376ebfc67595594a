import Foundation

/// The repository and the real data it carries for tests (Tests/Data, Examples/): nothing a test reads lies
/// outside the clone, so the suite runs whole anywhere.
public enum TestData {
    public static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The path of `relative` in the repository (`Tests/Data/word_vectors/…`, `Examples/sst2/train.tsv`).
    /// A missing file is a failure, never a skip.
    public static func path(_ relative: String) throws -> String {
        let path = repository.appendingPathComponent(relative).path
        guard FileManager.default.fileExists(atPath: path) else { throw FixtureError("\(path) is missing from the repository") }
        return path
    }
}

/// A fixture's text, as Tools/golden's scripts record it: a JSON string or {"text": …}.
public struct FixtureText: Decodable {
    public let text: String

    enum Keys: String, CodingKey { case text }

    public init(from decoder: Decoder) throws {
        if let plain = try? decoder.singleValueContainer().decode(String.self) {
            text = plain
        } else {
            text = try decoder.container(keyedBy: Keys.self).decode(String.self, forKey: .text)
        }
    }
}

public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The set-up's all-MiniLM-L6-v2 (Scripts/setup.sh puts it in Models/; README's first command).
public enum PretrainedModel {
    public static let directory = TestData.repository.appendingPathComponent("Models/all-MiniLM-L6-v2").path

    /// Fails, saying what to run, when the model is not there: the tests that need it are the parity
    /// tests that matter most, so they never skip.
    public static func require() throws {
        guard FileManager.default.fileExists(atPath: directory + "/model.safetensors") else {
            throw FixtureError("all-MiniLM-L6-v2 is not in Models/: run Scripts/setup.sh first (README's first command)")
        }
    }
}
