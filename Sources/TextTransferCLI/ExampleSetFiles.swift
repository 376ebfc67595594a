import TextTransferTraining

/// The library reads no files, so an error about a whole example set names the set: a `DataError` of file
/// "train" or "dev", a `ConfigurationError` of key "source" or "train". A command knows each set by the file it
/// came from and renames the error to it; a set it has no file for (nil) keeps the library's name.
struct ExampleSetFiles {
    var train: String?
    var dev: String?
    var source: String?

    init(train: String? = nil, dev: String? = nil, source: String? = nil) {
        (self.train, self.dev, self.source) = (train, dev, source)
    }

    /// `body`'s result, or its error with the example sets renamed to their files.
    func naming<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DataError {
            guard let file = self.file(of: error.file) else { throw error }
            throw DataError(file: file, line: error.line, message: error.message)
        } catch let error as ConfigurationError {
            guard error.key == "source" || error.key == "train", let file = self.file(of: error.key) else { throw error }
            throw DataError(file: file, message: error.message)
        }
    }

    private func file(of set: String) -> String? {
        switch set {
        case "train": train
        case "dev": dev
        case "source": source
        default: nil
        }
    }
}
