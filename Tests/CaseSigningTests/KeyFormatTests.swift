import CaseSigning
import Foundation
import Testing

struct KeyFormatTests {
    // RFC 8032 §7.1 test 1: secret seed and public key.
    let rfcSeedHex = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
    let rfcPublicHex = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    let rfcSignatureHex = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"

    @Test func authorizedKeysLineRoundTrip() throws {
        let key = SigningKey.generate().publicKey
        #expect(key.algorithm == "ssh-ed25519")
        #expect(key.blob.count == 51)
        let line = key.authorizedKeysLine(comment: "carol laptop")
        #expect(line.hasPrefix("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"))
        #expect(line.hasSuffix(" carol laptop"))
        #expect(try SSHPublicKey(authorizedKeysLine: line) == key)
        #expect(try SSHPublicKey(authorizedKeysLine: key.authorizedKeysLine(comment: nil) + "\n") == key)
        #expect(key.authorizedKeysLine(comment: "") == key.authorizedKeysLine(comment: nil))
        #expect(try SSHPublicKey(blob: key.blob) == key)
        #expect(key.fingerprint.hasPrefix("SHA256:"))
        #expect(key.fingerprint.count == 7 + 43)
        #expect(!key.fingerprint.contains("="))
    }

    @Test func knownFingerprint() throws {
        // Fingerprint printed by `ssh-keygen -l` for this key.
        let key = try SSHPublicKey(authorizedKeysLine: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINPc0KE0tvzJZd7TjIUaMYgehdqFx2pYqWW2a4rZWvH4 c d")
        #expect(key.fingerprint == "SHA256:VV0vTR1454qDVzgETGYzI/OCsGKq6SKD0FnAjavzHfQ")
    }

    @Test func otherKeyTypesAreUnsupported() {
        #expect(throws: SigningError(.unsupportedKeyType)) {
            try SSHPublicKey(authorizedKeysLine: "ssh-dss AAAAB3NzaC1kc3MAAACBAP1/U4EddRIpUt9KnC7s5Of2EbdSPO9EAMMeP4C2USZpRV1AIlH7WT2NWPq/xfW6MPbLm1Vs14E7gB00b/JmYLdrmVClpJ+f6AR7ECLCT7up1/63xhv4O1fnxqimFQ8E+4P208UewwI1VBNaFpEy9nXzrith1yrv8iIDGZ3RSAHHAAAAFQCXYFCPFSMLzLKSuYKi64QL8Fgc9Q== dsa")
        }
        #expect(throws: SigningError(.unsupportedKeyType)) {
            try SSHPublicKey(authorizedKeysLine: "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBA== x")
        }
        #expect(throws: SigningError(.unsupportedKeyType)) {
            try SSHPublicKey(blob: Data(base64Encoded: "AAAAB3NzaC1kc3MAAAABAQ==")!)
        }
    }

    /// Since ECDSA P-256 and RSA are supported (X.509 issue), these once-unsupported inputs are judged on their content.
    @Test func formerlyUnsupportedTypesAreNowParsed() {
        // A truncated 1024-bit ssh-rsa line and a truncated P-256 point: malformed.
        let rsa = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDDHr/jh2Jy4yALcK4JyWbVkPRaWmhck3IgCoeOO3z1e2dBowLh64QAM+Qb72pxekALga2oi4GvT+TlWNhzPH4V4J0VX2E2h1+2X3pCm6g0Yb5T6rRzKnBnKw== rsa"
        #expect(throws: SigningError(.malformedPublicKey)) { try SSHPublicKey(authorizedKeysLine: rsa) }
        #expect(throws: SigningError(.malformedPublicKey)) {
            try SSHPublicKey(authorizedKeysLine: "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBA== x")
        }
        // ssh-rsa with a 1-byte modulus: too small.
        #expect(throws: SigningError(.keyTooSmall)) {
            try SSHPublicKey(blob: Data(base64Encoded: "AAAAB3NzaC1yc2EAAAADAQABAAAAAQE=")!)
        }
    }

    @Test(arguments: [
        "",
        "ssh-ed25519",
        "ssh-ed25519 not*base64",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINPc0KE0tvzJZd7TjIUaMYgehdqFx2pYqWW2a4rZWv==",     // truncated
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAH9Pc0KE0tvzJZd7TjIUaMYgehdqFx2pYqWW2a4rZWvE=",     // 31-byte key
        "hello world",
    ])
    func malformedPublicKeys(_ line: String) {
        #expect(throws: SigningError(.malformedPublicKey)) { try SSHPublicKey(authorizedKeysLine: line) }
    }

    @Test func trailingBytesInBlobAreRefused() throws {
        var blob = SigningKey.generate().publicKey.blob
        blob.append(0)
        #expect(throws: SigningError(.malformedPublicKey)) { try SSHPublicKey(blob: blob) }
    }

    @Test func rfc8032VectorThroughOpenSSHFormat() throws {
        // Build an OpenSSH key file for the RFC seed from a generated template, then sign the empty message.
        let seed = hex(rfcSeedHex), pub = hex(rfcPublicHex)
        let text = openSSHKeyText(seed: seed, publicKey: pub, comment: "rfc8032")
        let key = try SigningKey(openSSHPrivateKey: text)
        #expect(key.publicKey.blob.suffix(32) == Data(pub))
        let sig = try key.signature(for: Data())
        #expect(sig == Data(hex(rfcSignatureHex)))
        #expect(key.publicKey.isValidSignature(sig, for: Data()))
        #expect(!key.publicKey.isValidSignature(sig, for: Data([0])))
        #expect(!key.publicKey.isValidSignature(sig.prefix(63), for: Data()))
        // Our writer reproduces the file apart from the check ints.
        let rewritten = try SigningKey(openSSHPrivateKey: key.openSSHPrivateKey(comment: "rfc8032"))
        #expect(rewritten.publicKey == key.publicKey)
    }

    @Test func privateKeyConsistencyIsChecked() throws {
        let seed = hex(rfcSeedHex), pub = hex(rfcPublicHex)
        var otherPub = pub
        otherPub[0] ^= 1
        // Public part does not match the seed.
        #expect(throws: SigningError(.malformedPrivateKey)) {
            try SigningKey(openSSHPrivateKey: openSSHKeyText(seed: seed, publicKey: otherPub, comment: ""))
        }
        // Check ints differ.
        #expect(throws: SigningError(.malformedPrivateKey)) {
            try SigningKey(openSSHPrivateKey: openSSHKeyText(seed: seed, publicKey: pub, comment: "", checks: (1, 2)))
        }
        // Bad padding.
        #expect(throws: SigningError(.malformedPrivateKey)) {
            try SigningKey(openSSHPrivateKey: openSSHKeyText(seed: seed, publicKey: pub, comment: "", padByte: 9))
        }
        // Garbage and wrong armor.
        #expect(throws: SigningError(.malformedPrivateKey)) { try SigningKey(openSSHPrivateKey: "hello") }
        #expect(throws: SigningError(.malformedPrivateKey)) {
            try SigningKey(openSSHPrivateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n")
        }
    }

    @Test func generatedKeyFileLayout() throws {
        let key = SigningKey.generate()
        let text = key.openSSHPrivateKey(comment: "dave@example")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "-----BEGIN OPENSSH PRIVATE KEY-----")
        #expect(lines.dropLast().last == "-----END OPENSSH PRIVATE KEY-----")
        #expect(lines.last == "")
        #expect(lines.dropFirst().dropLast(2).dropLast().allSatisfy { $0.count == 70 })
        let reloaded = try SigningKey(openSSHPrivateKey: text)
        #expect(reloaded.publicKey == key.publicKey)
        // CRLF line endings are tolerated.
        #expect(try SigningKey(openSSHPrivateKey: text.replacingOccurrences(of: "\n", with: "\r\n")).publicKey == key.publicKey)
    }

    @Test func missingKeyFileThrowsSystemError() {
        #expect(throws: (any Error).self) { try SigningKey.load(path: "/nonexistent/casesigning/key") }
        do {
            _ = try SigningKey.load(path: "/nonexistent/casesigning/key")
        } catch {
            #expect(!(error is SigningError))
        }
    }

    @Test func sshsigRoundTripAndFailures() throws {
        let key = SigningKey.generate()
        let message = Data("message".utf8)
        let armored = try SSHSignature.sign(message, namespace: "file", key: key)
        #expect(armored.hasPrefix("-----BEGIN SSH SIGNATURE-----\n"))
        #expect(armored.hasSuffix("\n-----END SSH SIGNATURE-----\n"))
        #expect(try SSHSignature.verify(armored: armored, message: message, namespace: "file") == key.publicKey)
        #expect(throws: SigningError(.namespaceMismatch)) { try SSHSignature.verify(armored: armored, message: message, namespace: "git") }
        #expect(throws: SigningError(.badSignature)) { try SSHSignature.verify(armored: armored, message: message + Data([0]), namespace: "file") }
        #expect(throws: SigningError(.malformedSignature)) { try SSHSignature.verify(armored: "nope", message: message, namespace: "file") }
        #expect(throws: SigningError(.namespaceMismatch)) { try SSHSignature.sign(message, namespace: "", key: key) }
    }

    /// The armor's lines may end in CRLF, carry spaces and tabs, be separated by blank
    /// lines and be wrapped at any width; what lies between the markers must be base64.
    @Test func sshsigArmorIsReadAsWrittenOrRewrapped() throws {
        let key = SigningKey.generate()
        let message = Data("armor".utf8)
        let armored = try SSHSignature.sign(message, namespace: "git", key: key)
        let lines = armored.split(separator: "\n").map(String.init)
        let body = lines.dropFirst().dropLast().joined()
        let rewrapped = stride(from: 0, to: body.count, by: 17).map { offset in
            String(body.dropFirst(offset).prefix(17))
        }
        let variants = [
            armored,
            lines.joined(separator: "\r\n"),
            "\n\n  " + lines.joined(separator: " \t\n\n") + "\n\n",
            ([lines[0]] + rewrapped + [lines.last!]).joined(separator: "\n"),
            lines[0] + "\n" + body + "\n" + lines.last!,
        ]
        for text in variants {
            #expect(try SSHSignature.verify(armored: text, message: message, namespace: "git") == key.publicKey, "\(text.debugDescription)")
        }
        let broken = [
            lines.dropLast().joined(separator: "\n"),
            lines.dropFirst().joined(separator: "\n"),
            lines[0] + "\n" + lines.last!,
            lines[0] + "\n" + body + "-\n" + lines.last!,
            lines[0] + "\n" + body + "\n" + lines.last!.replacingOccurrences(of: "END", with: "FIN"),
            lines[0].lowercased() + "\n" + body + "\n" + lines.last!,
        ]
        for text in broken {
            #expect(throws: SigningError(.malformedSignature), "\(text.debugDescription)") {
                try SSHSignature.verify(armored: text, message: message, namespace: "git")
            }
        }
    }

    @Test func sshsigWithSHA256IsAccepted() throws {
        let key = SigningKey.generate()
        let message = Data("sha256 please".utf8)
        let armored = sshsig(message: message, namespace: "git", hash: "sha256", key: key)
        #expect(try SSHSignature.verify(armored: armored, message: message, namespace: "git") == key.publicKey)
        #expect(throws: SigningError(.badSignature)) { try SSHSignature.verify(armored: armored, message: Data("x".utf8), namespace: "git") }
        let md5 = sshsig(message: message, namespace: "git", hash: "md5", key: key)
        #expect(throws: SigningError(.malformedSignature)) { try SSHSignature.verify(armored: md5, message: message, namespace: "git") }
    }
}

// MARK: - Helpers that build SSH structures independently of the library's writer.

func hex(_ string: String) -> [UInt8] {
    var out: [UInt8] = []
    var chars = Array(string.utf8)[...]
    while chars.count >= 2 {
        out.append(UInt8(String(decoding: chars.prefix(2), as: UTF8.self), radix: 16)!)
        chars = chars.dropFirst(2)
    }
    return out
}

func sshString(_ bytes: [UInt8]) -> [UInt8] {
    let n = UInt32(bytes.count)
    return [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] + bytes
}

func sshString(_ text: String) -> [UInt8] { sshString(Array(text.utf8)) }

func wrap70(_ body: [UInt8], label: String) -> String {
    let b64 = Array(Data(body).base64EncodedString())
    var out = "-----BEGIN \(label)-----\n"
    for start in stride(from: 0, to: b64.count, by: 70) {
        out += String(b64[start..<min(start + 70, b64.count)]) + "\n"
    }
    return out + "-----END \(label)-----\n"
}

/// An unencrypted OpenSSH ed25519 key file built by hand (so broken variants can be made).
func openSSHKeyText(seed: [UInt8], publicKey: [UInt8], comment: String, checks: (UInt32, UInt32) = (0x01020304, 0x01020304), padByte: UInt8? = nil) -> String {
    let blob = sshString("ssh-ed25519") + sshString(publicKey)
    func u32(_ n: UInt32) -> [UInt8] { [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] }
    var section = u32(checks.0) + u32(checks.1)
    section += sshString("ssh-ed25519") + sshString(publicKey) + sshString(seed + publicKey) + sshString(comment)
    var i: UInt8 = 0
    while section.count % 8 != 0 { i += 1; section.append(padByte ?? i) }
    if padByte != nil && i == 0 { section += [padByte!] + [UInt8](repeating: 2, count: 7) }
    let body = Array("openssh-key-v1\u{0}".utf8) + sshString("none") + sshString("none") + sshString([UInt8]()) + [0, 0, 0, 1] + sshString(blob) + sshString(section)
    return wrap70(body, label: "OPENSSH PRIVATE KEY")
}

/// An SSHSIG built by hand with any hash name (uses the library only for the raw Ed25519 signature).
func sshsig(message: Data, namespace: String, hash: String, key: SigningKey) -> String {
    let digest: [UInt8]
    switch hash {
    case "sha256": digest = Array(sha256(message))
    default: digest = Array(repeating: 0, count: 16)
    }
    let magic = Array("SSHSIG".utf8)
    let signed = magic + sshString(namespace) + sshString([UInt8]()) + sshString(hash) + sshString(digest)
    let raw = try! key.signature(for: Data(signed))
    let sigBlob = sshString("ssh-ed25519") + sshString(Array(raw))
    let body = magic + [0, 0, 0, 1] + sshString(Array(key.publicKey.blob)) + sshString(namespace) + sshString([UInt8]()) + sshString(hash) + sshString(sigBlob)
    return wrap70(body, label: "SSH SIGNATURE")
}

/// SHA-256 via the library's envelope digest (hex → bytes).
func sha256(_ data: Data) -> [UInt8] { hex(try! sha256Hex(data)) }
