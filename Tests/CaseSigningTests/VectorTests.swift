import CaseSigning
import Foundation
import Testing

/// The committed test vectors (`Vectors/vectors.json`): each case's verdict, through the public API only.
struct VectorTests {
    struct Manifest: Decodable {
        struct Trust: Decodable {
            var roots: [String]
            var crls: [String]
        }
        struct Case: Decodable, CustomTestStringConvertible, Sendable {
            var id: String
            var description: String
            var mode: String
            var document: String
            var envelope: String
            var signedAt: String
            var organization: String?
            var production: Bool
            var expected: String
            var keys: String?
            var revokedAt: String?
            var sameDocumentAs: String?
            var testDescription: String { id }
        }
        var payloadType: String
        var trust: Trust
        var cases: [Case]
    }

    static let directory: URL = Bundle.module.resourceURL!.appendingPathComponent("Vectors", isDirectory: true)

    static func data(_ path: String) throws -> Data { try Data(contentsOf: directory.appendingPathComponent(path)) }

    static let manifest: Manifest = {
        // A missing or malformed manifest is a broken test bundle: fail loudly.
        try! JSONDecoder().decode(Manifest.self, from: data("vectors.json"))
    }()

    static func trust(production: Bool) throws -> CertificateTrust {
        try CertificateTrust(
            rootsPEM: manifest.trust.roots.map { String(decoding: try data($0), as: UTF8.self) },
            crls: manifest.trust.crls.map { try data($0) },
            production: production)
    }

    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    /// The verdict of one case: "verified", "revokedAfterSigning" or the SigningError code.
    static func verdict(_ c: Manifest.Case) async -> String {
        do {
            let document = try data(c.document)
            let envelope = try SignatureEnvelope(decoding: data(c.envelope))
            let signedAt = date(c.signedAt)
            switch c.mode {
            case "keys":
                let key = try SSHPublicKey(authorizedKeysLine: String(decoding: try data(c.keys!), as: UTF8.self))
                _ = try envelope.verify(document: document, payloadType: manifest.payloadType, keys: [key.fingerprint: key])
                return "verified"
            case "applicant":
                let trust = try trust(production: c.production)
                let verdict = try await envelope.verifyApplicant(document: document, payloadType: manifest.payloadType, signedAt: signedAt,
                                                                 organization: c.organization!, trust: trust)
                return verdictName(verdict)
            default:
                let trust = try trust(production: c.production)
                let verdicts = try await envelope.verify(document: document, payloadType: manifest.payloadType, signedAt: signedAt, trust: trust)
                return verdictName(verdicts[0])
            }
        } catch let error as SigningError {
            if ProcessInfo.processInfo.environment["VECTOR_DEBUG"] != nil { print("VECTOR \(c.id): \(error)") }
            return error.code.rawValue
        } catch {
            return "unexpected: \(error)"
        }
    }

    static func verdictName(_ verdict: CertificateVerdict) -> String {
        switch verdict {
        case .verified: "verified"
        case .revokedAfterSigning: "revokedAfterSigning"
        }
    }

    @Test(arguments: manifest.cases)
    func verdictMatches(_ c: Manifest.Case) async {
        #expect(await Self.verdict(c) == c.expected, "\(c.id): \(c.description)")
    }

    @Test func vectorsCoverEveryRequiredCase() {
        let expected = Set(Self.manifest.cases.map(\.expected))
        for code in ["verified", "expiredAtSigningTime", "notYetValid", "wrongKeyUsage", "unknownRoot", "organizationMismatch",
                     "revoked", "revokedAfterSigning", "digestMismatch", "badSignature", "testRootInProduction", "notXCAIssuer", "notCA"] {
            #expect(expected.contains(code), "no vector expects \(code)")
        }
    }

    @Test func verifiedApplicantCarriesItsCertificate() async throws {
        let c = try #require(Self.manifest.cases.first { $0.id == "good-rsa" })
        let envelope = try SignatureEnvelope(decoding: Self.data(c.envelope))
        let verdict = try await envelope.verifyApplicant(document: Self.data(c.document), payloadType: Self.manifest.payloadType,
                                                         signedAt: Self.date(c.signedAt), organization: "12345678", trust: Self.trust(production: false))
        let signature = try verdict.requireVerified()
        let certificate = try #require(signature.certificate)
        #expect(certificate.organizationID == "12345678")
        #expect(certificate.issuedByXCA)
        #expect(certificate.fingerprint.hasPrefix("sha256:") && certificate.fingerprint.count == 71)
        #expect(certificate.notBefore == Self.date("2025-01-01T00:00:00Z"))
        #expect(certificate.notAfter == Self.date("2036-01-01T00:00:00Z"))
        #expect(signature.keyID == envelope.signatures[0].keyid)
        #expect(signature.publicKey.keyAlgorithm == .rsa)
    }

    @Test func revokedAfterSigningNamesTheRevocationAndDoesNotCount() async throws {
        let c = try #require(Self.manifest.cases.first { $0.id == "revoked-after-signing" })
        let envelope = try SignatureEnvelope(decoding: Self.data(c.envelope))
        let verdict = try await envelope.verifyApplicant(document: Self.data(c.document), payloadType: Self.manifest.payloadType,
                                                         signedAt: Self.date(c.signedAt), organization: c.organization!, trust: Self.trust(production: false))
        guard case .revokedAfterSigning(let at, let pending) = verdict else {
            Issue.record("expected revokedAfterSigning, got \(verdict)")
            return
        }
        #expect(at == Self.date(c.revokedAt!))
        #expect(pending.payloadSHA256 == envelope.payloadSHA256)
        #expect(verdict.verifiedSignature == nil)
        #expect(throws: SigningError(.revokedAfterSigning)) { try verdict.requireVerified() }
    }

    /// `s` → `n - s` gives different signature bytes that still verify; the document is identified by its payload digest.
    @Test func malleatedECDSAIsTheSameDocumentByDigest() async throws {
        let c = try #require(Self.manifest.cases.first { $0.id == "ecdsa-n-minus-s" })
        let original = try #require(Self.manifest.cases.first { $0.id == c.sameDocumentAs })
        let a = try SignatureEnvelope(decoding: Self.data(original.envelope))
        let b = try SignatureEnvelope(decoding: Self.data(c.envelope))
        #expect(a.signatures[0].sig != b.signatures[0].sig)
        #expect(a.signatures[0].keyid == b.signatures[0].keyid)
        #expect(a.payloadSHA256 == b.payloadSHA256)
        #expect(a.payloadSHA256 == Digest.sha256Hex(try Self.data(c.document)))
        // Both verify: a replay check keyed on signature bytes would miss that this is the same signed document.
        #expect(await Self.verdict(c) == "verified")
        #expect(await Self.verdict(original) == "verified")
    }

    @Test func vectorCRLsParse() throws {
        for path in Self.manifest.trust.crls {
            _ = try CertificateRevocationList(data: Self.data(path))
        }
        let xca = try CertificateRevocationList(data: Self.data("trust/crl/test-xca.crl"))
        #expect(xca.revocations.count == 1)
        #expect(xca.revocations[0].revocationDate == Self.date("2026-02-01T00:00:00Z"))
        #expect(xca.nextUpdate == Self.date("2036-01-01T00:00:00Z"))
    }
}
