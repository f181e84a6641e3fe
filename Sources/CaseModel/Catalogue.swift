/// Every message a person reads, in English and Traditional Chinese (zh-TW).
///
/// One catalogue, no strings scattered in code: commands, the validator and reports
/// name a `MessageID`; `CatalogueTests` fails when an id lacks either language or the
/// two languages use different placeholders.
public enum MessageID: String, Sendable, CaseIterable {
    // Reading YAML
    case yamlTooLarge = "yaml.too-large"
    case yamlInvalidUTF8 = "yaml.invalid-utf8"
    case yamlSyntax = "yaml.syntax"
    case yamlAnchor = "yaml.anchor"
    case yamlAlias = "yaml.alias"
    case yamlTag = "yaml.tag"
    case yamlMergeKey = "yaml.merge-key"
    case yamlComplexKey = "yaml.complex-key"
    case yamlDuplicateKey = "yaml.duplicate-key"
    case yamlUnknownKey = "yaml.unknown-key"
    case yamlMissingKey = "yaml.missing-key"
    case yamlWrongType = "yaml.wrong-type"
    case yamlBadDate = "yaml.bad-date"
    case yamlBadTimestamp = "yaml.bad-timestamp"
    case yamlBadValue = "yaml.bad-value"
    case yamlTooDeep = "yaml.too-deep"
    case yamlDocumentCount = "yaml.document-count"

    // Files and input
    case fileUnreadable = "file.unreadable"
    case fileExists = "file.exists"
    case fileWriteFailed = "file.write-failed"

    // Keys and signatures
    case keyMalformed = "key.malformed"
    case keyEncrypted = "key.encrypted"
    case keyPermissions = "key.permissions"
    case keyCreated = "key.created"
    case signatureMissing = "signature.missing"
    case documentNoSigningTime = "document.no-signing-time"
    case signatureGoodCertificate = "signature.good-certificate"
    case certificateMalformed = "certificate.malformed"
    case certificateExpired = "certificate.expired"
    case certificateNotYetValid = "certificate.not-yet-valid"
    case certificateUsage = "certificate.usage"
    case certificateUntrusted = "certificate.untrusted"
    case certificateRevoked = "certificate.revoked"
    case certificateRevokedAfterSigning = "certificate.revoked-after-signing"
    case certificateOrganization = "certificate.organization"
    case certificateNotXCA = "certificate.not-xca"
    case certificateTestRoot = "certificate.test-root"
    case pkiCreated = "pki.created"
    case signatureMalformed = "signature.malformed"
    case signatureBad = "signature.bad"
    case signatureDigestMismatch = "signature.digest-mismatch"
    case signatureUnknownKey = "signature.unknown-key"
    case signatureWrote = "signature.wrote"
    case signatureGood = "signature.good"

    // Repositories and configuration
    case repoNotFound = "repo.not-found"
    case repoNotCaseRepository = "repo.not-case-repository"
    case repoExists = "repo.exists"
    case repoNodeNotConfigured = "repo.node-not-configured"
    case repoRefMoved = "repo.ref-moved"
    case repoBusy = "repo.busy"
    case repoRecovered = "repo.recovered"
    case repoGit = "repo.git"
    case repoObjectMismatch = "repo.object-mismatch"
    case repoInitialized = "repo.initialized"
    case repoWorkTreeDirty = "repo.work-tree-dirty"
    case repoCloned = "repo.cloned"
    case repoUnreachable = "repo.unreachable"
    case syncPushFailed = "sync.push-failed"
    case policyPinMismatch = "policy.pin-mismatch"
    case optionInvalid = "option.invalid"

    // Policy and clock
    case policyInvalid = "policy.invalid"
    case policyIdentity = "policy.identity"
    case policyProblemName = "policy.problem.name"
    case policyProblemDuplicate = "policy.problem.duplicate"
    case policyProblemNoRoles = "policy.problem.no-roles"
    case policyProblemJurisdiction = "policy.problem.jurisdiction"
    case policyProblemAgencyJurisdiction = "policy.problem.agency-jurisdiction"
    case policyProblemKey = "policy.problem.key"
    case policyProblemKeyReused = "policy.problem.key-reused"
    case policyProblemCertificate = "policy.problem.certificate"
    case policyProblemNodeCertificate = "policy.problem.node-certificate"
    case policyProblemKeyOrCertificate = "policy.problem.key-or-certificate"
    case policyNodeMissing = "policy.node-missing"
    case policyNodeKeyMismatch = "policy.node-key-mismatch"
    case policyUnknownSigner = "policy.unknown-signer"
    case policyFingerprint = "policy.fingerprint"
    case clockProduction = "clock.production"
    case clockInvalid = "clock.invalid"
    case calendarMissing = "calendar.missing"

    // Cases and steps
    case caseNotFound = "case.not-found"
    case caseBadID = "case.bad-id"
    case caseBadOrganization = "case.bad-organization"
    case caseOpened = "case.opened"
    case actionUnknown = "action.unknown"
    case stepRecorded = "step.recorded"
    case attachmentUnreadable = "attachment.unreadable"
    case attachmentType = "attachment.type"
    case attachmentTooLarge = "attachment.too-large"
    case attachmentCommitTooLarge = "attachment.commit-too-large"
    case attachmentName = "attachment.name"

    // Validator rules (the findings' messages; the rule ids are in `RuleID`)
    case rulePath = "rule.path"
    case ruleMode = "rule.mode"
    case ruleAppendOnly = "rule.append-only"
    case ruleOneStep = "rule.one-step"
    case ruleMerge = "rule.merge"
    case ruleNameCollision = "rule.name-collision"
    case ruleCaseFile = "rule.case-file"
    case ruleCaseMissing = "rule.case-missing"
    case ruleOpenOrder = "rule.open-order"
    case ruleHeader = "rule.header"
    case ruleKeyRevoked = "rule.key-revoked"
    case ruleAdminSeparate = "rule.admin-separate"
    case ruleAdminDelete = "rule.admin-delete"
    case ruleAdminThreshold = "rule.admin-threshold"
    case ruleAdminSignatureMissing = "rule.admin-signature-missing"
    case rulePolicyVersion = "rule.policy-version"
    case rulePolicyNodes = "rule.policy-nodes"
    case ruleWorkflowOrder = "rule.workflow-order"
    case ruleOrganizationStatus = "rule.organization-status"
    case ruleOneOpenApplication = "rule.one-open-application"
    case ruleWorkflowRole = "rule.workflow-role"
    case ruleCorrectBy = "rule.correct-by"
    case ruleTransferTarget = "rule.transfer-target"
    case ruleCRLRollback = "rule.crl-rollback"
    case ruleSignatureWithoutFile = "rule.signature-without-file"
    case ruleCommitTimeNow = "rule.commit-time-now"
    case ruleCommitTimeParent = "rule.commit-time-parent"
    case ruleCommitTimeStep = "rule.commit-time-step"
    case ruleTreeNames = "rule.tree-names"
    case ruleTreeTooDeep = "rule.tree-too-deep"
    case ruleTooManyFiles = "rule.too-many-files"
    case ruleCRLIssuer = "rule.crl-issuer"
    case ruleIssuingCA = "rule.issuing-ca"
    case ruleTransferUnknown = "rule.transfer-unknown"
    case hookInternal = "hook.internal"
    case hookTimeBudget = "hook.time-budget"
    case hookReceiptFailed = "hook.receipt-failed"
    case hubObjectCheck = "hub.object-check"
    case hubPackTooLarge = "hub.pack-too-large"
    case ruleUnjudgeable = "rule.unjudgeable"
    case ruleHistoryReplay = "rule.history-replay"
    case attachmentExists = "attachment.exists"
    case stepRecordedWorkTree = "step.recorded-work-tree"
    case ruleSettingsFixed = "rule.settings-fixed"
    case ruleCalendarYear = "rule.calendar-year"
    case ruleDocumentFile = "rule.document-file"
    case personalEntryDeleted = "personal.entry-deleted"
    case personalDeletionWrongJurisdiction = "personal.deletion-jurisdiction"
    case personalDeletionThreshold = "personal.deletion-threshold"
    case personalDeleted = "personal.deleted"
    case personalRequestWritten = "personal.request-written"
    case syncProgress = "sync.progress"
    case hubHealthy = "hub.healthy"
    case hubNotFound = "hub.not-found"
    case hubMayNotRead = "hub.may-not-read"
    case hubMayNotWrite = "hub.may-not-write"
    case hubFailed = "hub.failed"
    case hubTooLarge = "hub.too-large"
    case hubBusy = "hub.busy"
    case hubTimeout = "hub.timeout"
    case syncClockSkew = "sync.clock-skew"
    case syncTrust = "sync.trust"
    case personalEntryInvalid = "personal.entry-invalid"
    case personalEntryRemoved = "personal.entry-removed"
    case personalEntryChanged = "personal.entry-changed"
    case personalEntryTooLarge = "personal.entry-too-large"
    case personalPathInvalid = "personal.path-invalid"
    case personalTombstonesChanged = "personal.tombstones-changed"
    case personalRefNotMain = "personal.ref-not-main"
    case personalRefDeletion = "personal.ref-deletion"
    case personalNonFastForward = "personal.non-fast-forward"
    case personalCommitParents = "personal.commit-parents"
    case personalCommitUnsigned = "personal.commit-unsigned"
    case personalCommitBadSignature = "personal.commit-bad-signature"
    case personalCommitSigner = "personal.commit-signer"
    case personalCommitNotPusher = "personal.commit-not-pusher"
    case personalCommitter = "personal.committer"
    case personalNoPolicy = "personal.no-policy"
    case personalCommitTooLarge = "personal.commit-too-large"
    case personalTreeTooLarge = "personal.tree-too-large"
    case personalObjectUnreferenced = "personal.object-unreferenced"
    case syncPersonal = "sync.personal"
    case syncPacks = "sync.packs"
    case syncPacksFailed = "sync.packs-failed"
    case rulePusher = "rule.pusher"
    case ruleReceiptClaim = "rule.receipt-claim"
    case ruleReceiptDelay = "rule.receipt-delay"
    case ruleRevokedAfterReceipt = "rule.revoked-after-receipt"
    case syncRefused = "sync.refused"
    case syncBudget = "sync.budget"
    case syncHostile = "sync.hostile"
    case syncReceived = "sync.received"
    case syncCase = "sync.case"
    case syncConflict = "sync.conflict"
    case syncPushed = "sync.pushed"
    case syncUpToDate = "sync.up-to-date"
    case conflictUnknown = "conflict.unknown"
    case conflictsNone = "conflicts.none"
    case ruleReceipt = "rule.receipt"
    case problemReceiptUnreadable = "problem.receipt-unreadable"
    case problemReceiptChain = "problem.receipt-chain"
    case problemReceiptSigner = "problem.receipt-signer"
    case problemReceiptHistory = "problem.receipt-history"
    case receiptUnreadable = "receipt.unreadable"
    case receiptWritten = "receipt.written"
    case hubKeyNotInPolicy = "hub.key-not-in-policy"
    case hubInitialized = "hub.initialized"
    case hubListening = "hub.listening"
    case hubToken = "hub.token"
    case ruleDocumentFormat = "rule.document-format"
    case ruleDocumentRequest = "rule.document-request"
    case ruleDocumentNotGiven = "rule.document-not-given"
    case ruleOpenPartForeign = "rule.open-part-foreign"
    case personalDisclosureMismatch = "personal.disclosure-mismatch"
    case personalCommitted = "personal.committed"
    case ruleDocumentOrganization = "rule.document-organization"
    case ruleDocumentSignedLater = "rule.document-signed-later"
    case ruleDocumentAnnex = "rule.document-annex"
    case ruleDocumentUnsigned = "rule.document-unsigned"
    case ruleDocumentNoCertificate = "rule.document-no-certificate"
    case ruleDocumentKind = "rule.document-kind"
    case rulePersonalValue = "rule.personal-value"
    case personalWithheld = "personal.withheld"
    case personalHeld = "personal.held"
    case personalMissing = "personal.missing"
    case personalMismatch = "personal.mismatch"
    case dueNothing = "due.nothing"
    case dueCorrection = "due.correction"
    case dueAuditDeadline = "due.audit-deadline"
    case dueImprovementDeadline = "due.improvement-deadline"
    case dueServiceDisable = "due.service-disable"
    case dueTermination = "due.termination"
    case dueTerminationNotice = "due.termination-notice"
    case ruleCaseKindAgency = "rule.case-kind-agency"
    case ruleCaseKindCentre = "rule.case-kind-centre"
    case ruleAnnexesMissing = "rule.annexes-missing"
    case ruleDocumentReplayed = "rule.document-replayed"
    case ruleEvaluationMissing = "rule.evaluation-missing"
    case ruleEvaluationUnfavourable = "rule.evaluation-unfavourable"
    case ruleOpenEnforcement = "rule.open-enforcement"
    case ruleOpenSection = "rule.open-section"
    case ruleAuditClose = "rule.audit-close"
    case ruleGrounds = "rule.grounds"
    case ruleAuditNotClosed = "rule.audit-not-closed"
    case ruleAuditCompliant = "rule.audit-compliant"
    case ruleAuditDeadlineNotPassed = "rule.audit-deadline-not-passed"
    case ruleRevocationCase = "rule.revocation-case"
    case ruleNotice = "rule.notice"
    case ruleRecordedTime = "rule.recorded-time"
    case ruleLateReply = "rule.late-reply"
    case ruleExtensionLate = "rule.extension-late"
    case ruleExtensionEarlier = "rule.extension-earlier"
    case ruleExtensionPending = "rule.extension-pending"
    case ruleExtensionNoRequest = "rule.extension-no-request"
    case ruleExtensionDeniedDate = "rule.extension-denied-date"
    case ruleTrackingOutside = "rule.tracking-outside"
    case ruleTracker = "rule.tracker"
    case ruleTrackingLimit = "rule.tracking-limit"
    case rulePhoneNothingToConfirm = "rule.phone-nothing"
    case rulePhoneBeforeReply = "rule.phone-before-reply"
    case ruleResolveNoReply = "rule.resolve-no-reply"
    case ruleResolveUnconfirmed = "rule.resolve-unconfirmed"
    case ruleResolveNotTracked = "rule.resolve-not-tracked"
    case ruleMustTerminateTrackings = "rule.must-terminate-trackings"
    case ruleMustTerminateDeadline = "rule.must-terminate-deadline"
    case ruleTerminationEarly = "rule.termination-early"
    case ruleTerminationDate = "rule.termination-date"
    case ruleArchivesEarly = "rule.archives-early"
    case problemCompliantExtras = "problem.compliant-extras"
    case problemFindingFirst = "problem.finding-first"
    case problemDeadlineNotAfter = "problem.deadline-not-after"
    case problemDeadlineMissing = "problem.deadline-missing"
    case problemItems = "problem.items"
    case problemFacts = "problem.facts"
    case problemEvidence = "problem.evidence"
    case problemNotVerified = "problem.not-verified"
    case problemNoItems = "problem.no-items"
    case problemItemNumbers = "problem.item-numbers"
    case problemTracker = "problem.tracker"
    case trustProposal = "trust.proposal"
    case trustCommitted = "trust.committed"
    case trustNothing = "trust.nothing"
    case ruleStepFiles = "rule.step-files"
    case ruleSignerJurisdiction = "rule.signer-jurisdiction"
    case ruleSignerRetired = "rule.signer-retired"
    case ruleFirstCommitPath = "rule.first-commit-path"
    case repoFormat = "repo.format"
    case ruleSignerRole = "rule.signer-role"
    case ruleStepFileName = "rule.step-file-name"
    case ruleAttachmentUnlisted = "rule.attachment-unlisted"
    case ruleAttachmentMissing = "rule.attachment-missing"
    case ruleLocation = "rule.location"
    case ruleSequence = "rule.sequence"
    case rulePrevious = "rule.previous"
    case ruleTimeOrder = "rule.time-order"
    case ruleTimeFuture = "rule.time-future"
    case ruleSigner = "rule.signer"
    case ruleActionKind = "rule.action-kind"
    case ruleFinal = "rule.final"
    case ruleCommitUnsigned = "rule.commit-unsigned"
    case ruleCommitBadSignature = "rule.commit-bad-signature"
    case ruleCommitSigner = "rule.commit-signer"
    case ruleCommitter = "rule.committer"
    case ruleTrailers = "rule.trailers"
    case ruleRefNotMain = "rule.ref-not-main"
    case ruleRefDeletion = "rule.ref-deletion"
    case ruleNonFastForward = "rule.non-fast-forward"
    case ruleRootCommit = "rule.root-commit"

    // Points 4 to 9 as the text reads them (rejection grounds, replies, closing, evaluations)
    case ruleDeadlineUndecidable = "rule.deadline-undecidable"
    case ruleExtensionNoReason = "rule.extension-no-reason"
    case ruleReply = "rule.reply"
    case problemReplyMissingItems = "problem.reply-missing-items"
    case problemReplyUnknownItems = "problem.reply-unknown-items"
    case problemReplyItemTwice = "problem.reply-item-twice"
    case problemReplyBlankHandling = "problem.reply-blank-handling"
    case problemReplyNoEvidence = "problem.reply-no-evidence"
    case ruleResolveItemsUnanswered = "rule.resolve-items-unanswered"
    case ruleEnforcementClose = "rule.enforcement-close"
    case problemCloseAfterMeasure = "problem.close-after-measure"
    case problemCloseNotCancelled = "problem.close-not-cancelled"
    case problemCloseNote = "problem.close-note"
    case ruleReject = "rule.reject"
    case problemRejectNoBasis = "problem.reject-no-basis"
    case problemRejectNotUncorrectable = "problem.reject-not-uncorrectable"
    case problemRejectMissingReceived = "problem.reject-missing-received"
    case ruleEvaluationCases = "rule.evaluation-cases"
    case termActionEnforcementClose = "term.action.enforcement.close"

    // Command results
    case validateClean = "validate.clean"
    case validateRefused = "validate.refused"
    case validateRecorded = "validate.recorded"
    case verifyBroken = "verify.broken"
    case logEmpty = "log.empty"
    case statusEmpty = "status.empty"

    // Office calendars, provisional deadlines and deadlines as people read them
    case deadlineBy = "deadline.by"
    case deadlineMovedRest = "deadline.moved-rest"
    case deadlineMovedClosure = "deadline.moved-closure"
    case deadlineSaturday = "deadline.saturday"
    case deadlineProvisional = "deadline.provisional"
    case weekdaySunday = "weekday.sunday"
    case weekdayMonday = "weekday.monday"
    case weekdayTuesday = "weekday.tuesday"
    case weekdayWednesday = "weekday.wednesday"
    case weekdayThursday = "weekday.thursday"
    case weekdayFriday = "weekday.friday"
    case weekdaySaturday = "weekday.saturday"
    case dueLabelCorrection = "due.label.correction"
    case dueLabelAuditDeadline = "due.label.audit-deadline"
    case dueLabelImprovementDeadline = "due.label.improvement-deadline"
    case dueLabelServiceDisable = "due.label.service-disable"
    case dueLabelTermination = "due.label.termination"
    case dueLabelTerminationNotice = "due.label.termination-notice"
    case dueSummary = "due.summary"
    case dueSummaryProvisional = "due.summary-provisional"
    case dueSummaryNoon = "due.summary-noon"
    case calendarImported = "calendar.imported"
    case calendarImportReplaced = "calendar.import-replaced"
    case calendarImportExists = "calendar.import-exists"
    case calendarImportBare = "calendar.import-bare"
    case calendarImportHeader = "calendar.import-header"
    case calendarImportFields = "calendar.import-fields"
    case calendarImportDate = "calendar.import-date"
    case calendarImportYear = "calendar.import-year"
    case calendarImportDuplicate = "calendar.import-duplicate"
    case calendarImportValue = "calendar.import-value"
    case calendarImportWeekday = "calendar.import-weekday"
    case calendarImportCount = "calendar.import-count"
    case calendarImportMissingDay = "calendar.import-missing-day"
    case calendarImportEncoding = "calendar.import-encoding"
    case calendarClosureIgnored = "calendar.closure-ignored"

    // What may happen next in a case (`webjcase next`, the dossier's box)
    case nextNoSigner = "next.no-signer"
    case nextHeader = "next.header"
    case nextFinal = "next.final"
    case nextNowHeading = "next.now"
    case nextLaterHeading = "next.later"
    case nextRefusedHeading = "next.refused"
    case nextOption = "next.option"
    case nextWhoRoles = "next.who-roles"
    case nextWhoTracker = "next.who-tracker"
    case nextBy = "next.by"
    case nextDeadlineImprovement = "next.deadline.improvement-period"
    case nextDeadlineCorrectBy = "next.deadline.correct-by"
    case nextUntil = "next.until"
    case nextFrom = "next.from"
    case nextOutcomeFrom = "next.outcome-from"
    case nextRecordedFrom = "next.recorded-from"
    case nextCleanFrom = "next.clean-from"
    case nextRecordedWith = "next.recorded-with"
    case nextWaiting = "next.waiting-on-applicant"
    case nextNothingNow = "next.nothing-now"
    case nextStuck = "next.stuck"
    case reportNext = "report.next"

    // Organization ids as the XCA issues them, and the XCA's issuer names in the policy
    case caseBadXCAOID = "case.bad-xca-oid"
    case signatureOrganization = "signature.organization"
    case policyApplicantIssuer = "policy.applicant-issuer"

    // Signing with a card through PKCS#11 (`sign --pkcs11`)
    case cardModuleMissing = "card.module-missing"
    case cardModuleNotPKCS11 = "card.module-not-pkcs11"
    case cardModuleFailed = "card.module-failed"
    case cardNoToken = "card.no-token"
    case cardSlotMissing = "card.slot-missing"
    case cardPINIncorrect = "card.pin-incorrect"
    case cardPINLocked = "card.pin-locked"
    case cardKeyMissing = "card.key-missing"
    case cardKeyNotRSA = "card.key-not-rsa"
    case cardCertificateMissing = "card.certificate-missing"
    case cardSignFailed = "card.sign-failed"
    case cardKeyNotCertificate = "card.key-not-certificate"
    case cardPINFilePermissions = "card.pin-file-permissions"
    case cardPINFileEmpty = "card.pin-file-empty"
    case cardPINNoTerminal = "card.pin-no-terminal"
    case cardPINPrompt = "card.pin-prompt"
    case cardSigned = "card.signed"

    // Detached CMS signatures (`<doc>.p7s`) of applicant documents
    case cmsMalformed = "cms.malformed"
    case cmsGood = "cms.good"
    case ruleCMSSigningTime = "rule.cms-signing-time"

    // Writing a detached CMS signature (sign --cms)
    case cmsWrote = "cms.wrote"
    case cmsNeedsCertificate = "cms.needs-certificate"

    // The dossier's applicant-document certificates
    case reportCertOrganizationID = "report.cert-organization-id"
    case reportCertIssuer = "report.cert-issuer"
    case reportCertSerial = "report.cert-serial"
    case reportCertValidity = "report.cert-validity"
    case reportCertValidityRange = "report.cert-validity-range"
    case reportCertFormSignedAt = "report.cert-form-signed-at"
    case reportCertValidAtSigning = "report.cert-valid-at-signing"
    case reportCertNotValidAtSigning = "report.cert-not-valid-at-signing"
    case reportCertNoSigningTime = "report.cert-no-signing-time"
    case reportCertCMSSigningTime = "report.cert-cms-signing-time"
    case reportCertForm = "report.cert-form"
    case reportCertFormEnvelope = "report.cert-form-envelope"
    case reportCertFormCMS = "report.cert-form-cms"
    case reportCertNone = "report.cert-none"

    // The demo's story (DemoStory): a bad story names the beat
    case demoStoryStart = "demo-story.start"
    case demoStoryUnknownChapter = "demo-story.unknown-chapter"
    case demoStoryBeatKinds = "demo-story.beat-kinds"
    case demoStoryBadTime = "demo-story.bad-time"
    case demoStoryTimeBackwards = "demo-story.time-backwards"
    case demoStoryUnknownClone = "demo-story.unknown-clone"
    case demoStoryUnknownSigner = "demo-story.unknown-signer"
    case demoStoryBadKind = "demo-story.bad-kind"
    case demoStoryDuplicateName = "demo-story.duplicate-name"
    case demoStoryUnknownName = "demo-story.unknown-name"
    case demoStoryBadAction = "demo-story.bad-action"
    case demoStoryUnsignedForm = "demo-story.unsigned-form"

    // What people write into YAML by habit: tabs, misspelled keys, local dates
    case yamlTab = "yaml.tab"
    case yamlMisspelledKey = "yaml.misspelled-key"
    case yamlUnknownKeyClosest = "yaml.unknown-key-closest"
    case yamlBadValueNoChoices = "yaml.bad-value-no-choices"
    case yamlROCDate = "yaml.roc-date"
    case yamlSlashDate = "yaml.slash-date"

    // Node tokens: for nodes of the policy, readable by their owner only
    case hubTokenUnknownNode = "hub.token-unknown-node"
    case hubTokenWritten = "hub.token-written"
    case hubTokenOnTerminal = "hub.token-on-terminal"
    case hubTokenFileTightened = "hub.token-file-tightened"
    case policyKeyFileUnusable = "policy.key-file-unusable"
    case policyJurisdictionsDiffer = "policy.jurisdictions-differ"
    case policyWritten = "policy.written"
    case configProblems = "config.problems"
    case configProblemMissingKey = "config.problem-missing-key"
    case configValueInvalid = "config.value-invalid"
    case configFileMissing = "config.file-missing"
    case hubReloaded = "hub.reloaded"
    case hubReloadFailed = "hub.reload-failed"

    // The demo's narration
    case demoDone = "demo.done"
    case demoNotEmpty = "demo.not-empty"
    case demoStepFailed = "demo.step-failed"
    case demoChapterSetUp = "demo.chapter.set-up"
    case demoChapterRegistration = "demo.chapter.registration"
    case demoChapterChange = "demo.chapter.change"
    case demoChapterPause = "demo.chapter.pause"
    case demoChapterTransfer = "demo.chapter.transfer"
    case demoChapterAudit = "demo.chapter.audit"
    case demoChapterSuspension = "demo.chapter.suspension"
    case demoChapterTermination = "demo.chapter.termination"
    case demoChapterReapplication = "demo.chapter.reapplication"
    case demoChapterRecords = "demo.chapter.records"
    case demoHub = "demo.hub"
    case demoCloned = "demo.cloned"
    case demoStep = "demo.step"
    case demoStepRefused = "demo.step-refused"
    case demoFinding = "demo.finding"
    case demoSync = "demo.sync"
    case demoOrganization = "demo.organization"
    case demoDue = "demo.due"
    case demoHubStopped = "demo.hub-stopped"
    case demoDossiers = "demo.dossiers"
    case demoVerified = "demo.verified"
    case demoVerifyFailed = "demo.verify-failed"
    case demoTestPKI = "demo.test-pki"
    case demoTrustSigned = "demo.trust-signed"
    case demoTrustCommitted = "demo.trust-committed"
    case demoCardSigned = "demo.card-signed"
    case demoCardMissing = "demo.card-missing"
    case demoFileKeySigned = "demo.file-key-signed"

    // Reports (dossiers) and the words they use
    case reportTitle = "report.title"
    case reportSummary = "report.summary"
    case reportKind = "report.kind"
    case reportOrganization = "report.organization"
    case reportAuthority = "report.authority"
    case reportState = "report.state"
    case reportSubject = "report.subject"
    case reportOpenedBy = "report.opened-by"
    case reportTimeline = "report.timeline"
    case reportStep = "report.step"
    case reportAction = "report.action"
    case reportSigner = "report.signer"
    case reportRole = "report.role"
    case reportCertificate = "report.certificate"
    case reportKey = "report.key"
    case reportSignedAt = "report.signed-at"
    case reportReceivedAt = "report.received-at"
    case reportNoReceipt = "report.no-receipt"
    case reportNode = "report.node"
    case reportCommit = "report.commit"
    case reportDocuments = "report.documents"
    case reportDetails = "report.details"
    case reportMarkVerified = "report.mark-verified"
    case reportMarkRecorded = "report.mark-recorded"
    case reportMarkRefused = "report.mark-refused"
    case reportPersonal = "report.personal"
    case reportNotice = "report.notice"
    case reportNoticeLetter = "report.notice-letter"
    case reportItems = "report.items"
    case reportTracker = "report.tracker"
    case reportDeadline = "report.deadline"
    case reportDeadlineEnds = "report.deadline-ends"
    case reportDeadlineInForce = "report.deadline-in-force"
    case reportExtensions = "report.extensions"
    case reportRequestedAt = "report.requested-at"
    case reportRequestedUntil = "report.requested-until"
    case reportReason = "report.reason"
    case reportDecidedAt = "report.decided-at"
    case reportDecision = "report.decision"
    case reportGranted = "report.granted"
    case reportDenied = "report.denied"
    case reportPending = "report.pending"
    case reportReplies = "report.replies"
    case reportChannel = "report.channel"
    case reportReceived = "report.received"
    case reportConfirmed = "report.confirmed"
    case reportTrackingTable = "report.tracking-table"
    case reportRound = "report.round"
    case reportDate = "report.date"
    case reportResult = "report.result"
    case reportNotes = "report.notes"
    case reportTrackingCount = "report.tracking-count"
    case reportTermination = "report.termination"
    case reportTerminationDate = "report.termination-date"
    case reportDisableFrom = "report.disable-from"
    case reportDisabledAt = "report.disabled-at"
    case reportDue = "report.due"
    case reportFindings = "report.findings"
    case reportVerification = "report.verification"
    case reportGenerated = "report.generated"
    case reportIndexTitle = "report.index-title"
    case reportFilter = "report.filter"
    case reportAll = "report.all"
    case reportCases = "report.cases"
    case reportOrganizations = "report.organizations"
    case reportOrgStatus = "report.org-status"
    case reportSteps = "report.steps"
    case reportLast = "report.last"
    case reportWrote = "report.wrote"
    case reportCaseOrAll = "report.case-or-all"
    case reportResultCompleted = "report.result-completed"
    case reportResultIncomplete = "report.result-incomplete"
    case termKindREG = "term.kind.REG"
    case termKindCHG = "term.kind.CHG"
    case termKindPAU = "term.kind.PAU"
    case termKindCAN = "term.kind.CAN"
    case termKindAUD = "term.kind.AUD"
    case termKindENF = "term.kind.ENF"
    case termKindREV = "term.kind.REV"
    case termActionOpen = "term.action.open"
    case termActionSubmit = "term.action.submit"
    case termActionInitialForward = "term.action.initial.forward"
    case termActionInitialCorrection = "term.action.initial.correction"
    case termActionInitialReject = "term.action.initial.reject"
    case termActionInitialTransfer = "term.action.initial.transfer"
    case termActionCorrect = "term.action.correct"
    case termActionReapplicationEvaluation = "term.action.reapplication.evaluation"
    case termActionSecondaryApprove = "term.action.secondary.approve"
    case termActionSecondaryCorrection = "term.action.secondary.correction"
    case termActionSecondaryReject = "term.action.secondary.reject"
    case termActionWithdraw = "term.action.withdraw"
    case termActionAuditFinding = "term.action.audit.finding"
    case termActionAuditClose = "term.action.audit.close"
    case termActionSuspend = "term.action.suspend"
    case termActionImprovementReport = "term.action.improvement.report"
    case termActionImprovementPhoneConfirmation = "term.action.improvement.phone-confirmation"
    case termActionExtensionRequest = "term.action.extension.request"
    case termActionExtensionDecision = "term.action.extension.decision"
    case termActionTracking = "term.action.tracking"
    case termActionResolve = "term.action.resolve"
    case termActionTerminationNotice = "term.action.termination.notice"
    case termActionArchivesServiceDisabled = "term.action.archives.service-disabled"
    case termActionRevoke = "term.action.revoke"
    case termStateOpened = "term.state.opened"
    case termStateSubmitted = "term.state.submitted"
    case termStateCorrectionRequestedInitial = "term.state.correction-requested-initial"
    case termStateForwarded = "term.state.forwarded"
    case termStateCorrectionRequestedSecondary = "term.state.correction-requested-secondary"
    case termStateApproved = "term.state.approved"
    case termStateRejected = "term.state.rejected"
    case termStateTransferred = "term.state.transferred"
    case termStateWithdrawn = "term.state.withdrawn"
    case termStateClosed = "term.state.closed"
    case termStateImproving = "term.state.improving"
    case termStateImproved = "term.state.improved"
    case termStateTerminating = "term.state.terminating"
    case termStateTerminated = "term.state.terminated"
    case termStateRevoked = "term.state.revoked"
    case termOrgNone = "term.org.none"
    case termOrgActive = "term.org.active"
    case termOrgPaused = "term.org.paused"
    case termOrgCancelled = "term.org.cancelled"
    case termOrgSuspended = "term.org.suspended"
    case termOrgTerminated = "term.org.terminated"
    case termOrgRevoked = "term.org.revoked"
}

/// The text of one message in both languages. Placeholders are `{name}`.
public struct LocalizedText: Sendable {
    public let en: String
    public let zhTW: String

    public func text(_ language: Language) -> String {
        switch language {
        case .en: en
        case .zhTW: zhTW
        }
    }
}

public enum Catalogue {
    /// Fills `{name}` placeholders; a missing argument stays visible as `{name}`.
    public static func render(_ id: MessageID, _ arguments: [String: String], _ language: Language) -> String {
        guard let entry = entries[id] else { return id.rawValue }
        var text = entry.text(language)
        for (name, value) in arguments {
            text = text.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return text
    }

    /// Every entry: the messages and the words reports use.
    public static let entries: [MessageID: LocalizedText] = messages.merging(reportEntries) { first, _ in first }.merging(demoEntries) { first, _ in first }.merging(xcaEntries) { first, _ in first }.merging(cmsEntries) { first, _ in first }.merging(dossierCertificateEntries) { first, _ in first }
        .merging(demoStoryEntries) { first, _ in first }.merging(yamlHabitEntries) { first, _ in first }.merging(tokenEntries) { first, _ in first }
        .merging(ruleReadingEntries) { first, _ in first }.merging(calendarEntries) { first, _ in first }
        .merging(nextEntries) { first, _ in first }.merging(cardEntries) { first, _ in first }.merging(cmsSignEntries) { first, _ in first }

    static func t(_ en: String, _ zh: String) -> LocalizedText { LocalizedText(en: en, zhTW: zh) }

    private static let messages: [MessageID: LocalizedText] = [
        .yamlTooLarge: t("{file}: the file is {size} bytes; documents may be at most {limit} bytes. Split it, or move scans to attachments/.",
                         "{file}：檔案有 {size} 位元組，文件上限為 {limit} 位元組。請分拆文件，或將掃描檔移至 attachments/。"),
        .yamlInvalidUTF8: t("{file}:{line}: the file is not valid UTF-8. Save it as UTF-8 and try again.",
                            "{file}:{line}：檔案不是有效的 UTF-8 編碼。請以 UTF-8 儲存後再試。"),
        .yamlSyntax: t("{file}:{line}: this is not valid YAML ({problem}). Fix the syntax at that line.",
                       "{file}:{line}：YAML 語法錯誤（{problem}）。請修正該行的語法。"),
        .yamlAnchor: t("{file}:{line}: YAML anchors (&{name}) are not allowed in case documents. Write the value out in full.",
                       "{file}:{line}：案件文件不得使用 YAML 錨點（&{name}）。請直接寫出完整內容。"),
        .yamlAlias: t("{file}:{line}: YAML aliases (*{name}) are not allowed in case documents. Write the value out in full.",
                      "{file}:{line}：案件文件不得使用 YAML 別名（*{name}）。請直接寫出完整內容。"),
        .yamlTag: t("{file}:{line}: YAML tags ({tag}) are not allowed in case documents. Remove the tag; quote the value if it must stay text.",
                    "{file}:{line}：案件文件不得使用 YAML 標籤（{tag}）。請移除標籤；若須保持為文字，請加上引號。"),
        .yamlMergeKey: t("{file}:{line}: YAML merge keys (<<) are not allowed in case documents. Write every key out.",
                         "{file}:{line}：案件文件不得使用 YAML 合併鍵（<<）。請逐一寫出每個鍵。"),
        .yamlComplexKey: t("{file}:{line}: a mapping key must be plain text. Replace the key with a simple name.",
                           "{file}:{line}：對應的鍵必須是純文字。請改用簡單的名稱。"),
        .yamlDuplicateKey: t("{file}:{line}: the key `{key}` appears twice in the same mapping. Keep one of them.",
                             "{file}:{line}：同一對應中鍵「{key}」出現兩次。請只保留一個。"),
        .yamlUnknownKey: t("{file}:{line}: unknown key `{key}`. Allowed here: {allowed}. Check the spelling or remove it.",
                           "{file}:{line}：未知的鍵「{key}」。此處可用：{allowed}。請檢查拼字或刪除。"),
        .yamlMissingKey: t("{file}:{line}: the required key `{key}` is missing. Add it (`webjcase template ACTION` shows every field).",
                           "{file}:{line}：缺少必要的鍵「{key}」。請補上（`webjcase template 動作` 可列出所有欄位）。"),
        .yamlWrongType: t("{file}:{line}: `{field}` must be {expected}. Correct the value.",
                          "{file}:{line}：「{field}」必須是{expected}。請更正其值。"),
        .yamlBadDate: t("{file}:{line}: `{field}` is `{value}`, which is not a real date. Write an existing day as YYYY-MM-DD.",
                        "{file}:{line}：「{field}」的值「{value}」不是有效日期。請以 YYYY-MM-DD 寫出實際存在的日期。"),
        .yamlBadTimestamp: t("{file}:{line}: `{field}` is `{value}`, which is not a valid time. Write it as 2026-03-02T10:15:00+08:00.",
                             "{file}:{line}：「{field}」的值「{value}」不是有效時間。請寫成 2026-03-02T10:15:00+08:00 的格式。"),
        .yamlBadValue: t("{file}:{line}: `{field}` is `{value}`; allowed: {allowed}.",
                         "{file}:{line}：「{field}」的值「{value}」不在允許範圍內；可用：{allowed}。"),
        .yamlTooDeep: t("{file}:{line}: the document nests deeper than {limit} levels. Flatten it.",
                        "{file}:{line}：文件巢狀層數超過 {limit} 層。請簡化結構。"),
        .yamlDocumentCount: t("{file}: a case document holds exactly one YAML document. Remove the extra `---` sections or add content.",
                              "{file}：案件文件必須恰好包含一份 YAML 文件。請移除多餘的 `---` 區段或補上內容。"),

        .fileUnreadable: t("{file}: cannot read the file ({reason}). Check the path and its permissions.",
                           "{file}：無法讀取檔案（{reason}）。請檢查路徑與權限。"),
        .fileExists: t("{file} already exists; nothing was overwritten. Choose another name or remove it first.",
                       "{file} 已存在，未覆寫任何內容。請改用其他名稱或先移除該檔。"),
        .fileWriteFailed: t("{file}: cannot write the file ({reason}). Nothing was changed.",
                            "{file}：無法寫入檔案（{reason}），未變更任何內容。"),

        .keyMalformed: t("{file}: not a usable key ({detail}). Use a key made by `webjcase keys new NAME` or ssh-keygen -t ed25519.",
                         "{file}：不是可用的金鑰（{detail}）。請使用 `webjcase keys new 名稱` 或 ssh-keygen -t ed25519 產生的金鑰。"),
        .keyEncrypted: t("{file}: the private key is protected by a passphrase, which webjcase cannot use. Make an unencrypted copy (ssh-keygen -p -N \"\") kept on protected storage.",
                         "{file}：私鑰設有密碼，webjcase 無法使用。請製作未加密的副本（ssh-keygen -p -N \"\"），並存放於受保護的儲存裝置。"),
        .keyPermissions: t("{file}: the private key can be read by other users. Run `chmod 600 {file}`.",
                           "{file}：其他使用者可讀取此私鑰。請執行 `chmod 600 {file}`。"),
        .keyCreated: t("Wrote the private key {private} (mode 0600) and the public key {public}; fingerprint {fingerprint}. Give the public key to your policy admins.",
                       "已寫入私鑰 {private}（權限 0600）與公鑰 {public}；指紋 {fingerprint}。請將公鑰交給政策管理者。"),
        .certificateMalformed: t("{file}: a certificate or revocation list cannot be read ({detail}). Attach the signer's chain as DER or PEM.",
                                 "{file}：無法讀取憑證或廢止清冊（{detail}）。請附上簽署者的 DER 或 PEM 憑證串鏈。"),
        .certificateExpired: t("{file}: the signer's certificate had expired at the signing time ({detail}). A certificate signs only while it is valid.",
                               "{file}：簽署時簽署者的憑證已過期（{detail}）。憑證僅在有效期間內可簽署。"),
        .certificateNotYetValid: t("{file}: the signer's certificate was not yet valid at the signing time ({detail}). Check the signing time and the certificate.",
                                   "{file}：簽署時簽署者的憑證尚未生效（{detail}）。請檢查簽署時間與憑證。"),
        .certificateUsage: t("{file}: the certificate may not sign documents ({detail}): it lacks the digitalSignature key usage or is a CA. Sign with the signing certificate.",
                             "{file}：此憑證不得簽署文件（{detail}）：缺少 digitalSignature 金鑰用途或為憑證機構。請使用簽章用憑證簽署。"),
        .certificateUntrusted: t("{file}: the signer's certificate does not chain to a root in trust/roots ({detail}). Attach the full chain, or ask the admins to add the root.",
                                 "{file}：簽署者的憑證無法串鏈至 trust/roots 中的根憑證（{detail}）。請附上完整串鏈，或請管理者加入該根憑證。"),
        .certificateRevoked: t("{file}: the signer's certificate was revoked before the signing time ({detail}). The signature does not count.",
                               "{file}：簽署者的憑證在簽署時間之前已被廢止（{detail}）。此簽章無效。"),
        .certificateRevokedAfterSigning: t("{file}: the signer's certificate was revoked after the claimed signing time ({detail}); the signature counts only when a hub receipt from before the revocation covers it.",
                                           "{file}：簽署者的憑證在所稱簽署時間之後被廢止（{detail}）；僅在有廢止前的中樞收據涵蓋時，此簽章才有效。"),
        .certificateOrganization: t("{file}: the certificate is for another organization ({detail}). An applicant signs only for the organization in its own certificate.",
                                    "{file}：此憑證屬於其他機關團體（{detail}）。申請者只能為其憑證上的機關團體簽署。"),
        .certificateNotXCA: t("{file}: the certificate was not issued by the XCA (C=TW, O=行政院, OU=組織及團體憑證管理中心) ({detail}). Applicants sign with their XCA organization certificate.",
                              "{file}：此憑證非由組織及團體憑證管理中心（XCA）簽發（{detail}）。申請者須以其 XCA 機關團體憑證簽署。"),
        .certificateTestRoot: t("{file}: a TEST root is in trust/roots, and this repository's policy is in production mode ({detail}). Remove the test root: test certificates prove nothing.",
                                "{file}：trust/roots 中有測試用根憑證，而本儲存庫政策為正式模式（{detail}）。請移除測試根憑證：測試憑證不具任何證明力。"),
        .pkiCreated: t("Wrote a TEST PKI in {path}: root {root} (NOT FOR PRODUCTION), an XCA-like intermediate, {organizations} organization and {staff} staff certificates with their keys.",
                       "已於 {path} 建立測試用 PKI：根憑證 {root}（不得用於正式環境）、仿 XCA 中繼憑證，以及 {organizations} 張機關團體憑證與 {staff} 張人員憑證及其金鑰。"),
        .documentNoSigningTime: t("{file}: the document states no signing time (`signedAt:`), so its certificate cannot be judged. The signer writes signedAt into the document before signing.",
                                  "{file}：文件未載明簽署時間（`signedAt:`），無法判斷其憑證。簽署者須於簽署前在文件中寫入 signedAt。"),
        .signatureGoodCertificate: t("{file}: good signature by {subject} (certificate {fingerprint}, issued by {issuer}), valid at the signing time.",
                                     "{file}：{subject} 的簽章有效（憑證 {fingerprint}，簽發者 {issuer}），於簽署時間有效。"),
        .signatureMissing: t("{file}: there is no signature file {signature}. Sign it with `webjcase sign {file} --key KEY`.",
                             "{file}：找不到簽章檔 {signature}。請以 `webjcase sign {file} --key 金鑰` 簽署。"),
        .signatureMalformed: t("{file}: the signature file is not a valid envelope ({detail}). Sign the document again.",
                               "{file}：簽章檔不是有效的信封格式（{detail}）。請重新簽署文件。"),
        .signatureBad: t("{file}: the signature by {keyid} does not match the document: the document changed after signing, or the signature belongs to another file. Restore the signed version, or have the signer sign again.",
                         "{file}：{keyid} 的簽章與文件不符：文件在簽署後遭修改，或簽章屬於其他檔案。請還原已簽署的版本，或請簽署者重新簽署。"),
        .signatureDigestMismatch: t("{file}: the document's sha256 is not the one its signature covers: the document changed after signing, or the signature belongs to another file. Restore the signed version, or have the signer sign again.",
                                    "{file}：文件的 sha256 與簽章所涵蓋者不同：文件在簽署後遭修改，或簽章屬於其他檔案。請還原已簽署的版本，或請簽署者重新簽署。"),
        .signatureUnknownKey: t("{file}: signed by {keyid}, which is not a key you asked to trust. Give the signer's public key with --key, or check who signed it.",
                                "{file}：簽署金鑰為 {keyid}，並非指定信任的金鑰。請以 --key 提供簽署者的公鑰，或確認簽署者。"),
        .signatureWrote: t("Signed {file} with {keyid}: wrote {signature}.",
                           "已以 {keyid} 簽署 {file}：寫入 {signature}。"),
        .signatureGood: t("{file}: good signature by {keyid}.",
                          "{file}：{keyid} 的簽章有效。"),

        .repoNotFound: t("{path}: no git repository here. Give the case repository with --repo, or run `webjcase init` first.",
                         "{path}：此處沒有 git 儲存庫。請以 --repo 指定案件儲存庫，或先執行 `webjcase init`。"),
        .repoNotCaseRepository: t("{path}: this git repository is not a webjcase case repository ({missing} is missing). Give the right one with --repo.",
                                  "{path}：此 git 儲存庫不是 webjcase 案件儲存庫（缺少 {missing}）。請以 --repo 指定正確的儲存庫。"),
        .repoExists: t("{path} already holds a repository or files; nothing was changed. Choose an empty or new directory.",
                       "{path} 已有儲存庫或檔案，未變更任何內容。請選擇空的或新的目錄。"),
        .repoNodeNotConfigured: t("{path}: this clone has no node configuration (`{key}` is missing from its git config). Run `webjcase init` or `webjcase clone` to make a node.",
                                  "{path}：此複本沒有節點設定（git 設定缺少「{key}」）。請以 `webjcase init` 或 `webjcase clone` 建立節點。"),
        .repoRefMoved: t("{ref} moved while this step was being recorded (another command wrote to the repository). Nothing was committed; run the command again.",
                         "記錄此步驟時 {ref} 已被其他指令更動。未提交任何內容；請重新執行指令。"),
        .repoBusy: t("Another webjcase command ({holder}) is writing to {path} and did not finish within {seconds} s. Nothing was changed; run the command again when it is done.",
                     "另一個 webjcase 指令（{holder}）正在寫入 {path}，{seconds} 秒內未結束。未更動任何內容；請待其結束後重新執行指令。"),
        .repoRecovered: t("An earlier command ({holder}) stopped before it finished; cleaned up after it: {detail}.",
                          "先前的指令（{holder}）未完成即中止；已清理其遺留：{detail}。"),
        .repoGit: t("git failed: {detail}",
                    "git 操作失敗：{detail}"),
        .repoObjectMismatch: t("An object in the repository does not hold the bytes its id names ({detail}): the repository is damaged or was altered, and nothing read from it can be trusted. Nothing was changed; restore it from the hub or a backup (`webjcase clone` checks every object it fetches), then verify again.",
                               "儲存庫中有物件的內容與其識別碼不符（{detail}）：儲存庫已損毀或遭竄改，其內容皆不可信。未更動任何內容；請自中心或備份還原（`webjcase clone` 會檢查其取得的每個物件）後重新驗證。"),
        .repoInitialized: t("Initialized the case repository for {jurisdiction} in {path} (commit {commit}). Policy fingerprint: {fingerprint}. Nodes pin this fingerprint when they clone.",
                            "已於 {path} 建立 {jurisdiction} 的案件儲存庫（提交 {commit}）。政策指紋：{fingerprint}。各節點複製時須釘選此指紋。"),
        .repoWorkTreeDirty: t("{path}: the work tree already has a different {detail}, which this commit would write. Nothing was committed; move your file aside and run the command again.",
                              "{path}：工作目錄中已有內容不同的 {detail}，而此提交將寫入該檔。未提交任何內容；請先移開您的檔案後重新執行指令。"),
        .repoCloned: t("Cloned {url} into {path} as node {node}: {count} commit(s) verified, policy pinned at {fingerprint}.",
                       "已將 {url} 複製至 {path}，節點為 {node}：已驗證 {count} 個提交，政策指紋釘選為 {fingerprint}。"),
        .repoUnreachable: t("{url}: cannot fetch the repository ({detail}). Check the address and the network; nothing was written.",
                            "{url}：無法取得儲存庫（{detail}）。請檢查位址與網路；未寫入任何內容。"),
        .syncPushFailed: t("{url}: the push did not go through ({detail}). The hub keeps what it had and this node keeps its steps; sync again later (if it persists, the hub's disk or limits may need its administrators).",
                           "{url}：推送未完成（{detail}）。中心保留原有內容，本節點保留其步驟；請稍後再同步（若持續發生，可能需由中心管理者檢查磁碟或限制）。"),
        .policyPinMismatch: t("The repository's first policy has fingerprint {found}, not the {pin} you were given. Nothing was kept. Confirm the fingerprint with the Centre by another channel.",
                              "此儲存庫的初始政策指紋為 {found}，與您取得的 {pin} 不符，未保留任何內容。請透過其他管道向智慧發展中心確認指紋。"),
        .optionInvalid: t("{option}: `{value}` is not valid; {expected}.",
                          "{option}：「{value}」無效；{expected}。"),

        .policyInvalid: t("{file}: `{field}` is `{value}`; it must be {expected}. Correct the policy and have the admins sign it again.",
                          "{file}：「{field}」為「{value}」；應為{expected}。請更正政策後請管理者重新簽署。"),
        .policyIdentity: t("{file}: identity `{name}`: {problem}. Correct the policy and have the admins sign it again.",
                           "{file}：身分「{name}」：{problem}。請更正政策後請管理者重新簽署。"),
        .policyProblemName: t("its name must be 1 to 64 ASCII letters, digits, `.`, `_` or `-`",
                              "名稱須為 1 至 64 個英數字、「.」、「_」或「-」"),
        .policyProblemDuplicate: t("the name appears more than once",
                                   "名稱重複出現"),
        .policyProblemNoRoles: t("it has no roles; give it at least one",
                                 "未設定任何角色；請至少給予一個"),
        .policyProblemJurisdiction: t("its jurisdiction must be 2 to 16 lowercase letters and digits, starting with a letter",
                                      "其轄區須為 2 至 16 個小寫英文字母與數字，並以字母開頭"),
        .policyProblemAgencyJurisdiction: t("an agency-node needs the jurisdiction it serves",
                                            "agency-node 須註明其服務的轄區"),
        .policyProblemKey: t("its key is not a usable public key line (`ssh-ed25519`, `ecdsa-sha2-nistp256` or `ssh-rsa` of 2048 bits or more)",
                             "其金鑰不是可用的公鑰（`ssh-ed25519`、`ecdsa-sha2-nistp256`，或 2048 位元以上的 `ssh-rsa`）"),
        .policyProblemKeyReused: t("its key is already another identity's; every identity has its own key",
                                   "其金鑰已屬於其他身分；每個身分須有自己的金鑰"),
        .policyProblemCertificate: t("its certificate must be `sha256:` and the 64 hex digits of the certificate's DER",
                                     "其憑證須為「sha256:」加上憑證 DER 的 64 位十六進位雜湊"),
        .policyProblemNodeCertificate: t("nodes and the hub sign commits with keys, not certificates; give it a `key`",
                                         "節點與中樞以金鑰而非憑證簽署提交；請改用「key」"),
        .policyProblemKeyOrCertificate: t("give exactly one of `key` (a public key line) and `certificate` (a certificate fingerprint)",
                                          "請恰好提供「key」（公鑰）與「certificate」（憑證指紋）其中之一"),
        .policyNodeMissing: t("{file}: node `{node}` is not an identity with role agency-node or centre-node in the policy. Add it (with its public key) to the policy first.",
                              "{file}：節點「{node}」不是政策中具 agency-node 或 centre-node 角色的身分。請先將其（含公鑰）加入政策。"),
        .policyNodeKeyMismatch: t("The key {fingerprint} is not the key the policy gives node `{node}` ({expected}). Use the node's own key.",
                                  "金鑰 {fingerprint} 不是政策中節點「{node}」的金鑰（{expected}）。請使用該節點自己的金鑰。"),
        .policyUnknownSigner: t("The key {fingerprint} belongs to no identity in trust/policy.yaml. Sign with a key listed there, or ask the admins to add yours.",
                                "金鑰 {fingerprint} 不屬於 trust/policy.yaml 中任何身分。請使用已登錄的金鑰，或請管理者加入您的金鑰。"),
        .policyFingerprint: t("Policy fingerprint: {fingerprint}",
                              "政策指紋：{fingerprint}"),
        .clockProduction: t("WEBJCASE_NOW is set, but this repository's policy is in production mode, where the clock cannot be set. Unset WEBJCASE_NOW.",
                            "已設定 WEBJCASE_NOW，但此儲存庫的政策為正式模式，不得設定時鐘。請取消 WEBJCASE_NOW。"),
        .clockInvalid: t("WEBJCASE_NOW is `{value}`, which is not a time. Write it as 2026-03-02T10:15:00+08:00.",
                         "WEBJCASE_NOW 的值「{value}」不是有效時間。請寫成 2026-03-02T10:15:00+08:00 的格式。"),
        .calendarMissing: t("{file} does not exist, so deadlines in {year} cannot be computed. Add the office calendar of {year} (signed by the admins).",
                            "{file} 不存在，無法計算 {year} 年的期限。請加入 {year} 年的辦公日曆（經管理者簽署）。"),

        .caseNotFound: t("There is no case {case} in this repository. `webjcase status` lists the cases.",
                         "此儲存庫中沒有案件 {case}。`webjcase status` 可列出所有案件。"),
        .caseBadID: t("`{value}` is not a case id. Case ids look like REG-2026-edu1-0007.",
                      "「{value}」不是案件編號。案件編號格式如 REG-2026-edu1-0007。"),
        .caseBadOrganization: t("`{value}` is not an organization id in its one spelling: eight digits (the 統一編號, leading zeros kept), other numbers without a leading zero, uppercase letters, digits and single dashes starting with a letter (at most 32), or an OID as the XCA certificate carries it (dotted numbers without leading zeros, first 0, 1 or 2, e.g. 2.16.886.111.100001.1.2). Use the id on the applicant's letter or XCA certificate, exactly.",
                                "「{value}」不是唯一寫法的機關團體代碼：八位數字（統一編號，保留前導零）、不以零開頭的其他數字、以大寫英文字母開頭、由大寫英文字母、數字及單一連字號組成（最多 32 字元），或 XCA 憑證所載之物件識別碼（以點分隔、不含前導零之數字，首段為 0、1 或 2，例如 2.16.886.111.100001.1.2）。請照申請者來函或 XCA 憑證上的代碼填寫。"),
        .caseOpened: t("Opened {case} (commit {commit}).",
                       "已開立案件 {case}（提交 {commit}）。"),
        .actionUnknown: t("`{action}` is not an action. Actions: {known}.",
                          "「{action}」不是有效的動作。可用動作：{known}。"),
        .stepRecordedWorkTree: t("The step is recorded (commit {commit}), but the work tree could not be updated ({reason}). Do not record it again; run `git checkout -- .` in {path} after moving the obstacle.",
                                 "步驟已記錄（提交 {commit}），但工作目錄無法更新（{reason}）。請勿重複記錄；移除障礙後於 {path} 執行 `git checkout -- .`。"),
        .stepRecorded: t("Recorded step {sequence} `{action}` of {case} (commit {commit}).",
                         "已記錄 {case} 的第 {sequence} 步「{action}」（提交 {commit}）。"),
        .attachmentUnreadable: t("{file}: cannot read the attachment ({reason}). Check the path.",
                                 "{file}：無法讀取附件（{reason}）。請檢查路徑。"),
        .attachmentType: t("{file}: this kind of file cannot be attached; allowed: {allowed} (by content, not by name). Convert it, e.g. scan to PDF.",
                           "{file}：不得附加此類檔案；允許：{allowed}（依內容判斷，非依檔名）。請轉換格式，例如掃描為 PDF。"),
        .attachmentTooLarge: t("{file}: {size} bytes is more than the {limit} bytes allowed for one attachment (webjcase.yaml). Scan at a lower resolution or split it.",
                               "{file}：{size} 位元組超過單一附件上限 {limit} 位元組（webjcase.yaml）。請降低掃描解析度或分拆檔案。"),
        .attachmentCommitTooLarge: t("The attachments of this step add up to {size} bytes, more than the {limit} bytes allowed in one step (webjcase.yaml). Record them in several steps.",
                                     "此步驟的附件共 {size} 位元組，超過單一步驟上限 {limit} 位元組（webjcase.yaml）。請分次記錄。"),
        .attachmentExists: t("{file}: the case already has an attachment named {name}. Rename the file (attachments are never replaced).",
                             "{file}：案件已有名為 {name} 的附件。請重新命名檔案（附件不得取代）。"),
        .attachmentName: t("{file}: an attachment name must be letters, digits, `.`, `-` or `_`, with an extension, at most 100 characters. Rename the file.",
                           "{file}：附件名稱只能使用英數字、「.」、「-」或「_」，須有副檔名，最多 100 字元。請重新命名。"),

        .rulePath: t("{path} is not a path a case repository may hold. Remove it; case files live under cases/<year>/<node>/<case-id>/.",
                     "{path} 不是案件儲存庫允許的路徑。請移除；案件檔案應位於 cases/<年>/<節點>/<案件編號>/。"),
        .ruleMode: t("{path} has mode {mode}; only regular files (100644) are allowed: no symlinks, executables or submodules. Commit it as a plain file.",
                     "{path} 的模式為 {mode}；只允許一般檔案（100644），不得為符號連結、可執行檔或子模組。請以一般檔案提交。"),
        .ruleAppendOnly: t("{path} was {change}, but committed case files are never changed, renamed or deleted. Restore it; a corrected form is a new file (e.g. annex-1.r2.yaml).",
                           "{path} 遭{change}，但已提交的案件檔案不得修改、更名或刪除。請還原；更正後的表單應另存新檔（如 annex-1.r2.yaml）。"),
        .ruleOneStep: t("A commit records exactly one step of one case; this one has {count}. Record each step with its own `webjcase step`.",
                        "每次提交只能記錄一個案件的一個步驟；此提交有 {count} 個。請以各自的 `webjcase step` 分別記錄。"),
        .ruleMerge: t("Commit {commit} has {count} parents; case history is linear. Rebase instead of merging (`webjcase sync` does it).",
                      "提交 {commit} 有 {count} 個父提交；案件歷史必須為線性。請改用 rebase 而非合併（`webjcase sync` 會自動處理）。"),
        .ruleNameCollision: t("{path} and {other} differ only in letter case or Unicode normalization, which some systems cannot tell apart. Rename one.",
                              "{path} 與 {other} 僅有大小寫或 Unicode 正規化的差異，部分系統無法區分。請將其中之一改名。"),
        .ruleCaseFile: t("{path}: case.yaml says {field} `{found}`, but its place requires `{expected}`. Open the case with `webjcase case open`.",
                         "{path}：case.yaml 的 {field} 為「{found}」，但依其位置應為「{expected}」。請以 `webjcase case open` 開立案件。"),
        .ruleCaseMissing: t("{path}: there is no case {case} (its case.yaml is not in the repository). Open it first with `webjcase case open`.",
                            "{path}：沒有案件 {case}（儲存庫中沒有其 case.yaml）。請先以 `webjcase case open` 開立。"),
        .ruleStepFiles: t("{path} is not part of the step {step}: a step commit holds the step, its .sig, case.yaml when the case is opened, and the attachments the step lists. Commit it with its own step.",
                          "{path} 不屬於步驟 {step}：步驟提交只能包含該步驟、其 .sig、開案時的 case.yaml，以及步驟列出的附件。請以其所屬步驟另行提交。"),
        .ruleKeyRevoked: t("{path} is signed by {name}, whose key was revoked at {at} ({reason}). After that, its signatures count only when a hub receipt from before {at} covers them.",
                           "{path} 由 {name} 簽署，其金鑰已於 {at} 撤銷（{reason}）。此後其簽章僅在有 {at} 之前的中樞收據涵蓋時才有效。"),
        .ruleAdminSeparate: t("{path}: a change of the policy, the calendar or the settings is a commit of its own; record case steps separately.",
                              "{path}：政策、日曆或設定的變更必須單獨提交；案件步驟請另行記錄。"),
        .ruleAdminDelete: t("{path} cannot be deleted: protected files are replaced by a signed new version, never removed.",
                            "{path} 不得刪除：受保護的檔案只能以簽署的新版本取代，不得移除。"),
        .ruleAdminThreshold: t("{path} is signed by {count} admin(s) ({names}); policy version {version} requires {threshold}, each admin counted once. Ask more admins to co-sign with `webjcase trust sign {path} --key KEY`.",
                               "{path} 僅有 {count} 位管理者簽署（{names}）；政策第 {version} 版要求 {threshold} 位，每位管理者只計一次。請其他管理者以 `webjcase trust sign {path} --key 金鑰` 共同簽署。"),
        .ruleAdminSignatureMissing: t("{path} changed without {signature}: every change of a protected file carries the admins' signatures. Sign it with `webjcase trust sign {path} --key KEY`.",
                                      "{path} 變更時缺少 {signature}：受保護檔案的每次變更都須附管理者簽章。請以 `webjcase trust sign {path} --key 金鑰` 簽署。"),
        .rulePolicyVersion: t("trust/policy.yaml: the new policy has version {found}; the policy in force is version {old}, so the next must be {expected} (no rollback, no skipping).",
                              "trust/policy.yaml：新政策版本為 {found}；現行政策為第 {old} 版，下一版必須為 {expected}（不得回復舊版或跳號）。"),
        .rulePolicyNodes: t("trust/policy.yaml: the new policy leaves no node that may commit to {jurisdiction} (a centre-node, or an agency-node of {jurisdiction}, not revoked). Keep at least one.",
                            "trust/policy.yaml：新政策未保留任何可提交至 {jurisdiction} 的節點（未撤銷的 centre-node，或 {jurisdiction} 的 agency-node）。請至少保留一個。"),
        .ruleCRLRollback: t("{path}: a replacing revocation list must come from the same CA, be newer, and keep every revocation of the list it replaces.",
                            "{path}：取代用的廢止清冊須來自同一憑證機構、較新，且保留原清冊中的每一筆廢止。"),
        .ruleOrganizationStatus: t("{path}: organization {organization} is {status}; a {kind} case needs it to be {allowed} (points 4 to 9). Check `webjcase org {organization}`.",
                                   "{path}：機關團體 {organization} 目前為 {status}；{kind} 案件須在 {allowed} 狀態下開立（第四點至第九點）。請以 `webjcase org {organization}` 查看。"),
        .ruleOneOpenApplication: t("{path}: organization {organization} already has an application under way ({other}). Finish or withdraw it first.",
                                   "{path}：機關團體 {organization} 已有進行中的申請案（{other}）。請先結案或撤回。"),
        .ruleWorkflowOrder: t("{path}: `{action}` cannot follow the case's state ({state}); what may follow: {allowed}.",
                              "{path}：案件目前狀態為 {state}，不得接續「{action}」；可接續的動作：{allowed}。"),
        .ruleWorkflowRole: t("{path}: {name} may not record `{action}`; that takes the role {roles} (DESIGN §4: clerks record what arrives, the competent authority reviews first, the Centre second).",
                             "{path}：{name} 不得記錄「{action}」；此動作須具 {roles} 角色（承辦人員記錄收件，目的事業主管機關初審，智慧發展中心複審）。"),
        .ruleCorrectBy: t("{path}: the date to correct by ({date}) must be after the day of the request ({requested}). Give the applicant a real period.",
                          "{path}：補正期限（{date}）須晚於通知補正之日（{requested}）。請給予申請者實際的補正期間。"),
        .ruleTransferTarget: t("{path}: a case is transferred to another competent jurisdiction, not to `{to}` (this repository is {jurisdiction}). Name the jurisdiction's short id.",
                               "{path}：案件應移送至其他有管轄權之機關，不得移送至「{to}」（本儲存庫為 {jurisdiction}）。請填寫該轄區的代碼。"),
        .ruleSignatureWithoutFile: t("{path} is a signature file, but {file} is not in the commit: a signature without its file signs nothing. Commit the file with its signatures, or remove the .sig.",
                                     "{path} 為簽章檔，但提交中沒有 {file}：沒有檔案的簽章不具意義。請將檔案與簽章一同提交，或移除該 .sig。"),
        .ruleCommitTimeNow: t("Commit {commit} says it was made at {time}, but it is {now} here. The node's clock is wrong: set it right and record the step again.",
                              "提交 {commit} 所載時間為 {time}，但此處現在時間為 {now}。節點時鐘有誤：請校正後重新記錄步驟。"),
        .ruleCommitTimeParent: t("Commit {commit} says it was made at {time}, before its parent ({parent}). The node's clock is wrong: set it right and record the step again.",
                                 "提交 {commit} 所載時間為 {time}，早於其父提交（{parent}）。節點時鐘有誤：請校正後重新記錄步驟。"),
        .ruleCommitTimeStep: t("Commit {commit} says it was made at {time}, before the time its step claims ({at}). The node's clock is wrong: set it right and record the step again.",
                               "提交 {commit} 所載時間為 {time}，早於其步驟所載時間（{at}）。節點時鐘有誤：請校正後重新記錄步驟。"),
        .ruleTreeNames: t("Commit {commit} holds a tree that git itself refuses ({detail}). Make commits with webjcase or plain git, never by hand.",
                          "提交 {commit} 含有 git 本身亦會拒絕的樹物件（{detail}）。請以 webjcase 或一般 git 提交，切勿手工製作。"),
        .ruleTreeTooDeep: t("Commit {commit} nests directories more than {limit} levels deep (at `{path}`); the layout needs six. Nothing of it was judged further.",
                            "提交 {commit} 的目錄巢狀超過 {limit} 層（於「{path}」）；本格式只需六層。其餘內容不再判斷。"),
        .ruleTooManyFiles: t("Commit {commit} adds, changes or removes more than {limit} files; one step brings a few dozen at most. Record the documents over several steps.",
                             "提交 {commit} 新增、變更或刪除的檔案超過 {limit} 個；一個步驟至多數十個。請分數個步驟記錄文件。"),
        .ruleCRLIssuer: t("{path}: this revocation list names `{issuer}` as its issuer, but no certificate authority of trust/roots or trust/ca signed it. A list is admitted only with its CA's signature: take the list the CA publishes, or have the admins add the CA's certificate to trust/ca first.",
                          "{path}：此廢止清冊載明簽發者為「{issuer}」，但 trust/roots 及 trust/ca 中沒有任何憑證機構簽署它。廢止清冊須經其憑證機構簽署方予採納：請使用該機構公布之清冊，或先請管理者將該機構憑證加入 trust/ca。"),
        .ruleIssuingCA: t("{path}: the certificate of `{subject}` cannot be an issuing CA here: {reason}.",
                          "{path}：「{subject}」的憑證不能作為此處的簽發憑證機構：{reason}。"),
        .ruleTransferUnknown: t("{path}: `{to}` is not a jurisdiction of this hub or of the policy ({known}). Name the competent authority's short id.",
                                "{path}：「{to}」不是本中樞或政策所列之管轄機關（{known}）。請填寫主管機關的簡稱代碼。"),
        .hookInternal: t("[HUB-INTERNAL] The hub failed while judging this push ({what}); nothing was accepted. The hub logged it: tell its operators.",
                         "[HUB-INTERNAL] 中樞判斷此次推送時發生內部錯誤（{what}）；未接受任何內容。中樞已記錄：請通知其維運人員。"),
        .hookTimeBudget: t("[HUB-TIME] Judging this push took longer than the hub allows ({seconds} s); nothing was accepted. Push fewer commits at a time, or tell the hub's operators.",
                           "[HUB-TIME] 判斷此次推送的時間超過中樞容許（{seconds} 秒）；未接受任何內容。請減少每次推送的提交數，或通知中樞維運人員。"),
        .hookReceiptFailed: t("[HUB-INTERNAL] The push was accepted, but the hub failed while writing its receipt ({what}). The hub logged it: tell its operators, who can write the receipt again.",
                              "[HUB-INTERNAL] 推送已被接受，但中樞寫入收據時發生內部錯誤（{what}）。中樞已記錄：請通知其維運人員補寫收據。"),
        .hubObjectCheck: t("[HUB-OBJECT-CHECK] git's own check of the pushed objects refused them ({detail}); nothing was accepted. Make commits with webjcase or plain git, never by hand.",
                           "[HUB-OBJECT-CHECK] git 本身對推送物件的檢查拒絕了它們（{detail}）；未接受任何內容。請以 webjcase 或一般 git 提交，切勿手工製作。"),
        .hubPackTooLarge: t("[HUB-TOO-LARGE] The push is larger than the hub accepts (receive.maxInputSize: four commits' worth of attachments); nothing was accepted. Push fewer steps at a time.",
                            "[HUB-TOO-LARGE] 此次推送超過中樞可接受的大小（receive.maxInputSize：四個提交的附件量）；未接受任何內容。請減少每次推送的步驟數。"),
        .ruleUnjudgeable: t("Commit {commit} cannot be judged: its parent's settings or policy cannot be read ({detail}). The push is refused; fix the parent first.",
                            "提交 {commit} 無法判斷：其父提交的設定或政策無法讀取（{detail}）。推送已遭拒絕；請先修正父提交。"),
        .ruleHistoryReplay: t("{path}: the case's steps so far do not follow the workflow ({history}), so no further step can be judged. Report it to the Centre.",
                              "{path}：案件既有步驟不符流程（{history}），無法判斷後續步驟。請通報智慧發展中心。"),
        .ruleSettingsFixed: t("webjcase.yaml: `{field}` cannot change (it is `{expected}`, the proposal says `{found}`).",
                              "webjcase.yaml：「{field}」不得變更（現為「{expected}」，提案為「{found}」）。"),
        .ruleCalendarYear: t("{path} says year {found}; the calendar of {expected} lives in calendar/{expected}.yaml.",
                             "{path} 載明年度為 {found}；{expected} 年的日曆應位於 calendar/{expected}.yaml。"),
        .trustProposal: t("{path}: signed by {count} admin(s) ({names}) of the {threshold} that policy version {version} requires.",
                          "{path}：已有 {count} 位管理者簽署（{names}），政策第 {version} 版要求 {threshold} 位。"),
        .trustCommitted: t("Committed the change of {paths} (commit {commit}).",
                           "已提交 {paths} 的變更（提交 {commit}）。"),
        .trustNothing: t("{path} is the same as in the repository; there is nothing to change.",
                         "{path} 與儲存庫中的內容相同，無需變更。"),
        .ruleHeader: t("{path}: the document says {field} `{found}`; a step document says `{expected}`. Let `webjcase step` write it.",
                       "{path}：文件的 {field} 為「{found}」；步驟文件應為「{expected}」。請由 `webjcase step` 撰寫。"),
        .ruleSignerJurisdiction: t("{path} is signed by {name}, who acts for jurisdiction {jurisdiction}, not for {repository}. Staff sign steps only in their own jurisdiction's cases.",
                                   "{path} 由 {name} 簽署，其所屬轄區為 {jurisdiction} 而非 {repository}。人員只能簽署所屬轄區案件的步驟。"),
        .ruleSignerRetired: t("{path} is signed by {name} at {at}, after the identity was retired ({until}). Sign with a current key.",
                              "{path} 由 {name} 於 {at} 簽署，晚於該身分的停用時間（{until}）。請使用現行有效的金鑰。"),
        .ruleFirstCommitPath: t("Commit {commit} (the first commit) holds {path}; a first commit holds only webjcase.yaml, README.md, trust/ and calendar/, as regular files. Make the repository with `webjcase init`.",
                                "提交 {commit}（初始提交）含有 {path}；初始提交只能包含一般檔案 webjcase.yaml、README.md、trust/ 與 calendar/。請以 `webjcase init` 建立儲存庫。"),
        .repoFormat: t("{file} says {field} `{found}`; this webjcase reads `{expected}`. Use the webjcase release that matches the repository.",
                       "{file} 的 {field} 為「{found}」；此版本 webjcase 只能讀取「{expected}」。請使用與儲存庫相符的 webjcase 版本。"),
        .ruleOpenOrder: t("{path}: a case starts with step 1 `open`, together with its case.yaml, and `open` comes only then.",
                          "{path}：案件以第 1 步「open」開始，並與 case.yaml 一同提交；「open」只能出現在此時。"),
        .ruleSignerRole: t("{path} is signed by {name}, whose roles are {roles}: node and hub keys sign commits and receipts, people sign steps. Sign with your own staff key.",
                           "{path} 由 {name} 簽署，其角色為 {roles}：節點與中樞金鑰只簽署提交與收據，步驟須由人員簽署。請使用您自己的人員金鑰。"),
        .ruleStepFileName: t("{path}: the file name says step {nameSequence} `{nameAction}`, but the document says step {sequence} `{action}`. Let `webjcase step` name the file.",
                             "{path}：檔名為第 {nameSequence} 步「{nameAction}」，文件內容卻為第 {sequence} 步「{action}」。請由 `webjcase step` 命名檔案。"),
        .ruleAttachmentUnlisted: t("{path} is added, but the step does not list it with its sha256. Attach files with `webjcase step … --attach FILE`.",
                                   "{path} 已加入，但步驟未列出其 sha256。請以 `webjcase step … --attach 檔案` 附加檔案。"),
        .ruleAttachmentMissing: t("{path}: the step lists attachment {name} (sha256 {sha256}, {size} bytes), but this commit adds no such file. Commit the exact file with the step.",
                                  "{path}：步驟列出附件 {name}（sha256 {sha256}，{size} 位元組），但此提交沒有該檔案。請將該檔案與步驟一同提交。"),
        .ruleLocation: t("{path}: the document says it belongs to {claimed}, but it sits in {actual}. A signed document cannot be moved to another case.",
                         "{path}：文件載明屬於 {claimed}，卻位於 {actual}。已簽署的文件不得移至其他案件。"),
        .ruleSequence: t("{path}: step number {found} does not follow the case's last step {last}; the next is {expected}.",
                         "{path}：步驟編號 {found} 未接續案件最後一步 {last}；下一步應為 {expected}。"),
        .rulePrevious: t("{path}: `previous` is {found}, but the case's last document hashes to {expected}. The step was made for another state of the case; record it again.",
                         "{path}：「previous」為 {found}，但案件最後一份文件的雜湊為 {expected}。此步驟係依案件的其他狀態製作；請重新記錄。"),
        .ruleTimeOrder: t("{path}: the step claims {at}, earlier than the case's previous step ({previous}). Times along a case never go back.",
                          "{path}：步驟時間 {at} 早於前一步驟（{previous}）。案件中的時間不得倒退。"),
        .ruleTimeFuture: t("{path}: the step claims {at}, later than now ({now}). Check the signer's clock.",
                           "{path}：步驟時間 {at} 晚於現在（{now}）。請檢查簽署者的時鐘。"),
        .ruleSigner: t("{path}: the document names actor {actor}, but it is signed by {signer}. The actor must sign their own step.",
                       "{path}：文件載明的行為人為 {actor}，簽署者卻是 {signer}。行為人必須親自簽署其步驟。"),
        .ruleActionKind: t("{path}: a {kind} case cannot record `{action}`.",
                           "{path}：{kind} 案件不得記錄「{action}」。"),
        .ruleFinal: t("{path}: {case} is closed ({state}); no step can follow.",
                      "{path}：{case} 已結案（{state}），不得再記錄步驟。"),
        .ruleCommitUnsigned: t("Commit {commit} is not signed. Every commit is signed by its node: record steps with `webjcase step`, not plain `git commit`.",
                               "提交 {commit} 未經簽章。每個提交都須由節點簽章：請以 `webjcase step` 記錄步驟，勿直接使用 `git commit`。"),
        .ruleCommitBadSignature: t("Commit {commit}: the signature does not match the commit (it was changed after signing, or the signature is not SSHSIG with namespace git). Record the step again.",
                                   "提交 {commit}：簽章與提交內容不符（簽署後遭修改，或非命名空間為 git 的 SSHSIG 簽章）。請重新記錄步驟。"),
        .ruleCommitSigner: t("Commit {commit} is signed by {fingerprint}, which is not a node of this repository in trust/policy.yaml. Only agency-node and centre-node keys sign commits.",
                             "提交 {commit} 的簽署金鑰 {fingerprint} 不是 trust/policy.yaml 中本儲存庫的節點。只有 agency-node 與 centre-node 金鑰可簽署提交。"),
        .ruleCommitter: t("Commit {commit} is signed by node {node} but names committer `{committer}`. A node commits as `{node} <{node}@{jurisdiction}.webjcase>`.",
                          "提交 {commit} 由節點 {node} 簽署，提交者卻為「{committer}」。節點應以「{node} <{node}@{jurisdiction}.webjcase>」提交。"),
        .ruleRefNotMain: t("{ref}: only refs/heads/main can be pushed to a case repository. Push your steps to main.",
                           "{ref}：案件儲存庫只接受推送至 refs/heads/main。請將步驟推送至 main。"),
        .ruleRefDeletion: t("{ref}: a case repository never deletes its history. The deletion was refused.",
                            "{ref}：案件儲存庫不得刪除歷史，已拒絕刪除。"),
        .ruleNonFastForward: t("{ref}: this push would rewrite history (not a fast-forward). Fetch, replay your steps on top (`webjcase sync`) and push again.",
                               "{ref}：此推送會改寫歷史（非快轉）。請先取回並將您的步驟接續其後（`webjcase sync`），再重新推送。"),
        .ruleRootCommit: t("Commit {commit} starts a new history; a case repository has exactly one first commit, made by `webjcase init`.",
                           "提交 {commit} 開啟了新的歷史；案件儲存庫只有一個由 `webjcase init` 建立的初始提交。"),
        .ruleTrailers: t("Commit {commit}: the trailer {trailer} says `{found}`, but the commit records `{expected}`. Let `webjcase step` write the message.",
                         "提交 {commit}：結尾欄位 {trailer} 為「{found}」，但提交內容為「{expected}」。請由 `webjcase step` 撰寫提交訊息。"),
        .validateClean: t("{count} commit(s) checked: no findings.",
                          "已檢查 {count} 個提交：沒有發現問題。"),
        .validateRecorded: t("{count} commit(s) checked: nothing refused; {findings} finding(s) recorded for auditors (above).",
                             "已檢查 {count} 個提交：無遭拒絕者；另有 {findings} 項供稽核參考的紀錄（如上）。"),
        .validateRefused: t("{count} finding(s) refuse this change; nothing was accepted.",
                            "共 {count} 項問題，此變更遭拒絕；未接受任何內容。"),
        .verifyBroken: t("{count} finding(s): the history breaks these rules. Report it to the Centre; history is never rewritten.",
                         "共 {count} 項問題：歷史紀錄違反上述規則。請通報智慧發展中心；歷史紀錄不得改寫。"),
        .logEmpty: t("{case} has no steps.",
                     "{case} 沒有任何步驟。"),
        .statusEmpty: t("No cases yet. Open one with `webjcase case open KIND --org ORG --data FILE --key KEY`.",
                        "尚無案件。請以 `webjcase case open 類別 --org 機關代碼 --data 檔案 --key 金鑰` 開立案件。"),
        .ruleAnnexesMissing: t("{path}: `{action}` needs every annex of a {kind} application, and {missing} has not been received. Request a correction (`initial.correction`/`secondary.correction`) naming it.",
                               "{path}：{kind} 申請須備齊所有附件才能「{action}」，尚未收到 {missing}。請以補正通知（initial.correction／secondary.correction）列明所缺附件。"),
        .ruleDocumentReplayed: t("{path}: the document {file} (sha256 {sha256}) is already part of {case}; an applicant document belongs to one case only. Ask the applicant for a new, signed document.",
                                 "{path}：文件 {file}（sha256 {sha256}）已屬於 {case}；申請者文件只能用於一個案件。請申請者提出新簽署的文件。"),
        .ruleEvaluationMissing: t("{path}: organization {organization} committed an act of point 7 ¶1 while using the System ({cases}); approving its new application needs the Centre's `reapplication.evaluation` naming every such case first (point 9 ¶2).",
                                  "{path}：機關團體 {organization} 曾於使用本系統期間有第七點第一項之行為（{cases}）；核准其重新申請前，須先由智慧發展中心進行列明上述各案的「reapplication.evaluation」評估（第九點第二項）。"),
        .ruleEvaluationUnfavourable: t("{path}: the Centre's latest evaluation of organization {organization} (after {cases}) found a new application not feasible; it cannot be approved. Reject it, or record a new evaluation.",
                                       "{path}：智慧發展中心對機關團體 {organization}（曾有 {cases}）最近一次評估認為不宜重新申請，不得核准。請駁回，或重新評估。"),
        .ruleOpenEnforcement: t("{path}: organization {organization} has an enforcement case under way ({other}); it cannot register again, nor be the subject of a second one, until that case ends.",
                                "{path}：機關團體 {organization} 尚有進行中的處分案（{other}）；該案結束前不得重新申請，亦不得另開處分案。"),
        .ruleOpenSection: t("{path}: the open step of a {kind} case needs its `{section}:` part in the data. See `webjcase template open`.",
                            "{path}：{kind} 案件的開案步驟須填寫「{section}:」部分。請參考 `webjcase template open`。"),
        .ruleAuditClose: t("{path}: an audit closed as `{result}`: {problem}",
                           "{path}：稽核以「{result}」結案：{problem}"),
        .ruleGrounds: t("{path}: the grounds are incomplete: {problem}",
                        "{path}：事實理由不完整：{problem}"),
        .ruleAuditNotClosed: t("{path}: {audit} is not a closed audit of this organization; name the audit that set the deadline, once it is closed.",
                               "{path}：{audit} 不是本機關團體已結案的稽核；請填寫訂定改善期限且已結案的稽核案。"),
        .ruleAuditCompliant: t("{path}: {audit} found the user compliant; it cannot ground an enforcement case.",
                               "{path}：{audit} 稽核結果為符合規定，不能作為處分依據。"),
        .ruleAuditDeadlineNotPassed: t("{path}: the improvement deadline of {audit} ({deadline}) runs until {ends}; not improving by it is a point 7 item 7 act only once it has passed.",
                                       "{path}：{audit} 的改善期限（{deadline}）至 {ends} 止；期限屆滿仍未改善，才構成第七點第七款之行為。"),
        .ruleRevocationCase: t("{path}: {case} is not an application case of organization {organization} in this repository. Name the cases whose documents were found forged or false.",
                               "{path}：{case} 不是本儲存庫中機關團體 {organization} 的申請案。請填寫文件經查有偽造或不實的案件。"),
        .ruleNotice: t("{path}: the improvement notice (Annex 8) is incomplete: {problem}",
                       "{path}：限期改善通知（附件八）不完整：{problem}"),
        .ruleRecordedTime: t("{path}: the step records something that happened at {time}, after the step itself ({at}). Record facts once they have happened.",
                             "{path}：此步驟記錄發生於 {time} 的事實，晚於步驟本身（{at}）。請於事實發生後再記錄。"),
        .ruleLateReply: t("{path}: the reply arrived at {received}, after the improvement period ending {deadline}; it is recorded as a fact. Whether the termination notice follows is decided by the trackings within the period, not by this reply (point 8 ¶4).",
                          "{path}：回復於 {received} 送達，已逾 {deadline} 屆滿的改善期限；僅記錄此一事實。是否應發中止通知，依期限內追蹤結果認定，不因本回復而改變（第八點第四項）。"),
        .ruleExtensionLate: t("{path}: the improvement period ending {deadline} ran out at {ends}; an extension is asked for before the deadline (point 8).",
                              "{path}：至 {deadline} 的改善期限已於 {ends} 屆滿；展延須於期限屆滿前申請（第八點）。"),
        .ruleExtensionEarlier: t("{path}: an extension moves the deadline later: {until} is not after the deadline in force ({deadline}).",
                                 "{path}：展延須將期限延後：{until} 並未晚於現行期限（{deadline}）。"),
        .ruleExtensionPending: t("{path}: an extension request is already waiting for the city's decision; record the decision first.",
                                 "{path}：已有展延申請待決定；請先記錄決定。"),
        .ruleExtensionNoRequest: t("{path}: there is no extension request to decide. Record the user's request (`extension.request`) first.",
                                   "{path}：沒有待決定的展延申請。請先記錄使用者的申請（extension.request）。"),
        .ruleExtensionDeniedDate: t("{path}: a denied extension names no new date; remove `until:` or set `granted: true`.",
                                    "{path}：不同意展延時不得填寫新期限；請移除「until:」或改為「granted: true」。"),
        .ruleTrackingOutside: t("{path}: the tracking at {at} is outside the improvement period ending {deadline} ({ends}); trackings happen within it (point 8).",
                                "{path}：{at} 的追蹤已逾改善期限 {deadline}（{ends} 屆滿）；追蹤應於改善期間內進行（第八點）。"),
        .ruleTracker: t("{path}: {name} is not the staff the notice assigned to track this improvement ({tracker}).",
                        "{path}：{name} 並非通知中指派追蹤此改善的人員（{tracker}）。"),
        .ruleTrackingLimit: t("{path}: this case already holds {count} trackings; point 8 ¶4 counts three, and a fourth is not possible. If the third found the improvement undone, send the termination notice; if it found it done, resolve the case once the user's reply answers every item.",
                              "{path}：本案已有 {count} 次追蹤；第八點第四項以三次追蹤為限，不得進行第四次。第三次追蹤仍未完成改善者，請發出中止通知；已完成改善者，俟使用者回復逐項說明後結案。"),
        .rulePhoneNothingToConfirm: t("{path}: there is no emailed reply waiting for a telephone confirmation.",
                                      "{path}：沒有待電話確認的電子郵件回復。"),
        .rulePhoneBeforeReply: t("{path}: the call at {called} came before the reply arrived ({received}); it cannot confirm it.",
                                 "{path}：{called} 的電話早於回復送達（{received}），無法確認該回復。"),
        .ruleResolveNoReply: t("{path}: no improvement report (Annex 8) has been recorded; the case cannot be resolved without the user's reply.",
                               "{path}：尚未記錄改善報告（附件八）；未收到使用者回復不得結案。"),
        .ruleResolveUnconfirmed: t("{path}: the last reply came by email and has not been confirmed by telephone (point 8). Record `improvement.phone-confirmation` first.",
                                   "{path}：最後一次回復以電子郵件寄送，尚未電話確認（第八點）。請先記錄「improvement.phone-confirmation」。"),
        .ruleResolveNotTracked: t("{path}: the last tracking has not found the improvement completed. Record a tracking with `result: completed` first.",
                                  "{path}：最近一次追蹤尚未認定改善完成。請先記錄「result: completed」的追蹤。"),
        .ruleMustTerminateTrackings: t("{path}: the third tracking still found the improvement undone, so the next step must be the termination notice (point 8 ¶4), not `{action}`.",
                                       "{path}：經三次追蹤仍未完成改善，下一步驟必須為中止通知（第八點第四項），不得為「{action}」。"),
        .ruleMustTerminateDeadline: t("{path}: the improvement period ending {deadline} has passed and no tracking within it found the improvement done, so the next step must be the termination notice (point 8 ¶4), not `{action}`; the user's reply, in time or late, does not change that.",
                                      "{path}：至 {deadline} 的改善期限已屆滿，期限內追蹤未認定完成改善，下一步驟必須為中止通知（第八點第四項），不得為「{action}」；使用者之回復不論是否逾期，均不影響此一結果。"),
        .ruleTerminationEarly: t("{path}: a termination notice after a suspension needs a third tracking that still found the improvement undone, the period (ending {deadline}) passed without a tracking that found it done, or a new act under point 7, verified, in `grounds:` ({count} tracking(s) so far).",
                                 "{path}：暫停後發出中止通知，須經三次追蹤仍未完成改善、改善期限（{deadline}）屆滿而期限內追蹤未認定完成改善，或於「grounds:」敘明經查證屬實的第七點新違規行為（目前已追蹤 {count} 次）。"),
        .ruleTerminationDate: t("{path}: the termination date {date} must be after the notice ({at}).",
                                "{path}：中止日期 {date} 須晚於通知日（{at}）。"),
        .ruleArchivesEarly: t("{path}: the Archives disabled the service at {at}, before {earliest} (18:00 of the day before the termination date, point 8). Recorded as a finding.",
                              "{path}：檔案管理局於 {at} 停止服務，早於 {earliest}（中止日前一日 18 時，第八點）。列為稽核紀錄。"),
        .problemCompliantExtras: t("a compliant audit sets no deadline and names no items.",
                                   "稽核結果符合規定者，不訂期限亦不列款次。"),
        .problemFindingFirst: t("record the audit finding (`audit.finding`) first.",
                                "請先記錄稽核發現（audit.finding）。"),
        .problemDeadlineNotAfter: t("the deadline must be after the day of the step.",
                                    "期限須晚於本步驟之日。"),
        .problemDeadlineMissing: t("give the deadline to improve by (`deadline:`).",
                                   "請填寫改善期限（deadline:）。"),
        .problemItems: t("name the items of point 7 paragraph 1 (1 to 8).",
                         "請列明第七點第一項之款次（1 至 8）。"),
        .problemFacts: t("state the facts (`facts:`).",
                         "請敘明事實（facts:）。"),
        .problemEvidence: t("list the cases and the evidence.",
                            "請列明相關案件及證據。"),
        .problemNotVerified: t("the acts must be verified before the city acts (point 7: `verified: true`).",
                               "行為須經查證屬實，始得處分（第七點：verified: true）。"),
        .problemNoItems: t("list the items to improve.",
                           "請列明應改善事項。"),
        .problemItemNumbers: t("each item needs its own number.",
                               "每一事項須有不同的編號。"),
        .problemTracker: t("the tracker `{tracker}` must be Centre staff (`centre-staff`) in the policy, not revoked.",
                           "追蹤人員「{tracker}」須為政策中未撤銷的智慧發展中心人員（centre-staff）。"),
        .ruleDocumentFile: t("{path}: the received document {file} (sha256 {sha256}) is not a file this step adds to the case with that digest. Attach the scan with `--attach` and name it `attachments/<name>`, or add the signed form under `documents/`; annexes are numbered 1 to 8.",
                             "{path}：所列收件文件 {file}（sha256 {sha256}）並非本步驟以該雜湊值加入案件的檔案。請以 `--attach` 附上掃描檔並寫為 `attachments/<檔名>`，或將簽署之表單置於 `documents/`；附件編號為 1 至 8。"),
        .ruleCaseKindAgency: t("{path}: a {kind} case is opened on the agency's node (DESIGN §2); {node} is a Centre node.",
                               "{path}：{kind} 案件應由機關節點開立；{node} 為智慧發展中心節點。"),
        .ruleCaseKindCentre: t("{path}: a {kind} case is opened on a Centre node (DESIGN §2: audits, enforcement and revocations are the Centre's); {node} is an agency node.",
                               "{path}：{kind} 案件應由智慧發展中心節點開立（稽核、處分與廢止為中心權責）；{node} 為機關節點。"),
        .dueNothing: t("Nothing is due.",
               "目前沒有到期事項。"),
        .dueCorrection: t("{at}  {case}  {organization}: the correction requested is due.",
               "{at}  {case}  {organization}：補正期限屆滿。"),
        .dueAuditDeadline: t("{at}  {case}  {organization}: the audit's improvement deadline ends; not improving by it is a point 7 item 7 act.",
               "{at}  {case}  {organization}：稽核改善期限屆滿；屆期未改善構成第七點第七款之行為。"),
        .dueImprovementDeadline: t("{at}  {case}  {organization}: the improvement period ends ({trackings} tracking(s) recorded, {left} still possible).",
               "{at}  {case}  {organization}：改善期限屆滿（已追蹤 {trackings} 次，尚可追蹤 {left} 次）。"),
        .dueServiceDisable: t("{at}  {case}  {organization}: from now the Archives may disable the service (18:00 the day before the termination).",
               "{at}  {case}  {organization}：自此時起檔案管理局得停止服務（中止日前一日 18 時）。"),
        .dueTermination: t("{at}  {case}  {organization}: exchange service ends; paper from then on.",
               "{at}  {case}  {organization}：交換服務中止，此後改以紙本收發。"),
        .dueTerminationNotice: t("{at}  {case}  {organization}: the termination notice must be sent now (point 8).",
               "{at}  {case}  {organization}：應即發出中止通知（第八點）。"),
        .rulePersonalValue: t("{path}: the step holds {count} personal value(s) in plain text; personal data enters the record only as a salted commitment (DESIGN §2). Record the step with `webjcase step`, which keeps the value in the personal store.",
               "{path}：此步驟含 {count} 項明文個人資料；個人資料僅得以加鹽雜湊承諾值列入紀錄。請以 `webjcase step` 記錄步驟，由其將個資存入個資庫。"),
        .personalWithheld: t("{commitment}: withheld (the personal store of this node does not hold it).",
               "{commitment}：不提供（本節點個資庫未存有此資料）。"),
        .personalHeld: t("{path}: {commitment} held.",
               "{path}：{commitment} 已存。"),
        .personalMissing: t("{path}: {commitment} withheld.",
               "{path}：{commitment} 不提供。"),
        .personalMismatch: t("{path}: {commitment}: the stored value does not open the commitment; the personal store was altered. Report it to the Centre.",
               "{path}：{commitment}：個資庫中的值與承諾值不符，個資庫遭竄改。請通報智慧發展中心。"),
        .ruleDocumentOrganization: t("{path}: the document is the organization {found}'s, not this case's ({expected}). An applicant document belongs to the case of its own organization.",
               "{path}：此文件屬於機關團體 {found}，而非本案（{expected}）。申請者文件只能用於其本身機關團體的案件。"),
        .ruleDocumentSignedLater: t("{path}: the document says it was signed at {signedAt}, after the step that brings it in ({at}).",
               "{path}：文件所載簽署時間 {signedAt} 晚於收件步驟（{at}）。"),
        .ruleDocumentAnnex: t("{path}: the document is a `{kind}`, but the step lists it as Annex {annex}. Name the annex it is.",
               "{path}：文件為「{kind}」，但步驟將其列為附件 {annex}。請填寫正確的附件編號。"),
        .ruleDocumentUnsigned: t("{path}: an applicant document needs its signature file {signature}, made with the organization's XCA certificate.",
               "{path}：申請者文件須附以機關團體 XCA 憑證簽署的簽章檔 {signature}。"),
        .ruleDocumentNoCertificate: t("{path}: an applicant document is signed with the organization's XCA certificate (an envelope entry with its chain); a key alone proves nothing about the organization.",
               "{path}：申請者文件須以機關團體 XCA 憑證簽署（簽章含憑證鏈）；僅有金鑰無法證明機關團體身分。"),
        .ruleDocumentKind: t("{path}: `kind: {kind}` is not an applicant form; use annex-1 to annex-6, annex-8 or letter.",
               "{path}：「kind: {kind}」不是申請者表單；請使用 annex-1 至 annex-6、annex-8 或 letter。"),
        .personalDisclosureMismatch: t("{file}: the value for {commitment} does not open a commitment of {document}. Use the .personal.yaml that `webjcase sign` wrote with that document.",
               "{file}：{commitment} 的值與 {document} 中的承諾值不符。請使用 `webjcase sign` 簽署該文件時產生的 .personal.yaml。"),
        .personalCommitted: t("{file}: {count} personal value(s) replaced by commitments; the values and salts are in {disclosures}. Hand that file to the agency with the form; never publish it.",
               "{file}：已將 {count} 項個人資料改為承諾值；原值與鹽值存於 {disclosures}。請將該檔隨表單交予機關，切勿公開。"),
        .ruleDocumentRequest: t("{path}: Annex 1 requests `{request}`, but this is a {kind} case. The form must ask for what the case is.",
               "{path}：附件一申請事項為「{request}」，但本案為 {kind} 案件。表單所申請事項須與案件相符。"),
        .ruleDocumentNotGiven: t("{path}: `{field}` is false: the form does not give what it is for. Ask the applicant for a signed form that does.",
               "{path}：「{field}」為 false，表單未表示同意。請申請者提出已同意並簽署的表單。"),
        .ruleOpenPartForeign: t("{path}: the `{section}:` part belongs to the open step of a {owner} case, not of a {kind} case. Remove it.",
               "{path}：「{section}:」部分屬於 {owner} 案件的開案步驟，不屬於 {kind} 案件。請移除。"),
        .ruleDocumentFormat: t("{path}: the form says `format: {found}`; this program reads format {expected}.",
               "{path}：表單載明「format: {found}」；本程式讀取第 {expected} 版格式。"),
        .ruleReceipt: t("Receipt {commit} on refs/webjcase/receipts: {problem} Report it to the Centre: receipts are written by the hub only.",
               "收據 {commit}（refs/webjcase/receipts）：{problem} 請通報智慧發展中心：收據僅由中樞寫入。"),
        .problemReceiptUnreadable: t("its receipt.yaml cannot be read.",
               "無法讀取其 receipt.yaml。"),
        .problemReceiptChain: t("the chain is broken (sequence or previous receipt).",
               "收據鏈中斷（序號或前一收據不符）。"),
        .problemReceiptSigner: t("it is not signed by a hub key of the policy.",
               "並非由政策所列中樞金鑰簽署。"),
        .problemReceiptHistory: t("what it covers is not history of main.",
               "其涵蓋的提交不屬於 main 的歷史。"),
        .receiptUnreadable: t("Receipt {commit} has no receipt.yaml.",
               "收據 {commit} 缺少 receipt.yaml。"),
        .receiptWritten: t("receipt {sequence}: {count} commit(s) received at {at}.",
               "收據 {sequence}：於 {at} 收到 {count} 個提交。"),
        .hubKeyNotInPolicy: t("{key}: the hub key ({fingerprint}) is not an identity with the role `hub` in {file}. Add it, so that receipts can be checked.",
               "{key}：中樞金鑰（{fingerprint}）在 {file} 中並非具 `hub` 角色的身分。請加入，以便驗證收據。"),
        .hubInitialized: t("{path}: the case repository of {jurisdiction}, first commit {commit}, policy {fingerprint}; and its personal store.",
               "{path}：{jurisdiction} 的案件儲存庫，初始提交 {commit}，政策 {fingerprint}；及其個資庫。"),
        .hubListening: t("Serving {root} on {scheme}://{host}:{port} (stop with SIGTERM or Ctrl-C).",
               "正於 {scheme}://{host}:{port} 提供 {root}（以 SIGTERM 或 Ctrl-C 停止）。"),
        .hubToken: t("The token for {node} is on stdout: give it to the node only. Its line for the hub's config:",
               "{node} 的權杖已輸出至標準輸出：僅交付該節點。其於中樞設定檔的內容："),
        .syncRefused: t("The hub refused the push:\n{messages}\nNothing was lost: the steps stay on this node. Fix what the findings say (or ask the Centre) and sync again.",
               "中樞拒絕此次推送：\n{messages}\n未遺失任何資料：步驟仍保留於本節點。請依上述問題修正（或洽智慧發展中心）後再同步。"),
        .syncBudget: t("Other nodes pushed first {count} times in a row; gave up for now. Nothing was lost: run `webjcase sync` again.",
               "其他節點連續 {count} 次先行推送，暫停重試。未遺失任何資料：請再執行 `webjcase sync`。"),
        .syncHostile: t("The hub served history this node's validator refuses; main did not move. Report it to the Centre.",
               "中樞提供的歷史紀錄未通過本節點驗證；main 未變動。請通報智慧發展中心。"),
        .syncReceived: t("{count} commit(s) received from the hub and verified.",
               "自中樞收到並驗證 {count} 個提交。"),
        .syncCase: t("{case}: {count} step(s) replayed and pushed.",
               "{case}：{count} 個步驟已重放並推送。"),
        .syncConflict: t("{case}: a local step is no longer legal and was set aside as {ref} (`webjcase conflicts` shows why).",
               "{case}：本地步驟已不合規則，已另存為 {ref}（以 `webjcase conflicts` 查看原因）。"),
        .syncPushed: t("Pushed to the hub after {retries} retry(ies).",
               "已推送至中樞（重試 {retries} 次）。"),
        .syncUpToDate: t("Up to date with the hub.",
               "已與中樞同步。"),
        .conflictUnknown: t("{ref} is not a set-aside step; `webjcase conflicts` lists them.",
               "{ref} 不是另存的步驟；請以 `webjcase conflicts` 列出。"),
        .conflictsNone: t("No step is set aside.",
               "沒有另存的步驟。"),
        .ruleReceiptClaim: t("{path}: the step claims {at}, but the hub received it at {received}: a claim cannot be later than its receipt. Report it to the Centre.",
               "{path}：步驟所載時間為 {at}，但中樞於 {received} 即已收到：所載時間不得晚於收據時間。請通報智慧發展中心。"),
        .ruleReceiptDelay: t("{path}: the step claims {at}, more than three days before the hub received it ({received}). Recorded for auditors: check why it arrived late.",
               "{path}：步驟所載時間為 {at}，早於中樞收到時間（{received}）逾三日。列為稽核紀錄：請查明延遲原因。"),
        .ruleRevokedAfterReceipt: t("{path}: signed by {name}, whose key is revoked from {at} ({reason}); the hub received it only at {received}, after the revocation, so the signature does not count.",
               "{path}：由 {name} 簽署，其金鑰自 {at} 起撤銷（{reason}）；中樞於撤銷後之 {received} 才收到，簽章不予採計。"),
        .rulePusher: t("The push was authenticated as {node}, which is not a node that may write to {jurisdiction} (an agency node of it, or a Centre node, not revoked). Nothing was accepted.",
               "此次推送的身分為 {node}，並非可寫入 {jurisdiction} 的節點（該轄區機關節點或中心節點，且未撤銷）。未接受任何內容。"),
        .personalEntryInvalid: t("{path}: not a personal entry that opens its commitment at its own path (entries/<2 hex>/<hex>.yaml). The personal store takes nothing else.",
               "{path}：不是能開啟其承諾值、且位於正確路徑（entries/<2 位十六進位>/<雜湊>.yaml）的個資項目。個資庫不接受其他內容。"),
        .personalEntryRemoved: t("{path}: a push may not remove a personal value; a deletion is a request the admins co-sign, carried out on the hub.",
               "{path}：推送不得移除個資；刪除須經管理者共同簽署之請求，於中樞執行。"),
        .personalEntryChanged: t("{path}: this personal value is already in the hub's store and is never changed (its bytes, its case, its mode); a push may only add entries. Run `webjcase sync`, which adds only what the hub lacks.",
               "{path}：此個資已在中樞個資庫中，不得變更（內容、所屬案件與模式皆同）；推送只能新增項目。請執行 `webjcase sync`，僅送出中樞所缺者。"),
        .personalEntryTooLarge: t("{path}: {size} bytes; an entry of the personal store is at most {limit} bytes: a name, a phone number or an e-mail address, and its salt.",
               "{path}：{size} 位元組；個資庫的項目至多 {limit} 位元組：姓名、電話或電子郵件，及其鹽值。"),
        .personalPathInvalid: t("{path}: the personal store holds only entries/<2 hex>/<64 hex>.yaml, each a regular file (mode 100644) in the directory of its first two digits, and the hub's tombstones under deleted/; nothing else may be pushed.",
               "{path}：個資庫只容許 entries/<2 位十六進位>/<64 位十六進位>.yaml（一般檔案，模式 100644，置於其前兩位數字之目錄）及中樞寫入的 deleted/ 墓碑；不得推送其他內容。"),
        .personalTombstonesChanged: t("{path}: only the hub writes deleted/, when it carries out a deletion request the admins co-signed; a push may not add, change or remove a tombstone.",
               "{path}：deleted/ 僅由中樞於執行管理者共同簽署之刪除請求時寫入；推送不得新增、變更或移除墓碑。"),
        .personalRefNotMain: t("{ref}: only refs/heads/main of a personal store can be pushed.",
               "{ref}：個資庫只能推送 refs/heads/main。"),
        .personalRefDeletion: t("{ref}: a push may not delete the personal store's history; values go only by a deletion request the admins co-sign, carried out on the hub.",
               "{ref}：推送不得刪除個資庫的歷史；個資僅能經管理者共同簽署之刪除請求，於中樞刪除。"),
        .personalNonFastForward: t("{ref}: this push would rewrite the personal store's history (not a fast-forward); only the hub rewrites it, for a deletion the admins co-signed. Run `webjcase sync`, which commits on top of the hub's tip.",
               "{ref}：此推送將改寫個資庫歷史（非快轉）；僅中樞得為管理者共同簽署之刪除而改寫。請執行 `webjcase sync`，於中樞最新提交之上提交。"),
        .personalCommitParents: t("Commit {commit} has {count} parent(s); the personal store's history is linear: each pushed commit has one parent, the commit before it (the store's tip for the first), and only the first commit of an empty store has none.",
               "提交 {commit} 有 {count} 個父提交；個資庫歷史為線性：每個推送的提交只有一個父提交，即其前一提交（第一個為個資庫目前的最新提交），僅空個資庫的第一個提交沒有父提交。"),
        .personalCommitUnsigned: t("Commit {commit} of the personal store is not signed. Every commit is signed by the node that makes it: use `webjcase sync`, not plain `git commit`.",
               "個資庫的提交 {commit} 未簽章。每個提交皆須由產生它的節點簽署：請使用 `webjcase sync`，不要直接使用 `git commit`。"),
        .personalCommitBadSignature: t("Commit {commit} of the personal store: its signature does not verify as an SSH signature (namespace git) by a key of the policy of {jurisdiction}.",
               "個資庫的提交 {commit}：其簽章無法驗證為 {jurisdiction} 信任政策中金鑰所作之 SSH 簽章（命名空間 git）。"),
        .personalCommitSigner: t("Commit {commit} of the personal store is signed by {node}, which may not write to {jurisdiction}: only an agency node of it or a Centre node, not revoked.",
               "個資庫的提交 {commit} 由 {node} 簽署，其無權寫入 {jurisdiction}：僅限該轄區機關節點或中心節點，且未撤銷。"),
        .personalCommitNotPusher: t("Commit {commit} of the personal store is signed by {node}, but the push was authenticated as {pusher}: a node pushes only the commits it signs itself.",
               "個資庫的提交 {commit} 由 {node} 簽署，但此次推送的身分為 {pusher}：節點只能推送自己簽署的提交。"),
        .personalCommitter: t("Commit {commit} of the personal store names {found}; its author and committer are the signing node, {node} <{node}@personal.webjcase>.",
               "個資庫的提交 {commit} 載明 {found}；其作者與提交者須為簽署節點 {node} <{node}@personal.webjcase>。"),
        .personalNoPolicy: t("{path}: the policy of the case repository beside this personal store cannot be read ({detail}), so no commit can be judged. Nothing was accepted.",
               "{path}：無法讀取此個資庫旁案件儲存庫的信任政策（{detail}），無從判斷任何提交。未接受任何內容。"),
        .personalCommitTooLarge: t("Commit {commit} of the personal store is {size} bytes; a commit there is at most {limit} bytes (its header, a one-line message and its signature).",
               "個資庫的提交 {commit} 有 {size} 位元組；個資庫的提交至多 {limit} 位元組（標頭、一行訊息及其簽章）。"),
        .personalTreeTooLarge: t("{path}: the directory is {size} bytes; a directory of the personal store is at most {limit} bytes.",
               "{path}：此目錄有 {size} 位元組；個資庫的目錄至多 {limit} 位元組。"),
        .personalObjectUnreferenced: t("Object {object}: the push brings an object that none of its commits holds; the personal store takes nothing else.",
               "物件 {object}：此推送帶來其提交皆未包含的物件；個資庫不接受其他內容。"),
        .syncPersonal: t("Personal store: {received} value(s) received, {sent} sent.",
               "個資庫：收到 {received} 項，送出 {sent} 項。"),
        .syncPacks: t("History was spread over {count} packs (one per sync); git packed it again (git repack -a -d).",
               "歷史分散於 {count} 個 pack（每次同步一個），已由 git 重新打包（git repack -a -d）。"),
        .syncPacksFailed: t("History is spread over {count} packs and git could not pack it again ({detail}). Nothing is lost; run `git repack -a -d` in the repository, or sync again.",
               "歷史分散於 {count} 個 pack，git 無法重新打包（{detail}）。資料沒有遺失；請在儲存庫執行 `git repack -a -d`，或再同步一次。"),
        .syncClockSkew: t("This node's clock differs from the hub's by {skew} s (more than {tolerance} s): steps recorded now may be refused. Set the clock right.",
               "本節點時鐘與中樞相差 {skew} 秒（超過 {tolerance} 秒）：此時記錄的步驟可能遭拒。請校正時鐘。"),
        .syncTrust: t("Trust in force: policy version {version} since {since}; calendars {years}; revocation lists (next update): {crls}.",
               "現行信任設定：政策第 {version} 版，自 {since} 起；行事曆 {years}；廢止清冊（下次更新）：{crls}。"),
        .hubHealthy: t("ok",
               "正常"),
        .hubNotFound: t("{path}: not a repository of this hub (use /<jurisdiction>.git).",
               "{path}：不是本中樞的儲存庫（請使用 /<轄區>.git）。"),
        .hubMayNotRead: t("{node} may not read {repository}.",
               "{node} 無權讀取 {repository}。"),
        .hubMayNotWrite: t("{node} may not push to {repository}.",
               "{node} 無權推送至 {repository}。"),
        .hubFailed: t("The hub could not serve this request; its log says why.",
               "中樞無法處理此請求；原因請見其日誌。"),
        .hubTooLarge: t("The push is larger than the hub accepts ({limit} bytes).",
               "推送內容超過中樞上限（{limit} 位元組）。"),
        .hubBusy: t("{client} already holds {limit} connections to this hub, the most one client may; finish or close some and try again shortly.",
               "{client} 已與本中樞建立 {limit} 個連線，為單一用戶端之上限；請待部分連線結束或關閉後，稍後再試。"),
        .hubTimeout: t("The request did not arrive within {seconds} s, so the hub closed the connection; nothing of it was kept. Check the network and try again.",
               "請求未於 {seconds} 秒內送達，中樞已關閉連線，且未保留任何內容。請檢查網路後再試。"),
        .syncProgress: t("transfer: {done}/{total} objects, {kib} KiB",
               "傳輸：{done}/{total} 個物件，{kib} KiB"),
        .personalEntryDeleted: t("{path}: this value was deleted at the admins' request and may not come back.",
               "{path}：此個資已依管理者核可之請求刪除，不得再行寫入。"),
        .personalDeletionWrongJurisdiction: t("{file}: the request is for jurisdiction {found}; this repository is {expected}.",
               "{file}：此請求屬於轄區 {found}；本儲存庫為 {expected}。"),
        .personalDeletionThreshold: t("{file}: {count} admin(s) of the policy signed it; deleting personal data needs {threshold}. Have more admins co-sign it (`webjcase sign {file} --key KEY`).",
               "{file}：僅 {count} 位政策管理者簽署；刪除個資須 {threshold} 位。請其他管理者共同簽署（`webjcase sign {file} --key 金鑰`）。"),
        .personalDeleted: t("{count} personal value(s) of {organization} deleted from the hub's personal store; the old objects were pruned. Nodes follow on their next sync.",
               "已自中樞個資庫刪除 {organization} 的 {count} 項個資，舊物件已清除。各節點將於下次同步時跟進。"),
        .personalRequestWritten: t("{file}: a deletion request for {count} value(s) of {organization}. Each admin co-signs it with `webjcase sign {file} --key KEY`; then the hub runs `webjcase personal delete {file}`.",
               "{file}：{organization} 共 {count} 項個資的刪除請求。請各管理者以 `webjcase sign {file} --key 金鑰` 共同簽署，再由中樞執行 `webjcase personal delete {file}`。"),
    ]
}
