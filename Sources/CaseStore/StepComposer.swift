import Foundation
package import GitKit
import CaseModel
import CaseYAML
import CaseSigning

/// The bytes of a step and of its commit, before anyone judges them: what `case open` and
/// `step` build before the validator decides whether `main` moves, and what synthetic
/// histories for benchmarks are written with. Nothing here moves a ref, and nothing
/// written this way counts until the validator accepts it (on the hub, and in `verify`).
public enum StepComposer {
    /// The step document's bytes and its envelope's, and where the document lives.
    public static func files(_ step: StepDocument, key: StepSigner) throws -> (path: String, document: Data, envelope: Data) {
        let bytes = try DocumentWriter.yaml(step)
        let envelope: SignatureEnvelope
        do {
            envelope = try SignatureEnvelope.sign(document: bytes, payloadType: stepPayloadType, signer: key.signer, chain: key.chain)
        } catch let error as SigningError {
            throw CaseError(error.message(file: "--key"), status: .badInput)
        }
        return ("\(step.case.directory)/steps/\(step.fileName)", bytes, envelope.encoded())
    }

    /// The commit message: a subject line and the trailers the validator reads.
    public static func message(_ step: StepDocument, actorName: String, fingerprint: String) -> String {
        NodeCommitWriter.message("\(step.case) \(step.action.rawValue)", trailers: [
            ("Case", "\(step.case)"), ("Action", step.action.rawValue), ("Actor", "\(actorName) <\(fingerprint)>")])
    }

    /// The committer (and author) of a node's commits.
    package static func committer(node: String, jurisdiction: String, time: Date) -> Signature {
        CommitAuthor.node(node, jurisdiction: jurisdiction).signature(at: time)
    }
}
