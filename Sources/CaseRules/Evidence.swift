import Foundation
import CaseModel
import CaseSigning

/// One path a commit adds, changes or deletes, with what the store read about it.
public struct ChangedFile: Sendable, Equatable {
    public enum Status: String, Sendable { case added, deleted, modified }
    public let path: String
    public let status: Status
    /// The git file mode after the change (nil when deleted).
    public let mode: UInt32?
    public let oldMode: UInt32?
    /// Size in bytes of the new content.
    public let size: Int?
    /// Lowercase hex sha256 of the new content.
    public let sha256: String?
    /// The new content's type by its first bytes (`pdf`, `png`, `jpeg`), when recognised.
    public let contentType: String?
    /// What the path is, parsed once.
    public let kind: RepositoryPath

    public init(path: String, status: Status, mode: UInt32?, oldMode: UInt32?, size: Int?, sha256: String?, contentType: String? = nil) {
        self.contentType = contentType
        self.path = path
        self.status = status
        self.mode = mode
        self.oldMode = oldMode
        self.size = size
        self.sha256 = sha256
        self.kind = RepositoryPath(path)
    }
}

/// The outcome of checking a signature: trust reaches the rules only as a
/// `VerifiedSignature`, which only `CaseSigning` can make.
public enum SignatureCheck: Sendable {
    case verified(VerifiedSignature)
    case missing
    case failed(Message)
}

/// What the store knows about a case before the commit: its `case.yaml`, last step and
/// the paths it holds.
public struct CaseState: Sendable {
    public let caseFile: CaseFile
    public let directory: String
    /// The last step recorded, nil only while the case is being opened.
    public let lastStep: StepDocument?
    /// `sha256:<hex>` of the last step's bytes, or of `case.yaml` before the first step.
    public let lastDigest: String
    /// Every path under the case directory at the parent commit.
    public let paths: Set<String>
    /// The actions of the case's steps so far, in order (from their file names).
    public let history: [Action]
    /// The case's step documents so far, in order.
    public let steps: [StepDocument]

    public init(caseFile: CaseFile, directory: String, lastStep: StepDocument?, lastDigest: String, paths: Set<String>,
                history: [Action] = [], steps: [StepDocument] = []) {
        self.history = history
        self.steps = steps
        self.caseFile = caseFile
        self.directory = directory
        self.lastStep = lastStep
        self.lastDigest = lastDigest
        self.paths = paths
    }
}

/// The step a commit records, parsed and with its signature checked.
public struct StepEvidence: Sendable {
    public let path: String
    public let document: StepDocument
    /// `sha256:<hex>` of the step document's bytes.
    public let digest: String
    public let signature: SignatureCheck

    public init(path: String, document: StepDocument, digest: String, signature: SignatureCheck) {
        self.path = path
        self.document = document
        self.digest = digest
        self.signature = signature
    }
}

/// An applicant document a step commit adds under `documents/`, read and checked.
public struct DocumentEvidence: Sendable {
    public let path: String
    /// Lowercase hex sha256 of its bytes.
    public let sha256: String
    /// The form, when it reads under its schema.
    public let form: ApplicantForm?
    /// Why it cannot be used (unreadable, no signature, a signature that does not verify,
    /// a certificate not for its organization), when it cannot.
    public let problem: Message?
    /// The signingTime attribute of its CMS signature (`<path>.p7s`), when it has one.
    public var cmsSigningTime: Date?

    public init(path: String, sha256: String, form: ApplicantForm?, problem: Message?) {
        self.path = path
        self.sha256 = sha256
        self.form = form
        self.problem = problem
    }
}

/// One commit as the validator sees it.
public struct CommitEvidence: Sendable {
    /// The commit id (abbreviated in messages).
    public let id: String
    public let parentCount: Int
    public let changes: [ChangedFile]
    public let trailers: [(key: String, value: String)]
    public let committerName: String
    public let committerEmail: String
    /// The committer's time: when the node says it made the commit.
    public let committerTime: Date
    /// The parent commit's committer time.
    public var parentTime: Date?
    public let signature: SignatureCheck

    public init(id: String, parentCount: Int, changes: [ChangedFile], trailers: [(key: String, value: String)],
                committerName: String, committerEmail: String, committerTime: Date = .distantPast, signature: SignatureCheck) {
        self.committerTime = committerTime
        self.id = id
        self.parentCount = parentCount
        self.changes = changes
        self.trailers = trailers
        self.committerName = committerName
        self.committerEmail = committerEmail
        self.signature = signature
    }

    public var shortID: String { String(id.prefix(12)) }
}

/// A commit that changes protected files: the policy, the calendar, the settings, roots.
public struct AdministrativeChange: Sendable {
    /// One changed protected file and the admin signatures over its new bytes.
    public struct File: Sendable {
        public let path: String
        /// Signatures that verified, by keys of the policy in force (the parent commit's).
        public let signers: [VerifiedSignature]
        /// Why the signature file could not be used, when it could not.
        public let problem: Message?
        /// A revocation list: signed by its CA, it needs no admin (its signature is checked
        /// each time it is used).
        public let selfAuthenticating: Bool

        public init(path: String, signers: [VerifiedSignature], problem: Message?, selfAuthenticating: Bool = false) {
            self.path = path
            self.signers = signers
            self.problem = problem
            self.selfAuthenticating = selfAuthenticating
        }
    }

    /// What the store found wrong with a proposed file as it read it.
    public enum Problem: Sendable {
        /// It does not read as what its path says it is (the reader's message).
        case unreadable(path: String, Message)
        /// A signature file (`<file>.sig`) whose file is not there: it signs nothing.
        case signatureWithoutFile(file: String)
        /// An office calendar whose `year:` is not the year of its name.
        case calendarYear(path: String, found: Int, expected: Int)
    }

    /// A revocation list proposed: its bytes and the ones it replaces (nil: new).
    public struct RevocationListProposal: Sendable {
        public let path: String
        public let bytes: Data
        public let previous: Data?

        public init(path: String, bytes: Data, previous: Data?) {
            self.path = path
            self.bytes = bytes
            self.previous = previous
        }
    }

    public let files: [File]
    /// The policy in force and the proposed one, when `trust/policy.yaml` changes.
    public let policy: (old: Policy, new: Policy)?
    /// The settings in force and the proposed ones, when `webjcase.yaml` changes.
    public let config: (old: RepositoryConfig, new: RepositoryConfig)?
    /// What did not read.
    public let problems: [Problem]
    /// The revocation lists proposed.
    public let revocationLists: [RevocationListProposal]
    /// The changed roots and issuing CAs: after each, the issuing CAs must still chain to a root.
    public let changedAuthorities: [String]
    /// The roots and issuing CAs of the proposed tree (when lists or authorities change).
    public let authorities: TrustAuthorities?
    /// The test roots (made by `webjcase pki test-ca`) of the proposed tree.
    public let testRoots: [String]

    public init(files: [File], policy: (old: Policy, new: Policy)?, config: (old: RepositoryConfig, new: RepositoryConfig)?,
                problems: [Problem] = [], revocationLists: [RevocationListProposal] = [], changedAuthorities: [String] = [],
                authorities: TrustAuthorities? = nil, testRoots: [String] = []) {
        self.files = files
        self.policy = policy
        self.config = config
        self.problems = problems
        self.revocationLists = revocationLists
        self.changedAuthorities = changedAuthorities
        self.authorities = authorities
        self.testRoots = testRoots
    }
}

/// One case of an organization, as the cross-case rules see it.
public struct OrganizationCase: Sendable {
    public let id: CaseID
    /// Its step documents, in order.
    public let steps: [StepDocument]

    public init(id: CaseID, steps: [StepDocument]) {
        self.id = id
        self.steps = steps
    }

    /// The actions of its steps, in order.
    public var history: [Action] { steps.map(\.action) }

    /// Whether its last step ended it.
    public var isFinal: Bool { steps.last?.action.isFinal ?? false }
}
