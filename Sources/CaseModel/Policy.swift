/// What an identity may do (DESIGN §4).
public enum Role: String, Sendable, Codable, CaseIterable {
    case clerk
    case authorityReviewer = "authority-reviewer"
    case centreReviewer = "centre-reviewer"
    case centreStaff = "centre-staff"
    case agencyNode = "agency-node"
    case centreNode = "centre-node"
    case hub
    case auditor
    case admin

    /// Roles of a machine rather than a person: they sign commits, not documents.
    public var isNode: Bool { self == .agencyNode || self == .centreNode }
}

/// Whether the repository holds real cases. `production` refuses test roots and the
/// settable clock.
public enum PolicyMode: String, Sendable, Codable, CaseIterable {
    case production
    case test
}

/// `trust/policy.yaml`, version 1 of its schema: who may sign, and in what role.
public struct Policy: Sendable, Codable, Equatable {
    public var kind: String = "policy"
    /// Rises by exactly one with every change (no rollback).
    public var version: Int
    public var mode: PolicyMode
    public var identities: [Identity]
    /// How many admin signatures a change of a protected file needs (the policy, the
    /// calendar, `webjcase.yaml`, `README.md`, roots, CRLs).
    public var threshold: Int
    /// How applicant certificates are judged; absent: the XCA's defaults.
    public var applicants: Applicants?

    /// Settings for applicants' certificates (§5.2 of docs/format.md).
    public struct Applicants: Sendable, Codable, Equatable {
        /// The issuer names that count as the XCA, each a list of attributes in order;
        /// absent: `C=TW, O=行政院, OU=組織及團體憑證管理中心` alone.
        public var xcaIssuers: [[NameAttribute]]?

        public init(xcaIssuers: [[NameAttribute]]?) {
            self.xcaIssuers = xcaIssuers
        }
    }

    /// One attribute of a distinguished name: its type as a dotted OID and its text.
    public struct NameAttribute: Sendable, Codable, Hashable {
        public var oid: String
        public var value: String

        public init(oid: String, value: String) {
            self.oid = oid
            self.value = value
        }
    }

    public struct Identity: Sendable, Codable, Equatable {
        /// A short unique name; for nodes, the node name.
        public var name: String
        /// The public key as an `authorized_keys` line (`ssh-ed25519 AAAA… comment`), for
        /// keys made by the tool and nodes. Either this or `certificate`.
        public var key: String?
        /// `sha256:<hex>` of the DER of the identity's X.509 signing certificate, for staff
        /// who sign with a certificate (the envelope carries the chain). Either this or `key`.
        public var certificate: String?
        public var roles: [Role]
        /// The jurisdiction an agency identity acts for; absent for the Centre.
        public var jurisdiction: String?
        /// Retired after this time: what it signed before stays valid.
        public var validUntil: Timestamp?
        /// Compromised: after `at` a signature by this key counts only when a hub receipt
        /// from before `at` covers it (until receipts exist, none counts).
        public var revoked: Revocation?

        /// Whether this identity is a node that may sign commits in `jurisdiction`: a
        /// centre node anywhere, an agency node in its own jurisdiction.
        public func maySignCommits(in jurisdiction: String) -> Bool {
            roles.contains(.centreNode) || (roles.contains(.agencyNode) && self.jurisdiction == jurisdiction)
        }

        public init(name: String, key: String?, certificate: String? = nil, roles: [Role], jurisdiction: String? = nil,
                    validUntil: Timestamp? = nil, revoked: Revocation? = nil) {
            self.certificate = certificate
            self.revoked = revoked
            self.name = name
            self.key = key
            self.roles = roles
            self.jurisdiction = jurisdiction
            self.validUntil = validUntil
        }
    }

    /// Why and since when a key must not be trusted.
    public struct Revocation: Sendable, Codable, Equatable {
        public var at: Timestamp
        public var reason: String

        public init(at: Timestamp, reason: String) {
            self.at = at
            self.reason = reason
        }
    }

    public init(version: Int, mode: PolicyMode, identities: [Identity], threshold: Int) {
        self.version = version
        self.mode = mode
        self.identities = identities
        self.threshold = threshold
    }

    /// The identity with this name.
    public func identity(named name: String) -> Identity? {
        identities.first { $0.name == name }
    }

    /// The identities holding the `admin` role.
    public var admins: [Identity] { identities.filter { $0.roles.contains(.admin) } }
}
