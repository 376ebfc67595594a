import Foundation
import Synchronization
import XCTest

/// Bad input of every kind through the `text-transfer` binary: each case must end with a clean exit (not
/// a signal, not 0), one `text-transfer:` line on stderr naming what was wrong (the flag, or the file with
/// its line, offset, key or tensor), and every file in its folder exactly as it was.
final class BadInputMatrixTests: XCTestCase {
    /// One run. `@base` in an argument is the shared fixture folder, `@dir` the case's own folder.
    struct Case: Sendable {
        let name: String
        let arguments: [String]
        let expect: [String]
        var prepare: (@Sendable (_ base: String, _ dir: String) throws -> Void)?
        /// Redirections for /bin/sh (`> /dev/full`, `1>&-`), for the standard-stream cases.
        var redirect: String?
        var stdin: String?
    }

    func testEveryBadInputFailsCleanlyAndChangesNothing() throws {
        let base = try BadInputFixtures.base()
        let cases = Self.cases()
        XCTAssertGreaterThanOrEqual(cases.count, 120)
        print("bad-input matrix: \(cases.count) cases")
        XCTAssertEqual(Set(cases.map(\.name)).count, cases.count, "case names are unique")
        let before = try Self.snapshot(base)
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: cases.count) { index in
            do {
                if let problem = try Self.run(cases[index], base: base) { failures.withLock { $0.append("\(cases[index].name): \(problem)") } }
            } catch {
                failures.withLock { $0.append("\(cases[index].name): could not run: \(error)") }
            }
        }
        XCTAssertEqual(try Self.snapshot(base), before, "the shared fixtures changed")
        for failure in failures.withLock({ $0 }).sorted() { XCTFail(failure) }
    }

    /// With stderr closed there is nowhere to say what went wrong: the run must still exit 1, not trap.
    func testAnErrorWithStandardErrorClosedStillExitsCleanly() throws {
        let base = try BadInputFixtures.base()
        let dir = try Self.caseDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try BadInputFixtures.copy(base + "/tiny", dir + "/model")
        try BadInputFixtures.write("{not json", dir + "/model/config.json")
        let binary = Bundle.main.bundleURL.appendingPathComponent("text-transfer").path
        let r = try runCLI(["-c", "\(Self.shellQuoted(binary)) embed --model \(Self.shellQuoted(dir + "/model")) 2>&-"], stdin: Data("hi\n".utf8),
                           executable: "/bin/sh")
        XCTAssertEqual(r.status, 1)
        XCTAssertFalse(r.signaled)
    }

    /// A disk that fills while the classifier is saved (a file-size limit stands in for it, so that no
    /// mount is needed): the run fails with one line, the old classifier stays whole, nothing is left beside.
    func testAFullDiskDuringTheSaveKeepsTheOldClassifierAndLeavesNothingBeside() throws {
        let base = try BadInputFixtures.base()
        let dir = try Self.caseDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try BadInputFixtures.copy(base + "/cls", dir + "/out")
        let before = try Self.snapshot(dir)
        let binary = Bundle.main.bundleURL.appendingPathComponent("text-transfer").path
        let line = "trap '' XFSZ; ulimit -f 1; exec " + ([binary] + BadInputFixtures.trainArguments(base: base, output: dir + "/out"))
            .map(Self.shellQuoted).joined(separator: " ")
        let r = try runCLI(["-c", line], executable: "/bin/sh")
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").filter { $0.hasPrefix("text-transfer:") }.count, 1, r.stderr)
        XCTAssertEqual(try Self.snapshot(dir), before, "the old classifier is whole and nothing was left beside it")
    }

    /// Two runs writing the same --output: the second fails at once with one line, before any training.
    func testASecondRunWritingTheSameOutputFailsAtOnce() throws {
        let base = try BadInputFixtures.base()
        let dir = try Self.caseDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try startLongTraining(base: base, output: dir + "/out", errors: dir + "/first.stderr")
        let second = try runCLI(BadInputFixtures.trainArguments(base: base, output: dir + "/out"))
        first.interrupt()
        first.waitUntilExit()
        XCTAssertEqual(second.status, 1, second.stderr)
        XCTAssertTrue(second.stderr.contains("another run is writing this output"), second.stderr)
        XCTAssertFalse(second.stderr.contains("training on"), "refused before training")
    }

    /// A successful run removes its checkpoint (unless --keep-checkpoint, which says where it stays).
    func testASuccessfulRunLeavesNoCheckpointUnlessAskedTo() throws {
        let base = try BadInputFixtures.base()
        let dir = try Self.caseDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plain = try runCLI(BadInputFixtures.trainArguments(base: base, output: dir + "/a"))
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/a/text_transfer.json"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["a"], "no checkpoint, lock or staging left")
        let kept = try runCLI(BadInputFixtures.trainArguments(base: base, output: dir + "/b") + ["--keep-checkpoint"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/b.checkpoint/state.json"))
        XCTAssertTrue(kept.stderr.contains("the checkpoint stays in \(dir)/b.checkpoint"), kept.stderr)
    }

    /// --resume appends to --log-json: the steps logged before the interruption stay.
    func testTheLogOfAnInterruptedRunSurvivesItsResumption() throws {
        let base = try BadInputFixtures.base()
        let dir = try Self.caseDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/logs/run.jsonl"  // in a folder that does not exist yet
        let first = try startLongTraining(base: base, output: dir + "/out", errors: dir + "/stderr", extra: ["--log-json", log])
        first.interrupt()
        first.waitUntilExit()
        let before = try String(contentsOfFile: log, encoding: .utf8)
        XCTAssertTrue(before.contains(#""event":"step""#), before)
        var arguments = BadInputFixtures.trainArguments(base: base, output: dir + "/out") + ["--log-json", log, "--resume"]
        arguments[arguments.firstIndex(of: "--epochs")! + 1] = "100000"  // the same settings, or the checkpoint is refused
        let process = Process()
        process.executableURL = Bundle.main.bundleURL.appendingPathComponent("text-transfer")
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while (try String(contentsOfFile: log, encoding: .utf8)).count <= before.count && Date() < deadline { usleep(50_000) }
        process.interrupt()
        process.waitUntilExit()
        let after = try String(contentsOfFile: log, encoding: .utf8)
        XCTAssertTrue(after.hasPrefix(before), "the first run's lines are kept")
        XCTAssertGreaterThan(after.count, before.count, "the resumed run appended")
    }

    /// Starts a tiny-model run of 100,000 epochs and returns once it is training.
    func startLongTraining(base: String, output: String, errors: String, extra: [String] = []) throws -> Process {
        let process = Process()
        process.executableURL = Bundle.main.bundleURL.appendingPathComponent("text-transfer")
        var arguments = BadInputFixtures.trainArguments(base: base, output: output) + extra
        arguments[arguments.firstIndex(of: "--epochs")! + 1] = "100000"
        process.arguments = arguments
        _ = FileManager.default.createFile(atPath: errors, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: errors)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while !(try String(contentsOfFile: errors, encoding: .utf8)).contains("training on") && Date() < deadline { usleep(50_000) }
        usleep(300_000)
        return process
    }

    /// Ctrl-C stops training after the current step with a checkpoint, a one-line message and exit 130.
    func testInterruptingTrainingSavesACheckpointAndExits130() throws {
        let base = try BadInputFixtures.base()
        let dir = try Self.caseDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let errors = dir + "/stderr"
        let process = try startLongTraining(base: base, output: dir + "/out", errors: errors)
        process.interrupt()
        process.waitUntilExit()
        let stderr = try String(contentsOfFile: errors, encoding: .utf8)
        XCTAssertEqual(process.terminationStatus, 130, stderr)
        XCTAssertTrue(stderr.contains("interrupted after step"), stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/out.checkpoint/state.json"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/out"), "no classifier from an interrupted run")
    }

    /// What was wrong with one case's run, or nil.
    static func run(_ c: Case, base: String) throws -> String? {
        let dir = try Self.caseDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try c.prepare?(base, dir)
        let arguments = c.arguments.map { $0.replacingOccurrences(of: "@base", with: base).replacingOccurrences(of: "@dir", with: dir) }
        let before = try snapshot(dir)
        let r: CLIRun
        if let redirect = c.redirect {
            let binary = Bundle.main.bundleURL.appendingPathComponent("text-transfer").path
            let line = ([binary] + arguments).map(shellQuoted).joined(separator: " ") + " " + redirect
            r = try runCLI(["-c", line], stdin: c.stdin.map { Data($0.utf8) }, executable: "/bin/sh")
        } else {
            r = try runCLI(arguments, stdin: c.stdin.map { Data($0.utf8) })
        }
        var problems: [String] = []
        if r.status == 0 { problems.append("exit 0") }
        if r.signaled || r.status >= 128 { problems.append("ended by a signal (status \(r.status))") }
        let errors = r.stderr.split(separator: "\n").filter { $0.hasPrefix("text-transfer:") }
        if errors.count != 1 { problems.append("\(errors.count) error lines") }
        let message = errors.first.map(String.init) ?? ""
        for part in c.expect.map({ $0.replacingOccurrences(of: "@base", with: base).replacingOccurrences(of: "@dir", with: dir) })
        where !message.contains(part) {
            problems.append("the message does not name \(part)")
        }
        if r.stderr.contains("Fatal error") || r.stderr.contains("backtrace") { problems.append("a trap") }
        let after = try snapshot(dir)
        if after != before {
            let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
            problems.append("files changed: \(changed)")
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ") + " — stderr: \(r.stderr.suffix(400))"
    }

    /// A new empty folder for one case (the caller removes it).
    static func caseDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "case-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Every regular file and link below `root` with its contents (links: their target).
    static func snapshot(_ root: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for relative in FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [] {
            let path = root + "/" + relative
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            switch attributes[.type] as? FileAttributeType {
            case .typeRegular?: files[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
            case .typeSymbolicLink?: files[relative] = Data(try FileManager.default.destinationOfSymbolicLink(atPath: path).utf8)
            default: break
            }
        }
        return files
    }

    static func shellQuoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

}
