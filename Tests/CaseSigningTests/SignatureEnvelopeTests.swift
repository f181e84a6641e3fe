import CaseSigning
import Foundation
import Testing

struct SignatureEnvelopeTests {
    let document = Data("id: case-001\ntitle: Example\nstatus: open\n".utf8)
    let type = "application/vnd.webjcase.document+yaml"

    func keys(_ signing: SigningKey...) -> [String: SSHPublicKey] {
        Dictionary(uniqueKeysWithValues: signing.map { ($0.publicKey.fingerprint, $0.publicKey) })
    }

    @Test func paeMatchesDSSESpecExample() {
        let pae = SignatureEnvelope.pae(payloadType: "http://example.com/HelloWorld", body: Data("hello world".utf8))
        #expect(pae == Data("DSSEv1 29 http://example.com/HelloWorld 11 hello world".utf8))
        #expect(SignatureEnvelope.pae(payloadType: "", body: Data()) == Data("DSSEv1 0  0 ".utf8))
    }

    @Test func signAndVerifyRoundTrip() throws {
        let key = SigningKey.generate()
        let envelope = try SignatureEnvelope.sign(document: document, payloadType: type, key: key)
        #expect(envelope.payloadType == type)
        #expect(envelope.payloadSHA256.count == 64)
        #expect(envelope.signatures.count == 1)
        #expect(envelope.signatures[0].keyid == key.publicKey.fingerprint)
        #expect(envelope.signatures[0].chain == nil)

        let decoded = try SignatureEnvelope(decoding: envelope.encoded())
        #expect(decoded == envelope)
        let verified = try decoded.verify(document: document, payloadType: type, keys: keys(key))
        #expect(verified.map(\.keyID) == [key.publicKey.fingerprint])
        #expect(verified.first?.publicKey == key.publicKey)
    }

    @Test func encodingIsDeterministicSortedPrettyWithNewline() throws {
        let key = SigningKey.generate()
        let envelope = try SignatureEnvelope.sign(document: document, payloadType: type, key: key)
        let json = String(decoding: envelope.encoded(), as: UTF8.self)
        #expect(envelope.encoded() == envelope.encoded())
        #expect(json.hasSuffix("}\n"))
        #expect(json.contains("\n  \"payloadSHA256\""))
        #expect(json.contains("application/vnd.webjcase.document+yaml"))
        let order = ["\"payloadSHA256\"", "\"payloadType\"", "\"signatures\""].map { json.range(of: $0)!.lowerBound }
        #expect(order == order.sorted())
        #expect(json.range(of: "\"keyid\"")!.lowerBound < json.range(of: "\"sig\"")!.lowerBound)
        #expect(!json.contains("chain"))
        // The digest is the plain lowercase-hex SHA-256 of the document (FIPS 180-2 "abc" vector).
        let abc = try SignatureEnvelope.sign(document: Data("abc".utf8), payloadType: type, key: key)
        #expect(abc.payloadSHA256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func changedDocumentByteFails() throws {
        let key = SigningKey.generate()
        let envelope = try SignatureEnvelope.sign(document: document, payloadType: type, key: key)
        var changed = document
        changed[3] ^= 0x01
        #expect(throws: SigningError(.digestMismatch)) {
            try envelope.verify(document: changed, payloadType: type, keys: keys(key))
        }
        // Even with the digest field updated to match, the signature itself fails.
        var forged = envelope
        forged.payloadSHA256 = try sha256Hex(changed)
        #expect(throws: SigningError(.badSignature)) {
            try forged.verify(document: changed, payloadType: type, keys: keys(key))
        }
    }

    @Test func payloadTypeMismatchFailsFirst() throws {
        let key = SigningKey.generate()
        let envelope = try SignatureEnvelope.sign(document: document, payloadType: type, key: key)
        #expect(throws: SigningError(.payloadTypeMismatch)) {
            try envelope.verify(document: Data("other".utf8), payloadType: "text/plain", keys: keys(key))
        }
        // Relabelling the envelope does not help: the type is bound into the signature by PAE.
        var relabelled = envelope
        relabelled.payloadType = "text/plain"
        #expect(throws: SigningError(.badSignature)) {
            try relabelled.verify(document: document, payloadType: "text/plain", keys: keys(key))
        }
    }

    @Test func signatureByUnknownKeyIsReported() throws {
        let known = SigningKey.generate(), stranger = SigningKey.generate()
        let envelope = try SignatureEnvelope.sign(document: document, payloadType: type, key: stranger)
        #expect(throws: SigningError(.unknownKey)) {
            try envelope.verify(document: document, payloadType: type, keys: keys(known))
        }
        #expect(throws: SigningError(.unknownKey)) {
            try envelope.verify(document: document, payloadType: type, keys: [:])
        }
        // An unknown co-signer is ignored when a known key verifies.
        var cosigned = try SignatureEnvelope.sign(document: document, payloadType: type, key: known)
        try cosigned.addSignature(document: document, key: stranger)
        #expect(try cosigned.verify(document: document, payloadType: type, keys: keys(known)).map(\.publicKey) == [known.publicKey])
    }

    @Test func corruptedSignatureByKnownKeyFailsWholeEnvelope() throws {
        let a = SigningKey.generate(), b = SigningKey.generate()
        var envelope = try SignatureEnvelope.sign(document: document, payloadType: type, key: a)
        try envelope.addSignature(document: document, key: b)
        var sig = Data(base64Encoded: envelope.signatures[1].sig)!
        sig[10] ^= 0x80
        envelope.signatures[1].sig = sig.base64EncodedString()
        #expect(throws: SigningError(.badSignature)) {
            try envelope.verify(document: document, payloadType: type, keys: keys(a, b))
        }
        // Known key a alone still verifies when b is not trusted.
        #expect(try envelope.verify(document: document, payloadType: type, keys: keys(a)).count == 1)
        // A keyid whose signature was made by another key also fails.
        var swapped = try SignatureEnvelope.sign(document: document, payloadType: type, key: a)
        swapped.signatures[0].keyid = b.publicKey.fingerprint
        #expect(throws: SigningError(.badSignature)) {
            try swapped.verify(document: document, payloadType: type, keys: keys(a, b))
        }
    }

    @Test func keysAreMatchedByComputedFingerprintNotDictionaryKey() throws {
        let a = SigningKey.generate(), b = SigningKey.generate()
        let envelope = try SignatureEnvelope.sign(document: document, payloadType: type, key: a)
        // A dictionary that mislabels b as a's fingerprint must not make b "verify" a's entry.
        #expect(throws: SigningError(.unknownKey)) {
            try envelope.verify(document: document, payloadType: type, keys: [a.publicKey.fingerprint: b.publicKey])
        }
    }

    @Test func coSigningGivesTwoVerifiedSignatures() throws {
        let a = SigningKey.generate(), b = SigningKey.generate()
        var envelope = try SignatureEnvelope.sign(document: document, payloadType: type, key: a)
        try envelope.addSignature(document: document, key: b)
        let decoded = try SignatureEnvelope(decoding: envelope.encoded())
        let verified = try decoded.verify(document: document, payloadType: type, keys: keys(a, b))
        #expect(verified.count == 2)
        #expect(Set(verified.map(\.publicKey)) == [a.publicKey, b.publicKey])
        #expect(Set(verified.map(\.keyID)) == [a.publicKey.fingerprint, b.publicKey.fingerprint])
    }

    @Test func sameKeyTwiceIsRefused() throws {
        let a = SigningKey.generate()
        var envelope = try SignatureEnvelope.sign(document: document, payloadType: type, key: a)
        #expect(throws: SigningError(.duplicateKey)) { try envelope.addSignature(document: document, key: a) }
        #expect(envelope.signatures.count == 1)
        // A hand-made duplicate entry cannot count one signer twice.
        envelope.signatures.append(envelope.signatures[0])
        #expect(throws: SigningError(.duplicateKey)) {
            try envelope.verify(document: document, payloadType: type, keys: keys(a))
        }
    }

    @Test func coSigningAnotherDocumentIsRefused() throws {
        let a = SigningKey.generate(), b = SigningKey.generate()
        var envelope = try SignatureEnvelope.sign(document: document, payloadType: type, key: a)
        #expect(throws: SigningError(.digestMismatch)) {
            try envelope.addSignature(document: Data("something else".utf8), key: b)
        }
    }

    @Test func emptySignatureListIsRefused() throws {
        let a = SigningKey.generate()
        var envelope = try SignatureEnvelope.sign(document: document, payloadType: type, key: a)
        envelope.signatures = []
        let decoded = try SignatureEnvelope(decoding: envelope.encoded())
        #expect(throws: SigningError(.noSignatures)) {
            try decoded.verify(document: document, payloadType: type, keys: keys(a))
        }
    }

    @Test func chainRoundTrips() throws {
        let a = SigningKey.generate()
        var envelope = try SignatureEnvelope.sign(document: document, payloadType: type, key: a)
        envelope.signatures[0].chain = ["MIIB", "MIIC"]
        #expect(try SignatureEnvelope(decoding: envelope.encoded()) == envelope)
    }

    @Test(arguments: [
        // unknown top-level field
        #"{"payloadSHA256":"\#(String(repeating: "a", count: 64))","payloadType":"t","signatures":[],"extra":1}"#,
        // unknown entry field
        #"{"payloadSHA256":"\#(String(repeating: "a", count: 64))","payloadType":"t","signatures":[{"keyid":"k","sig":"AAAA","note":"x"}]}"#,
        // missing fields
        #"{"payloadType":"t","signatures":[]}"#,
        #"{"payloadSHA256":"\#(String(repeating: "a", count: 64))","signatures":[]}"#,
        #"{"payloadSHA256":"\#(String(repeating: "a", count: 64))","payloadType":"t"}"#,
        #"{"payloadSHA256":"\#(String(repeating: "a", count: 64))","payloadType":"t","signatures":[{"sig":"AAAA"}]}"#,
        #"{"payloadSHA256":"\#(String(repeating: "a", count: 64))","payloadType":"t","signatures":[{"keyid":"k"}]}"#,
        // wrong types and values
        #"{"payloadSHA256":"\#(String(repeating: "A", count: 64))","payloadType":"t","signatures":[]}"#,
        #"{"payloadSHA256":"abc","payloadType":"t","signatures":[]}"#,
        #"{"payloadSHA256":"\#(String(repeating: "a", count: 64))","payloadType":"t","signatures":[{"keyid":"k","sig":"not base64!"}]}"#,
        #"{"payloadSHA256":"\#(String(repeating: "a", count: 64))","payloadType":1,"signatures":[]}"#,
        // duplicated fields (also when spelled with an escape)
        #"{"payloadSHA256":"\#(String(repeating: "a", count: 64))","payloadType":"a","payloadType":"b","signatures":[]}"#,
        #"{"payloadSHA256":"\#(String(repeating: "a", count: 64))","payloadType":"a","payload\u0054ype":"b","signatures":[]}"#,
        #"{"payloadSHA256":"\#(String(repeating: "a", count: 64))","payloadType":"t","signatures":[{"keyid":"k","sig":"AAAA","sig":"BBBB"}]}"#,
        // not JSON / not an object
        #"{"payloadSHA256":"#,
        "[]",
        "",
    ])
    func strictDecodingRefuses(_ json: String) {
        #expect(throws: SigningError(.malformedEnvelope)) { try SignatureEnvelope(decoding: Data(json.utf8)) }
    }

    /// Envelopes are read without JSONDecoder when they are plain JSON of the envelope's
    /// shape; whatever way an envelope is read, it is what the decoder reads.
    @Test(arguments: [
        // As this library writes them, with a chain and two signatures.
        "",
        // Compact, keys in another order, other white space.
        #"{"signatures":[{"sig":"AAAA","keyid":"k"}],"payloadType":"t","payloadSHA256":"\#(String(repeating: "a", count: 64))"}"#,
        " \r\n{ \"payloadSHA256\"\t:\"\(String(repeating: "b", count: 64))\" , \"payloadType\":\"t\",\"signatures\":[ ] }\n\n",
        #"{"payloadSHA256":"\#(String(repeating: "a", count: 64))","payloadType":"t","signatures":[{"keyid":"k","sig":"AAAA","chain":[]}]}"#,
        // Outside what the plain reader takes: escapes, text beyond ASCII, a null chain.
        #"{"payloadSHA256":"\#(String(repeating: "a", count: 64))","payloadType":"a\/b\u0041","signatures":[{"keyid":"k","sig":"AAAA"}]}"#,
        #"{"payloadSHA256":"\#(String(repeating: "a", count: 64))","payloadType":"類型","signatures":[{"keyid":"k","sig":"AAAA","chain":null}]}"#,
    ])
    func everyWayOfReadingAnEnvelopeAgreesWithTheDecoder(_ json: String) throws {
        var data = Data(json.utf8)
        if json.isEmpty {
            let a = SigningKey.generate(), b = SigningKey.generate()
            var envelope = try SignatureEnvelope.sign(document: document, payloadType: type, key: a)
            try envelope.addSignature(document: document, key: b)
            envelope.signatures[0].chain = ["MIIB", "MIIC"]
            data = envelope.encoded()
        }
        let decoded = try JSONDecoder().decode(SignatureEnvelope.self, from: data)
        #expect(try SignatureEnvelope(decoding: data) == decoded)
    }

    @Test func decodingAcceptsMinimalValidEnvelope() throws {
        let json = #"{"payloadSHA256":"\#(String(repeating: "a", count: 64))","payloadType":"t","signatures":[{"keyid":"k","sig":"AAAA"}]}"#
        let envelope = try SignatureEnvelope(decoding: Data(json.utf8))
        #expect(envelope.signatures == [.init(keyid: "k", sig: "AAAA")])
        // The same key names in different objects, and key-like text inside values, are not duplicates.
        let nested = #"{"payloadSHA256":"\#(String(repeating: "a", count: 64))","payloadType":"x\":y \"payloadType\":","signatures":[{"keyid":"k","sig":"AAAA"},{"keyid":"l","sig":"AAAA","chain":["MIIB"]}]}"#
        #expect(try SignatureEnvelope(decoding: Data(nested.utf8)).signatures.count == 2)
    }
}

/// Lowercase hex SHA-256 of `data`, as the library computes it for payloadSHA256.
func sha256Hex(_ data: Data) throws -> String {
    try SignatureEnvelope.sign(document: data, payloadType: "x", key: .generate()).payloadSHA256
}
