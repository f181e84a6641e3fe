import Foundation
import Testing
import CaseModel
import CaseYAML
@testable import CaseRules
import CaseStore

/// Deadlines under APA art. 48 with the office calendars of repo-template/calendar.
@Suite struct DeadlineTests {
    static let calendar: OfficeCalendar = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return OfficeCalendar([2026, 2027].compactMap { year in
            try? StrictYAML.decode(CalendarFile.self, contentsOf: root.appendingPathComponent("repo-template/calendar/\(year).yaml").path)
        })
    }()

    private func end(_ date: String) throws -> String {
        Timestamp(try Deadlines.end(of: CalendarDate(date)!, calendar: Self.calendar)).text
    }

    @Test func aWorkingDayEndsAtMidnight() throws {
        #expect(try end("2026-03-04") == "2026-03-05T00:00:00+08:00")
    }

    @Test func aSundayOrHolidayMovesToTheEndOfTheNextWorkingDay() throws {
        #expect(try end("2026-03-08") == "2026-03-10T00:00:00+08:00", "Sunday → Monday")
        // Lunar New Year's Eve 2026-02-16, then the Spring Festival and the weekend.
        #expect(try end("2026-02-16") == "2026-02-24T00:00:00+08:00")
        #expect(try end("2026-10-26") == "2026-10-28T00:00:00+08:00", "observed Retrocession Day → Tuesday")
    }

    @Test func aSaturdayMovesToNoonOfTheFollowingMonday() throws {
        #expect(try end("2026-03-07") == "2026-03-09T12:00:00+08:00")
        // National Day 2026-10-10 is a Saturday: still the following Monday at noon.
        #expect(try end("2026-10-10") == "2026-10-12T12:00:00+08:00")
    }

    @Test func aYearWithoutACalendarIsAnErrorNamingTheFile() throws {
        // 2027-12-31 is a rest day (observed New Year of 2028), so the next working day is in 2028.
        do {
            _ = try end("2027-12-31")
            Issue.record("expected calendar/2028.yaml to be missing")
        } catch let error as CaseError {
            #expect(error.message.id == .calendarMissing)
            #expect(error.message.arguments["file"] == "calendar/2028.yaml")
        }
        #expect(throws: CaseError.self) { _ = try end("2025-06-02") }
    }

    @Test func withinThePeriod() throws {
        let date = CalendarDate("2026-03-07")!
        #expect(try Deadlines.isWithin(Timestamp("2026-03-09T11:59:00+08:00")!.date, periodEnding: date, calendar: Self.calendar))
        #expect(try !Deadlines.isWithin(Timestamp("2026-03-09T12:00:00+08:00")!.date, periodEnding: date, calendar: Self.calendar))
    }

    /// The 2026 calendar of the template with `closures`, and 2027.
    static func calendar(closures: [CalendarFile.Closure]) -> OfficeCalendar {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let files = [2026, 2027].compactMap { year in
            try? StrictYAML.decode(CalendarFile.self, contentsOf: root.appendingPathComponent("repo-template/calendar/\(year).yaml").path)
        }.map { file in
            var file = file
            if file.year == 2026 { file.closures = closures }
            return file
        }
        return OfficeCalendar(files)
    }

    static func closure(_ date: String, _ area: String, _ part: CalendarFile.Closure.Part? = nil) -> CalendarFile.Closure {
        CalendarFile.Closure(date: CalendarDate(date)!, area: area, note: "颱風停止上班", part: part)
    }

    private func end(_ date: String, _ calendar: OfficeCalendar) throws -> String {
        Timestamp(try Deadlines.end(of: CalendarDate(date)!, calendar: calendar)).text
    }

    @Test func aLastDayClosedInTheAfternoonMovesToTheEndOfTheNextWorkingDay() throws {
        // Wednesday 2026-03-04, Tainan closed from noon: the period ends with Thursday.
        let calendar = Self.calendar(closures: [Self.closure("2026-03-04", "臺南市", .afternoon)])
        #expect(try end("2026-03-04", calendar) == "2026-03-06T00:00:00+08:00")
        let period = Deadlines.period(of: CalendarDate("2026-03-04")!, calendar: calendar)
        #expect(period.rule == .afternoonClosure)
        #expect(period.endsOn == CalendarDate("2026-03-05")!)
        #expect(period.message.render(.en) == "by 2026-03-05 (until 24:00; offices closed on the afternoon of the last day 2026-03-04)")
        #expect(period.message.render(.zhTW) == "2026-03-05 前（至 24:00；末日 2026-03-04 下午停止上班，順延）")
        // The closure of a day before the last day changes nothing.
        #expect(try end("2026-03-05", calendar) == "2026-03-06T00:00:00+08:00")
        // Closed the whole day (or with no part, as older files say): a rest day.
        let whole = Self.calendar(closures: [Self.closure("2026-03-04", "台南市")])
        #expect(try end("2026-03-04", whole) == "2026-03-06T00:00:00+08:00")
        #expect(Deadlines.period(of: CalendarDate("2026-03-04")!, calendar: whole).rule == .restDay)
    }

    @Test func aSaturdayNeedsOnlyAWorkingMorning() throws {
        // Saturday 2026-03-07 ends on Monday morning; Monday closed only in the afternoon keeps its morning.
        let afternoon = Self.calendar(closures: [Self.closure("2026-03-09", "臺南市", .afternoon)])
        #expect(try end("2026-03-07", afternoon) == "2026-03-09T12:00:00+08:00")
        // Monday closed all day: the next working morning, Tuesday's.
        let allDay = Self.calendar(closures: [Self.closure("2026-03-09", "Tainan City", .allDay)])
        #expect(try end("2026-03-07", allDay) == "2026-03-10T12:00:00+08:00")
        let period = Deadlines.period(of: CalendarDate("2026-03-07")!, calendar: allDay)
        #expect(period.message.render(.en) == "last day 2026-03-07, a Saturday: until Tuesday 2026-03-10 12:00")
        #expect(period.message.render(.zhTW) == "末日 2026-03-07 為星期六：至星期二 2026-03-10 12:00")
    }

    @Test func anotherCitysClosureDoesNotCount() throws {
        let calendar = Self.calendar(closures: [Self.closure("2026-03-04", "高雄市"), Self.closure("2026-03-04", "臺南市安南區"),
                                                Self.closure("2026-03-09", "嘉義縣", .afternoon)])
        #expect(try end("2026-03-04", calendar) == "2026-03-05T00:00:00+08:00")
        #expect(try end("2026-03-07", calendar) == "2026-03-09T12:00:00+08:00")
        #expect(try calendar.day(CalendarDate("2026-03-04")!) == .working)
        #expect(!Self.closure("2026-03-04", "高雄市").countsForDeadlines)
        #expect(Self.closure("2026-03-04", " tainan ").countsForDeadlines)
    }

    @Test func closuresWithoutAPartAreWholeDaysAndAPartMustBeKnown() throws {
        let old = """
        kind: "calendar"
        year: 2026
        timeZone: "Asia/Taipei"
        source: {title: "t", publisher: "p", status: "official", note: "n"}
        restDays: []
        workdays: []
        closures:
          - {date: 2026-09-03, area: "臺南市", note: "颱風"}
          - {date: 2026-09-04, area: "臺南市", note: "颱風", part: "afternoon"}

        """
        let file = try StrictYAML.decode(CalendarFile.self, from: Data(old.utf8), file: "calendar/2026.yaml")
        #expect(file.closures.map(\.isAllDay) == [true, false])
        let calendar = OfficeCalendar([file])
        #expect(try calendar.day(CalendarDate("2026-09-03")!) == .rest)
        #expect(try calendar.day(CalendarDate("2026-09-04")!) == .morningOnly)
        let bad = old.replacingOccurrences(of: "\"afternoon\"", with: "\"evening\"")
        #expect(throws: CaseError.self) { _ = try StrictYAML.decode(CalendarFile.self, from: Data(bad.utf8), file: "calendar/2026.yaml") }
    }

    @Test func aYearWithoutACalendarGivesAProvisionalEnd() throws {
        // 2027-12-31 is a rest day; the next working day is in 2028, which has no calendar.
        let date = CalendarDate("2027-12-31")!
        #expect(throws: CaseError.self) { _ = try Deadlines.end(of: date, calendar: Self.calendar) }
        let best = Deadlines.bestEnd(of: date, calendar: Self.calendar)
        #expect(best == .provisional(Timestamp("2028-01-04T00:00:00+08:00")!.date), "Saturday 01-01 and Sunday 01-02 rest; Monday works")
        let period = Deadlines.period(of: date, calendar: Self.calendar)
        #expect(period.provisional && period.missingCalendars == ["calendar/2028.yaml"])
        #expect(period.message.render(.en) == "by 2028-01-03 (until 24:00; the last day 2027-12-31 is a rest day) [provisional: calendar/2028.yaml is not published yet]")
        #expect(period.message.render(.zhTW).hasSuffix("［暫定：calendar/2028.yaml 尚未公布］"))
        // Inside the published calendars the end is final, and the same as `end`.
        #expect(Deadlines.bestEnd(of: CalendarDate("2026-03-07")!, calendar: Self.calendar)
                == .final(try Deadlines.end(of: CalendarDate("2026-03-07")!, calendar: Self.calendar)))
        // Once the calendar of 2028 lands, the end is final, and follows it.
        let source = CalendarFile.Source(title: "117年中華民國政府行政機關辦公日曆表", publisher: "行政院人事行政總處", status: "official", note: "test")
        let with2028 = CalendarFile(year: 2028, source: source,
                                    restDays: [CalendarFile.Day(date: CalendarDate("2028-01-03")!, name: "調整放假", nameEn: "Adjusted day off")],
                                    workdays: [], closures: [])
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let known = try [2026, 2027].map { try StrictYAML.decode(CalendarFile.self, contentsOf: root.appendingPathComponent("repo-template/calendar/\($0).yaml").path) }
        let final = Deadlines.bestEnd(of: date, calendar: OfficeCalendar(known + [with2028]))
        #expect(final == .final(Timestamp("2028-01-05T00:00:00+08:00")!.date))
        #expect(!final.isProvisional)
    }

    @Test func theProvisionalCalendarKnowsWeekendsAndTheFixedHolidays() {
        func day(_ text: String) -> OfficeDay { ProvisionalCalendar.day(CalendarDate(text)!) }
        #expect(day("2028-01-03") == .working)
        #expect(day("2028-01-08") == .rest, "Saturday")
        #expect(day("2028-01-09") == .rest, "Sunday")
        for holiday in ["2028-02-28", "2028-04-04", "2028-05-01", "2028-09-28", "2028-10-10", "2028-10-25", "2028-12-25"] {
            #expect(day(holiday) == .rest, "\(holiday)")
        }
        #expect(day("2032-02-27") == .rest, "Peace Memorial Day on Saturday 2032-02-28, observed on Friday")
        #expect(day("2033-05-02") == .rest, "Labour Day on Sunday 2033-05-01, observed on Monday")
        #expect(day("2033-05-03") == .working)
        // What the published calendar alone can say (lunar holidays) is not known in advance.
        #expect(day("2028-01-26") == .working, "Lunar New Year's Day 2028 is not a fixed date")
        // The provisional end of a Saturday: the Monday's noon.
        let period = Deadlines.period(of: CalendarDate("2028-01-15")!, calendar: OfficeCalendar([]))
        #expect(period.date == Timestamp("2028-01-17T12:00:00+08:00")!.date && period.provisional && period.rule == .saturdayNoon)
    }

    @Test func periodsReadAsTheLastDayUntilMidnight() {
        let plain = Deadlines.period(of: CalendarDate("2026-12-21")!, calendar: Self.calendar)
        #expect(plain.message.render(.en) == "by 2026-12-21 (until 24:00)")
        #expect(plain.message.render(.zhTW) == "2026-12-21 前（至 24:00）")
        #expect(plain.at == "2026-12-22T00:00:00+08:00" && !plain.provisional)
        let saturday = Deadlines.period(of: CalendarDate("2026-12-19")!, calendar: Self.calendar)
        #expect(saturday.message.render(.en) == "last day 2026-12-19, a Saturday: until Monday 2026-12-21 12:00")
        let sunday = Deadlines.period(of: CalendarDate("2026-12-20")!, calendar: Self.calendar)
        #expect(sunday.message.render(.en) == "by 2026-12-21 (until 24:00; the last day 2026-12-20 is a rest day)")
        #expect(sunday.message.render(.zhTW) == "2026-12-21 前（至 24:00；末日 2026-12-20 為休息日，順延）")
    }
}
