import Foundation
import Testing
import CaseModel
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
}
