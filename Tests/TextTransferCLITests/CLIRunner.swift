import Foundation

struct CLIRun { let status: Int32; let stdout: String; let stderr: String }

/// Runs the built `text-transfer` with `arguments` and `stdin`, collecting its output and exit status.
func runCLI(_ arguments: [String], stdin: Data? = nil) throws -> CLIRun {
    let binary = Bundle.main.bundleURL.appendingPathComponent("text-transfer")
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    input.fileHandleForWriting.write(stdin ?? Data())
    try input.fileHandleForWriting.close()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CLIRun(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                  stderr: String(decoding: stderr, as: UTF8.self))
}
