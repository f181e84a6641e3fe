import Foundation
import Testing
import CaseModel

@Suite struct ValuesTests {
    @Test func calendarDatesMustExist() {
        #expect(CalendarDate("2026-02-28") != nil)
        #expect(CalendarDate("2026-02-29") == nil)
        #expect(CalendarDate("2028-02-29") != nil)
        #expect(CalendarDate("2026-02-30") == nil)
        #expect(CalendarDate("2026-13-01") == nil)
        #expect(CalendarDate("2026-1-01") == nil)
        #expect(CalendarDate("２０２６-01-01") == nil)
    }

    @Test func timestampsAreStrictAndKeepTheirText() throws {
        let t = try #require(Timestamp("2026-03-02T10:15:00+08:00"))
        #expect(t.date.timeIntervalSince1970 == 1_772_417_700)
        #expect(Timestamp("2026-03-02T02:15:00Z") == t)
        #expect(Timestamp("2026-03-02T10:15:00") == nil)
        #expect(Timestamp("2026-02-30T10:15:00+08:00") == nil)
        #expect(Timestamp("2026-03-02T24:00:00+08:00") == nil)
        #expect(Timestamp(t.date).text == "2026-03-02T10:15:00+08:00")
    }

    @Test func caseIDsHaveOneSpelling() throws {
        let id = try #require(CaseID("REG-2026-edu1-0007"))
        #expect(id.kind == .registration)
        #expect(id.number == 7)
        #expect(id.directory == "cases/2026/edu1/REG-2026-edu1-0007")
        #expect(CaseID("REG-2026-edu1-7") == nil)
        #expect(CaseID("XYZ-2026-edu1-0007") == nil)
        #expect(CaseID("REG-2026-Edu1-0007") == nil)
        #expect(CaseID("REG-2026-edu1-0000") == nil)
        #expect(CaseID("REG-2026-edu1-12345")?.number == 12345)
        // Exactly the spelling it prints back: no other padding, signs, case or parts.
        for text in ["REG-2026-edu1-00007", "REG-2026-edu1-012345", "REG-2026-edu1-+007", "REG-02026-edu1-0007", "REG-1999-edu1-0007",
                     "REG-2026-e-0007", "REG-2026-1edu-0007", "REG-2026-edu1-0007-x", "REG-2026-edu1", "reg-2026-edu1-0007",
                     "REG-2026-edu1-0007 ", "REG-2026--0007", "", "REG-２０２６-edu1-0007"] {
            #expect(CaseID(text) == nil, "\(text)")
        }
        for text in ["REG-2026-edu1-0007", "ENF-2027-centre-0123", "AUD-2026-ab-9999", "CAN-2026-edu1-10000"] {
            #expect(CaseID(text)?.description == text, "\(text)")
        }
        let path = "cases/2026/edu1/REG-2026-edu1-0007/steps/0001-open.yaml"
        #expect(CaseID(path.split(separator: "/")[3]) == id)
        #expect([id, CaseID("REG-2026-edu1-0010")!, CaseID("CHG-2026-edu1-0001")!, CaseID("REG-2026-edu10-0001")!].sorted().map(\.description)
                == ["CHG-2026-edu1-0001", "REG-2026-edu1-0007", "REG-2026-edu1-0010", "REG-2026-edu10-0001"])
    }

    @Test func taipeiYearTurnsAtMidnightLocalTime() throws {
        let newYearsEveUTC = try #require(Timestamp("2026-12-31T16:30:00Z"))
        #expect(Taipei.year(of: newYearsEveUTC.date) == 2027)
        #expect(CalendarDate(newYearsEveUTC.date).description == "2027-01-01")
    }
}

/// Organization ids have one spelling each, so that no organization has two names.
@Suite struct OrganizationIDTests {
    @Test func oneSpellingPerOrganization() {
        for id in ["12345678", "01234567", "00000001", "1234567", "114601", "10001", "9", "AB", "ORG-1", "A1-B2-C3",
                   "X" + String(repeating: "9", count: 31)] {
            #expect(OrganizationID.isValid(id), "\(id)")
        }
        for id in ["0012345678", "012345678", "0123456", "0", "", "1" + String(repeating: "0", count: 32), "ab-1", "Ab-1", "AB--1", "AB-", "-AB", "1AB",
                   "A B", "AB_1", "ＡＢ", "A" + String(repeating: "9", count: 32), "AB\u{0}"] {
            #expect(!OrganizationID.isValid(id), "\(id)")
        }
    }

    /// An OID as the XCA puts it in attribute 2.16.886.1.100.2.102: canonical dotted arcs only.
    @Test func objectIdentifiersAsTheXCAIssuesThem() {
        for id in ["2.16.886.111.100001.1.2", "2.16.886.111.0.0.1", "0.9", "1.2", "1.39", "2.999", "2.16.886.101.20003.20006",
                   "2." + String(repeating: "1.", count: 30) + "1"] {
            #expect(OrganizationID.isValid(id), "\(id)")
            #expect(OrganizationID.isObjectIdentifier(id), "\(id)")
        }
        #expect(!OrganizationID.isObjectIdentifier("2"), "one arc is a plain number, not an OID")
        for id in ["1.40", "0.100", "3.16.886", "02.16.886", "2.016.886", "2.16.886.", ".2.16", "2..16", "2.16.886.111.1e5", "2.16.886.111.-1",
                   "2.16.886 .1", "２.16.886", "2,16,886", "2.16.886.111.100001.1.2\n",
                   "2." + String(repeating: "1.", count: 31) + "1"] {
            #expect(!OrganizationID.isValid(id), "\(id)")
            #expect(!OrganizationID.isObjectIdentifier(id), "\(id)")
        }
        // Today's forms are no OIDs.
        for id in ["12345678", "AB-1", "114601"] {
            #expect(!OrganizationID.isObjectIdentifier(id), "\(id)")
        }
    }
}
