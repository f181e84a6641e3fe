import ArgumentParser
import CaseModel
import CaseYAML
import CaseSigning
import CaseStore
import Foundation

/// The options of `sign` that sign with a card through its PKCS#11 module.
struct CardOptions: ParsableArguments {
    @Option(name: .customLong("pkcs11"), help: "Signing with a card: the path of its PKCS#11 module (e.g. HiCOS PKCS#11's .so).")
    var module: String?
    @Option(help: "With --pkcs11: the slot id (as `pkcs11-tool --list-slots` shows it; default: the first slot holding a token).")
    var slot: UInt?
    @Option(name: .customLong("key-id"), help: "With --pkcs11: the CKA_ID of the signing key and its certificate, in hex (default 5349474e, \"SIGN\", as on the XCA's cards).")
    var keyID: String?
    @Option(name: .customLong("pin-file"), help: "With --pkcs11: a file only its owner can read (mode 0600) holding the PIN; without it the PIN is asked on the terminal.")
    var pinFile: String?
    @Option(name: .customLong("cert-chain"), help: "With --pkcs11: the issuing CAs' certificates (PEM), added after the token's certificate.")
    var certChain: String?

    /// The card options given without --pkcs11, if any.
    var strayOption: String? {
        guard module == nil else { return nil }
        if slot != nil { return "--slot" }
        if keyID != nil { return "--key-id" }
        if pinFile != nil { return "--pin-file" }
        if certChain != nil { return "--cert-chain" }
        return nil
    }

    /// Opens the card and returns a signer with the token's certificate chain; keep the card
    /// until the signing is done.
    func signer(language: Language) throws -> (signer: StepSigner, card: PKCS11Card) {
        guard let module else { throw CaseError(.optionInvalid, ["option": "--pkcs11", "value": "", "expected": "give the card's PKCS#11 module"]) }
        var id = PKCS11Card.defaultKeyID
        if let keyID {
            guard let bytes = Self.hexBytes(keyID) else {
                throw CaseError(.optionInvalid, ["option": "--key-id", "value": keyID, "expected": "the key's CKA_ID in hex, e.g. 5349474e"])
            }
            id = bytes
        }
        let pinFile = self.pinFile
        let card = try PKCS11Card(module: module, slot: slot, keyID: id) { token in
            if let pinFile { return try CardPIN.read(file: pinFile) }
            return try CardPIN.prompt(Message(.cardPINPrompt, ["token": token]).render(language))
        }
        let chain: CertificateChain
        do {
            let issuers = try certChain.map { String(decoding: try readInputFile($0), as: UTF8.self) }
            chain = try card.certificateChain(issuers: issuers)
        } catch let error as SigningError {
            throw CaseError(error.message(file: certChain ?? "\(module) (CKA_ID \(card.keyIDHex))"), status: .badInput)
        }
        return (StepSigner(signer: card.signer(publicKey: chain.leafPublicKey), chain: chain), card)
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.lowercased().hasPrefix("0x") ? text.dropFirst(2) : Substring(text))
        guard !digits.isEmpty, digits.count % 2 == 0, digits.count <= 128 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(digits[index...index + 1]), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
