import Foundation
import XCTest
@testable import TextTransferIO

/// The one way every directory output is written: refused where it would replace what the command did not
/// write, locked, built beside, swapped in whole.
final class OutputDirectoryTests: XCTestCase {
    var scratch: String!
    let fm = FileManager.default

    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "output-\(UUID().uuidString)"
        try fm.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? fm.removeItem(atPath: scratch) }

    func write(_ text: String, _ relative: String) throws {
        let path = scratch + "/" + relative
        try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    func read(_ relative: String) -> String? { try? String(contentsOfFile: scratch + "/" + relative, encoding: .utf8) }

    /// Writes a marked output holding `text` through the primitive.
    func save(_ text: String, to relative: String, overwrite: Bool = false) throws {
        try OutputDirectory.reserve(scratch + "/" + relative, marker: "made.json", overwrite: overwrite).write { staging in
            try text.write(toFile: staging + "/made.json", atomically: false, encoding: .utf8)
        }
    }

    func refusal(_ body: () throws -> Void, mentions part: String, line: UInt = #line) {
        XCTAssertThrowsError(try body(), line: line) { error in
            XCTAssertTrue("\(error)".contains(part), "\(error) should mention \(part)", line: line)
        }
    }

    func testANewOutputAndItsReplacementLeaveNothingBeside() throws {
        try save("one", to: "out")
        XCTAssertEqual(read("out/made.json"), "one")
        try save("two", to: "out/")  // a trailing slash names the same directory
        XCTAssertEqual(read("out/made.json"), "two")
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: scratch), ["out"], "no staging, old copy or lock left beside")
    }

    func testAnEmptyDirectoryMayReceiveTheOutput() throws {
        try fm.createDirectory(atPath: scratch + "/empty", withIntermediateDirectories: false)
        try save("one", to: "empty")
        XCTAssertEqual(read("empty/made.json"), "one")
    }

    func testWhatTheCommandDidNotWriteIsRefusedUnlessOverwrite() throws {
        try write("precious", "file.bin")
        refusal({ try save("x", to: "file.bin") }, mentions: "is a file")
        XCTAssertEqual(read("file.bin"), "precious")
        try write("notes", "project/notes.txt")
        refusal({ try save("x", to: "project") }, mentions: "without made.json")
        XCTAssertEqual(read("project/notes.txt"), "notes")
        try save("x", to: "project", overwrite: true)
        XCTAssertEqual(read("project/made.json"), "x")
        XCTAssertNil(read("project/notes.txt"))
    }

    func testLinksAndImpossiblePathsAreNeverReplaced() throws {
        try save("one", to: "real")
        try fm.createSymbolicLink(atPath: scratch + "/link", withDestinationPath: scratch + "/real")
        refusal({ try save("x", to: "link", overwrite: true) }, mentions: "symbolic link")
        XCTAssertEqual(read("real/made.json"), "one")
        for path in ["", "/", scratch + "/.", scratch + "/.."] {
            refusal({ _ = try OutputDirectory.reserve(path, marker: "made.json", overwrite: true) }, mentions: "not a path")
        }
    }

    func testAnOutputHoldingAnInputOfTheRunIsRefused() throws {
        try save("one", to: "model")
        try write("data", "model/train.tsv")
        refusal({ _ = try OutputDirectory.reserve(self.scratch + "/model", marker: "made.json", inputs: [self.scratch + "/model/train.tsv"]) },
                mentions: "an input of this run")
        refusal({ _ = try OutputDirectory.reserve(self.scratch + "/model/", marker: "made.json", inputs: [self.scratch + "/model"]) },
                mentions: "an input of this run")
    }

    func testASecondWriterOfTheSamePathFailsWhileTheFirstHoldsIt() throws {
        let first = try OutputDirectory.reserve(scratch + "/out", marker: "made.json")
        refusal({ _ = try OutputDirectory.reserve(self.scratch + "/out", marker: "made.json") }, mentions: "another run is writing")
        first.release()
        _ = try OutputDirectory.reserve(scratch + "/out", marker: "made.json")
    }

    func testAFailureWhileBuildingLeavesTheOldOutputWhole() throws {
        try save("old", to: "out")
        struct Boom: Error {}
        XCTAssertThrowsError(try OutputDirectory.reserve(scratch + "/out", marker: "made.json").write { staging in
            try "half".write(toFile: staging + "/made.json", atomically: false, encoding: .utf8)
            throw Boom()
        })
        XCTAssertEqual(read("out/made.json"), "old")
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: scratch), ["out"])
    }

    func testTheExchangeSwapsTwoDirectoriesInOneStep() throws {
        try write("a", "x/f")
        try write("b", "y/f")
        XCTAssertTrue(exchangePaths(scratch + "/x", scratch + "/y"), "renameat2(RENAME_EXCHANGE) should be available on Linux")
        XCTAssertEqual(read("x/f"), "b")
        XCTAssertEqual(read("y/f"), "a")
    }

    func testRemovingTakesOnlyThisKindOfOutput() throws {
        try save("one", to: "ck")
        try write("keep", "other/file")
        try OutputDirectory.reserve(scratch + "/other", marker: "made.json", overwrite: true).remove()
        XCTAssertEqual(read("other/file"), "keep")
        try OutputDirectory.reserve(scratch + "/ck", marker: "made.json").remove()
        XCTAssertFalse(fm.fileExists(atPath: scratch + "/ck"))
    }

    func testFilesAreRenamedIntoPlaceAndNeverOntoAnInputOrADirectory() throws {
        try write("input", "in.txt")
        refusal({ try writeAtomically(Data("x".utf8), to: self.scratch + "/in.txt", inputs: [self.scratch + "/in.txt"]) },
                mentions: "an input of this run")
        XCTAssertEqual(read("in.txt"), "input")
        try fm.createDirectory(atPath: scratch + "/dir", withIntermediateDirectories: false)
        refusal({ try writeAtomically(Data("x".utf8), to: self.scratch + "/dir") }, mentions: "is a directory")
        try writeAtomically(Data("new".utf8), to: scratch + "/out.txt")
        XCTAssertEqual(read("out.txt"), "new")
    }

    /// A file larger than one write(2) can move (2,147,479,552 bytes on Linux) arrives whole: Foundation's
    /// Data.write wrote garbage past that point, and a 300-d fastText .bin is 2.4 GB.
    func testAFileOverTwoGiBIsWrittenWhole() throws {
        let block = 1 << 20, blocks = 2_050  // 2,149,580,800 bytes, each MiB block filled with its own byte
        var data = Data(count: block * blocks)
        data.withUnsafeMutableBytes { bytes in
            for b in 0..<blocks { memset(bytes.baseAddress! + b * block, Int32(b % 251 + 1), block) }
        }
        let path = scratch + "/large.bin"
        try writeAtomically(data, to: path)
        data = Data()
        let handle = try XCTUnwrap(FileHandle(forReadingAtPath: path))
        defer { try? handle.close() }
        XCTAssertEqual(try handle.seekToEnd(), UInt64(block * blocks))
        for offset in [0, 0x7fff_f000 - 1, 0x7fff_f000, 0x7fff_f000 + 1, 1 << 31, block * blocks - 1] {
            try handle.seek(toOffset: UInt64(offset))
            let byte = try XCTUnwrap(handle.read(upToCount: 1)?.first)
            XCTAssertEqual(Int(byte), (offset / block) % 251 + 1, "byte \(offset)")
        }
    }

    func testALinkIsWrittenThroughAndADeviceIsWrittenInPlace() throws {
        try write("old", "target.txt")
        try fm.createSymbolicLink(atPath: scratch + "/link.txt", withDestinationPath: scratch + "/target.txt")
        try writeAtomically(Data("new".utf8), to: scratch + "/link.txt")
        XCTAssertEqual(try fm.destinationOfSymbolicLink(atPath: scratch + "/link.txt"), scratch + "/target.txt")
        XCTAssertEqual(read("target.txt"), "new")
        try writeAtomically(Data("discarded".utf8), to: "/dev/null")
        XCTAssertEqual(FileKind(atPath: "/dev/null"), .other, "/dev/null is still a device")
        refusal({ try writeAtomically(Data("x".utf8), to: "/dev/full") }, mentions: "cannot write")
    }

    func testALinkToAnOpenFileIsWrittenThroughTheDescriptorAndADanglingLinkIsRefused() throws {
        // What /dev/stdout is when a shell redirects it to a file: a link to /proc/self/fd/N.
        try write("", "redirected.txt")
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: scratch + "/redirected.txt"))
        defer { try? handle.close() }
        try fm.createSymbolicLink(atPath: scratch + "/stdout", withDestinationPath: "/proc/self/fd/\(handle.fileDescriptor)")
        try writeAtomically(Data("vectors".utf8), to: scratch + "/stdout")
        XCTAssertEqual(read("redirected.txt"), "vectors")
        XCTAssertEqual(FileKind(atPath: scratch + "/stdout"), .symbolicLink, "the link itself is never replaced")
        try fm.createSymbolicLink(atPath: scratch + "/dangling", withDestinationPath: scratch + "/nothing")
        refusal({ try writeAtomically(Data("x".utf8), to: self.scratch + "/dangling") }, mentions: "symbolic link to nothing")
        XCTAssertEqual(FileKind(atPath: scratch + "/dangling"), .symbolicLink)
    }

    func testWhatAKilledRunLeftBesideIsRemovedByTheNextWriter() throws {
        try save("old", to: "out")
        try write("half", ".out.partial-99999/made.json")
        try write("aside", ".out.old-99999/made.json")
        try write("unrelated", ".outer.partial-1/file")
        try save("new", to: "out")
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: scratch).sorted(), [".outer.partial-1", "out"])
        XCTAssertEqual(read("out/made.json"), "new")
    }
}
