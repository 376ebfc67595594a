import ArgumentParser
import Foundation
import Hummingbird
import TextTransfer

/// `POST /classify` and `POST /embed` (JSON in, JSON out) and `GET /health`, over a classifier saved by
/// `text-transfer train` and a sentence encoder, with concurrent requests batched together.
@main
struct TextTransferServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text-transfer-server",
        abstract: "Serves a TextTransfer classifier (POST /classify) and sentence encoder (POST /embed) over HTTP.")

    @Option(help: "Classifier directory saved by text-transfer train (enables POST /classify).") var classifier: String?
    @Option(help: "Sentence encoder directory (enables POST /embed).") var model: String?
    @Option(help: "fp32, bf16 or int8 for the Transformer's Linear layers (default: what the model stores).") var precision: String?
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on.") var port: Int = 8080
    @Option(help: "Most texts in one batch.") var maxBatch: Int = 64
    @Option(help: "Milliseconds a request that finds the model idle waits for others to join its batch (0: none).") var maxDelayMs: Double = 0
    @Option(help: "Most texts in one forward pass within a batch (the encoder skips padding, so lengths may mix).")
    var passSize: Int = 32
    @Option(help: "Largest request body in bytes (413 above it).") var maxBodyBytes: Int = 1_000_000
    @Option(help: "Most texts in one request.") var maxTexts: Int = 256
    @Option(help: "Compute threads (default: all cores).") var threads: Int?

    func validate() throws {
        guard classifier != nil || model != nil else { throw ValidationError("give --classifier DIR, --model DIR, or both") }
        guard precision.map({ Precision(rawValue: $0) != nil }) ?? true else { throw ValidationError("--precision must be fp32, bf16 or int8") }
        guard maxBatch >= 1, passSize >= 1, maxDelayMs >= 0, maxBodyBytes >= 1, maxTexts >= 1 else {
            throw ValidationError("--max-batch, --pass-size, --max-body-bytes and --max-texts must be at least 1, --max-delay-ms at least 0")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() async throws {
        if let threads { ComputeThreads.set(threads) }
        let chosen = precision.flatMap(Precision.init(rawValue:))
        let delay = Int(maxDelayMs * 1000)
        let limits = Limits(bodyBytes: maxBodyBytes, texts: maxTexts, characters: 100_000)
        var precisions: [String] = []  // what each loaded model computes in, for /health
        let classify = try classifier.map { path -> MicroBatcher<TextClassifier.Prediction> in
            let loaded = try TextClassifier(directory: path, precision: chosen)
            precisions.append("\"classifier\":\"\(loaded.encoder?.precision.rawValue ?? "fp32")\"")
            return MicroBatcher(maxBatch: maxBatch, maxDelayMicroseconds: delay) { [passSize] in loaded.predict($0, batchSize: passSize) }
        }
        let labels = try classifier.map { try TextClassifier(directory: $0).labels } ?? []
        let embed = try model.map { path -> (MicroBatcher<[Float]>, Int) in
            let loaded = try SentenceEncoder(directory: path, precision: chosen)
            precisions.append("\"model\":\"\(loaded.encoder.precision.rawValue)\"")
            return (MicroBatcher(maxBatch: maxBatch, maxDelayMicroseconds: delay) { [passSize] in loaded.embed($0, batchSize: passSize) }, loaded.dimension)
        }
        let router = Router()
        router.add(middleware: JSONErrors())
        let health = "{\"status\":\"ok\",\"classifier\":\(classifier.map(jsonString) ?? "null"),\"model\":\(model.map(jsonString) ?? "null"),\"precision\":{\(precisions.joined(separator: ","))}}"
        router.get("health") { _, _ in json(200, health) }
        router.post("classify") { request, _ -> Response in
            guard let classify else { return errorResponse(404, "no classifier is loaded: start the server with --classifier DIR") }
            return await respond(to: request, limits: limits) { texts in
                let predictions = await classify.submit(texts)
                let items = predictions.map { p in
                    let probabilities = zip(labels, p.probabilities).map { "\(jsonString($0)):\($1)" }.joined(separator: ",")
                    return "{\"label\":\(jsonString(p.label)),\"probabilities\":{\(probabilities)}}"
                }
                return "{\"predictions\":[\(items.joined(separator: ","))]}"
            }
        }
        router.post("embed") { request, _ -> Response in
            guard let (embed, dimension) = embed else { return errorResponse(404, "no sentence encoder is loaded: start the server with --model DIR") }
            return await respond(to: request, limits: limits) { texts in
                let vectors = await embed.submit(texts)
                let rows = vectors.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" }
                return "{\"dimension\":\(dimension),\"embeddings\":[\(rows.joined(separator: ","))]}"
            }
        }
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port)))
        print("text-transfer-server: listening on http://\(host):\(port) (classify: \(classifier ?? "off"), embed: \(model ?? "off"), precision {\(precisions.joined(separator: ", "))})")
        try await app.runService()
    }
}

struct Limits: Sendable {
    let bodyBytes: Int
    let texts: Int
    let characters: Int
}

/// Reads and checks the body, then answers with `body(texts)`, or with a 4xx JSON error.
func respond(to request: Request, limits: Limits, _ body: @Sendable ([String]) async -> String) async -> Response {
    var request = request
    let data: Data
    do {
        let buffer = try await request.collectBody(upTo: limits.bodyBytes)
        data = Data(buffer.readableBytesView)
    } catch {
        return errorResponse(413, "the body is larger than \(limits.bodyBytes) bytes")
    }
    do {
        let texts = try TextsRequest.texts(from: data, maxTexts: limits.texts, maxCharacters: limits.characters)
        return json(200, await body(texts))
    } catch {
        return errorResponse(error.status, error.message)
    }
}

func json(_ status: Int, _ text: String) -> Response {
    Response(status: .init(code: status), headers: [.contentType: "application/json"],
             body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
}

/// A 4xx answer: `{"error": "message"}`.
func errorResponse(_ status: Int, _ message: String) -> Response { json(status, "{\"error\":\(jsonString(message))}") }

/// Hummingbird's own errors (no such route, a method the route does not take) as `{"error": "…"}` too.
struct JSONErrors<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let failure as HTTPError {
            let message = failure.status == .notFound
                ? "no route \(request.method) \(request.uri.path): the routes are GET /health, POST /classify and POST /embed"
                : "\(failure.status.code) \(failure.status.reasonPhrase)"
            return errorResponse(Int(failure.status.code), message)
        }
    }
}
