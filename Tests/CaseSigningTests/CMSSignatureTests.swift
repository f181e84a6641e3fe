import CaseModel
@testable import CaseSigning
import Foundation
import SwiftASN1
import Testing
@_spi(CMS) import X509

/// Detached CMS signatures (`<doc>.p7s`) are judged as envelope entries with a chain are:
/// the signature over the exact bytes, then the chain at the document's signing time.
@Suite struct CMSSignatureTests {
    static func date(_ year: Int, _ month: Int, _ day: Int) -> Date {
        X509Time.date(year: year, month: month, day: day, hours: 0, minutes: 0, seconds: 0)
    }

    struct PKI {
        let trust: CertificateTrust
        let xca: TestPKI.Authority
        let leaf: Certificate
        let key: CertificateKey

        init(key: CertificateKey, revokedAt: Date? = nil) throws {
            let root = try TestPKI.Authority.root(key: .generateP256(), validity: .standard)
            let xca = try root.issueCA(subject: XCAIdentity.issuerName, key: .generateP256(), validity: .standard)
            let leaf = try xca.issueLeaf(subject: [.init(oid: "2.5.4.3", value: "org")], key: key, validity: .standard, organizationID: "12345678")
            var crls: [Data] = []
            if let revokedAt { crls.append(try xca.crl(revoked: [(leaf, revokedAt)], thisUpdate: revokedAt, nextUpdate: date(2030, 1, 1))) }
            self.xca = xca
            self.leaf = leaf
            self.key = key
            trust = try CertificateTrust(rootsPEM: [root.pem], crls: crls, production: false)
        }

        func sign(_ document: Data, signingTime: Date? = nil, detached: Bool = true) throws -> Data {
            Data(try CMS.sign(document, signatureAlgorithm: key.certificateSignatureAlgorithm,
                              additionalIntermediateCertificates: [xca.certificate], certificate: leaf,
                              privateKey: key.certificatePrivateKey, signingTime: signingTime, detached: detached))
        }
    }

    let form = Data("kind: \"annex-1\"\norganization: \"12345678\"\nsignedAt: 2026-03-02T09:00:00+08:00\n".utf8)

    @Test(arguments: [true, false])
    func aGoodSignatureVerifiesWithItsCertificate(rsa: Bool) async throws {
        let pki = try PKI(key: rsa ? try CertificateKey.generateRSA(bits: 2048) : .generateP256())
        let time = Self.date(2026, 3, 2)
        for signingTime in [nil, time] {
            let cms = try CMSSignature(der: try pki.sign(form, signingTime: signingTime))
            #expect(cms.signingTime == signingTime)
            let verdict = try await cms.verify(document: form, signedAt: time, trust: pki.trust)
            let signature = try verdict.requireVerified()
            #expect(signature.certificate?.organizationID == "12345678")
            #expect(signature.certificate?.issuedByXCA == true)
            try verdict.certificate.checkApplicant(organization: "12345678")
            #expect(throws: SigningError(.organizationMismatch)) { try verdict.certificate.checkApplicant(organization: "87654321") }
        }
    }

    @Test func anotherDocumentIsRefused() async throws {
        let pki = try PKI(key: .generateP256())
        let changed = form + Data(" ".utf8)
        let withAttributes = try CMSSignature(der: try pki.sign(form, signingTime: Self.date(2026, 3, 2)))
        await #expect(throws: SigningError(.digestMismatch)) {
            _ = try await withAttributes.verify(document: changed, signedAt: Self.date(2026, 3, 2), trust: pki.trust)
        }
        let plain = try CMSSignature(der: try pki.sign(form))
        await #expect(throws: SigningError(.badSignature)) {
            _ = try await plain.verify(document: changed, signedAt: Self.date(2026, 3, 2), trust: pki.trust)
        }
    }

    @Test func theChainIsJudgedAtTheSigningTime() async throws {
        let pki = try PKI(key: .generateP256(), revokedAt: Self.date(2026, 6, 1))
        let cms = try CMSSignature(der: try pki.sign(form))
        await #expect(throws: SigningError(.revoked)) {
            _ = try await cms.verify(document: form, signedAt: Self.date(2026, 7, 1), trust: pki.trust)
        }
        let before = try await cms.verify(document: form, signedAt: Self.date(2026, 3, 2), trust: pki.trust)
        #expect(before.verifiedSignature == nil, "revoked since: a receipt from before must cover it")
        await #expect(throws: SigningError(.expiredAtSigningTime)) {
            _ = try await cms.verify(document: form, signedAt: Self.date(2040, 1, 1), trust: pki.trust)
        }
    }

    @Test func whatIsNotADetachedSignedDataIsRefused() throws {
        let pki = try PKI(key: .generateP256())
        #expect(throws: SigningError(.malformedCMS)) { try CMSSignature(der: Data("not a signature".utf8)) }
        #expect(throws: SigningError(.malformedCMS)) { try CMSSignature(der: try pki.sign(form, detached: false)) }
        let good = try pki.sign(form)
        #expect(throws: SigningError(.malformedCMS)) { try CMSSignature(der: good.prefix(good.count - 10)) }
    }
}
