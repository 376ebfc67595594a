// libFuzzer entry point (built by Scripts/fuzz.sh with --sanitize=fuzzer, never by swift test).
// FUZZ_TARGET names the parser (TextTransferFuzzTargets); each input is written to a file, because every
// reader takes a path as users give it.
import Foundation
import TextTransferFuzzTargets

nonisolated(unsafe) var parse: (@Sendable (String) throws -> Void)?
let scratch = (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory())
    + "/text-transfer-fuzz-\(ProcessInfo.processInfo.processIdentifier)"

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
    guard let target = fuzzTargets[name] else {
        print("FUZZ_TARGET must be one of: \(fuzzTargets.keys.sorted().joined(separator: ", "))")
        exit(2)
    }
    parse = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // The extension matters to readers that detect formats; the target fixes the format anyway.
    let path = scratch + ".input"
    FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size))
    _ = try? parse?(path)
    return 0
}
