import Foundation
import Testing
import TestSupport

/// Verifies `file.p7s` as openssl does, against the test root: exit 0 and "Verification successful".
func opensslVerifiesCMS(_ w: Workspace, _ file: String, root: String = "pki/trust/roots/webjcase-test-root.pem") throws -> RunResult {
    try runProcess("/usr/bin/openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", file + ".p7s", "-content", file,
                                        "-CAfile", root, "-purpose", "any", "-out", "/dev/null"], in: w.path)
}

/// `webjcase sign FILE --cms --key KEY --cert CHAIN`: a detached CMS SignedData, `FILE.p7s`, that
/// webjcase's own verifier and openssl both accept.
@Suite struct CMSSignTests {
    let w: Workspace

    init() throws {
        w = try Workspace()
        try w.applicantRepository(organizations: ["12345678:rsa", "87654321:p256"])
    }

    func annex1(organization: String) -> String {
        return Workspace.annex1(organization: organization, committed: true)
    }

    @Test(arguments: ["12345678", "87654321"])
    func aFileKeyWritesACMSSignatureBothVerifiersAccept(organization: String) throws {
        try w.directory.write("annex-1.yaml", annex1(organization: organization))
        let signed = try w.webjcase(["sign", "annex-1.yaml", "--cms", "--key", "pki/organizations/\(organization).key",
                                     "--cert", "pki/organizations/\(organization).chain.pem"])
        #expect(signed.status == 0, "\(signed)")
        #expect(signed.stderr.contains("wrote annex-1.yaml.p7s, a detached CMS signature"), "\(signed)")
        #expect(!FileManager.default.fileExists(atPath: w.directory.file("annex-1.yaml.sig")))

        let good = try w.webjcase(["sign", "--verify", "annex-1.yaml", "--repo", "edu"])
        #expect(good.status == 0, "\(good)")
        #expect(good.stderr.contains("good CMS signature") && good.stderr.contains("organization \(organization)"), "\(good)")
        let openssl = try opensslVerifiesCMS(w, "annex-1.yaml")
        #expect(openssl.status == 0 && openssl.stderr.contains("Verification successful"), "\(openssl)")
        // The signed attributes as openssl reads them: contentType, signingTime, messageDigest.
        let printed = try runProcess("/usr/bin/openssl", ["cms", "-cmsout", "-print", "-inform", "DER", "-in", "annex-1.yaml.p7s"], in: w.path)
        #expect(printed.status == 0, "\(printed)")
        for field in ["contentType", "signingTime", "messageDigest", "eContent: <ABSENT>"] {
            #expect(printed.stdout.contains(field), "\(field) in \(printed.stdout.prefix(3000))")
        }

        // One changed byte: both refuse.
        let form = try String(contentsOfFile: w.directory.file("annex-1.yaml"), encoding: .utf8)
        try w.directory.write("annex-1.yaml", form.replacingOccurrences(of: "二段6號", with: "二段7號"))
        let changed = try w.webjcase(["sign", "--verify", "annex-1.yaml", "--repo", "edu"])
        #expect(changed.status == 1, "\(changed)")
        #expect(try opensslVerifiesCMS(w, "annex-1.yaml").status != 0)
    }

    @Test func refusalsSayWhatToDo() throws {
        try w.directory.write("annex-1.yaml", annex1(organization: "12345678"))
        let withoutCertificate = try w.webjcase(["sign", "annex-1.yaml", "--cms", "--key", "pki/organizations/12345678.key"])
        #expect(withoutCertificate.status == 2, "\(withoutCertificate)")
        #expect(withoutCertificate.stderr.contains("annex-1.yaml: a CMS signature carries the signer's certificate") &&
                withoutCertificate.stderr.contains("--cert CHAIN"), "\(withoutCertificate)")
        let withVerify = try w.webjcase(["sign", "--verify", "annex-1.yaml", "--cms", "--repo", "edu"])
        #expect(withVerify.status == 2 && withVerify.stderr.contains("--cms"), "\(withVerify)")
        // Another organization's certificate with this key: the key is not the certificate's.
        let mismatched = try w.webjcase(["sign", "annex-1.yaml", "--cms", "--key", "pki/organizations/12345678.key",
                                         "--cert", "pki/organizations/87654321.chain.pem"])
        #expect(mismatched.status != 0, "\(mismatched)")
        #expect(!FileManager.default.fileExists(atPath: w.directory.file("annex-1.yaml.p7s")))

        let first = try w.webjcase(["sign", "annex-1.yaml", "--cms", "--key", "pki/organizations/12345678.key",
                                    "--cert", "pki/organizations/12345678.chain.pem"])
        #expect(first.status == 0, "\(first)")
        let before = try Data(contentsOf: URL(fileURLWithPath: w.directory.file("annex-1.yaml.p7s")))
        let again = try w.webjcase(["sign", "annex-1.yaml", "--cms", "--key", "pki/organizations/12345678.key",
                                    "--cert", "pki/organizations/12345678.chain.pem"])
        #expect(again.status == 2 && again.stderr.contains("annex-1.yaml.p7s already exists"), "\(again)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: w.directory.file("annex-1.yaml.p7s"))) == before)
    }
}
