import Foundation
import Testing
import TestSupport

/// Point 4 through the binary: the applicant signs Annex 1 with its XCA certificate
/// (`webjcase sign` turns its personal fields into commitments and writes the values
/// beside it), the clerk brings it into the case with `step submit --document`, and the
/// validator checks the certificate, the organization, the annex and the bytes.
@Suite struct AnnexDocumentTests {
    let w: Workspace

    init() throws {
        w = try Workspace()
        try w.applicantRepository(organizations: ["12345678:rsa", "87654321:p256"])
    }

    func annex1(organization: String = "12345678") -> String {
        Workspace.annex1(organization: organization)
    }

    func sign(_ file: String, organization: String = "12345678") throws -> RunResult {
        try w.webjcase(["sign", file, "--key", "pki/organizations/\(organization).key", "--cert", "pki/organizations/\(organization).chain.pem"])
    }

    func submit(_ document: String, annex: Int = 1) throws -> RunResult {
        try w.directory.write("submit-doc.yaml", """
        letter: {number: "例字第1150000001號", date: 2026-03-01}
        documents: [{annex: \(annex), file: "documents/\(document)"}]

        """)
        return try w.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit-doc.yaml", "--key", "chen.clerk",
                               "--document", document, "--repo", "edu"])
    }

    @Test func anXCASignedAnnexEntersTheCaseWithCommitmentsOnly() throws {
        try w.directory.write("annex-1.yaml", annex1())
        let signed = try sign("annex-1.yaml")
        #expect(signed.status == 0, "\(signed)")
        #expect(signed.stderr.contains("3 personal value(s) replaced by commitments"), "\(signed)")
        let form = try String(contentsOfFile: w.directory.file("annex-1.yaml"), encoding: .utf8)
        #expect(!form.contains("王小明") && form.contains("sha256:"), "\(form)")
        #expect(FileManager.default.fileExists(atPath: w.directory.file("annex-1.personal.yaml")))

        let recorded = try submit("annex-1.yaml")
        #expect(recorded.status == 0, "\(recorded)")
        let everything = try w.git(["-C", "edu", "log", "-p", "--all", "--format=%B"]).stdout
        #expect(everything.contains("documents/annex-1.yaml"))
        #expect(!everything.contains("王小明") && !everything.contains("06-2991111"))
        let checked = try w.webjcase(["personal", "check", "REG-2026-edu1-0001", "--json", "--repo", "edu"])
        #expect(checked.stdout.components(separatedBy: "\"held\"").count == 4, "\(checked)")
        let verify = try w.webjcase(["verify", "--repo", "edu"])
        #expect(verify.status == 0, "\(verify)")
    }

    @Test func aDocumentOfAnotherOrganizationIsRefused() throws {
        try w.directory.write("annex-1.yaml", annex1(organization: "87654321"))
        #expect(try sign("annex-1.yaml", organization: "87654321").status == 0)
        let refused = try submit("annex-1.yaml")
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("[P4-APPLICANT-DOCUMENT]") && refused.stderr.contains("87654321"), "\(refused)")
        #expect(try w.git(["-C", "edu", "rev-list", "--count", "main"]).stdout == "3\n", "nothing committed")
    }

    @Test func aFormSignedWithAnotherOrganizationsCertificateIsRefused() throws {
        try w.directory.write("annex-1.yaml", annex1())
        #expect(try sign("annex-1.yaml", organization: "87654321").status == 0)
        let refused = try submit("annex-1.yaml")
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("[P4-APPLICANT-DOCUMENT]"), "\(refused)")
    }

    @Test func oneChangedByteBreaksTheSignature() throws {
        try w.directory.write("annex-1.yaml", annex1())
        #expect(try sign("annex-1.yaml").status == 0)
        let form = try String(contentsOfFile: w.directory.file("annex-1.yaml"), encoding: .utf8)
        try w.directory.write("annex-1.yaml", form.replacingOccurrences(of: "永華路二段6號", with: "永華路二段7號"))
        let refused = try submit("annex-1.yaml")
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("[P4-APPLICANT-DOCUMENT]"), "\(refused)")
    }

    @Test func theAnnexIsWhatTheStepSays() throws {
        try w.directory.write("annex-1.yaml", annex1())
        #expect(try sign("annex-1.yaml").status == 0)
        let refused = try submit("annex-1.yaml", annex: 2)
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("the step lists it as Annex 2"), "\(refused)")
    }

    @Test func theFormFitsTheCase() throws {
        try w.directory.write("annex-1.yaml", annex1().replacingOccurrences(of: "request: \"registration\"", with: "request: \"cancel\""))
        #expect(try sign("annex-1.yaml").status == 0)
        let refused = try submit("annex-1.yaml")
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("[P4-APPLICANT-DOCUMENT]") && refused.stderr.contains("requests `cancel`"), "\(refused)")
    }

    @Test func aFormWithoutItsSignatureIsNotTakenIn() throws {
        try w.directory.write("annex-1.yaml", annex1().replacingOccurrences(of: "{value: \"王小明\"}", with: "\"sha256:\(String(repeating: "0", count: 64))\""))
        let refused = try submit("annex-1.yaml")
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains("annex-1.yaml.sig"), "\(refused)")
    }
}
