import Foundation
import Testing
import TestSupport

/// A case's dossier in its three forms, for the suites that put signed applicant documents
/// into a case: the HTML page and Markdown (in a language) and the JSON's certificates.
struct DocumentDossier {
    let html: String
    let markdown: String
    /// The `certificate` of every applicant document (role `document`), in step order.
    let certificates: [[String: Any]]

    init(_ w: Workspace, case id: String = "REG-2026-edu1-0001", language: String = "en") throws {
        func report(_ format: String) throws -> String {
            let result = try w.webjcase(["report", id, "--format", format, "--lang", language, "--repo", "edu"])
            guard result.status == 0 else { throw WorkspaceError(result) }
            return result.stdout
        }
        html = try report("html")
        markdown = try report("md")
        let json = try JSONSerialization.jsonObject(with: Data(try report("json").utf8)) as? [String: Any]
        let entries = json?["entries"] as? [[String: Any]] ?? []
        certificates = entries.flatMap { $0["documents"] as? [[String: Any]] ?? [] }
            .filter { $0["role"] as? String == "document" }
            .compactMap { $0["certificate"] as? [String: Any] }
    }

    /// The serial number of a PEM certificate as openssl reads it, lowercase hex.
    static func serial(_ w: Workspace, _ certificate: String) throws -> String {
        let result = try runProcess("/usr/bin/openssl", ["x509", "-noout", "-serial", "-in", certificate], in: w.path)
        guard result.status == 0 else { throw WorkspaceError(result) }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "serial=", with: "").lowercased()
    }

    /// The issuer of a PEM certificate as openssl prints it in RFC 2253 (= RFC 4514) form.
    static func issuer(_ w: Workspace, _ certificate: String) throws -> String {
        let result = try runProcess("/usr/bin/openssl", ["x509", "-noout", "-issuer", "-nameopt", "RFC2253,-esc_msb", "-in", certificate], in: w.path)
        guard result.status == 0 else { throw WorkspaceError(result) }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "issuer=", with: "")
    }
}
