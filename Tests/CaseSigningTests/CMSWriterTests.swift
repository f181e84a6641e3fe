@testable import CaseSigning
import Foundation
import SwiftASN1
import Testing
import X509

/// `sign --cms`: the detached CMS SignedData webjcase writes reads back with its own verifier,
/// with the fields RFC 5652 and the card software put there.
@Suite struct CMSWriterTests {
    let form = Data("kind: \"annex-1\"\norganization: \"12345678\"\nsignedAt: 2026-03-02T09:00:00+08:00\n".utf8)

    func chain(_ pki: CMSSignatureTests.PKI) throws -> CertificateChain {
        try CertificateChain(der: [pki.leaf, pki.xca.certificate].map { Data(try $0.derBytes) })
    }

    @Test(arguments: [true, false])
    func whatIsWrittenVerifies(rsa: Bool) async throws {
        let pki = try CMSSignatureTests.PKI(key: rsa ? try CertificateKey.generateRSA(bits: 2048) : .generateP256())
        let time = CMSSignatureTests.date(2026, 3, 2)
        let der = try CMSSignature.sign(document: form, signer: .certificateKey(pki.key), chain: try chain(pki), signingTime: time)
        let cms = try CMSSignature(der: der)
        #expect(cms.signingTime == time)
        #expect(cms.chain == (try chain(pki)))
        let verdict = try await cms.verify(document: form, signedAt: time, trust: pki.trust)
        #expect(try verdict.requireVerified().certificate?.organizationID == "12345678")
        #expect(throws: SigningError(.digestMismatch)) { try cms.checkSignature(document: form + Data(" ".utf8)) }

        // ContentInfo { signedData, [0] SignedData { 1, {sha256}, {id-data} without content, [0] certificates, {SignerInfo} } }
        let root = try DER.parse(Array(der))
        guard case .constructed(let outer) = root.content, case .constructed(let wrapped) = Array(outer)[1].content,
              case .constructed(let signedData) = Array(wrapped)[0].content else { Issue.record("not constructed"); return }
        let fields = Array(signedData)
        #expect(fields.count == 5)
        #expect(try Int(derEncoded: fields[0]) == 1)
        guard case .constructed(let encapsulated) = fields[2].content else { Issue.record("encapContentInfo"); return }
        #expect(Array(encapsulated).count == 1, "detached: no eContent")
        guard case .constructed(let signers) = fields[4].content, case .constructed(let info) = Array(signers)[0].content else {
            Issue.record("signerInfos"); return
        }
        let signerInfo = Array(info)
        #expect(try Int(derEncoded: signerInfo[0]) == 1)
        #expect(signerInfo[1].identifier == .sequence, "issuerAndSerialNumber")
        // The signed attributes in DER order: each encoding no greater than the next.
        guard case .constructed(let attributes) = signerInfo[3].content else { Issue.record("signedAttrs"); return }
        let encodings = Array(attributes).map { Array($0.encodedBytes) }
        #expect(encodings.count == 3)
        #expect(encodings == encodings.sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func onlyTheCertificatesKeySignsAndNotEd25519() throws {
        let pki = try CMSSignatureTests.PKI(key: .generateP256())
        let time = CMSSignatureTests.date(2026, 3, 2)
        #expect(throws: SigningError(.badSignature)) {
            try CMSSignature.sign(document: form, signer: .certificateKey(.generateP256()), chain: try chain(pki), signingTime: time)
        }
        #expect(throws: SigningError(.badSignature)) {
            try CMSSignature.sign(document: form, signer: .ed25519(SigningKey.generate()), chain: try chain(pki), signingTime: time)
        }
    }
}
