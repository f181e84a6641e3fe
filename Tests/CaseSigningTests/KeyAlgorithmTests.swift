import CaseSigning
import Foundation
import Testing

let opensslPath = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/opt/homebrew/bin/openssl"]
    .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/openssl"
let hasOpenSSL = FileManager.default.isExecutableFile(atPath: opensslPath)

/// Runs a program in `directory`.
func run(_ path: String, _ arguments: [String], in directory: URL) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.currentDirectoryURL = directory
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
}

@Suite struct KeyAlgorithmTests {
    @Test func p256AndRSAEnvelopesRoundTrip() throws {
        let document = Data("kind: test\n".utf8)
        for key in [CertificateKey.generateP256(), try CertificateKey.generateRSA(bits: 2048), try CertificateKey.generateRSA(bits: 3072)] {
            let envelope = try SignatureEnvelope.sign(document: document, payloadType: documentType, signer: .certificateKey(key))
            let decoded = try SignatureEnvelope(decoding: envelope.encoded())
            let verified = try decoded.verify(document: document, payloadType: documentType, keys: ["x": key.publicKey])
            #expect(verified.map(\.keyID) == [key.publicKey.fingerprint])
            #expect(verified[0].certificate == nil)
            // The key survives its authorized_keys line and its PEM.
            let line = key.publicKey.authorizedKeysLine(comment: "c")
            #expect(try SSHPublicKey(authorizedKeysLine: line) == key.publicKey)
            #expect(try CertificateKey(pem: key.pemRepresentation).publicKey == key.publicKey)
            #expect(throws: SigningError(.digestMismatch)) {
                try decoded.verify(document: document + Data("x".utf8), payloadType: documentType, keys: ["x": key.publicKey])
            }
        }
        #expect(throws: SigningError(.keyTooSmall)) { try CertificateKey.generateRSA(bits: 1024) }
    }

    @Test func mixedSignersCoSign() throws {
        let document = Data("kind: test\n".utf8)
        let ed = SigningKey.generate(), p256 = CertificateKey.generateP256(), rsa = try CertificateKey.generateRSA()
        var envelope = try SignatureEnvelope.sign(document: document, payloadType: documentType, signer: .ed25519(ed))
        try envelope.addSignature(document: document, signer: .certificateKey(p256))
        try envelope.addSignature(document: document, signer: .certificateKey(rsa))
        let keys = [ed.publicKey, p256.publicKey, rsa.publicKey]
        let verified = try envelope.verify(document: document, payloadType: documentType, keys: Dictionary(uniqueKeysWithValues: keys.map { ($0.fingerprint, $0) }))
        #expect(Set(verified.map(\.publicKey.keyAlgorithm)) == [.ed25519, .ecdsaP256, .rsa])
        // A P-256 signature presented for an RSA key (or corrupted) fails the whole envelope.
        var swapped = envelope
        swapped.signatures[2].sig = envelope.signatures[1].sig
        #expect(throws: SigningError(.badSignature)) {
            try swapped.verify(document: document, payloadType: documentType, keys: [rsa.publicKey.fingerprint: rsa.publicKey])
        }
    }

    @Test(.enabled(if: hasSSHKeygen), arguments: [("ecdsa", "256"), ("rsa", "2048"), ("rsa", "3072")])
    func sshKeygenKeysHaveTheSameFingerprint(_ type: String, _ bits: String) throws {
        try withTemporaryDirectory { dir in
            let made = try sshKeygen(["-q", "-t", type, "-b", bits, "-N", "", "-C", "t", "-f", "k"], in: dir)
            try #require(made.status == 0, "\(made.stderr)")
            let key = try SSHPublicKey(authorizedKeysLine: read(dir.appendingPathComponent("k.pub")))
            let listed = try sshKeygen(["-l", "-E", "sha256", "-f", "k.pub"], in: dir)
            #expect(listed.stdout.split(separator: " ")[1] == Substring(key.fingerprint))
            #expect(key.authorizedKeysLine(comment: "t") + "\n" == (try read(dir.appendingPathComponent("k.pub"))))

            // ssh-keygen's SSHSIG (ecdsa-sha2-nistp256, rsa-sha2-512) verifies with us.
            try write("hello\n", to: dir.appendingPathComponent("msg"), mode: 0o644)
            let signed = try sshKeygen(["-Y", "sign", "-f", "k", "-n", "file", "msg"], in: dir)
            try #require(signed.status == 0, "\(signed.stderr)")
            let armored = try read(dir.appendingPathComponent("msg.sig"))
            #expect(try SSHSignature.verify(armored: armored, message: Data("hello\n".utf8), namespace: "file") == key)
            #expect(throws: SigningError(.badSignature)) {
                try SSHSignature.verify(armored: armored, message: Data("hellO\n".utf8), namespace: "file")
            }
        }
    }

    @Test(.enabled(if: hasSSHKeygen))
    func smallRSAKeyIsRefused() throws {
        try withTemporaryDirectory { dir in
            let made = try sshKeygen(["-q", "-t", "rsa", "-b", "1024", "-N", "", "-f", "k"], in: dir)
            try #require(made.status == 0, "\(made.stderr)")
            #expect(throws: SigningError(.keyTooSmall)) { try SSHPublicKey(authorizedKeysLine: read(dir.appendingPathComponent("k.pub"))) }
        }
    }

    /// OpenSSL's PEM keys (PKCS#8, SEC1, PKCS#1) load; our signatures verify with `openssl dgst`, and OpenSSL's with us.
    @Test(.enabled(if: hasOpenSSL), arguments: [
        ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "k.pem"],
        ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "k.pem"],
        ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "k.pem"],
        ["genrsa", "-traditional", "-out", "k.pem", "2048"],
    ])
    func opensslKeysInterop(_ generate: [String]) throws {
        try withTemporaryDirectory { dir in
            let made = try run(opensslPath, generate, in: dir)
            try #require(made.status == 0)
            let keyURL = dir.appendingPathComponent("k.pem")
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyURL.path)
            let key = try CertificateKey.load(path: keyURL.path)
            let document = Data("kind: interop\n".utf8)
            let message = SignatureEnvelope.pae(payloadType: documentType, body: document)
            try message.write(to: dir.appendingPathComponent("msg"))

            // Ours verified by OpenSSL.
            let envelope = try SignatureEnvelope.sign(document: document, payloadType: documentType, signer: .certificateKey(key))
            try Data(base64Encoded: envelope.signatures[0].sig)!.write(to: dir.appendingPathComponent("ours.sig"))
            let pub = try run(opensslPath, ["pkey", "-in", "k.pem", "-pubout", "-out", "pub.pem"], in: dir)
            #expect(pub.status == 0)
            let check = try run(opensslPath, ["dgst", "-sha256", "-verify", "pub.pem", "-signature", "ours.sig", "msg"], in: dir)
            #expect(check.status == 0, "\(check.stdout) \(check.stderr)")

            // OpenSSL's verified by us, in an envelope.
            let sign = try run(opensslPath, ["dgst", "-sha256", "-sign", "k.pem", "-out", "theirs.sig", "msg"], in: dir)
            #expect(sign.status == 0)
            let theirs = try Data(contentsOf: dir.appendingPathComponent("theirs.sig"))
            let foreign = SignatureEnvelope(payloadType: documentType, payloadSHA256: envelope.payloadSHA256,
                                            signatures: [.init(keyid: key.publicKey.fingerprint, sig: theirs.base64EncodedString())])
            #expect(try foreign.verify(document: document, payloadType: documentType, keys: ["k": key.publicKey]).count == 1)

            // World-readable key files are refused, as for SSH keys.
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyURL.path)
            #expect(throws: SigningError(.privateKeyPermissions)) { try CertificateKey.load(path: keyURL.path) }
        }
    }

    @Test(.enabled(if: hasOpenSSL))
    func opensslSmallAndEncryptedKeysAreRefused() throws {
        try withTemporaryDirectory { dir in
            let small = try run(opensslPath, ["genrsa", "-out", "small.pem", "1024"], in: dir)
            #expect(small.status == 0)
            #expect(throws: SigningError(.keyTooSmall)) { try CertificateKey(pem: read(dir.appendingPathComponent("small.pem"))) }
            let encrypted = try run(opensslPath, ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256", "-pass", "pass:x", "-out", "enc.pem"], in: dir)
            #expect(encrypted.status == 0)
            #expect(throws: SigningError(.encryptedPrivateKey)) { try CertificateKey(pem: read(dir.appendingPathComponent("enc.pem"))) }
            let p384 = try run(opensslPath, ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "p384.pem"], in: dir)
            #expect(p384.status == 0)
            #expect(throws: SigningError(.unsupportedKeyType)) { try CertificateKey(pem: read(dir.appendingPathComponent("p384.pem"))) }
        }
    }
}
