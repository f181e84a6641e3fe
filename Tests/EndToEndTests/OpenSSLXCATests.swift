import Foundation
import Testing
import TestSupport

/// A form signed by tools no one here wrote: certificates made by `openssl` as the XCA
/// makes them (its issuer name, the organization's OID in subjectDirectoryAttributes
/// 2.5.29.9, attribute 2.16.886.1.100.2.102, as a PrintableString), the signature made by
/// `openssl dgst -sha256 -sign` (RSA-2048, PKCS#1 v1.5) and wrapped into the envelope of
/// docs/format.md §6.3 by the test itself.
@Suite struct OpenSSLXCATests {
    let w: Workspace
    let organization = "2.16.886.111.100001.1.2"
    /// A signing time inside the certificates' validity (openssl starts it now).
    let signedAt: String

    init() throws {
        w = try Workspace()
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        signedAt = formatter.string(from: Date().addingTimeInterval(3600))
        try w.directory.write("ext.cnf", """
        [req]
        distinguished_name = dn

        [dn]

        [ca]
        basicConstraints = critical,CA:TRUE
        keyUsage = critical,keyCertSign,cRLSign
        subjectKeyIdentifier = hash

        [leaf]
        basicConstraints = critical,CA:FALSE
        keyUsage = critical,digitalSignature,nonRepudiation
        2.5.29.9 = ASN1:SEQUENCE:sda

        [sda]
        attribute = SEQUENCE:organizationAttribute

        [organizationAttribute]
        type = OID:2.16.886.1.100.2.102
        values = SET:organizationValues

        [organizationValues]
        value = PRINTABLESTRING:\(organization)

        """)
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "root.key", "-out", "root.pem", "-days", "3650",
                     "-utf8", "-subj", "/C=TW/O=Example Government Root CA", "-config", "ext.cnf", "-extensions", "ca"])
        try issue("xca", subject: "/C=TW/O=行政院/OU=組織及團體憑證管理中心", by: "root", extensions: "ca", serial: "2")
        try issue("org", subject: "/C=TW/O=臺南市範例協會", by: "xca", extensions: "leaf", serial: "3")
        // The XCA as another ministry may name it: not the XCA until the policy says so.
        try issue("moda", subject: "/C=TW/O=數位發展部/OU=組織及團體憑證管理中心", by: "root", extensions: "ca", serial: "4")
        try issue("modaorg", subject: "/C=TW/O=臺南市範例協會", by: "moda", extensions: "leaf", serial: "5")

        try w.initRepository("edu", bare: false)
        try FileManager.default.createDirectory(atPath: w.directory.file("edu/trust/roots"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: w.directory.file("root.pem"), toPath: w.directory.file("edu/trust/roots/example-root.pem"))
        for arguments in [["trust", "sign", "trust/roots/example-root.pem", "--key", "lin.admin", "--repo", "edu"],
                          ["trust", "commit", "trust/roots/example-root.pem", "--repo", "edu"]] {
            let result = try w.webjcase(arguments)
            guard result.status == 0 else { throw WorkspaceError(result) }
        }
    }

    @discardableResult
    func openssl(_ arguments: [String]) throws -> RunResult {
        let result = try runProcess("/usr/bin/openssl", arguments, in: w.path)
        guard result.status == 0 else { throw WorkspaceError(result) }
        return result
    }

    /// An RSA-2048 key and a certificate for it signed by `issuer`'s key.
    func issue(_ name: String, subject: String, by issuer: String, extensions: String, serial: String) throws {
        try openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(name).key", "-out", "\(name).csr",
                     "-utf8", "-subj", subject, "-config", "ext.cnf"])
        try openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "\(issuer).pem", "-CAkey", "\(issuer).key", "-set_serial", serial,
                     "-days", "730", "-sha256", "-extfile", "ext.cnf", "-extensions", extensions, "-out", "\(name).pem"])
    }

    /// The leaf's key as OpenSSH names it (§6.1): `SHA256:<base64>`.
    func fingerprint(_ name: String) throws -> String {
        try openssl(["x509", "-in", "\(name).pem", "-pubkey", "-noout", "-out", "\(name).pub.pem"])
        let ssh = try runProcess("/usr/bin/ssh-keygen", ["-i", "-m", "PKCS8", "-f", "\(name).pub.pem"], in: w.path)
        try w.directory.write("\(name).ssh.pub", ssh.stdout)
        let line = try runProcess("/usr/bin/ssh-keygen", ["-l", "-E", "sha256", "-f", "\(name).ssh.pub"], in: w.path).stdout
        return String(line.split(separator: " ")[1])
    }

    func der(_ name: String) throws -> String {
        try openssl(["x509", "-in", "\(name).pem", "-outform", "DER", "-out", "\(name).der"])
        return try Data(contentsOf: URL(fileURLWithPath: w.directory.file("\(name).der"))).base64EncodedString()
    }

    /// Writes `file` (a form of `organization`) and `file.sig`, signed by openssl with `leaf`'s key, its chain `leaf`, `ca`.
    func signWithOpenSSL(_ file: String, leaf: String, ca: String) throws {
        let form = """
        kind: "annex-1"
        organization: "\(organization)"
        application: "南市例字第1150000123號"
        signedAt: \(signedAt)

        """
        try w.directory.write(file, form)
        try envelope(file, leaf: leaf, ca: ca)
    }

    /// Writes `file.sig` over the exact bytes of `file`, signed by openssl with `leaf`'s key, its chain `leaf`, `ca`.
    func envelope(_ file: String, leaf: String, ca: String) throws {
        let payloadType = "application/vnd.webjcase.document+yaml"
        let body = try Data(contentsOf: URL(fileURLWithPath: w.directory.file(file)))
        var pae = Data("DSSEv1 \(payloadType.utf8.count) \(payloadType) \(body.count) ".utf8)
        pae.append(body)
        try pae.write(to: URL(fileURLWithPath: w.directory.file(file + ".pae")))
        try openssl(["dgst", "-sha256", "-sign", "\(leaf).key", "-out", file + ".bin", file + ".pae"])
        let signature = try Data(contentsOf: URL(fileURLWithPath: w.directory.file(file + ".bin"))).base64EncodedString()
        let digest = try openssl(["dgst", "-sha256", "-r", file]).stdout.prefix(64)
        try w.directory.write(file + ".sig", """
        {
          "payloadSHA256" : "\(digest)",
          "payloadType" : "\(payloadType)",
          "signatures" : [
            {
              "chain" : [
                "\(try der(leaf))",
                "\(try der(ca))"
              ],
              "keyid" : "\(try fingerprint(leaf))",
              "sig" : "\(signature)"
            }
          ]
        }

        """)
    }

    func verify(_ file: String) throws -> RunResult {
        try w.webjcase(["sign", "--verify", file, "--repo", "edu"])
    }

    /// The admins list the XCA's issuer names in the policy (version 2).
    func changePolicy(issuers: [[(String, String)]]) throws {
        var text = try String(contentsOfFile: w.directory.file("policy.yaml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "version: 1", with: "version: 2")
        text += "applicants:\n  xcaIssuers:\n"
        for name in issuers {
            text += "    - [" + name.map { "{oid: \"\($0.0)\", value: \"\($0.1)\"}" }.joined(separator: ", ") + "]\n"
        }
        try w.directory.write("edu/trust/policy.yaml", text)
        for arguments in [["trust", "sign", "trust/policy.yaml", "--key", "lin.admin", "--repo", "edu"],
                          ["trust", "commit", "trust/policy.yaml", "--repo", "edu"]] {
            let result = try w.webjcase(arguments)
            guard result.status == 0 else { throw WorkspaceError(result) }
        }
    }

    @Test func certificatesMadeByOpenSSLCarryTheOrganizationAsTheXCADoes() throws {
        let text = try openssl(["x509", "-in", "org.pem", "-noout", "-text"]).stdout
        #expect(text.contains("X509v3 Subject Directory Attributes"), "\(text)")
        #expect(text.contains(organization), "\(text)")
        #expect(try openssl(["verify", "-CAfile", "root.pem", "-untrusted", "xca.pem", "org.pem"]).stdout.contains("OK"))
    }

    @Test func aFormSignedByOpenSSLVerifiesAndNamesTheOrganization() throws {
        try signWithOpenSSL("annex-1.yaml", leaf: "org", ca: "xca")
        let good = try verify("annex-1.yaml")
        #expect(good.status == 0, "\(good)")
        #expect(good.stderr.contains("good signature by"), "\(good)")
        #expect(good.stderr.contains("signed for the organization \(organization)"), "\(good)")

        // One changed byte: the digest no longer matches.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: w.directory.file("annex-1.yaml")))
        bytes[bytes.count - 3] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: w.directory.file("annex-1.yaml")))
        let changed = try verify("annex-1.yaml")
        #expect(changed.status == 1, "\(changed)")
        #expect(!changed.stderr.contains("good signature"), "\(changed)")

        // The envelope's digest brought up to date: now the RSA signature itself must fail.
        let sig = w.directory.file("annex-1.yaml.sig")
        let newDigest = try openssl(["dgst", "-sha256", "-r", "annex-1.yaml"]).stdout.prefix(64)
        var envelope = try String(contentsOfFile: sig, encoding: .utf8)
        let start = try #require(envelope.range(of: "\"payloadSHA256\" : \""))
        envelope.replaceSubrange(start.upperBound..<envelope.index(start.upperBound, offsetBy: 64), with: newDigest)
        try w.directory.write("annex-1.yaml.sig", envelope)
        let forged = try verify("annex-1.yaml")
        #expect(forged.status == 1, "\(forged)")
        #expect(forged.stderr.contains("signature"), "\(forged)")
        #expect(!forged.stderr.contains("good signature"), "\(forged)")
    }

    /// The same form as the card software returns it: a detached CMS SignedData made by
    /// `openssl cms -sign`, with and without signed attributes, the chain embedded.
    @Test(arguments: [false, true])
    func aFormSignedByOpenSSLCMSVerifiesAndNamesTheOrganization(withoutAttributes: Bool) throws {
        try signWithOpenSSL("annex-1.yaml", leaf: "org", ca: "xca")
        try FileManager.default.removeItem(atPath: w.directory.file("annex-1.yaml.sig"))
        try openssl(["cms", "-sign", "-binary", "-outform", "DER", "-in", "annex-1.yaml", "-signer", "org.pem", "-inkey", "org.key",
                     "-certfile", "xca.pem", "-md", "sha256", "-out", "annex-1.yaml.p7s"] + (withoutAttributes ? ["-noattr"] : []))
        let good = try verify("annex-1.yaml")
        #expect(good.status == 0, "\(good)")
        #expect(good.stderr.contains(organization), "\(good)")

        var bytes = try Data(contentsOf: URL(fileURLWithPath: w.directory.file("annex-1.yaml")))
        bytes[bytes.count - 3] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: w.directory.file("annex-1.yaml")))
        let changed = try verify("annex-1.yaml")
        #expect(changed.status == 1, "\(changed)")
        #expect(!changed.stderr.contains("good"), "\(changed)")
    }

    /// A CMS signature by a certificate of an issuer the policy does not list is not the XCA's,
    /// as for an envelope.
    @Test func aCMSSignatureUnderAnUnlistedIssuerIsNotTheXCA() throws {
        try signWithOpenSSL("annex-1.yaml", leaf: "modaorg", ca: "moda")
        try FileManager.default.removeItem(atPath: w.directory.file("annex-1.yaml.sig"))
        try openssl(["cms", "-sign", "-binary", "-outform", "DER", "-in", "annex-1.yaml", "-signer", "modaorg.pem", "-inkey", "modaorg.key",
                     "-certfile", "moda.pem", "-md", "sha256", "-out", "annex-1.yaml.p7s"])
        let refused = try verify("annex-1.yaml")
        #expect(refused.status == 1, "\(refused)")
        try changePolicy(issuers: [[("2.5.4.6", "TW"), ("2.5.4.10", "行政院"), ("2.5.4.11", "組織及團體憑證管理中心")],
                                   [("2.5.4.6", "TW"), ("2.5.4.10", "數位發展部"), ("2.5.4.11", "組織及團體憑證管理中心")]])
        let accepted = try verify("annex-1.yaml")
        #expect(accepted.status == 0, "\(accepted)")
        #expect(accepted.stderr.contains(organization), "\(accepted)")
    }

    @Test func anIssuerNotInThePolicyIsNotTheXCA() throws {
        try signWithOpenSSL("moda.yaml", leaf: "modaorg", ca: "moda")
        let refused = try verify("moda.yaml")
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("not issued by the XCA"), "\(refused)")

        // The admins list both names: the certificate of the newer name counts.
        try changePolicy(issuers: [[("2.5.4.6", "TW"), ("2.5.4.10", "行政院"), ("2.5.4.11", "組織及團體憑證管理中心")],
                                   [("2.5.4.6", "TW"), ("2.5.4.10", "數位發展部"), ("2.5.4.11", "組織及團體憑證管理中心")]])
        let accepted = try verify("moda.yaml")
        #expect(accepted.status == 0, "\(accepted)")
        #expect(accepted.stderr.contains("signed for the organization \(organization)"), "\(accepted)")
        try signWithOpenSSL("annex-1.yaml", leaf: "org", ca: "xca")
        #expect(try verify("annex-1.yaml").status == 0)
    }

    /// In a case: the submission carries the form signed by openssl under the newer issuer name; the validator
    /// refuses it until the admins list that name, then takes it.
    @Test func aSubmissionTakesTheFormOnceThePolicyNamesItsIssuer() throws {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        w.now = formatter.string(from: Date().addingTimeInterval(2 * 3600))
        let open = try w.webjcase(["case", "open", "REG", "--org", organization, "--data", "open.yaml", "--key", "chen.clerk", "--repo", "edu"])
        #expect(open.status == 0, "\(open)")
        try w.directory.write("annex-1.yaml", Workspace.annex1(organization: organization, signedAt: signedAt))
        // webjcase turns the personal values into commitments (its own signature is thrown away); openssl signs the result.
        #expect(try w.webjcase(["sign", "annex-1.yaml", "--key", "chen.clerk"]).status == 0)
        try FileManager.default.removeItem(atPath: w.directory.file("annex-1.yaml.sig"))
        try envelope("annex-1.yaml", leaf: "modaorg", ca: "moda")
        try w.directory.write("submit-doc.yaml", """
        letter: {number: "例字第1150000001號", date: 2026-03-01}
        documents: [{annex: 1, file: "documents/annex-1.yaml"}]

        """)
        let submit = ["step", "REG-2026-edu1-0001", "submit", "--data", "submit-doc.yaml", "--key", "chen.clerk",
                      "--document", "annex-1.yaml", "--repo", "edu"]
        let refused = try w.webjcase(submit)
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("[P4-APPLICANT-DOCUMENT]"), "\(refused)")
        #expect(refused.stderr.contains("not issued by the XCA"), "\(refused)")
        try changePolicy(issuers: [[("2.5.4.6", "TW"), ("2.5.4.10", "數位發展部"), ("2.5.4.11", "組織及團體憑證管理中心")]])
        let accepted = try w.webjcase(submit)
        #expect(accepted.status == 0, "\(accepted)")
        #expect(try w.webjcase(["verify", "--repo", "edu"]).status == 0)
    }

    @Test func aPolicyListingOnlyTheNewNameRefusesTheOld() throws {
        try changePolicy(issuers: [[("2.5.4.6", "TW"), ("2.5.4.10", "數位發展部"), ("2.5.4.11", "組織及團體憑證管理中心")]])
        try signWithOpenSSL("annex-1.yaml", leaf: "org", ca: "xca")
        let refused = try verify("annex-1.yaml")
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("not issued by the XCA"), "\(refused)")
    }

    @Test func aMalformedIssuerListIsRefusedByThePolicyCheck() throws {
        var text = try String(contentsOfFile: w.directory.file("policy.yaml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "version: 1", with: "version: 2")
        text += "applicants:\n  xcaIssuers:\n    - [{oid: \"C\", value: \"TW\"}]\n"
        try w.directory.write("edu/trust/policy.yaml", text)
        #expect(try w.webjcase(["trust", "sign", "trust/policy.yaml", "--key", "lin.admin", "--repo", "edu"]).status == 0)
        let commit = try w.webjcase(["trust", "commit", "trust/policy.yaml", "--repo", "edu"])
        #expect(commit.status != 0, "\(commit)")
        #expect(commit.stderr.contains("applicants.xcaIssuers entry 1 is not an issuer name"), "\(commit)")
        #expect(commit.stderr.contains("trust/policy.yaml"), "\(commit)")
    }
}
