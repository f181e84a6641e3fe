import CPKCS11
import CaseModel
import Foundation
#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read
#elseif canImport(Darwin)
import Darwin
private let systemRead = Darwin.read
#endif

/// A signing key on a card (or any PKCS#11 token), used through the card software's PKCS#11
/// module: RSA PKCS#1 v1.5 with SHA-256 (CKM_SHA256_RSA_PKCS), as the XCA's cards sign, with
/// the certificate kept on the token under the same CKA_ID. Every failure is a ``CaseError``
/// (exit 2) that says what to do.
public final class PKCS11Card: @unchecked Sendable {
    /// The XCA cards' signing key and certificate id: "SIGN".
    public static let defaultKeyID: [UInt8] = Array("SIGN".utf8)

    /// The token's certificate under the key's CKA_ID (DER).
    public let certificateDER: Data
    /// The slot the token is in, and its label.
    public let slot: UInt
    public let tokenLabel: String
    public let keyIDHex: String

    private var module = webj_p11_module()
    private var session = CK_SESSION_HANDLE(0)
    private var key = CK_OBJECT_HANDLE(0)
    private let lock = NSLock()

    /// Loads `modulePath`, opens the token in `slot` (by default the first slot with a token),
    /// logs in with the PIN `pin` asks for (given the token's label), and finds the private key
    /// and certificate with CKA_ID `keyID`.
    public init(module modulePath: String, slot requestedSlot: UInt?, keyID: [UInt8], pin: (String) throws -> [UInt8]) throws {
        let hex = keyID.map { String(format: "%02x", $0) }.joined()
        guard FileManager.default.fileExists(atPath: modulePath) else {
            throw CaseError(.cardModuleMissing, ["module": modulePath])
        }
        keyIDHex = hex
        var mod = webj_p11_module()
        var sess = CK_SESSION_HANDLE(0)
        var privateKey = CK_OBJECT_HANDLE(0)
        var reasonBuffer = [CChar](repeating: 0, count: 512)
        let loaded = webj_p11_load(modulePath, &mod, &reasonBuffer, reasonBuffer.count)
        guard loaded == 0 else {
            let reason = String(decoding: reasonBuffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw CaseError(.cardModuleNotPKCS11, ["module": modulePath, "reason": reason])
        }
        var initialized = false
        var opened = false
        var loggedIn = false
        do {
            try PKCS11Card.check(webj_p11_initialize(&mod), module: modulePath, call: "C_Initialize")
            initialized = true
            var count = CK_ULONG(64)
            var slots = [CK_SLOT_ID](repeating: 0, count: Int(count))
            try PKCS11Card.check(webj_p11_slots(&mod, &slots, &count), module: modulePath, call: "C_GetSlotList")
            let present = Array(slots.prefix(Int(count)))
            let chosen: CK_SLOT_ID
            if let requestedSlot {
                guard present.contains(CK_SLOT_ID(requestedSlot)) else {
                    throw CaseError(.cardSlotMissing, ["module": modulePath, "slot": "\(requestedSlot)",
                                                       "slots": present.isEmpty ? "none" : present.map { "\($0)" }.joined(separator: ", ")])
                }
                chosen = CK_SLOT_ID(requestedSlot)
            } else {
                guard let first = present.first else { throw CaseError(.cardNoToken, ["module": modulePath]) }
                chosen = first
            }
            slot = UInt(chosen)
            var label = [UInt8](repeating: 0x20, count: 32)
            try PKCS11Card.check(webj_p11_token_label(&mod, chosen, &label), module: modulePath, call: "C_GetTokenInfo")
            let name = String(decoding: label, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            tokenLabel = name
            try PKCS11Card.check(webj_p11_open_session(&mod, chosen, &sess), module: modulePath, call: "C_OpenSession")
            opened = true
            var secret = try pin(name)
            defer { for index in secret.indices { secret[index] = 0 } }
            let login = webj_p11_login(&mod, sess, secret, CK_ULONG(secret.count))
            switch login {
            case CK_RV(CKR_OK), CK_RV(CKR_USER_ALREADY_LOGGED_IN): loggedIn = login == CK_RV(CKR_OK)
            case CK_RV(CKR_PIN_INCORRECT), CK_RV(CKR_PIN_LEN_RANGE), CK_RV(CKR_PIN_INVALID):
                throw CaseError(.cardPINIncorrect, ["token": name, "slot": "\(chosen)", "code": PKCS11Card.name(login)])
            case CK_RV(CKR_PIN_LOCKED), CK_RV(CKR_PIN_EXPIRED):
                throw CaseError(.cardPINLocked, ["token": name, "code": PKCS11Card.name(login)])
            default:
                try PKCS11Card.check(login, module: modulePath, call: "C_Login")
            }
            var found: Int32 = 0
            try PKCS11Card.check(webj_p11_find(&mod, sess, CK_OBJECT_CLASS(CKO_PRIVATE_KEY), keyID, CK_ULONG(keyID.count), &privateKey, &found),
                           module: modulePath, call: "C_FindObjects")
            guard found == 1 else {
                throw CaseError(.cardKeyMissing, ["token": name, "slot": "\(chosen)", "keyID": hex, "module": modulePath])
            }
            var keyType = CK_KEY_TYPE(0)
            try PKCS11Card.check(webj_p11_key_type(&mod, sess, privateKey, &keyType), module: modulePath, call: "C_GetAttributeValue")
            guard keyType == CK_KEY_TYPE(CKK_RSA) else {
                throw CaseError(.cardKeyNotRSA, ["token": name, "keyID": hex])
            }
            var certificate = CK_OBJECT_HANDLE(0)
            try PKCS11Card.check(webj_p11_find(&mod, sess, CK_OBJECT_CLASS(CKO_CERTIFICATE), keyID, CK_ULONG(keyID.count), &certificate, &found),
                           module: modulePath, call: "C_FindObjects")
            guard found == 1 else {
                throw CaseError(.cardCertificateMissing, ["token": name, "slot": "\(chosen)", "keyID": hex, "module": modulePath])
            }
            var length = CK_ULONG(0)
            try PKCS11Card.check(webj_p11_value(&mod, sess, certificate, nil, &length), module: modulePath, call: "C_GetAttributeValue")
            var value = [UInt8](repeating: 0, count: Int(length))
            try PKCS11Card.check(webj_p11_value(&mod, sess, certificate, &value, &length), module: modulePath, call: "C_GetAttributeValue")
            certificateDER = Data(value.prefix(Int(length)))
        } catch {
            if opened { webj_p11_close_session(&mod, sess, loggedIn ? 1 : 0) }
            webj_p11_unload(&mod, initialized ? 1 : 0)
            throw error
        }
        module = mod
        session = sess
        key = privateKey
    }

    deinit {
        webj_p11_close_session(&module, session, 1)
        webj_p11_unload(&module, 1)
    }

    /// RSA PKCS#1 v1.5 over SHA-256(`data`), made by the token.
    public func signature(for data: Data) throws -> Data {
        lock.lock()
        defer { lock.unlock() }
        var signature = [UInt8](repeating: 0, count: 1024)
        var length = CK_ULONG(signature.count)
        let bytes = [UInt8](data)
        let rv = webj_p11_sign_sha256_rsa(&module, session, key, bytes, CK_ULONG(bytes.count), &signature, &length)
        guard rv == CK_RV(CKR_OK) else {
            throw CaseError(.cardSignFailed, ["token": tokenLabel, "keyID": keyIDHex, "code": PKCS11Card.name(rv)])
        }
        return Data(signature.prefix(Int(length)))
    }

    /// The token's certificate followed by the issuing CAs of `issuers` (PEM; a copy of the
    /// token's certificate there is left out). Throws ``SigningError`` for a certificate that
    /// does not parse or a key this library cannot verify with.
    public func certificateChain(issuers pem: String?) throws -> CertificateChain {
        var der = [certificateDER]
        if let pem {
            der += try CertificateChain(pem: pem).der.map { Data($0) }.filter { $0 != certificateDER }
        }
        return try CertificateChain(der: der)
    }

    /// Signs with the token, the public key the token's certificate holds.
    public func signer(publicKey: SSHPublicKey) -> DocumentSigner {
        .external(ExternalSigner(publicKey: publicKey) { [self] data in
            let signature = try self.signature(for: data)
            // A key and a certificate under one id that do not belong together make a useless envelope.
            guard publicKey.isValidSignature(signature, for: data) else {
                throw CaseError(.cardKeyNotCertificate, ["token": self.tokenLabel, "keyID": self.keyIDHex])
            }
            return signature
        })
    }

    private static func check(_ rv: CK_RV, module: String, call: String) throws {
        guard rv != CK_RV(CKR_OK) else { return }
        if rv == CK_RV(CKR_TOKEN_NOT_PRESENT) || rv == CK_RV(CKR_DEVICE_REMOVED) {
            throw CaseError(.cardNoToken, ["module": module])
        }
        throw CaseError(.cardModuleFailed, ["module": module, "call": call, "code": name(rv)])
    }

    /// A return value as PKCS#11 names it, with its number.
    static func name(_ rv: CK_RV) -> String {
        let names: [CK_RV: String] = [
            CK_RV(CKR_PIN_INCORRECT): "CKR_PIN_INCORRECT", CK_RV(CKR_PIN_LOCKED): "CKR_PIN_LOCKED",
            CK_RV(CKR_PIN_LEN_RANGE): "CKR_PIN_LEN_RANGE", CK_RV(CKR_PIN_INVALID): "CKR_PIN_INVALID",
            CK_RV(CKR_PIN_EXPIRED): "CKR_PIN_EXPIRED", CK_RV(CKR_TOKEN_NOT_PRESENT): "CKR_TOKEN_NOT_PRESENT",
            CK_RV(CKR_DEVICE_ERROR): "CKR_DEVICE_ERROR", CK_RV(CKR_DEVICE_REMOVED): "CKR_DEVICE_REMOVED",
            CK_RV(CKR_KEY_TYPE_INCONSISTENT): "CKR_KEY_TYPE_INCONSISTENT", CK_RV(CKR_MECHANISM_INVALID): "CKR_MECHANISM_INVALID",
            CK_RV(CKR_KEY_FUNCTION_NOT_PERMITTED): "CKR_KEY_FUNCTION_NOT_PERMITTED", CK_RV(CKR_USER_NOT_LOGGED_IN): "CKR_USER_NOT_LOGGED_IN",
            CK_RV(CKR_GENERAL_ERROR): "CKR_GENERAL_ERROR", CK_RV(CKR_FUNCTION_FAILED): "CKR_FUNCTION_FAILED",
            CK_RV(CKR_ARGUMENTS_BAD): "CKR_ARGUMENTS_BAD", CK_RV(CKR_SLOT_ID_INVALID): "CKR_SLOT_ID_INVALID",
        ]
        let number = "0x" + String(rv, radix: 16)
        return names[rv].map { "\($0), \(number)" } ?? number
    }
}

/// A signer whose key is elsewhere (a card): its public key and a function that signs in the
/// envelope's encoding.
public struct ExternalSigner: Sendable {
    public let publicKey: SSHPublicKey
    let sign: @Sendable (Data) throws -> Data

    public init(publicKey: SSHPublicKey, sign: @escaping @Sendable (Data) throws -> Data) {
        self.publicKey = publicKey
        self.sign = sign
    }
}

/// The card's PIN: never from the command line; from a file only its owner can read, or
/// asked on the terminal without echo.
public enum CardPIN {
    /// The PIN in `path` (its first line), refusing a file readable by group or others.
    public static func read(file path: String) throws -> [UInt8] {
        let text: String
        do {
            text = try SigningKey.readPrivateKeyFile(path: path)
        } catch let error as SigningError where error.code == .privateKeyPermissions {
            var info = stat()
            let mode = stat(path, &info) == 0 ? String(info.st_mode & 0o777, radix: 8) : "?"
            throw CaseError(.cardPINFilePermissions, ["file": path, "mode": mode])
        } catch let error as SigningError {
            throw CaseError(.fileUnreadable, ["file": path, "reason": error.detail])
        } catch {
            throw CaseError(.fileUnreadable, ["file": path, "reason": (error as NSError).localizedDescription])
        }
        let pin = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).first.map(String.init) ?? ""
        guard !pin.isEmpty else { throw CaseError(.cardPINFileEmpty, ["file": path]) }
        return Array(pin.utf8)
    }

    /// Asks for the PIN on the controlling terminal, echo off.
    public static func prompt(_ text: String) throws -> [UInt8] {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw CaseError(.cardPINNoTerminal) }
        defer { close(fd) }
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else { throw CaseError(.cardPINNoTerminal) }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        quiet.c_lflag |= tcflag_t(ECHONL)
        _ = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard tcsetattr(fd, TCSAFLUSH, &quiet) == 0 else { throw CaseError(.cardPINNoTerminal) }
        defer { _ = tcsetattr(fd, TCSAFLUSH, &saved) }
        var pin: [UInt8] = []
        var byte: UInt8 = 0
        while systemRead(fd, &byte, 1) == 1, byte != 0x0A, byte != 0x0D, pin.count < 256 {
            pin.append(byte)
        }
        guard !pin.isEmpty else { throw CaseError(.cardPINNoTerminal) }
        return pin
    }
}
