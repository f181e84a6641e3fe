/// What a path in a case repository is (docs/format.md §layout). Anything else is refused.
public enum RepositoryPath: Sendable, Equatable {
    case config                       // webjcase.yaml
    case readme                       // README.md
    case policy                       // trust/policy.yaml
    case root(name: String)           // trust/roots/<name>.pem
    case crl(name: String)            // trust/crl/<name>.crl
    case issuingCA(name: String)      // trust/ca/<name>.pem
    case calendar(year: Int)          // calendar/<year>.yaml
    /// `<protected file>.sig`: the admins' signatures over a protected file.
    case adminSignature(of: String)
    case caseFile(CaseID)
    case step(CaseID, sequence: Int, action: Action, signature: Bool)
    case document(CaseID, name: String, signature: Bool)
    case attachment(CaseID, name: String)
    case unknown

    /// Files outside `cases/` that the case workflow never writes: each changes only by an
    /// administrative commit, with the admins' threshold, except revocation lists, which
    /// their CA signs (and which therefore have no admin `.sig`).
    public var isProtected: Bool {
        switch self {
        case .config, .readme, .policy, .root, .crl, .issuingCA, .calendar, .adminSignature: true
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

    /// A revocation list: self-authenticating, never signed by the admins.
    public var isCRL: Bool {
        if case .crl = self { return true }
        return false
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
            if target.isProtected, target.signedFile == nil, !target.isCRL {
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
        case 3 where parts[0] == "trust" && parts[1] == "ca" && parts[2].hasSuffix(".pem") && Self.isValidFileName(parts[2]):
            self = .issuingCA(name: parts[2])
        default:
            self = .unknown
        }
    }

    /// `cases/<year>/<node>/<id>/…`, read as bytes: every name the layout allows is ASCII,
    /// and a comparison of bytes is what a comparison of names means here (S-NAME).
    private static func casePath(_ path: String) -> RepositoryPath {
        path.utf8.withContiguousStorageIfAvailable(casePath) ?? Array(path.utf8).withUnsafeBufferPointer(casePath)
    }

    private static func casePath(_ bytes: UnsafeBufferPointer<UInt8>) -> RepositoryPath {
        // cases/<year>/<node>/<id>/case.yaml or cases/<year>/<node>/<id>/<folder>/<name>
        var slashes: [Int] = []
        slashes.reserveCapacity(5)
        for index in bytes.indices where bytes[index] == 0x2F {
            guard slashes.count < 5 else { return .unknown }
            slashes.append(index)
        }
        guard slashes.count == 4 || slashes.count == 5 else { return .unknown }
        func part(_ n: Int) -> Slice<UnsafeBufferPointer<UInt8>> {
            bytes[(n == 0 ? 0 : slashes[n - 1] + 1)..<(n < slashes.count ? slashes[n] : bytes.count)]
        }
        guard let id = CaseID.parse(part(3)), part(2).elementsEqual(id.node.utf8) else { return .unknown }
        let year = part(1)
        guard year.count == 4, year.allSatisfy({ (0x30...0x39).contains($0) }),
              year.reduce(0, { $0 * 10 + Int($1 - 0x30) }) == id.year else { return .unknown }
        if slashes.count == 4 {
            return part(4).elementsEqual("case.yaml".utf8) ? .caseFile(id) : .unknown
        }
        let folder = part(4)
        var name = part(5)
        func strip(_ suffix: StaticString) -> Bool {
            let count = suffix.utf8CodeUnitCount
            guard name.count >= count,
                  name.suffix(count).elementsEqual(UnsafeBufferPointer(start: suffix.utf8Start, count: count)) else { return false }
            name = name.dropLast(count)
            return true
        }
        if folder.elementsEqual("steps".utf8) {
            let signature = strip(".sig")
            guard strip(".yaml"), name.count > 5, name[name.startIndex + 4] == 0x2D else { return .unknown }
            let digits = name.prefix(4)
            guard digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return .unknown }
            let sequence = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            guard sequence >= 1, let action = Action(rawValue: String(decoding: name.dropFirst(5), as: UTF8.self)) else { return .unknown }
            return .step(id, sequence: sequence, action: action, signature: signature)
        }
        if folder.elementsEqual("documents".utf8) {
            // `<F>.sig` (an envelope) or `<F>.p7s` (a detached CMS signature) beside the form.
            let signature = strip(".sig") || strip(".p7s")
            let text = String(decoding: name, as: UTF8.self)
            guard text.utf8.count >= 5, text.utf8.suffix(5).elementsEqual(".yaml".utf8), isValidFileName(text) else { return .unknown }
            return .document(id, name: text, signature: signature)
        }
        if folder.elementsEqual("attachments".utf8) {
            let text = String(decoding: name, as: UTF8.self)
            guard isValidFileName(text) else { return .unknown }
            return .attachment(id, name: text)
        }
        return .unknown
    }
}
