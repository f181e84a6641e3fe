import CaseModel
@testable import CaseSigning
import Foundation
import SwiftASN1
import Testing
import X509

let documentType = "application/vnd.webjcase.document+yaml"

@Suite struct TestPKITests {
    @Test func makeWritesAUsablePKI() async throws {
        try await withTemporaryDirectoryAsync { dir in
            let out = try TestPKI.make(at: dir, organizations: [
                .init(id: "12345678", name: "臺南市測試協會", keyType: .rsa2048),
                .init(id: "23456789", name: "Test Association", keyType: .p256),
            ], staff: [.init(name: "clerk1")])

            // Keys are 0600, the root is a test root.
            for issued in Array(out.organizations.values) + Array(out.staff.values) {
                let mode = try FileManager.default.attributesOfItem(atPath: issued.key.path)[.posixPermissions] as? Int
                #expect(mode == 0o600)
            }
            let rootPEM = try String(contentsOf: out.rootCertificate, encoding: .utf8)
            #expect(TestPKI.isTestRoot(certificatePEM: rootPEM))
            #expect(rootPEM.contains("BEGIN CERTIFICATE"))

            let trust = try CertificateTrust.load(trustDirectory: dir.appendingPathComponent("trust"), production: false)
            #expect(trust.revocationLists.count == 2)
            #expect(throws: SigningError(.testRootInProduction)) {
                try CertificateTrust.load(trustDirectory: dir.appendingPathComponent("trust"), production: true)
            }
            #expect(throws: SigningError(.testRootInProduction)) {
                try CertificateTrust.load(trustDirectory: dir.appendingPathComponent("trust"), mode: .production)
            }
            _ = try CertificateTrust.load(trustDirectory: dir.appendingPathComponent("trust"), mode: .test)

            let march = ISO8601DateFormatter().date(from: "2026-03-01T10:00:00Z")!
            for (id, issued) in out.organizations {
                let key = try CertificateKey.load(path: issued.key.path)
                let chain = try CertificateChain(pem: String(contentsOf: issued.chain, encoding: .utf8))
                #expect(chain.count == 2)
                #expect(key.publicKey.fingerprint == issued.keyID)
                let document = Data("kind: annex-1\norganization: \"\(id)\"\nsignedAt: 2026-03-01T10:00:00Z\n".utf8)
                let envelope = try SignatureEnvelope.sign(document: document, payloadType: documentType, signer: .certificateKey(key), chain: chain)
                let decoded = try SignatureEnvelope(decoding: envelope.encoded())
                let verdict = try await decoded.verifyApplicant(document: document, payloadType: documentType, signedAt: march, organization: id, trust: trust)
                let certificate = try #require(try verdict.requireVerified().certificate)
                #expect(certificate.organizationID == id)
                #expect(TestPKI.isTestRoot(certificatePEM: rootPEM) && certificate.rootSubject.contains("TEST ROOT"))
                // Another organization's id: refused with its own code.
                await #expect(throws: SigningError(.organizationMismatch)) {
                    try await decoded.verifyApplicant(document: document, payloadType: documentType, signedAt: march, organization: "00000000", trust: trust)
                }
            }
            // Staff certificates verify as certificates, but are not applicants.
            let clerk = try #require(out.staff["clerk1"])
            let key = try CertificateKey.load(path: clerk.key.path)
            let chain = try CertificateChain(pem: String(contentsOf: clerk.chain, encoding: .utf8))
            let document = Data("kind: attestation\n".utf8)
            let envelope = try SignatureEnvelope.sign(document: document, payloadType: documentType, signer: .certificateKey(key), chain: chain)
            let verdicts = try await envelope.verify(document: document, payloadType: documentType, signedAt: march, trust: trust)
            #expect(verdicts.count == 1)
            #expect(verdicts[0].certificate.organizationID == nil)
            await #expect(throws: SigningError(.notXCAIssuer)) {
                try await envelope.verifyApplicant(document: document, payloadType: documentType, signedAt: march, organization: "12345678", trust: trust)
            }
        }
    }

    @Test func leafFactsNameTheCertificateAndItsValidityWindow() throws {
        try withTemporaryDirectory { dir in
            let out = try TestPKI.make(at: dir, organizations: [.init(id: "2.16.886.111.100001.1.2", name: "臺南市測試協會", keyType: .p256)],
                                       staff: [.init(name: "clerk1")])
            let issued = try #require(out.organizations["2.16.886.111.100001.1.2"])
            let chain = try CertificateChain(pem: String(contentsOf: issued.chain, encoding: .utf8))
            let facts = chain.leafFacts()
            let leaf = try Certificate(pemEncoded: String(contentsOf: issued.certificate, encoding: .utf8))
            #expect(facts.organizationID == "2.16.886.111.100001.1.2")
            #expect(facts.subject == leaf.subject.description && facts.subject.contains("臺南市測試協會"))
            #expect(facts.issuer == leaf.issuer.description && facts.issuer.contains("組織及團體憑證管理中心"))
            #expect(facts.serialNumber == Array(leaf.serialNumber.bytes).hexString && facts.serialNumber.count == 32)
            #expect(facts.notBefore == TestPKI.Validity.standard.notBefore && facts.notAfter == TestPKI.Validity.standard.notAfter)
            // Both ends of the window count; a second outside does not.
            #expect(facts.isValid(at: facts.notBefore) && facts.isValid(at: facts.notAfter))
            #expect(!facts.isValid(at: facts.notBefore.addingTimeInterval(-1)) && !facts.isValid(at: facts.notAfter.addingTimeInterval(1)))
            // Another attribute, or a staff certificate: no organization id.
            #expect(chain.leafFacts(organizationIDAttribute: "2.16.886.1.100.2.1").organizationID == nil)
            let clerk = try #require(out.staff["clerk1"])
            #expect(try CertificateChain(pem: String(contentsOf: clerk.chain, encoding: .utf8)).leafFacts().organizationID == nil)
        }
    }

    /// A later certificate of the same XCA with its own validity, and the XCA's list
    /// rewritten to revoke one: judged as such against the PKI's trust, the others unaffected.
    @Test func moreCertificatesAndRevocationsForAMadePKI() async throws {
        try await withTemporaryDirectoryAsync { dir in
            func date(_ year: Int, _ month: Int, _ day: Int) -> Date {
                X509Time.date(year: year, month: month, day: day, hours: 0, minutes: 0, seconds: 0)
            }
            let organization = TestPKI.Organization(id: "12345678", name: "臺南市測試協會", keyType: .p256)
            let out = try TestPKI.make(at: dir, organizations: [organization], staff: [])
            let later = try TestPKI.issueOrganization(organization, stem: "12345678-later",
                                                      validity: .init(notBefore: date(2026, 6, 1), notAfter: date(2027, 1, 1)), at: dir)
            let revoked = try TestPKI.issueOrganization(organization, stem: "12345678-revoked", validity: .standard, at: dir)
            #expect(later.chain.lastPathComponent == "12345678-later.chain.pem")
            #expect(throws: SigningError.self) {
                try TestPKI.issueOrganization(organization, stem: "../escape", validity: .standard, at: dir)
            }
            try TestPKI.revokeOrganizations([(revoked.certificate, date(2026, 2, 1))], thisUpdate: date(2026, 2, 1),
                                            nextUpdate: date(2027, 1, 1), at: dir)
            let trust = try CertificateTrust.load(trustDirectory: dir.appendingPathComponent("trust"), mode: .test)
            func verify(_ issued: TestPKI.Issued, at time: Date) async throws -> CertificateVerdict {
                let document = Data("kind: annex-1\norganization: \"12345678\"\n".utf8)
                let chain = try CertificateChain(pem: String(contentsOf: issued.chain, encoding: .utf8))
                let envelope = try SignatureEnvelope.sign(document: document, payloadType: documentType,
                                                          signer: .certificateKey(try CertificateKey.load(path: issued.key.path)), chain: chain)
                return try await envelope.verifyApplicant(document: document, payloadType: documentType, signedAt: time,
                                                          organization: "12345678", trust: trust)
            }
            let own = try #require(out.organizations["12345678"])
            #expect(try await verify(own, at: date(2026, 3, 1)).requireVerified().certificate?.organizationID == "12345678")
            #expect(try await verify(later, at: date(2026, 7, 1)).requireVerified().certificate?.organizationID == "12345678")
            await #expect(throws: SigningError(.notYetValid)) { try await verify(later, at: date(2026, 3, 1)) }
            await #expect(throws: SigningError(.revoked)) { try await verify(revoked, at: date(2026, 3, 1)) }
            if case .revokedAfterSigning(let at, _) = try await verify(revoked, at: date(2026, 1, 15)) {
                #expect(at == date(2026, 2, 1))
            } else {
                Issue.record("signed before its revocation, the certificate is judged revoked after signing")
            }
        }
    }

    @Test func crlSignedByAnotherKeyWithTheSameNameIsIgnored() async throws {
        let validity = TestPKI.Validity.standard
        let root = try TestPKI.Authority.root(key: .generateP256(), validity: validity)
        let xca = try root.issueCA(subject: XCAIdentity.issuerName, key: .generateP256(), validity: validity)
        let impostorRoot = try TestPKI.Authority.root(key: .generateP256(), validity: validity)
        let impostor = try impostorRoot.issueCA(subject: XCAIdentity.issuerName, key: .generateP256(), validity: validity)
        let key = CertificateKey.generateP256()
        let leaf = try xca.issueLeaf(subject: [.init(oid: "2.5.4.3", value: "org")], key: key, validity: validity, organizationID: "12345678")
        let january = X509Time.date(year: 2026, month: 1, day: 1, hours: 0, minutes: 0, seconds: 0)
        let march = X509Time.date(year: 2026, month: 3, day: 1, hours: 0, minutes: 0, seconds: 0)
        let forged = try impostor.crl(revoked: [(leaf, january)], thisUpdate: january, nextUpdate: march)
        let genuine = try xca.crl(revoked: [(leaf, january)], thisUpdate: january, nextUpdate: march)

        let chain = try CertificateChain(pem: TestPKI.pem(leaf) + xca.pem)
        let document = Data("x\n".utf8)
        let envelope = try SignatureEnvelope.sign(document: document, payloadType: documentType, signer: .certificateKey(key), chain: chain)

        let withForged = try CertificateTrust(rootsPEM: [root.pem], crls: [forged], production: false)
        let verdicts = try await envelope.verify(document: document, payloadType: documentType, signedAt: march, trust: withForged)
        #expect(verdicts[0].verifiedSignature != nil)

        let withGenuine = try CertificateTrust(rootsPEM: [root.pem], crls: [forged, genuine], production: false)
        await #expect(throws: SigningError(.revoked)) {
            try await envelope.verify(document: document, payloadType: documentType, signedAt: march, trust: withGenuine)
        }
        // Tampering with the CRL's content breaks its signature: ignored as well.
        var tampered = [UInt8](genuine)
        tampered[tampered.count / 2] ^= 0x01
        if let list = try? CertificateRevocationList(data: Data(tampered)) {
            #expect(!list.isIssued(by: xca.certificate))
        }
    }

    /// A chain is validated once per window of signing times: documents signed by one
    /// certificate at other times inside its validity and before its revocation reuse the
    /// verdict; a time outside the window is judged again, and refused as before.
    @Test func aChainIsValidatedOncePerWindowOfSigningTimes() async throws {
        func date(_ year: Int, _ month: Int, _ day: Int) -> Date {
            X509Time.date(year: year, month: month, day: day, hours: 0, minutes: 0, seconds: 0)
        }
        let validity = TestPKI.Validity(notBefore: date(2026, 1, 1), notAfter: date(2027, 1, 1))
        let root = try TestPKI.Authority.root(key: .generateP256(), validity: .standard)
        let xca = try root.issueCA(subject: XCAIdentity.issuerName, key: .generateP256(), validity: .standard)
        let key = CertificateKey.generateP256()
        let leaf = try xca.issueLeaf(subject: [.init(oid: "2.5.4.3", value: "org")], key: key, validity: validity, organizationID: "12345678")
        let revoked = date(2026, 9, 1)
        let crl = try xca.crl(revoked: [(leaf, revoked)], thisUpdate: revoked, nextUpdate: date(2026, 12, 1))
        let trust = try CertificateTrust(rootsPEM: [root.pem], crls: [crl], production: false)
        let chain = try CertificateChain(pem: TestPKI.pem(leaf) + xca.pem)
        func verify(_ text: String, at time: Date) async throws -> CertificateVerdict {
            let document = Data(text.utf8)
            let envelope = try SignatureEnvelope.sign(document: document, payloadType: documentType, signer: .certificateKey(key), chain: chain)
            return try await envelope.verify(document: document, payloadType: documentType, signedAt: time, trust: trust)[0]
        }

        for (index, month) in [3, 4, 8].enumerated() {
            let verdict = try await verify("form \(month)\n", at: date(2026, month, 15))
            if case .revokedAfterSigning(let at, _) = verdict {
                #expect(at == revoked, "revoked since: a receipt from before must cover it")
            } else {
                Issue.record("signed before the revocation, judged \(verdict)")
            }
            #expect(verdict.certificate.judgedAt == date(2026, month, 15), "judged at its own signing time")
            #expect(trust.validatedChains.validations == 1, "document \(index + 1): the chain was validated once")
        }
        await #expect(throws: SigningError(.revoked)) { try await verify("at the revocation\n", at: revoked) }
        await #expect(throws: SigningError(.revoked)) { try await verify("after it\n", at: date(2026, 10, 1)) }
        await #expect(throws: SigningError(.notYetValid)) { try await verify("too early\n", at: date(2025, 12, 31)) }
        // Another document under a cached chain's signature is refused as before.
        let document = Data("signed\n".utf8)
        let envelope = try SignatureEnvelope.sign(document: document, payloadType: documentType, signer: .certificateKey(key), chain: chain)
        await #expect(throws: SigningError(.digestMismatch)) {
            try await envelope.verify(document: Data("changed\n".utf8), payloadType: documentType, signedAt: date(2026, 3, 15), trust: trust)
        }
        #expect(trust.validatedChains.validations == 1)
        // Another trust (other roots or CRLs) judges the chain afresh.
        let without = try CertificateTrust(rootsPEM: [root.pem], production: false)
        let later = try await envelope.verify(document: document, payloadType: documentType, signedAt: date(2026, 10, 1), trust: without)
        #expect(later[0].verifiedSignature != nil && without.validatedChains.validations == 1)
    }

    @Test func malformedCRLIsRefused() {
        #expect(throws: SigningError(.malformedCRL)) { try CertificateRevocationList(data: Data("not a crl".utf8)) }
        #expect(throws: SigningError(.malformedCRL)) { try CertificateTrust(rootsPEM: [], crls: [Data([0x30, 0x00])], production: false) }
    }

    @Test func envelopeWithoutChainIsMissingCertificate() async throws {
        let document = Data("x\n".utf8)
        let envelope = try SignatureEnvelope.sign(document: document, payloadType: documentType, key: .generate())
        let trust = try CertificateTrust(rootsPEM: [], production: false)
        await #expect(throws: SigningError(.missingCertificate)) {
            try await envelope.verify(document: document, payloadType: documentType, signedAt: Date(), trust: trust)
        }
    }

    @Test func chainOfAnotherKeyIsRefusedWhenSigning() throws {
        let validity = TestPKI.Validity.standard
        let root = try TestPKI.Authority.root(key: .generateP256(), validity: validity)
        let leaf = try root.issueLeaf(subject: [.init(oid: "2.5.4.3", value: "a")], key: .generateP256(), validity: validity, organizationID: nil)
        let chain = try CertificateChain(pem: TestPKI.pem(leaf))
        #expect(throws: SigningError(.malformedCertificate)) {
            try SignatureEnvelope.sign(document: Data(), payloadType: documentType, signer: .certificateKey(.generateP256()), chain: chain)
        }
    }

    @Test(arguments: [ASN1Identifier.utf8String, .printableString, .ia5String])
    func organizationIDStringTypes(_ encoding: ASN1Identifier) throws {
        let validity = TestPKI.Validity.standard
        let root = try TestPKI.Authority.root(key: .generateP256(), validity: validity)
        let ext = try XCAIdentity.subjectDirectoryAttributes(attribute: XCAIdentity.organizationIDAttribute, value: "12345678", encoding: encoding)
        let cert = try root.sign(subject: XCAIdentity.distinguishedName([.init(oid: "2.5.4.3", value: "x")]),
                                 publicKey: CertificateKey.generateP256().certificatePrivateKey.publicKey, validity: validity,
                                 extensions: Certificate.Extensions([ext]))
        #expect(try XCAIdentity.organizationID(certificatePEM: TestPKI.pem(cert)) == "12345678")
        // The attribute OID is a setting: another OID finds nothing.
        #expect(try XCAIdentity.organizationID(certificatePEM: TestPKI.pem(cert), attribute: "1.2.3.4") == nil)
    }

    @Test func organizationIDInBMPStringIsRefused() throws {
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                try coder.serialize(try ASN1ObjectIdentifier(dotRepresentation: XCAIdentity.organizationIDAttribute))
                try coder.appendConstructedNode(identifier: .set) { coder in
                    try coder.serialize(ASN1BMPString(contentBytes: [0, 0x31, 0, 0x32]))
                }
            }
        }
        let ext = Certificate.Extension(oid: [2, 5, 29, 9], critical: false, value: coder.serializedBytes[...])
        let validity = TestPKI.Validity.standard
        let root = try TestPKI.Authority.root(key: .generateP256(), validity: validity)
        let cert = try root.sign(subject: XCAIdentity.distinguishedName([.init(oid: "2.5.4.3", value: "x")]),
                                 publicKey: CertificateKey.generateP256().certificatePrivateKey.publicKey, validity: validity,
                                 extensions: Certificate.Extensions([ext]))
        #expect(throws: SigningError(.malformedCertificate)) { try XCAIdentity.organizationID(certificatePEM: TestPKI.pem(cert)) }
    }

    @Test func crlTimesRoundTripBeyond2049() throws {
        let root = try TestPKI.Authority.root(key: .generateP256(), validity: .standard)
        let late = X509Time.date(year: 2051, month: 6, day: 30, hours: 12, minutes: 34, seconds: 56)
        let early = X509Time.date(year: 2026, month: 2, day: 28, hours: 23, minutes: 59, seconds: 59)
        let crl = try CertificateRevocationList(data: root.crl(revoked: [], thisUpdate: early, nextUpdate: late))
        #expect(crl.thisUpdate == early)
        #expect(crl.nextUpdate == late)
        #expect(crl.isIssued(by: root.certificate))
        #expect(X509Time.date(year: 1970, month: 1, day: 1, hours: 0, minutes: 0, seconds: 0) == Date(timeIntervalSince1970: 0))
    }
}

func withTemporaryDirectoryAsync<T>(_ body: (URL) async throws -> T) async throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("casesigning-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    defer { try? FileManager.default.removeItem(at: dir) }
    return try await body(dir)
}
