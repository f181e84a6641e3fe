import Foundation
import Testing
import TestSupport

/// Office calendars through the built binary: `due` lists a deadline whose year has no
/// calendar yet as provisional (text, JSON, .ics, dossier) and exits 0; `calendar import`
/// writes the year's calendar from the DGPA CSV; once the admins have signed and committed
/// it, the same deadline is final and follows it.
@Suite struct CalendarTests {
    let w: Workspace

    init() throws {
        w = try Workspace()
        // The last day, Saturday 2028-01-15, lies in a year without a calendar.
        try EnforcementTests.prepare(w, repository: "edu", suspension: """
        letter: {number: "南市智字第1150000900號", date: 2026-12-21}
        items: [{number: 1, requirement: "Stop sending advertising"}]
        deadline: 2028-01-15
        tracker: "kao.staff"

        """)
    }

    @discardableResult
    func run(_ arguments: [String], at time: String, expect status: Int32 = 0) throws -> RunResult {
        let result = try w.webjcase(arguments + ["--repo", "edu"], environment: ["WEBJCASE_NOW": time])
        #expect(result.status == status, "\(arguments): \(result)")
        return result
    }

    func dueItems(at time: String) throws -> [[String: Any]] {
        let due = try run(["due", "--json"], at: time)
        return try #require(try JSONSerialization.jsonObject(with: Data(due.stdout.utf8)) as? [[String: Any]], "\(due)")
    }

    @Test func aDeadlineBeyondThePublishedCalendarsIsProvisionalUntilTheCalendarIsImported() throws {
        // A registration, approved; a second one waiting for a correction (a final deadline).
        try run(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk"], at: "2026-03-02T09:00:00+08:00")
        try run(["step", "REG-2026-edu1-0001", "submit", "--data", "submit-annexes.yaml", "--key", "chen.clerk"]
                + (1...5).flatMap { ["--attach", "annex-\($0).pdf"] }, at: "2026-03-02T09:30:00+08:00")
        try run(["step", "REG-2026-edu1-0001", "initial.forward", "--data", "forward.yaml", "--key", "wang.reviewer"], at: "2026-03-03T10:00:00+08:00")
        try run(["step", "REG-2026-edu1-0001", "secondary.approve", "--data", "approve.yaml", "--key", "lee.centre"], at: "2026-03-04T10:00:00+08:00")
        try run(["case", "open", "REG", "--org", "87654321", "--data", "open.yaml", "--key", "chen.clerk"], at: "2026-03-05T09:00:00+08:00")
        try run(["step", "REG-2026-edu1-0002", "submit", "--data", "submit.yaml", "--key", "chen.clerk"], at: "2026-03-05T09:30:00+08:00")
        try run(["step", "REG-2026-edu1-0002", "initial.correction", "--data", "correction.yaml", "--key", "wang.reviewer"], at: "2026-03-06T10:00:00+08:00")

        // The Centre suspends the first with a deadline in 2028: accepted (nothing judges its end yet).
        #expect(try w.git(["--git-dir", w.gitDirectory("edu"), "config", "webjcase.node", "centre"]).status == 0)
        #expect(try w.git(["--git-dir", w.gitDirectory("edu"), "config", "webjcase.key", w.directory.file("centre")]).status == 0)
        try run(["case", "open", "ENF", "--org", "12345678", "--data", "enf.yaml", "--key", "kao.staff"], at: "2026-12-21T09:00:00+08:00")
        try run(["step", "ENF-2026-centre-0001", "suspend", "--data", "suspend.yaml", "--key", "kao.staff"], at: "2026-12-21T10:00:00+08:00")

        // `due` lists every item, exits 0, and marks the end that needs calendar/2028.yaml.
        let items = try dueItems(at: "2026-12-22T09:00:00+08:00")
        #expect(items.map { $0["kind"] as? String } == ["correction", "improvement-deadline"])
        try #require(items.count == 2)
        #expect(items[0]["provisional"] as? Bool == false)
        #expect(items[0]["at"] as? String == "2026-03-17T00:00:00+08:00")
        #expect(items[1]["provisional"] as? Bool == true)
        #expect(items[1]["at"] as? String == "2028-01-17T12:00:00+08:00", "Saturday → the Monday's noon, weekends only")
        #expect(items[1]["subject"] as? String == "Advertising sent without consent")
        let period = try #require(items[1]["period"] as? [String: Any])
        #expect(period["lastDay"] as? String == "2028-01-15" && period["endsOn"] as? String == "2028-01-17")
        #expect(period["rule"] as? String == "saturday-noon")
        #expect(period["missingCalendars"] as? [String] == ["calendar/2028.yaml"])

        let text = try run(["due", "--ics", w.directory.file("due.ics")], at: "2026-12-22T09:00:00+08:00")
        #expect(text.stdout.contains("! by 2026-03-16 (until 24:00)  REG-2026-edu1-0002  87654321: the correction requested is due."), "\(text)")
        #expect(text.stdout.contains("  last day 2028-01-15, a Saturday: until Monday 2028-01-17 12:00 [provisional: calendar/2028.yaml is not published yet]  ENF-2026-centre-0001  12345678: the improvement period ends"), "\(text)")
        let chinese = try run(["due", "--lang", "zh-TW"], at: "2026-12-22T09:00:00+08:00")
        #expect(chinese.stdout.contains("末日 2028-01-15 為星期六：至星期一 2028-01-17 12:00［暫定：calendar/2028.yaml 尚未公布］"), "\(chinese)")
        let ics = try String(contentsOfFile: w.directory.file("due.ics"), encoding: .utf8).replacingOccurrences(of: "\r\n ", with: "")
        #expect(ics.contains("DTSTART;VALUE=DATE:20280115\r\n"), "\(ics)")
        #expect(ics.contains("DTSTART;TZID=Asia/Taipei:20280117T080000\r\nDTEND;TZID=Asia/Taipei:20280117T120000\r\n"), "\(ics)")
        #expect(ics.contains("SUMMARY:[provisional] Improvement period ends: Advertising sent without consent — 12345678 (ENF-2026-centre-0001)\r\n"), "\(ics)")

        // The dossier says so too.
        let dossier = try run(["report", "ENF-2026-centre-0001", "--format", "md"], at: "2026-12-22T09:00:00+08:00")
        #expect(dossier.stdout.contains("Period ends (APA art. 48): last day 2028-01-15, a Saturday: until Monday 2028-01-17 12:00 [provisional: calendar/2028.yaml is not published yet]"), "\(dossier)")

        // The DGPA publishes 2028 (Big5, as older years were): Monday 2028-01-17 is a day off.
        var rows = officeCalendarRows(year: 2028, daysOff: ["20280117": "調整放假", "20280126": "春節"], workdays: ["20280122": "補行上班"])
        try big5(officeCalendarCSV(rows)).write(to: URL(fileURLWithPath: w.directory.file("117年中華民國政府行政機關辦公日曆表.csv")))
        let imported = try run(["calendar", "import", "117年中華民國政府行政機關辦公日曆表.csv", "--year", "2028"], at: "2027-06-20T09:00:00+08:00")
        #expect(imported.stderr.contains("Big5 (CP950), 366 days): 2 weekday(s) off, 1 make-up workday(s)"), "\(imported)")
        #expect(imported.stderr.contains("webjcase trust sign calendar/2028.yaml --key KEY"), "\(imported)")
        let again = try run(["calendar", "import", "117年中華民國政府行政機關辦公日曆表.csv", "--year", "2028"], at: "2027-06-20T09:00:00+08:00", expect: 2)
        #expect(again.stderr.contains("already exists; nothing was overwritten"), "\(again)")
        // Not yet signed: still provisional.
        #expect(try dueItems(at: "2027-06-20T10:00:00+08:00").last?["provisional"] as? Bool == true)

        // Typhoon closures by hand: Tainan's afternoon of Tuesday 2028-01-18 leaves its morning
        // (a Saturday period needs only that); Kaohsiung's whole day does not count here.
        let path = w.directory.file("edu/calendar/2028.yaml")
        let yaml = try String(contentsOfFile: path, encoding: .utf8)
        try yaml.replacingOccurrences(of: "closures: []\n", with: """
        closures:
        - {date: '2028-01-18', area: 臺南市, note: 颱風下午停止上班, part: afternoon}
        - {date: '2028-01-18', area: 高雄市, note: 颱風停止上班}

        """).write(toFile: path, atomically: true, encoding: .utf8)
        // Importing again keeps them, and says which do not count.
        let replaced = try run(["calendar", "import", "117年中華民國政府行政機關辦公日曆表.csv", "--year", "2028", "--replace"],
                               at: "2027-06-20T09:30:00+08:00")
        #expect(replaced.stderr.contains("is replaced (it was official); its 2 closure(s) are kept."), "\(replaced)")
        #expect(replaced.stderr.contains("the closure on 2028-01-18 was announced for 高雄市, not 臺南市"), "\(replaced)")
        let signed = try run(["trust", "sign", "calendar/2028.yaml", "--key", "lin.admin"], at: "2027-06-20T10:00:00+08:00")
        #expect(signed.stderr.contains("lin.admin"), "\(signed)")
        #expect(signed.stderr.contains("calendar/2028.yaml: the closure on 2028-01-18 was announced for 高雄市, not 臺南市: it does not count for deadlines."), "\(signed)")
        #expect(!signed.stderr.contains("announced for 臺南市"), "\(signed)")
        try run(["trust", "commit", "calendar/2028.yaml"], at: "2027-06-20T10:05:00+08:00")
        let final = try dueItems(at: "2027-06-20T11:00:00+08:00")
        #expect(final.last?["provisional"] as? Bool == false)
        #expect(final.last?["at"] as? String == "2028-01-18T12:00:00+08:00", "the adjusted Monday off: Tuesday's noon, its afternoon closure notwithstanding")
        let shown = try run(["due"], at: "2027-06-20T11:00:00+08:00")
        #expect(shown.stdout.contains("last day 2028-01-15, a Saturday: until Tuesday 2028-01-18 12:00  ENF-2026-centre-0001"), "\(shown)")
        #expect(!shown.stdout.contains("provisional"), "\(shown)")
        try run(["verify"], at: "2027-06-20T11:00:00+08:00")

        // A bare repository has no work tree to write to.
        try w.initRepository("other.git")
        let bare = try w.webjcase(["calendar", "import", "117年中華民國政府行政機關辦公日曆表.csv", "--year", "2028", "--repo", "other.git"])
        #expect(bare.status == 2 && bare.stderr.contains("other.git is a bare repository") && bare.stderr.contains("Give --out PATH"), "\(bare)")
        // A file that is not the DGPA calendar: refused with its line and what was expected.
        rows[40] = "20280210,四,3,"
        try w.directory.write("broken.csv", officeCalendarCSV(rows))
        let broken = try w.webjcase(["calendar", "import", "broken.csv", "--year", "2028", "--out", "proposal/calendar/2028.yaml", "--repo", "other.git"])
        #expect(broken.status == 2, "\(broken)")
        #expect(broken.stderr.contains("broken.csv line 42: 是否放假 is `3`; expected 0 (a working day) or 2 (a day off)."), "\(broken)")
        #expect(!FileManager.default.fileExists(atPath: w.directory.file("proposal/calendar/2028.yaml")))
    }
}
