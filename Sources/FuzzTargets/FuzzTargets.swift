import Foundation
import CaseModel
import CaseYAML
import CaseSigning
import CaseStore
import GitKit

/// What the fuzzer feeds (`scripts/fuzz`): each target takes arbitrary bytes and must give a
/// verdict (a value, or an error the command line can print) without crashing, hanging or
/// growing without bound. A broken promise traps, which is what libFuzzer reports. The same
/// functions run every saved input in the test suite (`FuzzRegressionTests`).
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The strict YAML reader and decoder, into every document type it reads.
    case yaml
    /// Signature envelopes (`.sig`, JSON), detached CMS signatures (`.p7s`, DER) and SSH signatures (commit signatures, armored).
    case envelope
    /// Certificates (PEM and DER chains), the XCA organization id in them, CRLs, organization ids.
    case certificate
    /// The validator, given a whole tree: `main`'s tip of the repository in
    /// `WEBJCASE_FUZZ_REPO` with the input's files written over it.
    case tree

    /// Runs the target on one input.
    public func run(_ data: Data) {
        switch self {
        case .yaml: Self.yaml(data)
        case .envelope: Self.envelope(data)
        case .certificate: Self.certificate(data)
        case .tree: Self.tree(data)
        }
    }

    /// The error a user would see must be one the command line explains (a catalogue message).
    private static func expectExplained(_ body: () throws -> Void, _ what: String) {
        do {
            try body()
        } catch is CaseError {
        } catch is SigningError {
        } catch {
            fatalError("\(what) failed with an error the command line cannot explain: \(type(of: error)): \(error)")
        }
    }

    static func yaml(_ data: Data) {
        // Documents in webjcase's own style have a reader of their own; libyaml must read
        // the same nodes from whatever it takes.
        precondition(StrictYAML.readersAgree(data), "a document read otherwise than libyaml reads it")
        func decode<T: Decodable>(_ type: T.Type) {
            expectExplained({ _ = try StrictYAML.decode(type, from: data, file: "fuzz.yaml") }, "decoding \(type)")
        }
        decode(StepDocument.self)
        decode(CaseFile.self)
        decode(Policy.self)
        decode(CalendarFile.self)
        decode(RepositoryConfig.self)
        decode(Receipt.self)
        // A step document that decodes must decode the same from what it is re-read as.
        if let step = try? StrictYAML.decode(StepDocument.self, from: data, file: "fuzz.yaml") {
            let again = try? StrictYAML.decode(StepDocument.self, from: data, file: "again.yaml")
            precondition(again == step, "decoding the same bytes twice gave two documents")
        }
    }

    static func envelope(_ data: Data) {
        expectExplained({
            let envelope = try SignatureEnvelope(decoding: data)
            // Whatever way it was read (plain JSON of the envelope's shape has a reader of its
            // own), JSONDecoder reads the same envelope from the same bytes.
            precondition((try? JSONDecoder().decode(SignatureEnvelope.self, from: data)) == envelope,
                         "an envelope read otherwise than JSONDecoder reads it")
            // What decodes re-encodes canonically, and that decodes to the same envelope.
            let again = try SignatureEnvelope(decoding: envelope.encoded())
            precondition(again.encoded() == envelope.encoded(), "an envelope did not survive encoding")
            _ = try? envelope.verify(document: data, payloadType: "application/vnd.webjcase.step+yaml", keys: [:])
        }, "decoding an envelope")
        let text = String(decoding: data, as: UTF8.self)
        expectExplained({ _ = try SSHSignature.verify(armored: text, message: data, namespace: "git") }, "an SSH signature")
        expectExplained({ _ = try SSHPublicKey(authorizedKeysLine: text) }, "an SSH public key")
        expectExplained({ _ = try SSHPublicKey(blob: data) }, "an SSH public key blob")
        expectExplained({ try CMSSignature(der: data).checkSignature(document: data) }, "a detached CMS signature")
    }

    static func certificate(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        expectExplained({ _ = try CertificateChain(pem: text) }, "a PEM chain")
        expectExplained({ _ = try CertificateChain(der: [data]) }, "a DER certificate")
        expectExplained({ _ = try XCAIdentity.organizationID(certificatePEM: text) }, "an organization id in a certificate")
        expectExplained({ _ = try CertificateRevocationList(data: data) }, "a revocation list")
        let valid = OrganizationID.isValid(text)
        precondition(!valid || (text.utf8.count <= 64 && text.utf8.allSatisfy { $0 < 0x80 }), "an organization id outside its alphabet passed")
    }

    /// Input: records `<path>\0<contents>\0`; a path starting `x:` is executable, `l:` a
    /// symbolic link, `g:` a submodule link (whose contents are ignored).
    static func tree(_ data: Data) {
        guard let repository = TreeBase.shared.repository else {
            fatalError("set WEBJCASE_FUZZ_REPO to a case repository (and WEBJCASE_NOW to the time to judge at)")
        }
        tree(data, over: repository, now: TreeBase.shared.now)
    }

    /// The tree target over a given repository, judged at `now`.
    public static func tree(_ data: Data, over repository: CaseRepository, now: Date) {
        var files: [(path: String, contents: Data, mode: FileMode)] = []
        let parts = data.split(separator: 0, omittingEmptySubsequences: false)
        var index = 0
        while index + 1 < parts.count, files.count < 64 {
            var path = String(decoding: parts[index], as: UTF8.self)
            var mode = FileMode.blob
            for (prefix, kind) in [("x:", FileMode.executable), ("l:", .symlink), ("g:", .gitlink)] where path.hasPrefix(prefix) {
                mode = kind
                path.removeFirst(2)
            }
            files.append((path, Data(parts[index + 1]), mode))
            index += 2
        }
        guard !files.isEmpty else { return }
        // Any verdict will do, a refusal or a thrown error; a crash will not.
        _ = try? repository.judge(files: files, now: now)
    }
}

/// The repository the tree target writes over, opened once.
final class TreeBase: @unchecked Sendable {
    static let shared = TreeBase()
    let repository: CaseRepository?
    let now: Date

    private init() {
        let environment = ProcessInfo.processInfo.environment
        repository = environment["WEBJCASE_FUZZ_REPO"].flatMap { try? CaseRepository(path: $0) }
        now = environment["WEBJCASE_NOW"].flatMap { Timestamp($0)?.date } ?? Date()
    }
}
