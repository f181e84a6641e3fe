import Foundation
import Testing
import TestSupport

private let softHSMUtil = "/usr/bin/softhsm2-util"
private let softHSMModule = ["/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                             "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so"]
    .first { FileManager.default.fileExists(atPath: $0) } ?? "/usr/lib/softhsm/libsofthsm2.so"
private let pkcs11Tool = "/usr/bin/pkcs11-tool"
private let hasSoftHSM = FileManager.default.isExecutableFile(atPath: softHSMUtil) && FileManager.default.isExecutableFile(atPath: pkcs11Tool)
    && FileManager.default.fileExists(atPath: softHSMModule)

/// Signing with a card through PKCS#11: a SoftHSM2 token stands for the XCA's card, holding
/// the RSA-2048 key and XCA-like certificate of `pki test-ca` under CKA_ID 5349474e ("SIGN").
@Suite(.enabled(if: hasSoftHSM, "softhsm2-util, pkcs11-tool or libsofthsm2.so is missing: run scripts/setup (installs softhsm2 and opensc)"))
struct CardTests {
    /// A repository trusting the test root, a test PKI, and a token "card" (PIN 123456) in the
    /// workspace holding the organization 12345678's key and certificate under 5349474e.
    private func setUp() throws -> (Workspace, [String: String]) {
        let w = try Workspace()
        #expect(try w.webjcase(["pki", "test-ca", "pki", "--org", "12345678:rsa"]).status == 0)
        try w.initRepository("edu", bare: false)
        try FileManager.default.createDirectory(atPath: w.directory.file("edu/trust/roots"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: w.directory.file("pki/trust/roots/webjcase-test-root.pem"),
                                         toPath: w.directory.file("edu/trust/roots/webjcase-test-root.pem"))
        #expect(try w.webjcase(["trust", "sign", "trust/roots/webjcase-test-root.pem", "--key", "lin.admin", "--repo", "edu"]).status == 0)
        #expect(try w.webjcase(["trust", "commit", "trust/roots/webjcase-test-root.pem", "--repo", "edu"]).status == 0)

        try FileManager.default.createDirectory(atPath: w.directory.file("tokens"), withIntermediateDirectories: true)
        let conf = try w.directory.write("softhsm2.conf", "directories.tokendir = \(w.directory.file("tokens"))\nobjectstore.backend = file\nlog.level = ERROR\n")
        let env = ["SOFTHSM2_CONF": conf]
        func run(_ tool: String, _ arguments: [String]) throws {
            let result = try runProcess(tool, arguments, in: w.path, environment: env)
            #expect(result.status == 0, "\(tool) \(arguments.joined(separator: " ")): \(result)")
        }
        try run(softHSMUtil, ["--init-token", "--free", "--label", "card", "--pin", "123456", "--so-pin", "12345678"])
        try run(softHSMUtil, ["--import", "pki/organizations/12345678.key", "--token", "card", "--label", "SIGN", "--id", "5349474e", "--pin", "123456"])
        try run("/usr/bin/openssl", ["x509", "-in", "pki/organizations/12345678.pem", "-outform", "DER", "-out", "org.der"])
        try run(pkcs11Tool, ["--module", softHSMModule, "--token-label", "card", "--login", "--pin", "123456",
                             "--write-object", "org.der", "--type", "cert", "--id", "5349474e", "--label", "SIGN"])
        // The same key again under another id, with no certificate beside it.
        try run(softHSMUtil, ["--import", "pki/organizations/12345678.key", "--token", "card", "--label", "bare", "--id", "0a0b", "--pin", "123456"])
        let pin = try w.directory.write("pin", "123456\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: pin)
        try w.directory.write("annex-1.yaml", """
        kind: "annex-1"
        organization: "12345678"
        application: "南市例字第1150000123號"
        signedAt: 2026-03-01T09:00:00+08:00

        """)
        return (w, env)
    }

    @Test func anApplicantSignsWithItsCard() throws {
        let (w, env) = try setUp()
        let signed = try w.webjcase(["sign", "annex-1.yaml", "--pkcs11", softHSMModule, "--pin-file", "pin",
                                     "--cert-chain", "pki/organizations/12345678.chain.pem"], environment: env)
        #expect(signed.status == 0, "\(signed)")
        #expect(signed.stderr.contains("Signed with the token card (slot "), "\(signed)")
        #expect(signed.stderr.contains("key 5349474e"), "\(signed)")
        // The envelope carries the token's certificate and the chain file's CAs, the leaf once.
        let envelope = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: w.directory.file("annex-1.yaml.sig")))) as? [String: Any]
        let entries = try #require(envelope?["signatures"] as? [[String: Any]])
        #expect(entries.count == 1)
        let chain = try #require(entries.first?["chain"] as? [String])
        let leaf = try Data(contentsOf: URL(fileURLWithPath: w.directory.file("org.der"))).base64EncodedString()
        #expect(chain.first == leaf)
        #expect(chain.count >= 2 && chain.filter { $0 == leaf }.count == 1, "\(chain.count) certificates")

        let verified = try w.webjcase(["sign", "--verify", "annex-1.yaml", "--repo", "edu"])
        #expect(verified.status == 0, "\(verified)")
        #expect(verified.stderr.contains("good signature by"), "\(verified)")
        #expect(verified.stderr.contains("12345678"), "names the organization: \(verified)")
        // One changed byte of the form: the signature no longer holds.
        var text = try String(contentsOfFile: w.directory.file("annex-1.yaml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "1150000123", with: "1150000124")
        try w.directory.write("annex-1.yaml", text)
        let changed = try w.webjcase(["sign", "--verify", "annex-1.yaml", "--repo", "edu"])
        #expect(changed.status == 1, "\(changed)")
    }

    @Test func anApplicantSignsCMSWithItsCard() throws {
        let (w, env) = try setUp()
        let signed = try w.webjcase(["sign", "annex-1.yaml", "--cms", "--pkcs11", softHSMModule, "--pin-file", "pin",
                                     "--cert-chain", "pki/organizations/12345678.chain.pem"], environment: env)
        #expect(signed.status == 0, "\(signed)")
        #expect(signed.stderr.contains("Signed with the token card (slot ") && signed.stderr.contains("wrote annex-1.yaml.p7s"), "\(signed)")
        #expect(!FileManager.default.fileExists(atPath: w.directory.file("annex-1.yaml.sig")))

        let verified = try w.webjcase(["sign", "--verify", "annex-1.yaml", "--repo", "edu"])
        #expect(verified.status == 0, "\(verified)")
        #expect(verified.stderr.contains("good CMS signature") && verified.stderr.contains("organization 12345678"), "\(verified)")
        let openssl = try opensslVerifiesCMS(w, "annex-1.yaml")
        #expect(openssl.status == 0 && openssl.stderr.contains("Verification successful"), "\(openssl)")

        var text = try String(contentsOfFile: w.directory.file("annex-1.yaml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "1150000123", with: "1150000124")
        try w.directory.write("annex-1.yaml", text)
        #expect(try w.webjcase(["sign", "--verify", "annex-1.yaml", "--repo", "edu"]).status == 1)
        #expect(try opensslVerifiesCMS(w, "annex-1.yaml").status != 0)
    }

    @Test func refusalsSayWhatToDo() throws {
        let (w, env) = try setUp()
        func sign(_ extra: [String], pin: String = "pin") throws -> RunResult {
            try w.webjcase(["sign", "annex-1.yaml", "--pin-file", pin] + extra, environment: env)
        }
        let wrong = try w.directory.write("wrong-pin", "654321\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: wrong)
        let badPIN = try sign(["--pkcs11", softHSMModule], pin: "wrong-pin")
        #expect(badPIN.status == 2, "\(badPIN)")
        #expect(badPIN.stderr.contains("The PIN for the token card") && badPIN.stderr.contains("CKR_PIN_INCORRECT"), "\(badPIN)")

        let missing = try sign(["--pkcs11", "/nonexistent/libhicos.so"])
        #expect(missing.status == 2, "\(missing)")
        #expect(missing.stderr.contains("/nonexistent/libhicos.so: no such file. Give --pkcs11 the path"), "\(missing)")

        let notAModule = try w.directory.write("notamodule.so", "not a shared library\n")
        let notPKCS11 = try sign(["--pkcs11", notAModule])
        #expect(notPKCS11.status == 2, "\(notPKCS11)")
        #expect(notPKCS11.stderr.contains("is not a PKCS#11 module"), "\(notPKCS11)")
        // A real shared library that is no PKCS#11 module.
        if let library = ["/usr/lib/x86_64-linux-gnu/libz.so.1", "/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/aarch64-linux-gnu/libz.so.1"]
            .first(where: { FileManager.default.fileExists(atPath: $0) }) {
            let plain = try sign(["--pkcs11", library])
            #expect(plain.status == 2, "\(plain)")
            #expect(plain.stderr.contains("is not a PKCS#11 module (no C_GetFunctionList symbol)"), "\(plain)")
        }

        let noKey = try sign(["--pkcs11", softHSMModule, "--key-id", "0102"])
        #expect(noKey.status == 2, "\(noKey)")
        #expect(noKey.stderr.contains("has no private key with CKA_ID 0102") && noKey.stderr.contains("--key-id"), "\(noKey)")

        let noCertificate = try sign(["--pkcs11", softHSMModule, "--key-id", "0A0B"])
        #expect(noCertificate.status == 2, "\(noCertificate)")
        #expect(noCertificate.stderr.contains("has no certificate with CKA_ID 0a0b"), "\(noCertificate)")

        let noSlot = try sign(["--pkcs11", softHSMModule, "--slot", "4242"])
        #expect(noSlot.status == 2, "\(noSlot)")
        #expect(noSlot.stderr.contains("slot 4242 holds no token"), "\(noSlot)")

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: w.directory.file("pin"))
        let readable = try sign(["--pkcs11", softHSMModule])
        #expect(readable.status == 2, "\(readable)")
        #expect(readable.stderr.contains("pin has mode 644") && readable.stderr.contains("chmod 600"), "\(readable)")

        let stray = try w.webjcase(["sign", "annex-1.yaml", "--key", "lin.admin", "--pin-file", "pin"], environment: env)
        #expect(stray.status == 2 && stray.stderr.contains("it goes with --pkcs11"), "\(stray)")
        let badID = try sign(["--pkcs11", softHSMModule, "--key-id", "SIGN"])
        #expect(badID.status == 2 && badID.stderr.contains("--key-id"), "\(badID)")
        // Nothing was signed along the way.
        #expect(!FileManager.default.fileExists(atPath: w.directory.file("annex-1.yaml.sig")))
    }
}
