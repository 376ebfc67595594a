import Foundation
import XCTest

/// What `fasttext print-word-vectors` printed into a fixture: each word and its values to 5 significant digits.
enum PrintedWordVectors {
    static func rows(_ fixture: String) throws -> [(word: String, values: [Double])] {
        try String(contentsOfFile: FixtureFiles.path(fixture), encoding: .utf8).split(separator: "\n").map { line in
            let fields = line.split(separator: " ")
            return (String(fields[0]), fields.dropFirst().map { Double($0)! })
        }
    }

    /// Checks our vector against a printed one, each value within half a unit of the printed 5th significant
    /// digit; returns the largest difference.
    @discardableResult
    static func assertWithinPrintedPrecision(_ ours: [Float], _ printed: [Double], _ word: String, file: StaticString = #filePath, line: UInt = #line) -> Double {
        XCTAssertEqual(ours.count, printed.count, word, file: file, line: line)
        var worst = 0.0
        for (value, theirs) in zip(ours, printed) {
            let halfUnit = theirs == 0 ? 5e-6 : 0.5 * pow(10, floor(log10(abs(theirs))) - 4)
            XCTAssertLessThanOrEqual(abs(Double(value) - theirs), halfUnit * 1.0001, "\(word): \(value) vs \(theirs)", file: file, line: line)
            worst = max(worst, abs(Double(value) - theirs))
        }
        return worst
    }
}
