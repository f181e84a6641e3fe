import Foundation
import Testing
import TestSupport

/// Applicant forms signed as the card software signs them: a detached CMS SignedData in DER
/// beside the form (`<form>.p7s`), made here by `openssl cms -sign`, a tool this project did
/// not write. `sign --verify` and the validator judge it as they judge an envelope.
@Suite struct CMSDocumentTests {
    let w: Workspace

    init() throws {
        w = try Workspace()
        try w.applicantRepository(organizations: ["12345678:rsa", "87654321:p256"], staff: ["lee.clerk"])
    }

    /// Annex 1 as the applicant's software writes it: personal fields as commitments already.
    func annex1(organization: String = "12345678", signedAt: String = "2026-03-02T09:00:00+08:00") -> String {
        return Workspace.annex1(organization: organization, signedAt: signedAt, committed: true)
    }

    /// `openssl cms -sign -binary -outform DER` of `file` into `output` by each signer
    /// (`organizations/<id>` or `staff/<name>` of the test PKI), certificates embedded.
    @discardableResult
    func opensslSign(_ file: String, by signers: [String] = ["organizations/12345678"], attributes: Bool = true,
                     output: String? = nil) throws -> RunResult {
        // The chain file without its leaf (openssl adds the signer's certificate itself).
        let chain = try String(contentsOfFile: w.directory.file("pki/\(signers[0]).chain.pem"), encoding: .utf8)
        let end = "-----END CERTIFICATE-----\n"
        try w.directory.write("intermediates.pem", String(chain[chain.range(of: end)!.upperBound...]))
        var arguments = ["cms", "-sign", "-binary", "-outform", "DER", "-in", file, "-out", output ?? file + ".p7s",
                         "-md", "sha256", "-certfile", "intermediates.pem"]
        for signer in signers { arguments += ["-signer", "pki/\(signer).pem", "-inkey", "pki/\(signer).key"] }
        if !attributes { arguments.append("-noattr") }
        let result = try runProcess("/usr/bin/openssl", arguments, in: w.path)
        #expect(result.status == 0, "\(result)")
        return result
    }

    func verify(_ file: String) throws -> RunResult {
        try w.webjcase(["sign", "--verify", file, "--repo", "edu"])
    }

    func submit(_ document: String, action: String = "submit", data: String = "submit-doc.yaml") throws -> RunResult {
        try w.directory.write(data, """
        letter: {number: "例字第1150000001號", date: 2026-03-01}
        documents: [{annex: 1, file: "documents/\(document)"}]

        """)
        return try w.webjcase(["step", "REG-2026-edu1-0001", action, "--data", data, "--key", "chen.clerk",
                               "--document", document, "--repo", "edu"])
    }

    @Test(arguments: [true, false])
    func aFormSignedByOpensslVerifiesAndNamesItsOrganization(attributes: Bool) throws {
        try w.directory.write("annex-1.yaml", annex1())
        try opensslSign("annex-1.yaml", attributes: attributes)
        let good = try verify("annex-1.yaml")
        #expect(good.status == 0, "\(good)")
        #expect(good.stderr.contains("good CMS signature") && good.stderr.contains("organization 12345678"), "\(good)")

        let form = try String(contentsOfFile: w.directory.file("annex-1.yaml"), encoding: .utf8)
        try w.directory.write("annex-1.yaml", form.replacingOccurrences(of: "二段6號", with: "二段7號"))
        let changed = try verify("annex-1.yaml")
        #expect(changed.status == 1, "\(changed)")
        #expect(changed.stderr.contains("annex-1.yaml"), "\(changed)")
    }

    @Test func anECDSASignatureVerifies() throws {
        try w.directory.write("annex-1.yaml", annex1(organization: "87654321"))
        try opensslSign("annex-1.yaml", by: ["organizations/87654321"])
        let good = try verify("annex-1.yaml")
        #expect(good.status == 0 && good.stderr.contains("organization 87654321"), "\(good)")
    }

    @Test func whatIsNotOneApplicantsSignatureOfThisFormIsRefused() throws {
        try w.directory.write("two.yaml", annex1())
        try opensslSign("two.yaml", by: ["organizations/12345678", "organizations/87654321"])
        let two = try verify("two.yaml")
        #expect(two.status == 1 && two.stderr.contains("2 signers; exactly one is accepted"), "\(two)")

        try w.directory.write("other.yaml", annex1(signedAt: "2026-03-02T09:30:00+08:00"))
        try w.directory.write("this.yaml", annex1())
        try opensslSign("other.yaml", output: "this.yaml.p7s")
        let elsewhere = try verify("this.yaml")
        #expect(elsewhere.status == 1 && elsewhere.stderr.contains("this.yaml"), "\(elsewhere)")
        try opensslSign("other.yaml", attributes: false, output: "this.yaml.p7s")
        #expect(try verify("this.yaml").status == 1)

        try w.directory.write("staff.yaml", annex1())
        try opensslSign("staff.yaml", by: ["staff/lee.clerk"])
        let staff = try verify("staff.yaml")
        #expect(staff.status == 1 && staff.stderr.contains("not issued by the XCA"), "\(staff)")

        try w.directory.write("foreign.yaml", annex1(organization: "87654321"))
        try opensslSign("foreign.yaml")
        let foreign = try verify("foreign.yaml")
        #expect(foreign.status == 1 && foreign.stderr.contains("another organization"), "\(foreign)")

        try w.directory.write("late.yaml", annex1(signedAt: "2040-01-01T09:00:00+08:00"))
        try opensslSign("late.yaml")
        let late = try verify("late.yaml")
        #expect(late.status == 1 && late.stderr.contains("had expired at the signing time"), "\(late)")

        try w.directory.write("garbage.yaml", annex1())
        try w.directory.write("garbage.yaml.p7s", "not a signature")
        let garbage = try verify("garbage.yaml")
        #expect(garbage.status == 1 && garbage.stderr.contains("CMS signature is not accepted"), "\(garbage)")
    }

    @Test func aSubmissionCarriesTheFormWithItsCMSSignatureOnce() throws {
        try w.directory.write("annex-1.yaml", annex1())
        // openssl writes its own signingTime (the real clock), far from the form's signedAt: recorded.
        try opensslSign("annex-1.yaml")
        let recorded = try submit("annex-1.yaml")
        #expect(recorded.status == 0, "\(recorded)")
        #expect(recorded.stderr.contains("[P4-SIGNING-TIME]"), "\(recorded)")
        let files = try w.git(["-C", "edu", "ls-files"]).stdout
        #expect(files.contains("documents/annex-1.yaml.p7s") && !files.contains("documents/annex-1.yaml.sig"), "\(files)")
        let verified = try w.webjcase(["verify", "--repo", "edu"])
        #expect(verified.status == 0, "\(verified)")

        // The dossier shows the certificate openssl embedded, and openssl's own signingTime beside the form's signedAt.
        let serial = try DocumentDossier.serial(w, "pki/organizations/12345678.pem")
        let dossier = try DocumentDossier(w)
        let certificate = try #require(dossier.certificates.first, "\(dossier.certificates)")
        #expect(certificate["form"] as? String == "cms" && certificate["organizationID"] as? String == "12345678", "\(certificate)")
        #expect(certificate["serialNumber"] as? String == serial && certificate["validAtSigning"] as? Bool == true, "\(certificate)")
        #expect(certificate["signedAt"] as? String == "2026-03-02T09:00:00+08:00")
        #expect(certificate["cmsSigningTime"] as? String != nil && certificate["cmsSigningTime"] as? String != "2026-03-02T09:00:00+08:00")
        #expect(dossier.html.contains("<dl class=\"certificate\" data-form=\"cms\" data-valid=\"valid\">"), "\(dossier.html)")
        #expect(dossier.html.contains("<dt>Organization id in the certificate</dt><dd>12345678</dd>"))
        #expect(dossier.markdown.contains("Serial number: \(serial)<br>Validity: 2025-01-01T08:00:00+08:00 to 2036-01-01T08:00:00+08:00"),
                "\(dossier.markdown)")

        // The same bytes again, under another name: P4-DOCUMENT-ONCE.
        w.now = "2026-03-03T10:00:00+08:00"
        let correction = try w.webjcase(["step", "REG-2026-edu1-0001", "initial.correction", "--data", "correction.yaml",
                                         "--key", "wang.reviewer", "--repo", "edu"])
        #expect(correction.status == 0, "\(correction)")
        w.now = "2026-03-05T10:00:00+08:00"
        try FileManager.default.copyItem(atPath: w.directory.file("annex-1.yaml"), toPath: w.directory.file("annex-1-again.yaml"))
        try FileManager.default.copyItem(atPath: w.directory.file("annex-1.yaml.p7s"), toPath: w.directory.file("annex-1-again.yaml.p7s"))
        let replayed = try submit("annex-1-again.yaml", action: "correct", data: "correct-doc.yaml")
        #expect(replayed.status == 1, "\(replayed)")
        #expect(replayed.stderr.contains("[P4-DOCUMENT-ONCE]"), "\(replayed)")
    }

    @Test func aForeignCertificateIsRefusedAndWithoutSignedAttributesNothingIsRecorded() throws {
        try w.directory.write("annex-2.yaml", annex1())
        try opensslSign("annex-2.yaml", by: ["staff/lee.clerk"])
        let refused = try submit("annex-2.yaml")
        #expect(refused.status == 1 && refused.stderr.contains("[P4-APPLICANT-DOCUMENT]"), "\(refused)")
        #expect(refused.stderr.contains("not issued by the XCA"), "\(refused)")

        try w.directory.write("annex-1.yaml", annex1())
        try opensslSign("annex-1.yaml", attributes: false)
        let recorded = try submit("annex-1.yaml")
        #expect(recorded.status == 0 && !recorded.stderr.contains("P4-SIGNING-TIME"), "\(recorded)")
    }

    /// Certificates as the XCA makes them, made by openssl rather than `pki test-ca`: the XCA's
    /// issuer name in UTF8String, the organization id in subjectDirectoryAttributes (2.5.29.9),
    /// attribute 2.16.886.1.100.2.102, as a PrintableString; an RSA-2048 key as on the cards.
    @Test func aFormSignedWithCertificatesMadeByOpensslVerifies() throws {
        let dir = w.directory.file("ossl")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try w.directory.write("ossl/x.cnf", """
        [req]
        distinguished_name = dn
        string_mask = utf8only
        utf8 = yes
        [dn]
        [root]
        basicConstraints = critical,CA:true
        keyUsage = critical,keyCertSign,cRLSign
        subjectKeyIdentifier = hash
        [xca]
        basicConstraints = critical,CA:true,pathlen:0
        keyUsage = critical,keyCertSign,cRLSign
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        [leaf]
        basicConstraints = critical,CA:false
        keyUsage = critical,digitalSignature,nonRepudiation
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        2.5.29.9 = ASN1:SEQUENCE:directory
        [directory]
        attribute = SEQUENCE:organization
        [organization]
        type = OID:2.16.886.1.100.2.102
        values = SET:organizationValues
        [organizationValues]
        value = PRINTABLESTRING:12345678
        [ca]
        default_ca = authority
        [authority]
        database = index.txt
        new_certs_dir = .
        serial = serial.txt
        default_md = sha256
        policy = anything
        unique_subject = no
        [anything]
        C = optional
        O = optional
        OU = optional

        """)
        try w.directory.write("ossl/index.txt", "")
        try w.directory.write("ossl/serial.txt", "01\n")
        func openssl(_ arguments: [String]) throws {
            let result = try runProcess("/usr/bin/openssl", arguments, in: dir)
            guard result.status == 0 else { throw WorkspaceError(result) }
        }
        let validity = ["-startdate", "20250101000000Z", "-enddate", "20351231000000Z", "-notext", "-utf8", "-preserveDN"]
        for (name, subject) in [("root", "/C=TW/O=Example Root CA"), ("xca", "/C=TW/O=行政院/OU=組織及團體憑證管理中心"), ("org", "/C=TW/O=臺南市範例協會")] {
            try openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(name).key", "-out", "\(name).csr", "-utf8",
                         "-subj", subject, "-config", "x.cnf"])
        }
        try openssl(["ca", "-batch", "-config", "x.cnf", "-selfsign", "-keyfile", "root.key", "-in", "root.csr", "-out", "root.pem",
                     "-extfile", "x.cnf", "-extensions", "root"] + validity)
        try openssl(["ca", "-batch", "-config", "x.cnf", "-cert", "root.pem", "-keyfile", "root.key", "-in", "xca.csr", "-out", "xca.pem",
                     "-extfile", "x.cnf", "-extensions", "xca"] + validity)
        try openssl(["ca", "-batch", "-config", "x.cnf", "-cert", "xca.pem", "-keyfile", "xca.key", "-in", "org.csr", "-out", "org.pem",
                     "-extfile", "x.cnf", "-extensions", "leaf"] + validity)
        try FileManager.default.copyItem(atPath: w.directory.file("ossl/root.pem"), toPath: w.directory.file("edu/trust/roots/openssl-root.pem"))
        for arguments in [["trust", "sign", "trust/roots/openssl-root.pem", "--key", "lin.admin", "--repo", "edu"],
                          ["trust", "commit", "trust/roots/openssl-root.pem", "--repo", "edu"]] {
            let result = try w.webjcase(arguments)
            #expect(result.status == 0, "\(result)")
        }

        try w.directory.write("annex-1.yaml", annex1())
        for attributes in [true, false] {
            try openssl(["cms", "-sign", "-binary", "-outform", "DER", "-in", "../annex-1.yaml", "-out", "../annex-1.yaml.p7s",
                         "-md", "sha256", "-signer", "org.pem", "-inkey", "org.key", "-certfile", "xca.pem"] + (attributes ? [] : ["-noattr"]))
            let good = try verify("annex-1.yaml")
            #expect(good.status == 0 && good.stderr.contains("organization 12345678"), "\(good)")
        }
        let form = try String(contentsOfFile: w.directory.file("annex-1.yaml"), encoding: .utf8)
        try w.directory.write("annex-1.yaml", form.replacingOccurrences(of: "二段6號", with: "二段7號"))
        #expect(try verify("annex-1.yaml").status == 1)
    }
}
