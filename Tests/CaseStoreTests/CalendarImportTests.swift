import Foundation
import Testing
import CaseModel
import CaseYAML
import CaseRules
@testable import CaseStore
import TestSupport

/// `calendar import`: the DGPA office calendar CSV (data.gov.tw dataset 14718) in each
/// encoding it was published in, and a clear refusal, naming the file and line, for each
/// way a file can be wrong.
@Suite struct CalendarImportTests {
    /// 2027 as a DGPA file would have it (abridged notes): weekday days off, an observed
    /// day, an adjusted day off and a make-up Saturday.
    static let rows = officeCalendarRows(year: 2027, daysOff: [
        "20270101": "開國紀念日", "20270205": "農曆除夕", "20270208": "春節", "20270301": "和平紀念日補假",
        "20270405": "民族掃墓節", "20270609": "端午節", "20270915": "中秋節", "20270928": "孔子誕辰紀念日",
        "20271011": "國慶日補假", "20271025": "臺灣光復暨金門古寧頭大捷紀念日", "20271224": "行憲紀念日補假",
        "20270607": "調整放假", "20270308": "某某紀念日", "20270309": "",
    ], workdays: ["20270612": "補行上班"])

    static let text = officeCalendarCSV(rows)

    func parse(_ data: Data, year: Int = 2027) throws -> CalendarImport.Parsed {
        try CalendarImport.parse(data, year: year, file: "cal.csv")
    }

    /// The message of the refusal of `data`, in English.
    func refusal(_ data: Data, year: Int = 2027) -> String? {
        do {
            _ = try parse(data, year: year)
            return nil
        } catch let error as CaseError {
            #expect(error.status == .badInput)
            return error.message.render(.en)
        } catch {
            return "\(error)"
        }
    }

    func refusal(rows: [String], year: Int = 2027) -> String? {
        refusal(Data(officeCalendarCSV(rows).utf8), year: year)
    }

    @Test(arguments: ["UTF-8", "UTF-8 with byte-order mark", "Big5 (CP950)"])
    func eachEncodingGivesTheSameCalendar(_ encoding: String) throws {
        let data = switch encoding {
        case "UTF-8": Data(Self.text.utf8)
        case "UTF-8 with byte-order mark": Data([0xEF, 0xBB, 0xBF]) + Data(Self.text.utf8)
        default: big5(Self.text)
        }
        if encoding.hasPrefix("Big5") { #expect(String(validating: data, as: UTF8.self) == nil, "the Big5 bytes are not UTF-8") }
        let parsed = try parse(data)
        #expect(parsed.encoding.rawValue == encoding)
        #expect(parsed.rows == 365)
        let calendar = parsed.calendar
        #expect(calendar.year == 2027 && calendar.kind == "calendar" && calendar.timeZone == "Asia/Taipei")
        #expect(calendar.source.status == "official" && calendar.source.title == "116年中華民國政府行政機關辦公日曆表")
        #expect(calendar.source.publisher == "行政院人事行政總處")
        #expect(calendar.restDays.count == 14)
        let names = Dictionary(uniqueKeysWithValues: calendar.restDays.map { ($0.date.description, ($0.name, $0.nameEn)) })
        #expect(names["2027-01-01"]! == ("開國紀念日", "Founding Day of the Republic of China"))
        #expect(names["2027-03-01"]! == ("和平紀念日補假", "Peace Memorial Day (observed)"))
        #expect(names["2027-02-05"]! == ("農曆除夕", "Lunar New Year's Eve"))
        #expect(names["2027-10-25"]!.1 == "Taiwan Retrocession and Guningtou Victory Memorial Day")
        #expect(names["2027-06-07"]! == ("調整放假", "Adjusted day off"))
        #expect(names["2027-03-08"]! == ("某某紀念日", "Day off (某某紀念日)"), "a note not in the table is kept")
        #expect(names["2027-03-09"]! == ("放假日", "Day off"), "no note at all")
        #expect(calendar.workdays == [CalendarFile.Day(date: CalendarDate("2027-06-12")!, name: "補行上班", nameEn: "Make-up workday")])
        #expect(calendar.closures.isEmpty)

        // The YAML written is a calendar the repository's reader accepts, and deadlines use it.
        let yaml = try CalendarImport.yaml(calendar)
        let read = try StrictYAML.decode(CalendarFile.self, from: yaml, file: "calendar/2027.yaml")
        #expect(read == calendar)
        let office = OfficeCalendar([read])
        // Sunday 2027-06-06: the period moves past the adjusted Monday to the end of Tuesday.
        #expect(try Deadlines.end(of: CalendarDate("2027-06-06")!, calendar: office) == Timestamp("2027-06-09T00:00:00+08:00")!.date)
        // The make-up Saturday is a working day.
        #expect(try Deadlines.end(of: CalendarDate("2027-06-12")!, calendar: office) == Timestamp("2027-06-13T00:00:00+08:00")!.date)
    }

    @Test func quotedFieldsAndLFLineEndsAreRead() throws {
        let quoted = Self.text.replacingOccurrences(of: "\r\n", with: "\n")
            .replacingOccurrences(of: "20270101,五,2,開國紀念日", with: "\"20270101\",\"五\",\"2\",\"開國紀念日\"")
        let parsed = try parse(Data(quoted.utf8))
        #expect(parsed.calendar.restDays.first?.name == "開國紀念日")
    }

    @Test func aLeapYearHasItsThreeHundredSixtySixthDay() throws {
        let parsed = try parse(Data(officeCalendarCSV(officeCalendarRows(year: 2028)).utf8), year: 2028)
        #expect(parsed.rows == 366)
        var missing = officeCalendarRows(year: 2028)
        missing.removeAll { $0.hasPrefix("20280229") }
        #expect(refusal(rows: missing, year: 2028) == "cal.csv: no row for 2028-02-29; the calendar must list every day of 2028.")
    }

    @Test func aWrongHeaderIsRefused() {
        let message = refusal(Data(Self.text.replacingOccurrences(of: "是否放假", with: "放假").utf8))
        #expect(message?.hasPrefix("cal.csv line 1: the header is `西元日期,星期,放假,備註`; expected `西元日期,星期,是否放假,備註`") == true, "\(message ?? "")")
        #expect(refusal(Data()) != nil, "an empty file")
    }

    @Test func aDateOutsideTheYearIsRefused() {
        var rows = Self.rows
        rows[10] = "20260111,日,2,"
        #expect(refusal(rows: rows) == "cal.csv line 12: 2026-01-11 is outside 2027. Import each year's file with its own --year.")
        #expect(refusal(Data(Self.text.utf8), year: 2028)?.hasPrefix("cal.csv line 2: 2027-01-01 is outside 2028.") == true)
    }

    @Test func aDayTwiceIsRefused() {
        var rows = Self.rows
        rows.insert(rows[0], at: 5)
        #expect(refusal(rows: rows) == "cal.csv line 7: 2027-01-01 is listed again (first on line 2); each day appears once.")
    }

    @Test func aValueOtherThanZeroOrTwoIsRefused() {
        var rows = Self.rows
        rows[2] = "20270103,日,1,"
        #expect(refusal(rows: rows) == "cal.csv line 4: 是否放假 is `1`; expected 0 (a working day) or 2 (a day off).")
    }

    @Test func fewerThanAYearOfRowsIsRefused() {
        #expect(refusal(rows: Array(Self.rows.prefix(364)))
                == "cal.csv: 364 day(s) listed; the whole year 2027 has 365. Download the complete calendar of 2027.")
    }

    @Test func badRowsAreRefusedWithTheirLine() {
        var rows = Self.rows
        rows[3] = "2027-01-04,一,0,"
        #expect(refusal(rows: rows) == "cal.csv line 5: `2027-01-04` is not a date; expected YYYYMMDD, e.g. 20270101.")
        rows = Self.rows
        rows[3] = "20270104,一,0"
        #expect(refusal(rows: rows)?.hasPrefix("cal.csv line 5: 3 field(s); expected 4") == true)
        rows = Self.rows
        rows[3] = "20270104,二,0,"
        #expect(refusal(rows: rows) == "cal.csv line 5: 2027-01-04 is a Monday, but the file says `二`.")
        rows = Self.rows
        rows[3] = "20270231,一,0,"
        #expect(refusal(rows: rows)?.contains("`20270231` is not a date") == true)
    }

    @Test func anUndecodableFileIsRefused() {
        // Neither UTF-8 nor Big5: 0xFF is no lead byte in either.
        let data = Data(Self.text.utf8.prefix(40)) + Data([0xFF, 0xFF, 0x0A])
        let message = refusal(data)
        #expect(message?.hasPrefix("cal.csv: cannot be read as UTF-8 (with or without a byte-order mark) or as Big5 (CP950)") == true, "\(message ?? "")")
        #expect(message?.hasSuffix("Save it in one of these encodings.") == true)
    }

    @Test func anExistingCalendarIsReplacedOnlyWhenAskedAndKeepsItsClosures() throws {
        let directory = try TemporaryDirectory("calendar-import")
        let csv = try directory.write("116.csv", Self.text)
        let out = directory.file("calendar/2027.yaml")
        let first = try CalendarImport.run(csv, year: 2027, out: out, replace: false)
        #expect(first.replaced == nil)
        do {
            _ = try CalendarImport.run(csv, year: 2027, out: out, replace: false)
            Issue.record("an existing file was overwritten")
        } catch let error as CaseError {
            #expect(error.message.id == .calendarImportExists)
            #expect(error.message.render(.en).contains("--replace"))
        }
        // A typhoon closure added by hand survives a new import.
        var edited = try StrictYAML.decode(CalendarFile.self, contentsOf: out)
        edited.closures = [CalendarFile.Closure(date: CalendarDate("2027-08-02")!, area: "臺南市", note: "颱風", part: .afternoon)]
        try CalendarImport.yaml(edited).write(to: URL(fileURLWithPath: out))
        let again = try CalendarImport.run(csv, year: 2027, out: out, replace: true)
        #expect(again.replaced?.closures == 1 && again.replaced?.status == "official")
        #expect(try StrictYAML.decode(CalendarFile.self, contentsOf: out).closures == edited.closures)
    }
}
