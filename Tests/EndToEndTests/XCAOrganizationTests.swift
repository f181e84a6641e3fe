import Foundation
import Testing
import TestSupport

/// One organization, two names: its letters and registration use its 統一編號, its XCA
/// certificate carries an OID. The case names the first in `organization` and the OID in
/// `xcaOID`; its applicant forms may name either, and the certificate must carry the one
/// the form names.
@Suite struct XCAOrganizationTests {
    let w: Workspace
    static let oid = "2.16.886.111.100001.1.2"

    init() throws {
        w = try Workspace()
        try w.applicantRepository(organizations: ["\(Self.oid):rsa", "87654321:rsa"], open: ["--xca-oid", Self.oid])
    }

    /// Annex 1 naming `organization`, signed with the test certificate of `signer`.
    func annex1(_ file: String, organization: String, signer: String) throws -> RunResult {
        try w.directory.write(file, Workspace.annex1(organization: organization))
        return try w.webjcase(["sign", file, "--key", "pki/organizations/\(signer).key", "--cert", "pki/organizations/\(signer).chain.pem"])
    }

    func submit(_ document: String) throws -> RunResult {
        try w.directory.write("submit-doc.yaml", """
        letter: {number: "例字第1150000001號", date: 2026-03-01}
        documents: [{annex: 1, file: "documents/\(document)"}]

        """)
        return try w.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit-doc.yaml", "--key", "chen.clerk",
                               "--document", document, "--repo", "edu"])
    }

    @Test func theCaseRecordsBothNames() throws {
        let text = try String(contentsOfFile: w.directory.file("edu/cases/2026/edu1/REG-2026-edu1-0001/case.yaml"), encoding: .utf8)
        #expect(text.contains("organization: '12345678'") || text.contains("organization: \"12345678\""), "\(text)")
        #expect(text.contains("xcaOID: \(Self.oid)") || text.contains("xcaOID: '\(Self.oid)'"), "\(text)")
        #expect(try w.webjcase(["verify", "--repo", "edu"]).status == 0)
    }

    @Test func aFormNamingTheCertificatesOIDEntersTheCase() throws {
        let sign = try annex1("annex-1.yaml", organization: Self.oid, signer: Self.oid)
        #expect(sign.status == 0, "\(sign)")
        let verify = try w.webjcase(["sign", "--verify", "annex-1.yaml", "--repo", "edu"])
        #expect(verify.status == 0, "\(verify)")
        #expect(verify.stderr.contains("signed for the organization \(Self.oid)"), "\(verify)")
        let submitted = try submit("annex-1.yaml")
        #expect(submitted.status == 0, "\(submitted)")
        #expect(try w.webjcase(["verify", "--repo", "edu"]).status == 0)

        // The dossier names the certificate: the OID it carries, its issuer, serial and
        // validity, and the form's signedAt inside that validity, in every format.
        let pem = "pki/organizations/\(Self.oid).pem"
        let issuer = try DocumentDossier.issuer(w, pem)
        let serial = try DocumentDossier.serial(w, pem)
        let dossier = try DocumentDossier(w)
        let certificate = try #require(dossier.certificates.first, "\(dossier.certificates)")
        #expect(dossier.certificates.count == 1)
        #expect(certificate["form"] as? String == "envelope")
        #expect(certificate["organizationID"] as? String == Self.oid)
        #expect(certificate["issuer"] as? String == issuer && issuer.contains("組織及團體憑證管理中心"), "\(certificate) \(issuer)")
        #expect(certificate["serialNumber"] as? String == serial, "\(certificate) \(serial)")
        #expect(certificate["notBefore"] as? String == "2025-01-01T08:00:00+08:00")
        #expect(certificate["notAfter"] as? String == "2036-01-01T08:00:00+08:00")
        #expect(certificate["signedAt"] as? String == "2026-03-02T09:00:00+08:00")
        #expect(certificate["validAtSigning"] as? Bool == true)
        #expect(certificate["cmsSigningTime"] == nil)

        #expect(dossier.html.contains("<dl class=\"certificate\" data-form=\"envelope\" data-valid=\"valid\">"), "\(dossier.html)")
        for text in ["<dt>Organization id in the certificate</dt><dd>\(Self.oid)</dd>", "<dt>Issuer</dt><dd>\(issuer)</dd>",
                     "<dt>Serial number</dt><dd>\(serial)</dd>",
                     "<dt>Validity</dt><dd>2025-01-01T08:00:00+08:00 to 2036-01-01T08:00:00+08:00</dd>",
                     "<dt>Form signed at (signedAt)</dt><dd>2026-03-02T09:00:00+08:00 · ✓ certificate valid at that time</dd>",
                     "<dt>Signature form</dt><dd>signature envelope (FILE.sig)</dd>"] {
            #expect(dossier.html.contains(text), "\(text)")
        }
        let chinese = try DocumentDossier(w, language: "zh-TW")
        for text in ["`documents/annex-1.yaml` ✓ 驗證通過<br>憑證主體: ", "<br>憑證所載機關團體識別碼: \(Self.oid)<br>",
                     "<br>簽發者: \(issuer)<br>", "<br>憑證序號: \(serial)<br>",
                     "<br>有效期間: 自 2025-01-01T08:00:00+08:00 至 2036-01-01T08:00:00+08:00<br>",
                     "<br>表單簽署時間（signedAt）: 2026-03-02T09:00:00+08:00 · ✓ 簽署時憑證在有效期間內<br>",
                     "<br>簽章形式: 簽章封套（FILE.sig）"] {
            #expect(chinese.markdown.contains(text), "\(text)\n\(chinese.markdown)")
        }
        #expect(chinese.html.contains("<dt>憑證所載機關團體識別碼</dt><dd>\(Self.oid)</dd>"))
    }

    @Test func aCMSFormNamingTheOIDShowsItsCertificateInTheDossier() throws {
        try w.directory.write("annex-1.yaml", Workspace.annex1(organization: Self.oid, committed: true))
        let signed = try w.webjcase(["sign", "annex-1.yaml", "--cms", "--key", "pki/organizations/\(Self.oid).key",
                                     "--cert", "pki/organizations/\(Self.oid).chain.pem"])
        #expect(signed.status == 0, "\(signed)")
        let submitted = try submit("annex-1.yaml")
        #expect(submitted.status == 0, "\(submitted)")

        let pem = "pki/organizations/\(Self.oid).pem"
        let issuer = try DocumentDossier.issuer(w, pem)
        let serial = try DocumentDossier.serial(w, pem)
        let dossier = try DocumentDossier(w)
        let certificate = try #require(dossier.certificates.first, "\(dossier.certificates)")
        #expect(certificate["form"] as? String == "cms")
        #expect(certificate["organizationID"] as? String == Self.oid)
        #expect(certificate["issuer"] as? String == issuer, "\(certificate) \(issuer)")
        #expect(certificate["serialNumber"] as? String == serial)
        #expect(certificate["signedAt"] as? String == "2026-03-02T09:00:00+08:00")
        #expect(certificate["validAtSigning"] as? Bool == true)
        // `sign --cms` writes its own signingTime, shown beside the form's signedAt.
        let signingTime = try #require(certificate["cmsSigningTime"] as? String, "\(certificate)")

        #expect(dossier.html.contains("<dl class=\"certificate\" data-form=\"cms\" data-valid=\"valid\">"), "\(dossier.html)")
        for text in ["<dd>\(Self.oid)</dd>", "<dt>Issuer</dt><dd>\(issuer)</dd>", "<dt>Serial number</dt><dd>\(serial)</dd>",
                     "<dt>Signature form</dt><dd>detached CMS (FILE.p7s)</dd>",
                     "<dt>CMS signingTime</dt><dd>\(signingTime)</dd>"] {
            #expect(dossier.html.contains(text), "\(text)")
        }
        for text in ["Organization id in the certificate: \(Self.oid)", "Issuer: \(issuer)", "Serial number: \(serial)",
                     "Validity: 2025-01-01T08:00:00+08:00 to 2036-01-01T08:00:00+08:00",
                     "Form signed at (signedAt): 2026-03-02T09:00:00+08:00 · ✓ certificate valid at that time",
                     "Signature form: detached CMS (FILE.p7s)"] {
            #expect(dossier.markdown.contains(text), "\(text)\n\(dossier.markdown)")
        }
    }

    @Test func aFormNamingTheLettersIDNeedsACertificateCarryingIt() throws {
        // The certificate carries the OID, the form names 12345678: the signature does not speak for 12345678.
        #expect(try annex1("annex-1.yaml", organization: "12345678", signer: Self.oid).status == 0)
        let verify = try w.webjcase(["sign", "--verify", "annex-1.yaml", "--repo", "edu"])
        #expect(verify.status == 1, "\(verify)")
        #expect(verify.stderr.contains("the certificate is for another organization"), "\(verify)")
        let submitted = try submit("annex-1.yaml")
        #expect(submitted.status != 0, "\(submitted)")
        #expect(submitted.stderr.contains("[P4-APPLICANT-DOCUMENT]"), "\(submitted)")
    }

    @Test func anotherOrganizationsFormIsRefusedNamingBothIDs() throws {
        #expect(try annex1("annex-1.yaml", organization: "87654321", signer: "87654321").status == 0)
        let submitted = try submit("annex-1.yaml")
        #expect(submitted.status != 0, "\(submitted)")
        #expect(submitted.stderr.contains("not this case's (12345678, \(Self.oid))"), "\(submitted)")
    }

    @Test func aBadXCAOIDIsRefusedWhenTheCaseIsOpened() throws {
        for oid in ["87654321", "2.016.886.111", "12345678"] {
            let open = try w.webjcase(["case", "open", "REG", "--org", "12345678", "--xca-oid", oid, "--data", "open.yaml",
                                       "--key", "chen.clerk", "--repo", "edu"])
            #expect(open.status == 2, "\(open)")
            #expect(open.stderr.contains("cannot be the organization's XCA OID"), "\(open)")
        }
    }

    @Test func anOIDAloneNamesTheOrganization() throws {
        let open = try w.webjcase(["case", "open", "REG", "--org", "2.16.886.111.200002.1.1", "--data", "open.yaml",
                                   "--key", "chen.clerk", "--repo", "edu"])
        #expect(open.status == 0, "\(open)")
        let org = try w.webjcase(["org", "2.16.886.111.200002.1.1", "--repo", "edu"])
        #expect(org.status == 0, "\(org)")
        let bad = try w.webjcase(["case", "open", "REG", "--org", "2.16.886.0111", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu"])
        #expect(bad.status == 2, "\(bad)")
        #expect(bad.stderr.contains("is not an organization id"), "\(bad)")
    }
}
