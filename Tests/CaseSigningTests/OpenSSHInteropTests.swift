import CaseSigning
import Foundation
import Testing

/// Interoperability with the real OpenSSH `ssh-keygen`.
@Suite(.enabled(if: hasSSHKeygen, "ssh-keygen is not installed"))
struct OpenSSHInteropTests {
    @Test func generatedKeyIsAcceptedBySSHKeygen() throws {
        try withTemporaryDirectory { dir in
            let key = SigningKey.generate()
            let keyURL = dir.appendingPathComponent("id_ed25519")
            let pubURL = dir.appendingPathComponent("id_ed25519.pub")
            try write(key.openSSHPrivateKey(comment: "alice@example"), to: keyURL, mode: 0o600)
            let line = key.publicKey.authorizedKeysLine(comment: "alice@example")
            try write(line + "\n", to: pubURL, mode: 0o644)

            let derived = try sshKeygen(["-y", "-f", keyURL.path], in: dir)
            #expect(derived.status == 0, "\(derived.stderr)")
            #expect(derived.stdout.hasPrefix("ssh-ed25519 "))
            #expect(keyField(derived.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == keyField(line))
            #expect(derived.stdout.trimmingCharacters(in: .newlines) == line)

            let listed = try sshKeygen(["-l", "-f", pubURL.path], in: dir)
            #expect(listed.status == 0, "\(listed.stderr)")
            let fields = listed.stdout.split(separator: " ")
            #expect(fields.count >= 2 && String(fields[1]) == key.publicKey.fingerprint, "\(listed.stdout)")
            // The private key file gives the same fingerprint too.
            let listedPrivate = try sshKeygen(["-l", "-f", keyURL.path], in: dir)
            #expect(listedPrivate.stdout.contains(key.publicKey.fingerprint))
        }
    }

    @Test func sshKeygenKeyLoadsAndRoundTripsByteForByte() throws {
        try withTemporaryDirectory { dir in
            let keyURL = dir.appendingPathComponent("k")
            let made = try sshKeygen(["-q", "-t", "ed25519", "-N", "", "-C", "bob@example", "-f", keyURL.path], in: dir)
            #expect(made.status == 0, "\(made.stderr)")
            let pubLine = try read(dir.appendingPathComponent("k.pub")).trimmingCharacters(in: .whitespacesAndNewlines)

            let key = try SigningKey.load(path: keyURL.path)
            #expect(key.publicKey == (try SSHPublicKey(authorizedKeysLine: pubLine)))
            #expect(key.publicKey.authorizedKeysLine(comment: "bob@example") == pubLine)
            let fromText = try SigningKey(openSSHPrivateKey: try read(keyURL))
            #expect(fromText.publicKey == key.publicKey)

            // Our writer produces ssh-keygen's file exactly, apart from the random check ints.
            let original = try read(keyURL)
            let ours = key.openSSHPrivateKey(comment: "bob@example")
            #expect(ours.split(separator: "\n").map(\.count) == original.split(separator: "\n").map(\.count))
            #expect(maskCheckInts(ours) == maskCheckInts(original))
            #expect(maskCheckInts(ours) != nil)
        }
    }

    @Test func encryptedKeyIsRefused() throws {
        try withTemporaryDirectory { dir in
            let keyURL = dir.appendingPathComponent("k")
            let made = try sshKeygen(["-q", "-t", "ed25519", "-N", "secret", "-f", keyURL.path], in: dir)
            #expect(made.status == 0, "\(made.stderr)")
            #expect(throws: SigningError(.encryptedPrivateKey)) { try SigningKey.load(path: keyURL.path) }
            #expect(throws: SigningError(.encryptedPrivateKey)) { try SigningKey(openSSHPrivateKey: try read(keyURL)) }
        }
    }

    @Test func groupOrWorldReadableKeyIsRefused() throws {
        try withTemporaryDirectory { dir in
            let keyURL = dir.appendingPathComponent("k")
            #expect(try sshKeygen(["-q", "-t", "ed25519", "-N", "", "-f", keyURL.path], in: dir).status == 0)
            for mode in [0o644, 0o640, 0o604, 0o660] {
                try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: keyURL.path)
                #expect(throws: SigningError(.privateKeyPermissions)) { try SigningKey.load(path: keyURL.path) }
            }
            for mode in [0o600, 0o400] {
                try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: keyURL.path)
                _ = try SigningKey.load(path: keyURL.path)
            }
        }
    }

    @Test func ourSSHSIGVerifiesWithSSHKeygen() throws {
        try withTemporaryDirectory { dir in
            let key = SigningKey.generate()
            let message = Data("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@b> 0 +0000\n\nsigned commit\n".utf8)
            let msgURL = dir.appendingPathComponent("msg")
            let sigURL = dir.appendingPathComponent("msg.sig")
            let signersURL = dir.appendingPathComponent("allowed_signers")
            try message.write(to: msgURL)
            try write(try SSHSignature.sign(message, namespace: "git", key: key), to: sigURL, mode: 0o644)
            try write("principal namespaces=\"git\" \(key.publicKey.authorizedKeysLine(comment: nil))\n", to: signersURL, mode: 0o644)

            let ok = try sshKeygen(["-Y", "verify", "-f", signersURL.path, "-I", "principal", "-n", "git", "-s", sigURL.path], stdinFile: msgURL, in: dir)
            #expect(ok.status == 0, "\(ok.stdout) \(ok.stderr)")
            #expect(ok.stdout.contains("Good \"git\" signature for principal"), "\(ok.stdout)")

            let wrongNamespace = try sshKeygen(["-Y", "verify", "-f", signersURL.path, "-I", "principal", "-n", "file", "-s", sigURL.path], stdinFile: msgURL, in: dir)
            #expect(wrongNamespace.status != 0)

            var tampered = message
            tampered[0] ^= 0x01
            try tampered.write(to: msgURL)
            let bad = try sshKeygen(["-Y", "verify", "-f", signersURL.path, "-I", "principal", "-n", "git", "-s", sigURL.path], stdinFile: msgURL, in: dir)
            #expect(bad.status != 0)
        }
    }

    @Test func sshKeygenSSHSIGVerifiesWithUsAndMatchesOurs() throws {
        try withTemporaryDirectory { dir in
            let keyURL = dir.appendingPathComponent("k")
            #expect(try sshKeygen(["-q", "-t", "ed25519", "-N", "", "-f", keyURL.path], in: dir).status == 0)
            let key = try SigningKey.load(path: keyURL.path)
            let message = Data("hello from ssh-keygen\n".utf8)
            let msgURL = dir.appendingPathComponent("msg")
            try message.write(to: msgURL)
            let signed = try sshKeygen(["-Y", "sign", "-n", "git", "-f", keyURL.path, msgURL.path], in: dir)
            #expect(signed.status == 0, "\(signed.stderr)")
            let armored = try read(dir.appendingPathComponent("msg.sig"))

            let signer = try SSHSignature.verify(armored: armored, message: message, namespace: "git")
            #expect(signer == key.publicKey)
            // Ed25519 is deterministic, so our armored output is byte-identical to ssh-keygen's.
            #expect(try SSHSignature.sign(message, namespace: "git", key: key) == armored)

            #expect(throws: SigningError(.namespaceMismatch)) {
                try SSHSignature.verify(armored: armored, message: message, namespace: "file")
            }
            var tampered = message
            tampered[tampered.count - 2] ^= 0x20
            #expect(throws: SigningError(.badSignature)) {
                try SSHSignature.verify(armored: armored, message: tampered, namespace: "git")
            }
        }
    }
}

/// The decoded private key body with the two check ints zeroed (nil if it is not an unencrypted OpenSSH key).
private func maskCheckInts(_ text: String) -> [UInt8]? {
    let lines = text.split(separator: "\n").map(String.init)
    guard lines.first == "-----BEGIN OPENSSH PRIVATE KEY-----", lines.last == "-----END OPENSSH PRIVATE KEY-----",
          let data = Data(base64Encoded: lines.dropFirst().dropLast().joined()) else { return nil }
    var bytes = Array(data)
    // magic(15) + "none"(8) + "none"(8) + ""(4) + count(4) + pubblob(4+51) + section length(4)
    let checkOffset = 15 + 8 + 8 + 4 + 4 + 4 + 51 + 4
    guard bytes.count > checkOffset + 8 else { return nil }
    for i in checkOffset..<checkOffset + 8 { bytes[i] = 0 }
    return bytes
}
