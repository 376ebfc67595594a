import Foundation
import XCTest
import TextTransferTestSupport

/// `distill` end to end through the command line: the student it saves is an ordinary classifier that
/// predict, evaluate and info read, its work directory goes away after a successful run, and a static
/// model from `distill-embeddings` is what embed and similarity take.
final class DistillCommandTests: XCTestCase {
    func testADistilledStudentIsAnOrdinaryClassifier() throws {
        let base = try BadInputFixtures.base()
        let dir = NSTemporaryDirectory() + "distill-cli-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try runCLI(["distill", "--teacher", base + "/cls", "--train", base + "/train.tsv", "--dev", base + "/dev.tsv", "--student", "bag",
                              "--augment", "2", "--epochs", "2", "--threads", "1", "--output", dir + "/student", "--result-json", dir + "/report.json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("distilled − alone"), run.stdout)
        XCTAssertTrue(run.stderr.contains("augmentation made"), run.stderr)
        let firstSteps = run.stderr.split(separator: "\n").filter { $0.hasPrefix("epoch 1 step 1/") }
        XCTAssertEqual(firstSteps.count, 2, "each student's progress is shown: \(run.stderr)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/student.distill"), "the work directory is removed after a successful run")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/report.json"))) as? [String: Any]
        XCTAssertNotNil(report?["distilled"], "\(String(describing: report))")

        let predict = try runCLI(["predict", "--model", dir + "/student", "hello a", "world b"])
        XCTAssertEqual(predict.status, 0, predict.stderr)
        XCTAssertEqual(predict.stdout.split(separator: "\n").count, 2, predict.stdout)
        let evaluate = try runCLI(["evaluate", "--model", dir + "/student", "--data", base + "/dev.tsv"])
        XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
        XCTAssertTrue(evaluate.stdout.contains("accuracy"), evaluate.stdout)
        let info = try runCLI(["info", dir + "/student"])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.hasPrefix("encoder: bag over WordPiece tokens, embeddings 10 × 8"), info.stdout)
    }

    func testAStaticModelIsWhatEmbedAndSimilarityTake() throws {
        let base = try BadInputFixtures.base()
        let embed = try runCLI(["embed", "--model", base + "/static", "--format", "tsv"], stdin: Data("hello a\nworld b\n".utf8))
        XCTAssertEqual(embed.status, 0, embed.stderr)
        let rows = embed.stdout.split(separator: "\n")
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[0].split(separator: "\t").count, 4, "--dimensions 4 in the fixture")
        let similarity = try runCLI(["similarity", "--model", base + "/static", "hello a", "hello a"])
        XCTAssertEqual(similarity.status, 0, similarity.stderr)
        XCTAssertEqual(similarity.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "1.0000")
        let info = try runCLI(["info", base + "/static"])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.hasPrefix("static model (model2vec layout): 7 tokens × 4"), info.stdout)
    }

    func testBenchClassifyMeasuresEachClassifierAgainstTheFirst() throws {
        let base = try BadInputFixtures.base()
        let run = try runCLI(["bench", "classify", "--model", base + "/cls", "--model", base + "/bag", "--input", base + "/dev.tsv", "--runs", "2", "--threads", "1"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let results = run.stdout.split(separator: "\n").filter { $0.hasPrefix("RESULT classify ") }
        XCTAssertEqual(results.count, 2, run.stdout)
        XCTAssertTrue(results[0].hasSuffix("vs_first=1.00"), run.stdout)
        XCTAssertTrue(results[1].contains("model=\(base)/bag"), run.stdout)
    }
}
