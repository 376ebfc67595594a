import Foundation
import TextTransferFuzzTargets
import XCTest

/// Every input the fuzzer ever found a fault with (Fixtures/regressions/TARGET/) and every seed of the fuzz
/// targets (Fixtures/seeds/TARGET/) goes through its parser again: each must be read or refused, never trap.
final class FuzzRegressionTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    func inputs(_ folder: String) throws -> [(target: String, path: String)] {
        let root = Self.fixtures.appendingPathComponent(folder).path
        return try FileManager.default.contentsOfDirectory(atPath: root).sorted().flatMap { target in
            try FileManager.default.contentsOfDirectory(atPath: root + "/" + target).sorted().map { (target, root + "/" + target + "/" + $0) }
        }
    }

    func testEveryCommittedFaultInputIsReadOrRefused() throws {
        let found = try inputs("regressions")
        XCTAssertFalse(found.isEmpty)
        for (target, path) in found {
            let parse = try XCTUnwrap(fuzzTargets[target], "Tests/TextTransferFuzzTests/Fixtures/regressions/\(target) names no fuzz target")
            _ = try? parse(path)
        }
    }

    func testEverySeedParses() throws {
        let seeds = try inputs("seeds")
        XCTAssertEqual(Set(seeds.map(\.target)), Set(fuzzTargets.keys), "every target has seeds, every seed folder a target")
        for (target, path) in seeds {
            XCTAssertNoThrow(try fuzzTargets[target]!(path), "\(target): \(path)")
        }
    }
}
