import Testing
import CaseModel

@Suite struct RepositoryPathTests {
    static let id = CaseID("REG-2026-edu1-0007")!

    @Test func casePathsReadAsTheLayoutSays() throws {
        let id = Self.id
        let base = "cases/2026/edu1/REG-2026-edu1-0007"
        let expected: [(String, RepositoryPath)] = [
            (base + "/case.yaml", .caseFile(id)),
            (base + "/steps/0001-open.yaml", .step(id, sequence: 1, action: .open, signature: false)),
            (base + "/steps/0012-initial.forward.yaml.sig", .step(id, sequence: 12, action: .initialForward, signature: true)),
            (base + "/steps/0003-archives.service-disabled.yaml", .step(id, sequence: 3, action: .serviceDisabled, signature: false)),
            (base + "/documents/annex-1.yaml", .document(id, name: "annex-1.yaml", signature: false)),
            (base + "/documents/annex-1.yaml.sig", .document(id, name: "annex-1.yaml", signature: true)),
            (base + "/documents/annex-1.yaml.p7s", .document(id, name: "annex-1.yaml", signature: true)),
            (base + "/documents/annex-1.yaml.p7s.sig", .unknown),
            (base + "/documents/annex-1.yaml.sig.p7s", .unknown),
            (base + "/steps/0012-initial.forward.yaml.p7s", .unknown),
            (base + "/attachments/letter_2.pdf", .attachment(id, name: "letter_2.pdf")),
        ]
        for (path, kind) in expected {
            #expect(RepositoryPath(path) == kind, "\(path)")
        }
    }

    @Test(arguments: [
        "cases/2026/edu1/REG-2026-edu1-0007",                       // the directory itself
        "cases/2026/edu1/REG-2026-edu1-0007/",                      // an empty name
        "cases/2026/edu1/REG-2026-edu1-0007/other.yaml",
        "cases/2026/edu1/REG-2026-edu1-0007/case.yaml/x",
        "cases/2025/edu1/REG-2026-edu1-0007/case.yaml",             // the id's year elsewhere
        "cases/02026/edu1/REG-2026-edu1-0007/case.yaml",
        "cases/2026/edu2/REG-2026-edu1-0007/case.yaml",             // the id's node elsewhere
        "cases/2026/EDU1/REG-2026-edu1-0007/case.yaml",
        "cases/2026/edu1/REG-2026-edu1-7/case.yaml",                // not the id's spelling
        "cases/2026/edu1/REG-2026-edu1-0007/steps/0000-open.yaml",  // sequences start at 1
        "cases/2026/edu1/REG-2026-edu1-0007/steps/001-open.yaml",
        "cases/2026/edu1/REG-2026-edu1-0007/steps/00001-open.yaml",
        "cases/2026/edu1/REG-2026-edu1-0007/steps/000a-open.yaml",
        "cases/2026/edu1/REG-2026-edu1-0007/steps/0001open.yaml",
        "cases/2026/edu1/REG-2026-edu1-0007/steps/0001-.yaml",
        "cases/2026/edu1/REG-2026-edu1-0007/steps/0001-opened.yaml", // no such action
        "cases/2026/edu1/REG-2026-edu1-0007/steps/0001-open.yml",
        "cases/2026/edu1/REG-2026-edu1-0007/steps/0001-open.sig",
        "cases/2026/edu1/REG-2026-edu1-0007/steps/0001-open.yaml.sig.sig",
        "cases/2026/edu1/REG-2026-edu1-0007/steps/0001-ope\u{301}n.yaml",
        "cases/2026/edu1/REG-2026-edu1-0007/steps/0001-open.yam\u{301}l",
        "cases/2026/edu1/REG-2026-edu1-0007/steps/sub/0001-open.yaml",
        "cases/2026/edu1/REG-2026-edu1-0007/documents/annex.txt",
        "cases/2026/edu1/REG-2026-edu1-0007/documents/.yaml",
        "cases/2026/edu1/REG-2026-edu1-0007/documents/annéx.yaml",
        "cases/2026/edu1/REG-2026-edu1-0007/attachments/letter",
        "cases/2026/edu1/REG-2026-edu1-0007/attachments/-letter.pdf",
        "cases/2026/edu1/REG-2026-edu1-0007/notes/letter.pdf",
        // The Kelvin sign is canonically equivalent to K: a name is its bytes here.
        "cases/2026/edu1/REG-2026-edu1-0007/\u{212A}/case.yaml",
        "cases/2026/edu1/REG-2026-edu1-0007/steps/0001-open.yaml/",
    ])
    func otherCasePathsAreUnknown(_ path: String) {
        #expect(RepositoryPath(path) == .unknown)
    }

    @Test func repositoryFilesAndTheirSignatures() {
        #expect(RepositoryPath("webjcase.yaml") == .config)
        #expect(RepositoryPath("webjcase.yaml.sig") == .adminSignature(of: "webjcase.yaml"))
        #expect(RepositoryPath("trust/policy.yaml") == .policy)
        #expect(RepositoryPath("trust/roots/xca.pem") == .root(name: "xca.pem"))
        #expect(RepositoryPath("calendar/2026.yaml") == .calendar(year: 2026))
        #expect(RepositoryPath("calendar/2026.yaml.sig.sig") == .unknown)
        #expect(RepositoryPath("cases") == .unknown)
    }
}
