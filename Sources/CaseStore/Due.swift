import Foundation
import CaseModel
import CaseRules

/// One thing due in a case, as `webjcase due` lists it.
public struct DueItem: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// A correction requested of an applicant (point 4): the date to correct by.
        case correction
        /// An audit's improvement deadline (point 6; not improving is a point 7 item 7 act).
        case auditDeadline = "audit-deadline"
        /// The end of an improvement period (point 8), extensions included.
        case improvementDeadline = "improvement-deadline"
        /// The Archives may disable service from 18:00 on the day before the termination.
        case serviceDisable = "service-disable"
        /// The termination date of a termination notice.
        case termination
        /// A termination notice that must be sent now (point 8: no "may").
        case terminationNoticeDue = "termination-notice-due"
    }

    public let kind: Kind
    /// When it falls due (the instant a period ends, or the act's time), Asia/Taipei.
    public let at: String
    public let caseID: String
    public let organization: String
    /// What the case is about (its open step's subject).
    public let subject: String?
    /// For an improvement period: trackings recorded and still possible.
    public let trackings: Int?
    public let trackingsLeft: Int?
    /// Whether it is already past at the clock's time.
    public let overdue: Bool
    /// The period whose end this is (corrections, audit and improvement deadlines), or that
    /// ended (a termination notice due): its last day, the day it ends on and why.
    public let period: PeriodEnd?
    /// Whether `at` depends on a year without `calendar/<year>.yaml` and was found with the
    /// provisional calendar; it becomes final once the calendar is committed.
    public let provisional: Bool

    public init(kind: Kind, at: String, caseID: String, organization: String, subject: String? = nil,
                trackings: Int? = nil, trackingsLeft: Int? = nil, overdue: Bool, period: PeriodEnd? = nil) {
        self.kind = kind
        self.at = at
        self.caseID = caseID
        self.organization = organization
        self.subject = subject
        self.trackings = trackings
        self.trackingsLeft = trackingsLeft
        self.overdue = overdue
        self.period = period
        self.provisional = period?.provisional ?? false
    }

    public var date: Date { Timestamp(at)?.date ?? .distantPast }

    /// Whether `at` is the end of `period` (an all-day deadline), not an act's time.
    public var isPeriodEnd: Bool {
        period != nil && [.correction, .auditDeadline, .improvementDeadline].contains(kind)
    }
}

extension CaseRepository {
    /// What is due in the open cases at `main`, soonest first; `within` limits it to the
    /// items due before `now` plus that many seconds (overdue ones are always listed).
    /// Never fails for a missing calendar: a period whose end needs a year without
    /// `calendar/<year>.yaml` is listed with a provisional end (`Deadlines.period`).
    public func due(now: Date, within: TimeInterval? = nil) throws -> [DueItem] {
        let (snapshot, index, _) = try CaseIndex.indexed(git, at: try headID())
        let calendar = try snapshot.calendar()
        var items: [DueItem] = []
        // Only the cases the index says are watched: corrections, audits with a deadline, enforcement under way.
        for id in index.rows.values.filter(\.watched).map(\.id).sorted() {
            guard let state = try snapshot.caseState(id), let stage = Workflow.stage(id.kind, after: state.history) else { continue }
            let organization = state.caseFile.organization
            var subject: String?
            if case .open(let open)? = state.steps.first?.data { subject = open.subject }
            func add(_ kind: DueItem.Kind, _ at: Date, trackings: Int? = nil, left: Int? = nil, period: PeriodEnd? = nil) {
                items.append(DueItem(kind: kind, at: Timestamp(at).text, caseID: id.description, organization: organization,
                                     subject: subject, trackings: trackings, trackingsLeft: left, overdue: at <= now, period: period))
            }
            func period(_ date: CalendarDate) -> PeriodEnd { Deadlines.period(of: date, calendar: calendar) }
            switch (id.kind, stage) {
            case (_, .initialCorrection), (_, .secondaryCorrection):
                if case .correctionRequest(let request)? = state.steps.last?.data {
                    let ends = period(request.correctBy)
                    add(.correction, ends.date, period: ends)
                }
            case (.audit, .closed):
                // Until an enforcement case names it, the audit's deadline is still watched.
                if case .auditClose(let close)? = state.steps.last?.data, close.result == .improvementRequired,
                   let deadline = close.deadline, try !snapshot.auditFollowedUp(id, organization: organization) {
                    let ends = period(deadline)
                    add(.auditDeadline, ends.date, period: ends)
                }
            case (.enforcement, .improving):
                let record = EnforcementRecord(state.steps)
                guard let deadline = record.deadline else { break }
                let ends = period(deadline)
                if record.thirdTrackingFoundUndone {
                    add(.terminationNoticeDue, state.steps.last?.at.date ?? ends.date)
                } else {
                    add(.improvementDeadline, ends.date, trackings: record.trackings.count,
                        left: EnforcementRecord.trackingLimit - record.trackings.count, period: ends)
                    // Due once the period ended without a tracking that found the improvement
                    // done (P8-DEADLINE-TERMINATES), whatever the replies.
                    if ends.date <= now && !record.lastTrackingFoundDone { add(.terminationNoticeDue, ends.date, period: ends) }
                }
            case (.enforcement, .terminating):
                if let notice = EnforcementRecord(state.steps).notice {
                    let termination = Deadlines.startOfDay(notice.terminationDate)
                    add(.serviceDisable, termination.addingTimeInterval(-6 * 3600))
                    add(.termination, termination)
                }
            default:
                break
            }
        }
        return items
            .filter { item in within.map { item.overdue || item.date <= now.addingTimeInterval($0) } ?? true }
            .sorted { ($0.date, $0.caseID, $0.kind.rawValue) < ($1.date, $1.caseID, $1.kind.rawValue) }
    }
}

extension Snapshot {
    /// Whether an enforcement case of the organization names this audit.
    func auditFollowedUp(_ audit: CaseID, organization: String) throws -> Bool {
        try organizationCases(organization).contains { other in
            guard other.id.kind == .enforcement, case .open(let open)? = other.steps.first?.data else { return false }
            return open.grounds?.audit == audit
        }
    }
}

extension DueItem {
    /// The catalogue message that says what is due: a period's end as people read it
    /// ("by 2026-06-05 (until 24:00)"), marked when provisional.
    public var message: Message {
        let id: MessageID = switch kind {
        case .correction: .dueCorrection
        case .auditDeadline: .dueAuditDeadline
        case .improvementDeadline: .dueImprovementDeadline
        case .serviceDisable: .dueServiceDisable
        case .termination: .dueTermination
        case .terminationNoticeDue: .dueTerminationNotice
        }
        var arguments = ["case": caseID, "organization": organization]
        arguments["trackings"] = trackings.map { "\($0)" }
        arguments["left"] = trackingsLeft.map { "\($0)" }
        if isPeriodEnd, let period { return Message(id, arguments, parts: ["at": period.message]) }
        if provisional, let period { return Message(id, arguments, parts: ["at": PeriodEnd.provisional(at: at, period.missingCalendars)]) }
        arguments["at"] = at
        return Message(id, arguments)
    }

    /// What the item is, in a few words (an event's title).
    public var label: Message {
        let id: MessageID = switch kind {
        case .correction: .dueLabelCorrection
        case .auditDeadline: .dueLabelAuditDeadline
        case .improvementDeadline: .dueLabelImprovementDeadline
        case .serviceDisable: .dueLabelServiceDisable
        case .termination: .dueLabelTermination
        case .terminationNoticeDue: .dueLabelTerminationNotice
        }
        return Message(id)
    }

    /// An event's title: what, the case's subject, the organization, the case; marked when provisional.
    public var summary: Message {
        let summary = Message(.dueSummary, ["subject": subject ?? "—", "organization": organization, "case": caseID],
                              parts: ["what": label])
        return provisional ? Message(.dueSummaryProvisional, parts: ["summary": summary]) : summary
    }
}

/// `due --ics`: the items as an iCalendar file (RFC 5545) that calendar programs import,
/// in Asia/Taipei, CRLF line ends, lines folded at 75 octets without splitting a UTF-8
/// character. The end of a period is an all-day event on its last day (the day the
/// period ends on; for a Saturday, the Saturday, plus a timed event for the Monday
/// morning that ends at noon); an act's time is a 30-minute event at that time. SUMMARY
/// carries what is due, the case's subject and the organization; DESCRIPTION the full
/// message; both say when the end is provisional.
public enum DueCalendar {
    public static func ics(_ items: [DueItem], language: Language, now: Date) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//webjcase//due//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "BEGIN:VTIMEZONE", "TZID:Asia/Taipei", "BEGIN:STANDARD", "DTSTART:19700101T000000",
            "TZOFFSETFROM:+0800", "TZOFFSETTO:+0800", "TZNAME:CST", "END:STANDARD", "END:VTIMEZONE",
        ]
        let stamp = utc(now)
        for item in items {
            let uid = "\(item.caseID)-\(item.kind.rawValue)-\(local(item.date))"
            let summary = item.summary
            let description = "DESCRIPTION:" + escape(item.message.render(language))
            guard item.isPeriodEnd, let period = item.period else {
                lines += ["BEGIN:VEVENT", "UID:\(uid)@webjcase", "DTSTAMP:\(stamp)", "DTSTART;TZID=Asia/Taipei:\(local(item.date))",
                          "DURATION:PT30M", "SUMMARY:" + escape(summary.render(language)), description, "END:VEVENT"]
                continue
            }
            let day = period.rule == .saturdayNoon ? period.lastDay : period.endsOn
            lines += ["BEGIN:VEVENT", "UID:\(uid)@webjcase", "DTSTAMP:\(stamp)", "DTSTART;VALUE=DATE:\(compact(day))",
                      "DTEND;VALUE=DATE:\(compact(Deadlines.adding(1, to: day)))", "TRANSP:TRANSPARENT",
                      "SUMMARY:" + escape(summary.render(language)), description, "END:VEVENT"]
            if period.rule == .saturdayNoon {
                // APA art. 48 (4): "its next Monday morning": the working morning, ending at noon.
                lines += ["BEGIN:VEVENT", "UID:\(uid)-noon@webjcase", "DTSTAMP:\(stamp)",
                          "DTSTART;TZID=Asia/Taipei:\(compact(period.endsOn))T080000",
                          "DTEND;TZID=Asia/Taipei:\(compact(period.endsOn))T120000",
                          "SUMMARY:" + escape(Message(.dueSummaryNoon, parts: ["summary": summary]).render(language)),
                          description, "END:VEVENT"]
            }
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// A date as iCalendar writes it: `20261221`.
    static func compact(_ date: CalendarDate) -> String {
        String(format: "%04d%02d%02d", date.year, date.month, date.day)
    }

    /// RFC 5545 §3.3.11: backslash, semicolon, comma and line breaks are escaped.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// RFC 5545 §3.1: lines longer than 75 octets continue on lines that start with a space.
    static func fold(_ line: String) -> String {
        var out: [String] = []
        var current = ""
        var octets = 0
        for character in line {
            let size = String(character).utf8.count
            let limit = out.isEmpty ? 75 : 74  // a continuation line starts with a space
            if octets + size > limit {
                out.append(current)
                current = ""
                octets = 0
            }
            current.append(character)
            octets += size
        }
        out.append(current)
        return out.enumerated().map { $0.offset == 0 ? $0.element : " " + $0.element }.joined(separator: "\r\n")
    }

    static func local(_ date: Date) -> String {
        let c = Taipei.calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    static func utc(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }
}
