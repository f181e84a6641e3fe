import Foundation
import Testing

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// docs/rules.md and the scenarios agree: every workflow rule names scenarios that exist
/// and in which the rule refuses (or records) at least once; every rule a scenario
/// expects is in the table.
@Suite struct RulesDocumentTests {
    struct Row { let id: String; let severity: String; let scenarios: [String] }

    static func rows() throws -> [Row] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 7, cells[1].hasPrefix("P"), cells[1].contains("-") else { return nil }
            let scenarios = cells[5].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            return Row(id: cells[1], severity: cells[4], scenarios: scenarios)
        }
    }

    /// The scenario file's text, or nil.
    static func scenario(_ name: String) -> String? {
        try? String(contentsOf: root.appendingPathComponent("Tests/Scenarios/\(name)/scenario.yaml"), encoding: .utf8)
    }

    @Test func theTableCoversTheSeed() throws {
        #expect(try Self.rows().count >= 25)
    }

    @Test func everyWorkflowRuleIsProvenByItsScenarios() throws {
        for row in try Self.rows() {
            var proven = false
            for name in row.scenarios {
                if name.hasSuffix(" (end-to-end)") {
                    // Proven through the binary: the suite names the rule it expects.
                    let suite = String(name.dropLast(" (end-to-end)".count))
                    let text = try String(contentsOf: root.appendingPathComponent("Tests/EndToEndTests/\(suite).swift"), encoding: .utf8)
                    if text.contains("[\(row.id)]") { proven = true }
                    continue
                }
                let text = try #require(Self.scenario(name), "\(row.id): no scenario \(name)")
                #expect(text.contains("expect: \"accepted\""), "\(row.id): \(name) accepts nothing")
                let needle = row.severity == "record" ? "\"\(row.id)\"]" : "rule: \"\(row.id)\""
                if text.contains(needle) || (row.severity == "record" && text.contains("\"\(row.id)\"")) { proven = true }
            }
            #expect(proven, "\(row.id): none of \(row.scenarios) \(row.severity == "record" ? "records" : "refuses") with it")
        }
    }

    @Test func everyRuleAScenarioExpectsIsInTheTable() throws {
        let documented = try String(contentsOf: root.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        let directory = root.appendingPathComponent("Tests/Scenarios")
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where !name.hasPrefix("_") {
            guard let text = Self.scenario(name) else { continue }
            let pattern = try Regex(#"rule: "([A-Z0-9-]+)""#)
            for match in text.matches(of: pattern) {
                let id = String(text[match.range]).dropFirst(7).dropLast()
                #expect(documented.contains("| \(id) |"), "\(name): rule \(id) is not in docs/rules.md")
            }
        }
    }
}
