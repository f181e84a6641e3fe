import Foundation
import Testing
import TestSupport

@Suite struct PKITests {
    @Test func testCAWritesChainsThatOpenSSLAccepts() throws {
        let w = try Workspace()
        let made = try w.webjcase(["pki", "test-ca", "pki", "--org", "12345678:rsa", "--org", "87654321:p256", "--staff", "chen.clerk"])
        #expect(made.status == 0, "\(made)")
        #expect(made.stderr.contains("NOT FOR PRODUCTION"))
        for key in ["pki/organizations/12345678.key", "pki/organizations/87654321.key", "pki/staff/chen.clerk.key", "pki/ca/test-xca.key"] {
            let mode = try FileManager.default.attributesOfItem(atPath: w.directory.file(key))[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(key)")
        }
        let root = w.directory.file("pki/trust/roots/webjcase-test-root.pem")
        for leaf in ["organizations/12345678", "organizations/87654321", "staff/chen.clerk"] {
            let verify = try runProcess("/usr/bin/openssl", ["verify", "-CAfile", root, "-untrusted", w.directory.file("pki/\(leaf).chain.pem"),
                                                             w.directory.file("pki/\(leaf).pem")])
            #expect(verify.status == 0, "\(leaf): \(verify)")
        }
        let text = try runProcess("/usr/bin/openssl", ["x509", "-in", w.directory.file("pki/organizations/87654321.pem"), "-noout", "-text"])
        #expect(text.stdout.contains("Subject Directory Attributes"), "\(text)")
        #expect(text.stdout.contains("ASN1 OID: prime256v1") || text.stdout.contains("NIST CURVE: P-256"), "P-256 key")
        #expect(try runProcess("/usr/bin/openssl", ["x509", "-in", w.directory.file("pki/organizations/12345678.pem"), "-noout", "-text"])
            .stdout.contains("Public-Key: (2048 bit)"))
        #expect(try w.webjcase(["pki", "test-ca", "pki"]).status == 2, "never overwrites")
    }

    /// The issuing CAs of a test PKI (`trust/ca/`), added by the admins (threshold 1 here);
    /// a root too where `root` is set.
    private func addAuthorities(_ w: Workspace, root: Bool = false) throws {
        var paths = ["trust/ca/test-xca.pem", "trust/ca/test-staff-ca.pem"]
        if root { paths.insert("trust/roots/webjcase-test-root.pem", at: 0) }
        for path in paths {
            try FileManager.default.createDirectory(atPath: w.directory.file("edu/" + (path as NSString).deletingLastPathComponent),
                                                    withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: w.directory.file("pki/" + path), toPath: w.directory.file("edu/" + path))
            let signed = try w.webjcase(["trust", "sign", path, "--key", "lin.admin", "--repo", "edu"])
            #expect(signed.status == 0, "\(signed)")
        }
        let committed = try w.webjcase(["trust", "commit"] + paths + ["--repo", "edu"])
        #expect(committed.status == 0, "\(committed)")
    }

    @Test func revocationListsNeedNoAdminButMustLoad() throws {
        let w = try Workspace()
        #expect(try w.webjcase(["pki", "test-ca", "pki"]).status == 0)
        try w.initRepository("edu", bare: false)
        try FileManager.default.createDirectory(atPath: w.directory.file("edu/trust/crl"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: w.directory.file("pki/trust/crl/test-xca.crl"), toPath: w.directory.file("edu/trust/crl/test-xca.crl"))
        // Before its CA is known, nothing can tell the XCA's own list from a forgery.
        let unknown = try w.webjcase(["trust", "commit", "trust/crl/test-xca.crl", "--repo", "edu"])
        #expect(unknown.status == 1 && unknown.stderr.contains("[A-CRL]"), "\(unknown)")
        try addAuthorities(w, root: true)
        let added = try w.webjcase(["trust", "commit", "trust/crl/test-xca.crl", "--repo", "edu"])
        #expect(added.status == 0, "\(added)")
        try w.directory.write("edu/trust/crl/broken.crl", "not a revocation list")
        let broken = try w.webjcase(["trust", "commit", "trust/crl/broken.crl", "--repo", "edu"])
        #expect(broken.status == 1, "\(broken)")
        #expect(broken.stderr.contains("[A-DOCUMENT]"), "\(broken)")
        #expect(try w.webjcase(["verify", "--repo", "edu"]).status == 0)
        // Another CA's list in its place would undo its revocations.
        try Data(contentsOf: URL(fileURLWithPath: w.directory.file("pki/trust/crl/test-staff-ca.crl")))
            .write(to: URL(fileURLWithPath: w.directory.file("edu/trust/crl/test-xca.crl")))
        let replaced = try w.webjcase(["trust", "commit", "trust/crl/test-xca.crl", "--repo", "edu"])
        #expect(replaced.status == 1, "\(replaced)")
        #expect(replaced.stderr.contains("keep every revocation"), "\(replaced)")
    }

    /// A list that gives the XCA's name as its issuer but was signed by another key (an
    /// agency node's owner making one up to drop a revocation) is refused, and so is a
    /// `.sig` beside a list; an issuing CA that no root signed is not taken either.
    @Test func aRevocationListSignedByAnotherKeyIsRefused() throws {
        let w = try Workspace()
        #expect(try w.webjcase(["pki", "test-ca", "pki"]).status == 0)
        #expect(try w.webjcase(["pki", "test-ca", "other"]).status == 0)
        try w.initRepository("edu", bare: false)
        try addAuthorities(w, root: true)
        try FileManager.default.createDirectory(atPath: w.directory.file("edu/trust/crl"), withIntermediateDirectories: true)
        // Another test PKI's XCA has the same name as this one's; its list is not this XCA's.
        try FileManager.default.copyItem(atPath: w.directory.file("other/trust/crl/test-xca.crl"), toPath: w.directory.file("edu/trust/crl/test-xca.crl"))
        let forged = try w.webjcase(["trust", "commit", "trust/crl/test-xca.crl", "--repo", "edu"])
        #expect(forged.status == 1 && forged.stderr.contains("[A-CRL]"), "\(forged)")
        #expect(try w.webjcase(["verify", "--repo", "edu"]).status == 0, "nothing was committed")
        // The other PKI's XCA certificate as an issuing CA: no root here signed it.
        try FileManager.default.copyItem(atPath: w.directory.file("other/trust/ca/test-xca.pem"), toPath: w.directory.file("edu/trust/ca/other-xca.pem"))
        #expect(try w.webjcase(["trust", "sign", "trust/ca/other-xca.pem", "--key", "lin.admin", "--repo", "edu"]).status == 0)
        let unanchored = try w.webjcase(["trust", "commit", "trust/ca/other-xca.pem", "--repo", "edu"])
        #expect(unanchored.status == 1 && unanchored.stderr.contains("[A-DOCUMENT]") && unanchored.stderr.contains("no root"), "\(unanchored)")
    }

    @Test func aRootThatDoesNotParseIsRefused() throws {
        let w = try Workspace()
        try w.initRepository("edu", bare: false)
        try FileManager.default.createDirectory(atPath: w.directory.file("edu/trust/roots"), withIntermediateDirectories: true)
        try w.directory.write("edu/trust/roots/broken.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
        #expect(try w.webjcase(["trust", "sign", "trust/roots/broken.pem", "--key", "lin.admin", "--repo", "edu"]).status == 0)
        let commit = try w.webjcase(["trust", "commit", "trust/roots/broken.pem", "--repo", "edu"])
        #expect(commit.status == 1, "\(commit)")
        #expect(commit.stderr.contains("[A-DOCUMENT]"), "\(commit)")
    }

    @Test func productionModeRefusesATestRootLoudly() throws {
        let w = try Workspace()
        #expect(try w.webjcase(["pki", "test-ca", "pki"]).status == 0)
        try w.initRepository("edu", bare: false)
        // In test mode the admins may add the test root.
        try FileManager.default.createDirectory(atPath: w.directory.file("edu/trust/roots"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: w.directory.file("pki/trust/roots/webjcase-test-root.pem"),
                                         toPath: w.directory.file("edu/trust/roots/webjcase-test-root.pem"))
        #expect(try w.webjcase(["trust", "sign", "trust/roots/webjcase-test-root.pem", "--key", "lin.admin", "--repo", "edu"]).status == 0)
        let added = try w.webjcase(["trust", "commit", "trust/roots/webjcase-test-root.pem", "--repo", "edu"])
        #expect(added.status == 0, "\(added)")
        // Switching the policy to production while the test root is there is refused.
        let policy = try String(contentsOfFile: w.directory.file("edu/trust/policy.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "version: 1", with: "version: 2")
            .replacingOccurrences(of: "mode: \"test\"", with: "mode: \"production\"")
        try w.directory.write("edu/trust/policy.yaml", policy)
        #expect(try w.webjcase(["trust", "sign", "trust/policy.yaml", "--key", "lin.admin", "--repo", "edu"]).status == 0)
        let production = try w.webjcase(["trust", "commit", "trust/policy.yaml", "--repo", "edu"])
        #expect(production.status == 1, "\(production)")
        #expect(production.stderr.contains("a TEST root is in trust/roots"), "\(production)")
        #expect(production.stderr.contains("webjcase-test-root.pem"), "\(production)")
    }
}

/// Staff who sign with an X.509 certificate: the policy names the certificate, the
/// envelope carries the chain, and the chain is judged at the step's signing time.
@Suite struct CertificateSignerTests {
    private func fingerprint(_ pem: String) throws -> String {
        let output = try runProcess("/usr/bin/openssl", ["x509", "-in", pem, "-noout", "-fingerprint", "-sha256"]).stdout
        let hex = output.split(separator: "=").last.map { $0.replacingOccurrences(of: ":", with: "").trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        return "sha256:" + hex.lowercased()
    }

    @Test func aStepSignedWithAStaffCertificate() throws {
        let w = try Workspace()
        #expect(try w.webjcase(["pki", "test-ca", "pki", "--staff", "lee.clerk", "--org", "12345678:rsa"]).status == 0)
        let certificate = try fingerprint(w.directory.file("pki/staff/lee.clerk.pem"))
        let policy = try String(contentsOfFile: w.directory.file("policy.yaml"), encoding: .utf8)
            + "  - {name: \"lee.clerk\", certificate: \"\(certificate)\", roles: [\"clerk\"], jurisdiction: \"edu\"}\n"
        try w.directory.write("policy.yaml", policy)
        try w.initRepository("edu", bare: false)
        #expect(try w.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu"]).status == 0)
        let step = ["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "pki/staff/lee.clerk.key",
                    "--cert", "pki/staff/lee.clerk.chain.pem", "--repo", "edu"]
        // No root yet: the chain leads nowhere.
        let untrusted = try w.webjcase(step)
        #expect(untrusted.status == 1, "\(untrusted)")
        #expect(untrusted.stderr.contains("does not chain to a root in trust/roots"), "\(untrusted)")
        // The admins add the (test) root.
        try FileManager.default.createDirectory(atPath: w.directory.file("edu/trust/roots"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: w.directory.file("pki/trust/roots/webjcase-test-root.pem"),
                                         toPath: w.directory.file("edu/trust/roots/webjcase-test-root.pem"))
        #expect(try w.webjcase(["trust", "sign", "trust/roots/webjcase-test-root.pem", "--key", "lin.admin", "--repo", "edu"]).status == 0)
        #expect(try w.webjcase(["trust", "commit", "trust/roots/webjcase-test-root.pem", "--repo", "edu"]).status == 0)
        let signed = try w.webjcase(step)
        #expect(signed.status == 0, "\(signed)")
        let log = try w.webjcase(["log", "REG-2026-edu1-0001", "--repo", "edu", "--json"])
        #expect(log.stdout.contains("\"actorName\" : \"lee.clerk\""), "\(log)")
        #expect(try w.webjcase(["verify", "--repo", "edu"]).status == 0)
        // An organization's certificate chains to the same root but is no staff identity.
        let outsider = try w.webjcase(["step", "REG-2026-edu1-0001", "initial.forward", "--data", "forward.yaml",
                                       "--key", "pki/organizations/12345678.key", "--cert", "pki/organizations/12345678.chain.pem", "--repo", "edu"])
        #expect(outsider.status == 1, "\(outsider)")
        #expect(outsider.stderr.contains("[S-SIGNER]"), "\(outsider)")
    }

    @Test func aPEMKeyNeedsItsChain() throws {
        let w = try Workspace()
        #expect(try w.webjcase(["pki", "test-ca", "pki", "--staff", "lee.clerk"]).status == 0)
        try w.initRepository("edu", bare: false)
        #expect(try w.webjcase(["case", "open", "REG", "--org", "12345678", "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu"]).status == 0)
        let missing = try w.webjcase(["step", "REG-2026-edu1-0001", "submit", "--data", "submit.yaml", "--key", "pki/staff/lee.clerk.key", "--repo", "edu"])
        #expect(missing.status == 2, "\(missing)")
        #expect(missing.stderr.contains("--cert"), "\(missing)")
    }
}

/// Applicant documents signed with XCA organization certificates.
@Suite struct ApplicantDocumentTests {
    /// A repository trusting the test root, and a test PKI.
    private func setUp() throws -> Workspace {
        let w = try Workspace()
        #expect(try w.webjcase(["pki", "test-ca", "pki", "--org", "12345678:rsa", "--org", "87654321:p256", "--staff", "lee.clerk"]).status == 0)
        try w.initRepository("edu", bare: false)
        try FileManager.default.createDirectory(atPath: w.directory.file("edu/trust/roots"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: w.directory.file("pki/trust/roots/webjcase-test-root.pem"),
                                         toPath: w.directory.file("edu/trust/roots/webjcase-test-root.pem"))
        #expect(try w.webjcase(["trust", "sign", "trust/roots/webjcase-test-root.pem", "--key", "lin.admin", "--repo", "edu"]).status == 0)
        #expect(try w.webjcase(["trust", "commit", "trust/roots/webjcase-test-root.pem", "--repo", "edu"]).status == 0)
        return w
    }

    private func form(_ w: Workspace, _ name: String, organization: String?, signedAt: String?, signer: String) throws -> RunResult {
        var text = "kind: \"annex-1\"\n"
        if let organization { text += "organization: \"\(organization)\"\n" }
        text += "application: \"南市例字第1150000123號\"\n"
        if let signedAt { text += "signedAt: \(signedAt)\n" }
        try w.directory.write(name, text)
        let sign = try w.webjcase(["sign", name, "--key", "pki/\(signer).key", "--cert", "pki/\(signer).chain.pem"])
        guard sign.status == 0 else { return sign }
        return try w.webjcase(["sign", "--verify", name, "--repo", "edu"])
    }

    @Test func anApplicantSignsForItsOwnOrganization() throws {
        let w = try setUp()
        let good = try form(w, "rsa.yaml", organization: "12345678", signedAt: "2026-03-01T09:00:00+08:00", signer: "organizations/12345678")
        #expect(good.status == 0, "\(good)")
        #expect(good.stderr.contains("good signature by"), "\(good)")
        let p256 = try form(w, "p256.yaml", organization: "87654321", signedAt: "2026-03-01T09:00:00+08:00", signer: "organizations/87654321")
        #expect(p256.status == 0, "\(p256)")
        let other = try form(w, "other.yaml", organization: "87654321", signedAt: "2026-03-01T09:00:00+08:00", signer: "organizations/12345678")
        #expect(other.status == 1, "\(other)")
        #expect(other.stderr.contains("the certificate is for another organization"), "\(other)")
        let staff = try form(w, "staff.yaml", organization: "12345678", signedAt: "2026-03-01T09:00:00+08:00", signer: "staff/lee.clerk")
        #expect(staff.status == 1, "\(staff)")
        #expect(staff.stderr.contains("not issued by the XCA"), "\(staff)")
    }

    @Test func certificatesAreJudgedAtTheStatedSigningTime() throws {
        let w = try setUp()
        let late = try form(w, "late.yaml", organization: "12345678", signedAt: "2040-01-01T09:00:00+08:00", signer: "organizations/12345678")
        #expect(late.status == 1, "\(late)")
        #expect(late.stderr.contains("had expired at the signing time"), "\(late)")
        let early = try form(w, "early.yaml", organization: "12345678", signedAt: "2020-01-01T09:00:00+08:00", signer: "organizations/12345678")
        #expect(early.status == 1, "\(early)")
        #expect(early.stderr.contains("not yet valid"), "\(early)")
        let undated = try form(w, "undated.yaml", organization: "12345678", signedAt: nil, signer: "organizations/12345678")
        #expect(undated.status == 1, "\(undated)")
        #expect(undated.stderr.contains("states no signing time"), "\(undated)")
    }
}
