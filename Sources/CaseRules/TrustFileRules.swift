import Foundation
import CaseModel
import CaseSigning

/// The trust files of a tree as the validator read them: the PEM certificates of its roots
/// (`trust/roots/`) and issuing CAs (`trust/ca/`).
public struct TrustAuthorities: Sendable {
    public let rootsPEM: [String]
    public let issuingPEM: [String]

    public init(rootsPEM: [String], issuingPEM: [String]) {
        self.rootsPEM = rootsPEM
        self.issuingPEM = issuingPEM
    }
}

/// The rules over the contents of proposed trust files that need no admin's word to be
/// judged: the issuing CAs chain to a root, and a revocation list is its CA's, readable,
/// and never rolled back (A-DOCUMENT, A-CRL). Pure functions of the bytes the validator
/// read; each returns findings under its own id only.
public enum TrustFileRules {
    /// Every id these rules return.
    public static let ids = ["A-DOCUMENT", "A-CRL"]

    /// A-DOCUMENT: each issuing CA must be a CA certificate that a root signed, directly or
    /// through another of them; nil when they all stand.
    public static func issuingCAs(_ path: String, _ authorities: TrustAuthorities) -> Finding? {
        do {
            guard let (subject, reason) = try CertificateAuthorities.unanchored(issuingPEM: authorities.issuingPEM,
                                                                                rootsPEM: authorities.rootsPEM) else { return nil }
            return Finding(rule: "A-DOCUMENT", severity: .refuse, path: path, message: Message(
                .ruleIssuingCA, ["path": path, "subject": subject, "reason": reason]))
        } catch let error as SigningError {
            return Finding(rule: "A-DOCUMENT", severity: .refuse, path: path, message: error.message(file: path))
        } catch {
            return Finding(rule: "A-DOCUMENT", severity: .refuse, path: path, message: Message(.signatureMalformed, ["file": path, "detail": "\(error)"]))
        }
    }

    /// A-DOCUMENT: a revocation list that does not parse, or whose tree's authorities do not
    /// read; nil when both read.
    public static func crlUnreadable(_ path: String, bytes: Data, _ authorities: TrustAuthorities) -> Finding? {
        do {
            _ = try CertificateRevocationList(data: bytes)
            _ = try CertificateAuthorities(rootsPEM: authorities.rootsPEM, issuingPEM: authorities.issuingPEM)
            return nil
        } catch let error as SigningError {
            return Finding(rule: "A-DOCUMENT", severity: .refuse, path: path, message: error.message(file: path))
        } catch {
            return Finding(rule: "A-DOCUMENT", severity: .refuse, path: path, message: Message(.signatureMalformed, ["file": path, "detail": "\(error)"]))
        }
    }

    /// A-CRL: a revocation list must be signed by a root or issuing CA of the tree (a list
    /// made by anyone else could hide a revocation behind a genuine issuer's name). Nil
    /// when it is, or when it does not read (``crlUnreadable`` says so).
    public static func crlIssuer(_ path: String, bytes: Data, _ authorities: TrustAuthorities) -> Finding? {
        guard let list = try? CertificateRevocationList(data: bytes),
              let known = try? CertificateAuthorities(rootsPEM: authorities.rootsPEM, issuingPEM: authorities.issuingPEM),
              known.issuer(of: list) == nil else { return nil }
        return Finding(rule: "A-CRL", severity: .refuse, path: path, message: Message(.ruleCRLIssuer, ["issuer": list.issuer, "path": path]))
    }

    /// A-DOCUMENT: a replacement list must come from the same CA, be newer and keep every
    /// revocation, no later than before: a change that needs no admin can only add
    /// revocations. Nil for a new list, the same bytes, or a previous one that did not read.
    public static func crlRollback(_ path: String, bytes: Data, previous: Data?) -> Finding? {
        guard let previous, previous != bytes, let list = try? CertificateRevocationList(data: bytes),
              let old = try? CertificateRevocationList(data: previous) else { return nil }
        let kept = Dictionary(list.revocations.map { ($0.serialNumber, $0.revocationDate) }, uniquingKeysWith: min)
        if list.issuer != old.issuer || list.thisUpdate <= old.thisUpdate
            || !old.revocations.allSatisfy({ revocation in kept[revocation.serialNumber].map { $0 <= revocation.revocationDate } ?? false }) {
            return Finding(rule: "A-DOCUMENT", severity: .refuse, path: path, message: Message(.ruleCRLRollback, ["path": path]))
        }
        return nil
    }

    /// Why a revocation list may not be admitted as `path`, or nil: the three rules above in
    /// order, the first that speaks.
    public static func crl(_ path: String, bytes: Data, previous: Data?, _ authorities: TrustAuthorities) -> Finding? {
        crlUnreadable(path, bytes: bytes, authorities) ?? crlIssuer(path, bytes: bytes, authorities)
            ?? crlRollback(path, bytes: bytes, previous: previous)
    }
}
