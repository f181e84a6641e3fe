import Foundation
import Testing
import CaseModel
@testable import CaseStore

/// `due --ics` against an independent reading of RFC 5545: CRLF lines of at most 75
/// octets, folding that never splits a UTF-8 character, escaped text, Asia/Taipei times.
@Suite struct DueCalendarTests {
    let items = [
        DueItem(kind: .improvementDeadline, at: "2026-06-08T12:00:00+08:00", caseID: "ENF-2026-centre-0001", organization: "12345678",
                trackings: 1, trackingsLeft: 2, overdue: false),
        DueItem(kind: .serviceDisable, at: "2026-07-09T18:00:00+08:00", caseID: "ENF-2026-centre-0002", organization: "87654321",
                trackings: nil, trackingsLeft: nil, overdue: false),
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
        #expect(properties.filter { $0.name == "BEGIN" }.map(\.value) == ["VCALENDAR", "VTIMEZONE", "STANDARD", "VEVENT", "VEVENT"])
        #expect(properties.filter { $0.name == "END" }.count == 5)
        #expect(properties.first { $0.name == "TZID" }?.value == "Asia/Taipei")
        let starts = properties.filter { $0.name == "DTSTART" && $0.parameters == ["TZID=Asia/Taipei"] }.map(\.value)
        #expect(starts == ["20260608T120000", "20260709T180000"])
        let descriptions = properties.filter { $0.name == "DESCRIPTION" }.map(\.value)
        #expect(descriptions.first == items[0].message.render(.zhTW))
        #expect(descriptions.first?.contains("改善期限屆滿（已追蹤 1 次，尚可追蹤 2 次）") == true)
        #expect(Set(properties.filter { $0.name == "UID" }.map(\.value)).count == 2)
        #expect(properties.first { $0.name == "DTSTAMP" }?.value.hasSuffix("Z") == true)
    }

    @Test func textIsEscaped() {
        #expect(DueCalendar.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne")
    }
}
