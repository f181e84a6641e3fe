/// What a path in a case repository is (docs/format.md §layout). Anything else is refused.
public enum RepositoryPath: Sendable, Equatable {
    case config                       // webjcase.yaml
    case readme                       // README.md
    case policy                       // trust/policy.yaml
    case root(name: String)           // trust/roots/<name>.pem
    case crl(name: String)            // trust/crl/<name>.crl
    case calendar(year: Int)          // calendar/<year>.yaml
    /// `<protected file>.sig`: the admins' signatures over a protected file.
    case adminSignature(of: String)
    case caseFile(CaseID)
    case step(CaseID, sequence: Int, action: Action, signature: Bool)
    case document(CaseID, name: String, signature: Bool)
    case attachment(CaseID, name: String)
    case unknown

    /// Files that change only with a policy change co-signed by the admins (and, until
    /// CRLs are checked against their CA, revocation lists too).
    public var isProtected: Bool {
        switch self {
        case .config, .readme, .policy, .root, .crl, .calendar, .adminSignature: true
        default: false
        }
    }

    /// The case a path belongs to.
    public var caseID: CaseID? {
        switch self {
        case .caseFile(let id), .step(let id, _, _, _), .document(let id, _, _), .attachment(let id, _): id
        default: nil
        }
    }

    /// A file name allowed for documents and attachments: ASCII letters, digits, `.`, `-`,
    /// `_`; starts with a letter or digit; has an extension; at most 100 characters.
    public static func isValidFileName(_ name: String) -> Bool {
        guard (3...100).contains(name.utf8.count), let first = name.utf8.first,
              isAlphanumeric(first), name.contains("."), !name.hasSuffix("."), !name.contains("..") else { return false }
        return name.utf8.allSatisfy { isAlphanumeric($0) || $0 == 0x2E || $0 == 0x2D || $0 == 0x5F }
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
    }

    /// The signature file of a protected file, or nil for a path that is not one.
    public var signedFile: String? {
        if case .adminSignature(let path) = self { return path }
        return nil
    }

    public init(_ path: String) {
        // Most paths are cases' files: parsed without building the others.
        if path.utf8.starts(with: "cases/".utf8) {
            self = Self.casePath(path)
            return
        }
        if path.hasSuffix(".sig") {
            let signed = String(path.dropLast(4))
            let target = RepositoryPath(signed)
            if target.isProtected, target.signedFile == nil {
                self = .adminSignature(of: signed)
                return
            }
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1 where path == "webjcase.yaml": self = .config
        case 1 where path == "README.md": self = .readme
        case 2 where parts[0] == "trust" && parts[1] == "policy.yaml": self = .policy
        case 2 where parts[0] == "calendar":
            let name = parts[1]
            guard name.hasSuffix(".yaml"), name.count == 9, name.prefix(4).allSatisfy({ $0.isASCII && $0.isNumber }),
                  let year = Int(name.prefix(4)), (2000...9999).contains(year) else {
                self = .unknown; return
            }
            self = .calendar(year: year)
        case 3 where parts[0] == "trust" && parts[1] == "roots" && parts[2].hasSuffix(".pem") && Self.isValidFileName(parts[2]):
            self = .root(name: parts[2])
        case 3 where parts[0] == "trust" && parts[1] == "crl" && parts[2].hasSuffix(".crl") && Self.isValidFileName(parts[2]):
            self = .crl(name: parts[2])
        default:
            self = .unknown
        }
    }

    /// `cases/<year>/<node>/<id>/…`.
    private static func casePath(_ path: String) -> RepositoryPath {
        let parts = path.split(separator: "/", maxSplits: 6, omittingEmptySubsequences: false)
        guard parts.count == 5 || parts.count == 6, let id = CaseID(parts[3]), parts[1] == String(id.year), parts[2] == id.node else {
            return .unknown
        }
        return caseMember(id, parts[4...])
    }

    private static func caseMember(_ id: CaseID, _ rest: ArraySlice<Substring>) -> RepositoryPath {
        if rest.count == 1, rest.first == "case.yaml" { return .caseFile(id) }
        guard rest.count == 2 else { return .unknown }
        let folder = rest[rest.startIndex]
        var name = String(rest[rest.startIndex + 1])
        switch folder {
        case "steps":
            let signature = name.hasSuffix(".sig")
            if signature { name.removeLast(4) }
            guard name.hasSuffix(".yaml") else { return .unknown }
            name.removeLast(5)
            let dash = name.firstIndex(of: "-") ?? name.endIndex
            let digits = name[..<dash]
            guard digits.count == 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let sequence = Int(digits), sequence >= 1,
                  dash < name.endIndex, let action = Action(rawValue: String(name[name.index(after: dash)...])) else { return .unknown }
            return .step(id, sequence: sequence, action: action, signature: signature)
        case "documents":
            let signature = name.hasSuffix(".sig")
            if signature { name.removeLast(4) }
            guard name.hasSuffix(".yaml"), isValidFileName(name) else { return .unknown }
            return .document(id, name: name, signature: signature)
        case "attachments":
            guard isValidFileName(name) else { return .unknown }
            return .attachment(id, name: name)
        default:
            return .unknown
        }
    }
}
