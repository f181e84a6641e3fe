import ArgumentParser
import CaseModel
import CaseRules
import CaseStore
import Foundation

struct Next: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What may happen next in a case: each step the rules accept now, who may sign it and by when, and what becomes possible later.",
        discussion: """
        Every action of the case's kind is tried with realistic data, one candidate for each outcome (a tracking that
        finds the improvement completed or not, an extension granted or denied, each reason of a rejection, a reply by
        e-mail or by letter), and judged by the validator's own rules as a step arriving at that time would be: now, and
        at each later moment the rules name (the end of the improvement period or of the date to correct by, 18:00 the
        day before a termination date). Nothing is written. --json prints the shape docs/next.md describes.
        Example: webjcase next ENF-2026-centre-0001 --at 2026-06-08T09:00:00+08:00 --json
        """)

    @Argument(help: "The case id.") var caseID: String
    @Flag(help: "Print JSON (docs/next.md).") var json = false
    @Option(help: "Judge at this time (RFC 3339, e.g. 2026-06-08T09:00:00+08:00) instead of the clock's.") var at: String?
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let at, Timestamp(at) == nil {
            throw CaseError(.optionInvalid, ["option": "--at", "value": at, "expected": "a time such as 2026-06-08T09:00:00+08:00"])
        }
    }

    func run() throws {
        let repository = try global.open()
        let time = try at.flatMap(Timestamp.init)?.date ?? repository.clock(environment: global.environment).now()
        let report = try repository.next(try parseCaseID(caseID), at: time)
        if json { return try Console.json(report) }
        for line in report.lines(global.language) {
            Console.data(String(repeating: "  ", count: line.depth) + line.text + "\n")
        }
    }
}
