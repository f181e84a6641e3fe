import Foundation
import Testing

/// The libraries read the time only through the injected clock (`CaseClock`), so that
/// `WEBJCASE_NOW`, the tests and the demo decide what "now" is everywhere. Allowed: the
/// system clock itself, and the write lock's own waiting and run records.
@Suite struct ClockDisciplineTests {
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    /// Whole files allowed to read the machine's time.
    static let allowedFiles: Set<String> = ["CaseStore/WriteLock.swift"]
    /// Single lines allowed elsewhere: the system clock.
    static let allowedLines: Set<String> = ["CaseModel/Clock.swift: public func now() -> Date { Date() }"]

    /// Lines of `text` that read the machine's time (comments aside).
    static func readings(_ text: String) -> [String] {
        let patterns = ["Date()", "Date.now", "timeIntervalSinceNow", "Date(timeIntervalSinceNow", "CFAbsoluteTimeGetCurrent", "gettimeofday"]
        return text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { line in
            !line.hasPrefix("//") && patterns.contains { line.contains($0) }
        }
    }

    @Test func theScannerFindsAReading() {
        #expect(Self.readings("let a = 1\n        let started = Date()\n// Date() in a comment\n") == ["let started = Date()"])
        #expect(Self.readings("x.timeIntervalSinceNow").count == 1)
    }

    @Test func librariesReadTheTimeOnlyThroughTheClock() throws {
        let fileManager = FileManager.default
        let targets = try fileManager.contentsOfDirectory(atPath: Self.sources.path)
            .filter { $0.hasPrefix("Case") || $0 == "GitKit" }
        #expect(targets.contains("CaseStore") && targets.contains("GitKit") && targets.contains("CaseSync"))
        var offending: [String] = []
        var scanned = 0
        for target in targets {
            let folder = Self.sources.appendingPathComponent(target)
            guard let files = fileManager.enumerator(atPath: folder.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let name = "\(target)/\(file)"
                scanned += 1
                guard !Self.allowedFiles.contains(name) else { continue }
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for line in Self.readings(text) where !Self.allowedLines.contains("\(name): \(line)") {
                    offending.append("\(name): \(line)")
                }
            }
        }
        #expect(scanned > 50)
        #expect(offending.isEmpty, "read the time through the CaseClock passed in (add a clock parameter): \(offending)")
    }
}
