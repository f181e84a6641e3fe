import ArgumentParser
import CaseModel
import CaseStore
import Foundation

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "Office calendars: import the DGPA's published calendar of a year as calendar/<year>.yaml.",
        discussion: """
        Deadlines (APA art. 48) read the signed calendars of the repository; a year without one
        gives provisional ends until its calendar is committed. Closures (typhoons) are added by hand.
        """,
        subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Write calendar/<year>.yaml from the DGPA office calendar CSV (data.gov.tw dataset 14718).",
            discussion: """
            FILE is the year's CSV as published (header 西元日期,星期,是否放假,備註; Big5/CP950, UTF-8 or UTF-8 with
            a byte-order mark). Weekdays off become restDays, working Saturdays and Sundays workdays. The file is
            written to the work tree (or --out) and must then be signed by the admins like any protected change.
            Example: webjcase calendar import 116年中華民國政府行政機關辦公日曆表.csv --year 2027 --replace
                     webjcase trust sign calendar/2027.yaml --key keys/lin.admin && webjcase trust commit calendar/2027.yaml
            """)

        @Argument(help: "The DGPA office calendar of one year (CSV).") var file: String
        @Option(help: "The year the file is for (every row must be in it).") var year: Int
        @Option(help: "Where to write (default: calendar/<year>.yaml in the repository's work tree).") var out: String?
        @Flag(help: "Replace an existing calendar file (its closures are kept).") var replace = false
        @OptionGroup var global: GlobalOptions

        func run() throws {
            guard (2000...9999).contains(year) else {
                throw CaseError(.optionInvalid, ["option": "--year", "value": "\(year)", "expected": "give a year from 2000 to 9999"])
            }
            let path: String
            if let out {
                path = out
            } else {
                let repository = try global.open()
                guard !repository.isBare, let work = try? repository.proposalDirectory(nil) else {
                    throw CaseError(.calendarImportBare, ["repo": global.repo, "year": "\(year)"])
                }
                path = (work as NSString).appendingPathComponent("calendar/\(year).yaml")
            }
            let outcome = try CalendarImport.run(file, year: year, out: path, replace: replace)
            if let replaced = outcome.replaced {
                Console.say(Message(.calendarImportReplaced, ["file": path, "status": replaced.status, "count": "\(replaced.closures)"]),
                            global.language)
            }
            let calendar = outcome.parsed.calendar
            Console.say(Message(.calendarImported, [
                "file": path, "year": "\(year)", "source": file, "encoding": outcome.parsed.encoding.rawValue,
                "rows": "\(outcome.parsed.rows)", "rest": "\(calendar.restDays.count)", "work": "\(calendar.workdays.count)",
                "closures": "\(calendar.closures.count)", "path": "calendar/\(year).yaml",
            ]), global.language)
            for note in CaseRepository.ignoredClosures(calendar, path: path) { Console.say(note, global.language) }
        }
    }
}
