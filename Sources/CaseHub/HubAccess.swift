import Foundation
import CaseModel
import CaseStore
import CaseSigning

/// Who may do what on the hub. A node authenticates with its token (the hub keeps only
/// its sha256); what it may do comes from the policy at `main` of the repository it asks
/// for: an agency node reads and writes its own jurisdiction only; a Centre node reads
/// and writes every jurisdiction; an auditor reads every case repository and writes none
/// (the personal stores are for the jurisdiction's nodes and the Centre).
struct HubAccess: Sendable {
    let root: String
    let tokens: [String: String]

    init(root: String, tokens: [HubConfig.Token]) {
        self.root = root
        self.tokens = Dictionary(tokens.map { ($0.node, $0.sha256) }) { a, _ in a }
    }

    /// The node an `Authorization: Basic` header proves, or nil.
    func authenticate(_ header: String?) -> String? {
        guard let header, header.lowercased().hasPrefix("basic "),
              let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":") else { return nil }
        let node = String(text[..<colon])
        let token = String(text[text.index(after: colon)...])
        guard let expected = tokens[node] else { return nil }
        return Self.constantTimeEqual(Digest.sha256Hex(Data(token.utf8)), expected) ? node : nil
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    /// Whether `node` may make this request, by the policy of the jurisdiction's case repository.
    func allows(node: String, route: GitRoute) -> Bool {
        let casePath = HubLayout(root: root).caseRepository(route.jurisdiction)
        guard let repository = try? CaseRepository(path: casePath), let settings = try? repository.settings(),
              settings.config.jurisdiction == route.jurisdiction,
              let identity = settings.policy.identities.first(where: { $0.name == node }), identity.revoked == nil else { return false }
        let roles = Set(identity.roles)
        if roles.contains(.centreNode) { return true }
        if roles.contains(.agencyNode), identity.jurisdiction == route.jurisdiction { return true }
        if roles.contains(.auditor) { return !route.write && !route.personal }
        return false
    }
}

/// `/status`: the head and last push of each repository the asking node may read.
struct HubStatus: Codable, Sendable {
    struct Repository: Codable, Sendable {
        let name: String
        let jurisdiction: String
        let head: String?
        let lastPush: ReceiptSummary?
    }
    let repositories: [Repository]

    /// The case repositories of the hub whose names (`edu.git`) `readable` takes.
    static func read(root: String, readable: (String) -> Bool) throws -> HubStatus {
        let names = HubLayout(root: root).caseRepositoryNames().filter(readable)
        return HubStatus(repositories: names.compactMap { name in
            guard let repository = try? CaseRepository(path: (root as NSString).appendingPathComponent(name)),
                  let settings = try? repository.settings() else { return nil }
            return Repository(name: name, jurisdiction: settings.config.jurisdiction, head: try? repository.head(),
                              lastPush: try? repository.lastReceipt())
        })
    }
}
