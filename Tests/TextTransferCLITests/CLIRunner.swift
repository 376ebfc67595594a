import Foundation

struct CLIRun { let status: Int32; let stdout: String; let stderr: String; var signaled = false }

/// Runs the built `text-transfer` (or `executable`, for a shell line) with `arguments` and `stdin`,
/// collecting its output and exit status. Output goes through files, so that no amount of it can block
/// the process on a full pipe.
func runCLI(_ arguments: [String], stdin: Data? = nil, executable: String? = nil) throws -> CLIRun {
    let scratch = NSTemporaryDirectory() + "run-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let paths = (input: scratch + "/stdin", output: scratch + "/stdout", error: scratch + "/stderr")
    try (stdin ?? Data()).write(to: URL(fileURLWithPath: paths.input))
    _ = FileManager.default.createFile(atPath: paths.output, contents: nil)
    _ = FileManager.default.createFile(atPath: paths.error, contents: nil)
    let process = Process()
    process.executableURL = executable.map { URL(fileURLWithPath: $0) } ?? Bundle.main.bundleURL.appendingPathComponent("text-transfer")
    process.arguments = arguments
    process.standardInput = FileHandle(forReadingAtPath: paths.input)
    process.standardOutput = FileHandle(forWritingAtPath: paths.output)
    process.standardError = FileHandle(forWritingAtPath: paths.error)
    try process.run()
    process.waitUntilExit()
    func text(_ path: String) -> String { String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
    return CLIRun(status: process.terminationStatus, stdout: text(paths.output), stderr: text(paths.error),
                  signaled: process.terminationReason == .uncaughtSignal)
}
