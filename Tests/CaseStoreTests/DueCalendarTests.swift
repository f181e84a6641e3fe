import Foundation
import Testing
import CaseModel
import CaseYAML
import CaseRules
@testable import CaseStore

/// `due --ics` against an independent reading of RFC 5545: CRLF lines of at most 75
/// octets, folding that never splits a UTF-8 character, escaped text, Asia/Taipei times.
@Suite struct DueCalendarTests {
    static let calendar: OfficeCalendar = OfficeCalendar([2026, 2027].compactMap { year in
        Template.file("calendar/\(year).yaml").flatMap { try? StrictYAML.decode(CalendarFile.self, from: $0, file: "calendar/\(year).yaml") }
    })

    static func period(_ date: String) -> PeriodEnd { Deadlines.period(of: CalendarDate(date)!, calendar: calendar) }

    static func item(_ kind: DueItem.Kind, _ date: String, _ id: String, trackings: Int? = nil, left: Int? = nil) -> DueItem {
        let period = period(date)
        return DueItem(kind: kind, at: period.at, caseID: id, organization: "12345678", subject: "Advertising sent without consent",
                       trackings: trackings, trackingsLeft: left, overdue: false, period: period)
    }

    let items = [
        // Saturday 2026-06-06: the last day, and Monday 2026-06-08 until noon.
        item(.improvementDeadline, "2026-06-06", "ENF-2026-centre-0001", trackings: 1, left: 2),
        DueItem(kind: .serviceDisable, at: "2026-07-09T18:00:00+08:00", caseID: "ENF-2026-centre-0002", organization: "87654321",
                subject: "Forged annexes", overdue: false),
    ]
    /// RFC 5545 §3.1: unfold, then split each content line into name, parameters, value.
    func parse(_ text: String) throws -> [(name: String, parameters: [String], value: String)] {
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\r\n\t", with: "")
        return try unfolded.components(separatedBy: "\r\n").filter { !$0.isEmpty }.map { line in
            let colon = try #require(line.firstIndex(of: ":"), "no colon in \(line)")
            let head = line[..<colon].split(separator: ";").map(String.init)
            let raw = String(line[line.index(after: colon)...])
            let value = raw.replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\,", with: ",")
                .replacingOccurrences(of: "\\;", with: ";").replacingOccurrences(of: "\\\\", with: "\\")
            return (head[0], Array(head.dropFirst()), value)
        }
    }

    @Test func linesAreFoldedAtSeventyFiveOctetsWithoutSplittingCharacters() throws {
        let text = DueCalendar.ics(items, language: .zhTW, now: Date(timeIntervalSince1970: 1_780_000_000))
        #expect(text.hasSuffix("\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "bare LF")
        let bytes = Array(text.utf8)
        var lines: [[UInt8]] = [[]]
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { lines.append([]); index += 2; continue }
            lines[lines.count - 1].append(bytes[index])
            index += 1
        }
        for line in lines {
            #expect(line.count <= 75, "\(String(decoding: line, as: UTF8.self))")
            #expect(String(validatingUTF8: line.map { CChar(bitPattern: $0) } + [0]) != nil, "a folded line splits a character")
        }
        #expect(lines.contains { $0.first == 0x20 }, "the Chinese description is long enough to fold")
    }

    @Test func eventsSayWhatIsDueAndWhenInTaipei() throws {
        let properties = try parse(DueCalendar.ics(items, language: .zhTW, now: Date(timeIntervalSince1970: 1_780_000_000)))
        #expect(properties.filter { $0.name == "BEGIN" }.map(\.value) == ["VCALENDAR", "VTIMEZONE", "STANDARD", "VEVENT", "VEVENT", "VEVENT"])
        #expect(properties.filter { $0.name == "END" }.count == 6)
        #expect(properties.first { $0.name == "TZID" }?.value == "Asia/Taipei")
        // The period: an all-day event on its last day, and Monday morning until noon.
        let allDay = properties.filter { $0.name == "DTSTART" && $0.parameters == ["VALUE=DATE"] }.map(\.value)
        #expect(allDay == ["20260606"])
        #expect(properties.filter { $0.name == "DTEND" && $0.parameters == ["VALUE=DATE"] }.map(\.value) == ["20260607"])
        let starts = properties.filter { $0.name == "DTSTART" && $0.parameters == ["TZID=Asia/Taipei"] }.map(\.value)
        #expect(starts == ["20260608T080000", "20260709T180000"])
        #expect(properties.filter { $0.name == "DTEND" && $0.parameters == ["TZID=Asia/Taipei"] }.map(\.value) == ["20260608T120000"])
        let descriptions = properties.filter { $0.name == "DESCRIPTION" }.map(\.value)
        #expect(descriptions.first == items[0].message.render(.zhTW))
        #expect(descriptions.first?.contains("末日 2026-06-06 為星期六：至星期一 2026-06-08 12:00") == true)
        #expect(descriptions.first?.contains("改善期限屆滿（已追蹤 1 次，尚可追蹤 2 次）") == true)
        let uids = properties.filter { $0.name == "UID" }.map(\.value)
        #expect(Set(uids).count == 3)
        #expect(uids.first == "ENF-2026-centre-0001-improvement-deadline-20260608T120000@webjcase", "the UID is the item's, as before")
        #expect(properties.first { $0.name == "DTSTAMP" }?.value.hasSuffix("Z") == true)
    }

    @Test func aPeriodOnAWorkingDayIsOneAllDayEventOnItsLastDay() throws {
        let item = Self.item(.auditDeadline, "2026-06-05", "AUD-2026-centre-0001")
        let properties = try parse(DueCalendar.ics([item], language: .en, now: Date(timeIntervalSince1970: 1_780_000_000)))
        #expect(properties.filter { $0.name == "BEGIN" && $0.value == "VEVENT" }.count == 1)
        #expect(properties.first { $0.name == "DTSTART" && $0.parameters == ["VALUE=DATE"] }?.value == "20260605")
        #expect(properties.first { $0.name == "DTEND" }?.value == "20260606")
        #expect(!properties.contains { $0.name == "DTSTART" && $0.parameters.first?.hasPrefix("TZID") == true })
        #expect(properties.first { $0.name == "DESCRIPTION" }?.value.hasPrefix("by 2026-06-05 (until 24:00)  AUD-2026-centre-0001") == true)
        // A Sunday's period: the all-day event is on the working day it moves to.
        let sunday = try parse(DueCalendar.ics([Self.item(.correction, "2026-06-07", "REG-2026-edu1-0001")], language: .en, now: Date()))
        #expect(sunday.first { $0.name == "DTSTART" && $0.parameters == ["VALUE=DATE"] }?.value == "20260608")
    }

    @Test func theSummaryCarriesTheSubjectAndTheOrganizationInTheLanguage() throws {
        let english = try parse(DueCalendar.ics(items, language: .en, now: Date(timeIntervalSince1970: 1_780_000_000)))
        let summaries = english.filter { $0.name == "SUMMARY" }.map(\.value)
        #expect(summaries == [
            "Improvement period ends: Advertising sent without consent — 12345678 (ENF-2026-centre-0001)",
            "Improvement period ends: Advertising sent without consent — 12345678 (ENF-2026-centre-0001), until 12:00",
            "The Archives may disable service: Forged annexes — 87654321 (ENF-2026-centre-0002)",
        ])
        let chinese = try parse(DueCalendar.ics(items, language: .zhTW, now: Date(timeIntervalSince1970: 1_780_000_000)))
        #expect(chinese.first { $0.name == "SUMMARY" }?.value == "改善期限屆滿：Advertising sent without consent－12345678（案號 ENF-2026-centre-0001）")
    }

    @Test func aProvisionalEndIsMarkedInTheSummaryAndTheDescription() throws {
        // 2028 has no calendar in the template: the end is provisional.
        let item = Self.item(.improvementDeadline, "2028-01-14", "ENF-2026-centre-0003", trackings: 0, left: 3)
        #expect(item.provisional && item.period?.missingCalendars == ["calendar/2028.yaml"])
        for (language, mark) in [(Language.en, "[provisional] "), (.zhTW, "［暫定］")] {
            let properties = try parse(DueCalendar.ics([item], language: language, now: Date(timeIntervalSince1970: 1_780_000_000)))
            #expect(properties.first { $0.name == "SUMMARY" }?.value.hasPrefix(mark) == true)
            #expect(properties.first { $0.name == "DTSTART" && $0.parameters == ["VALUE=DATE"] }?.value == "20280114")
        }
        let description = try parse(DueCalendar.ics([item], language: .en, now: Date())).first { $0.name == "DESCRIPTION" }?.value
        #expect(description?.hasPrefix("by 2028-01-14 (until 24:00) [provisional: calendar/2028.yaml is not published yet]") == true, "\(description ?? "")")
        // In JSON too.
        let json = String(decoding: try JSONEncoder().encode(item), as: UTF8.self)
        #expect(json.contains("\"provisional\":true"), "\(json)")
    }

    @Test func textIsEscaped() {
        #expect(DueCalendar.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne")
    }
}
