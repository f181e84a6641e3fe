import ArgumentParser
import CaseModel
import CaseYAML
import CaseReport
import CaseSigning
import CaseStore
import CaseHub
import CaseSync
import Foundation

struct Webjcase: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webjcase",
        abstract: "WebjAgent application cases as signed, verifiable records in git.",
        discussion: """
        Exit codes: 0 success; 1 a rule is broken; 2 bad usage or unreadable input;
        3 a remote could not be reached; 4 a conflict was set aside.
        """,
        version: "0.1.0",
        subcommands: [Init.self, Clone.self, Keys.self, PKI.self, Sign.self, CaseCommand.self, Step.self, TemplateCommand.self,
                      Log.self, Status.self, Org.self, Due.self, CalendarCommand.self, Next.self, Report.self, Personal.self, Validate.self, Verify.self, Trust.self, HubCommand.self,
                      Serve.self, SyncCommand.self, Conflicts.self, Hook.self, Demo.self]
    )
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a case repository for one jurisdiction.",
        discussion: """
        The first commit holds the template, the policy and the calendar, signed by the node.
        Example: webjcase init edu.git --bare --jurisdiction edu --name 臺南市政府教育局 --node edu1 --policy policy.yaml --key keys/edu1
        """)

    @Argument(help: "The directory to create (must not exist or be empty).") var directory: String
    @Option(help: "The jurisdiction's short id, e.g. edu.") var jurisdiction: String
    @Option(help: "The competent authority's name.") var name: String
    @Option(help: "This node's name; the policy must list it as agency-node or centre-node.") var node: String
    @Option(help: "The trust policy (trust/policy.yaml version 1).") var policy: String
    @Option(help: "The node's private key (OpenSSH format).") var key: String
    @Flag(help: "Make a bare repository (a hub or a server-side copy).") var bare = false
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let made = try CaseRepository.initialize(
            InitOptions(directory: directory, jurisdiction: jurisdiction, name: name, node: node, policyFile: policy,
                        keyPath: key, bare: bare, binary: currentBinary),
            clock: try clockBeforeRepository(global.environment, policyFile: policy))
        Console.say(Message(.repoInitialized, ["jurisdiction": jurisdiction, "path": made.path,
                                               "commit": String(made.commit.prefix(12)), "fingerprint": made.policyFingerprint]), global.language)
        Console.data(made.policyFingerprint + "\n")
    }

}

/// Before a repository exists, the policy file says whether the clock may be set.
func clockBeforeRepository(_ environment: [String: String], policyFile: String) throws -> any CaseClock {
    guard let value = environment["WEBJCASE_NOW"], !value.isEmpty else { return SystemClock() }
    let (policy, _) = try PolicyFile.check(try Data(contentsOf: URL(fileURLWithPath: policyFile)), file: policyFile)
    if policy.mode == .production { throw CaseError(.clockProduction) }
    guard let time = Timestamp(value) else { throw CaseError(.clockInvalid, ["value": value]) }
    return FixedClock(time.date)
}

struct Clone: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Clone a case repository as a node, pinning its first policy.",
        discussion: """
        The whole history is verified before the clone is kept.
        Example: webjcase clone https://hub.example/edu.git edu --node edu2 --pin sha256:… --key keys/edu2
        """)

    @Argument(help: "The repository's URL (the hub) or path.") var url: String
    @Argument(help: "The directory to create.") var directory: String
    @Option(help: "This node's name in the policy.") var node: String
    @Option(help: "The fingerprint of the first policy, as `init` printed it.") var pin: String
    @Option(help: "The node's private key.") var key: String
    @Flag(help: "Make a bare clone.") var bare = false
    @Option(help: "A file holding this node's token for the hub (kept in the node's config for sync; never give the token itself).")
    var tokenFile: String?
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let (repository, count) = try CaseRepository.clone(
            CloneOptions(url: url, directory: directory, node: node, pin: pin, keyPath: key, bare: bare, binary: currentBinary,
                         tokenFile: tokenFile))
        Console.say(Message(.repoCloned, ["url": url, "path": repository.location, "node": node, "count": "\(count)",
                                          "fingerprint": pin]), global.language)
        // The personal store comes beside the case repository from a hub (DESIGN §2).
        if tokenFile != nil {
            let clock = try repository.clock(environment: global.environment)
            let personal = try global.writing(repository, "clone") { lock in try repository.syncPersonal(clock: clock, lock: lock) }
            if personal.received > 0 {
                Console.say(Message(.syncPersonal, ["received": "\(personal.received)", "sent": "0"]), global.language)
            }
        }
    }
}

struct PKI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pki", abstract: "Certificates for tests and demonstrations.", subcommands: [TestCA.self])

    struct TestCA: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test-ca",
            abstract: "Make a TEST PKI: root, XCA-like intermediate, organization and staff certificates, keys in PEM.",
            discussion: """
            The root is marked NOT FOR PRODUCTION; a policy in production mode refuses it.
            Writes DIR/trust/roots, DIR/trust/ca, DIR/trust/crl, DIR/ca, DIR/organizations/<id>.{pem,key,chain.pem}, DIR/staff/<name>.{…}.
            Example: webjcase pki test-ca pki --org 12345678:rsa --org 87654321:p256 --staff chen.clerk
            """)

        @Argument(help: "The directory to create (must not exist or be empty).") var directory: String
        @Option(help: "An organization id, optionally with its key type (rsa, rsa3072 or p256); repeat for several.")
        var org: [String] = []
        @Option(help: "A staff member's name (P-256 certificate); repeat for several.") var staff: [String] = []
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let target = try NewDirectory(directory)
            var organizations: [TestPKI.Organization] = []
            for spec in org.isEmpty ? ["12345678:rsa", "87654321:p256"] : org {
                let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
                let types: [String: TestPKI.KeyType] = ["rsa": .rsa2048, "rsa2048": .rsa2048, "rsa3072": .rsa3072, "p256": .p256]
                guard let id = parts.first, OrganizationID.isValid(id), let type = types[parts.count > 1 ? parts[1] : "rsa"] else {
                    throw CaseError(.optionInvalid, ["option": "--org", "value": spec, "expected": "write ID or ID:rsa, ID:rsa3072, ID:p256"])
                }
                organizations.append(TestPKI.Organization(id: id, name: "Test organization \(id)", keyType: type))
            }
            let people = (staff.isEmpty ? ["clerk", "reviewer"] : staff).map { TestPKI.Staff(name: $0) }
            do {
                let made = try TestPKI.make(at: URL(fileURLWithPath: directory), organizations: organizations, staff: people)
                Console.say(Message(.pkiCreated, ["path": directory, "root": made.rootCertificate.path,
                                                  "organizations": "\(organizations.count)", "staff": "\(people.count)"]), global.language)
            } catch let error as SigningError {
                target.discard()
                throw CaseError(error.message(file: directory), status: .badInput)
            } catch {
                target.discard()
                throw error
            }
        }
    }
}

struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Make and show keys.", subcommands: [New.self])

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new Ed25519 key pair: NAME (private, mode 0600) and NAME.pub.",
            discussion: "Example: webjcase keys new keys/chen.clerk")

        @Argument(help: "Path of the private key to write; the public key goes to NAME.pub.") var name: String
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let publicPath = name + ".pub"
            for path in [name, publicPath] where FileManager.default.fileExists(atPath: path) {
                throw CaseError(.fileExists, ["file": path])
            }
            let key = SigningKey.generate()
            let comment = (name as NSString).lastPathComponent
            try writeNew(name, Data(key.openSSHPrivateKey(comment: comment).utf8), mode: 0o600)
            do {
                try writeNew(publicPath, Data((key.publicKey.authorizedKeysLine(comment: comment) + "\n").utf8), mode: 0o644)
            } catch {
                try? FileManager.default.removeItem(atPath: name)
                throw error
            }
            Console.say(Message(.keyCreated, ["private": name, "public": publicPath, "fingerprint": key.publicKey.fingerprint]), global.language)
            Console.data(key.publicKey.fingerprint + "\n")
        }
    }
}

/// Creates a file that must not exist yet, with `mode` from the start (no window in
/// which a private key is readable by others).
func writeNew(_ path: String, _ data: Data, mode: mode_t) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
    guard fd >= 0 else {
        if errno == EEXIST { throw CaseError(.fileExists, ["file": path]) }
        throw CaseError(.fileWriteFailed, ["file": path, "reason": String(cString: strerror(errno))])
    }
    defer { close(fd) }
    let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    guard written == data.count, fchmod(fd, mode) == 0 else {
        unlink(path)
        throw CaseError(.fileWriteFailed, ["file": path, "reason": String(cString: strerror(errno))])
    }
}

struct Sign: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sign a document (FILE.sig, a DSSE-style envelope over its exact bytes; --cms: FILE.p7s) or check a signature.",
        discussion: """
        Examples: webjcase sign annex-1.yaml --key keys/chen.clerk
                  webjcase sign annex-1.yaml --key org.key --cert org.chain.pem
                  webjcase sign annex-1.yaml --pkcs11 /usr/lib/softhsm/libsofthsm2.so --pin-file pin --cert-chain xca.pem
                  webjcase sign annex-1.yaml --cms --pkcs11 /usr/lib/softhsm/libsofthsm2.so --pin-file pin --cert-chain xca.pem
                  webjcase sign --verify annex-1.yaml --key keys/chen.clerk.pub
        With --pkcs11 the key stays on the card: the module is the card software's PKCS#11 library, the
        key and its certificate are found by CKA_ID (--key-id, default 5349474e as on the XCA's cards), the
        PIN is asked on the terminal or read from --pin-file (mode 0600), never taken from the command line.
        Without --key, --verify trusts the keys of the repository's policy (--repo). A signature that
        carries a certificate chain is judged against the repository's roots and CRLs at the signing time
        the document states (signedAt:); a document that names its organization: must be signed with an
        XCA certificate for that organization. Without FILE.sig, --verify checks FILE.p7s, a detached CMS
        signature (the card software's, or `openssl cms -sign -binary -outform DER`), the same way.
        With --cms (and --key KEY --cert CHAIN, or --pkcs11) sign writes FILE.p7s instead of FILE.sig: a
        detached CMS SignedData in DER, as the card software makes it, which `openssl cms -verify` checks too.
        """)

    @Argument(help: "The document.") var file: String
    @Option(help: "Signing: the private key. --verify: a public key file (authorized_keys lines).") var key: String?
    @Option(help: "Signing with a PEM key: its certificate chain (PEM, leaf first).") var cert: String?
    @Flag(help: "Check FILE.sig (or, without it, the detached CMS signature FILE.p7s) instead of writing it.") var verify = false
    @Flag(help: "Write FILE.p7s, a detached CMS SignedData (DER), instead of the envelope FILE.sig; with --key KEY --cert CHAIN or --pkcs11.") var cms = false
    @OptionGroup var card: CardOptions
    @OptionGroup var global: GlobalOptions

    static let payloadType = documentPayloadType

    func run() throws {
        var document = try readInputFile(file)
        let signaturePath = file + (cms ? ".p7s" : ".sig")
        if cms, verify {
            throw CaseError(.optionInvalid, ["option": "--cms", "value": "", "expected": "it writes FILE.p7s; --verify finds FILE.p7s by itself"])
        }
        if cms, card.module == nil, key == nil || cert == nil {
            throw CaseError(.cmsNeedsCertificate, ["file": file])
        }
        if cms, FileManager.default.fileExists(atPath: signaturePath) {
            // A CMS signature holds one signer: no co-signing into it.
            throw CaseError(.fileExists, ["file": signaturePath])
        }
        if let stray = card.strayOption {
            throw CaseError(.optionInvalid, ["option": stray, "value": "", "expected": "it goes with --pkcs11 MODULE, to sign with a card"])
        }
        if card.module != nil, verify || key != nil || cert != nil {
            throw CaseError(.optionInvalid, ["option": "--pkcs11", "value": card.module ?? "",
                                             "expected": "it signs with a card, without --key, --cert or --verify"])
        }
        if verify {
            // Without an envelope, a detached CMS signature beside the document (the card software's).
            if !FileManager.default.fileExists(atPath: signaturePath), let cms = FileManager.default.contents(atPath: file + ".p7s") {
                let (signature, _) = try global.open().verifyCMSDocument(document, cms: cms, file: file)
                if let certificate = signature.certificate {
                    Console.say(Message(.cmsGood, ["file": file, "signature": file + ".p7s", "subject": certificate.subject,
                                                   "organization": certificate.organizationID ?? "—",
                                                   "fingerprint": certificate.fingerprint, "issuer": certificate.issuer]), global.language)
                }
                return
            }
            guard let envelopeData = FileManager.default.contents(atPath: signaturePath) else {
                throw CaseError(.signatureMissing, ["file": file, "signature": signaturePath], status: .ruleBroken)
            }
            do {
                let envelope = try SignatureEnvelope(decoding: envelopeData)
                if key == nil, envelope.signatures.contains(where: { $0.chain != nil }) {
                    for signature in try global.open().verifyCertifiedDocument(document, envelope: envelope, file: file) {
                        guard let certificate = signature.certificate else { continue }
                        Console.say(Message(.signatureGoodCertificate, ["file": file, "subject": certificate.subject,
                                                                        "fingerprint": certificate.fingerprint, "issuer": certificate.issuer]), global.language)
                    }
                    if let organization = try StrictYAML.topLevelScalars(document, file: file)["organization"] {
                        Console.say(Message(.signatureOrganization, ["file": file, "organization": organization]), global.language)
                    }
                    return
                }
                let verified = try envelope.verify(document: document, payloadType: Self.payloadType, keys: try trustedKeys())
                for signature in verified {
                    Console.say(Message(.signatureGood, ["file": file, "keyid": signature.keyID]), global.language)
                }
            } catch let error as SigningError {
                throw CaseError(error.message(file: file), status: .ruleBroken)
            }
            return
        }
        let signer: StepSigner
        var token: PKCS11Card?
        if card.module != nil {
            let opened = try card.signer(language: global.language)
            signer = opened.signer
            token = opened.card
        } else {
            guard let key else {
                throw CaseError(.optionInvalid, ["option": "--key", "value": "", "expected": "give the private key to sign with (or --pkcs11 MODULE for a card)"])
            }
            signer = try StepSigner.load(key: key, chain: cert)
        }
        // A form that does not read under its schema is signed as it is: the validator
        // judges it when it enters a case.
        if let (form, disclosures) = (try? PersonalDisclosures.commit(document, file: file)) ?? nil {
            // An applicant form signs commitments of its personal fields, never the values
            // (DESIGN §2); the values go beside it, for the agency's personal store.
            let disclosurePath = (file.hasSuffix(".yaml") ? String(file.dropLast(5)) : file) + ".personal.yaml"
            guard !FileManager.default.fileExists(atPath: disclosurePath) else { throw CaseError(.fileExists, ["file": disclosurePath]) }
            do {
                try DocumentWriter.yaml(disclosures).write(to: URL(fileURLWithPath: disclosurePath), options: .withoutOverwriting)
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: disclosurePath)
                try form.write(to: URL(fileURLWithPath: file), options: .atomic)
            } catch {
                throw CaseError(.fileWriteFailed, ["file": disclosurePath, "reason": error.localizedDescription])
            }
            document = form
            Console.say(Message(.personalCommitted, ["file": file, "count": "\(disclosures.values.count)", "disclosures": disclosurePath]), global.language)
        }
        if cms {
            try writeCMS(document: document, signer: signer, path: signaturePath, card: token)
            return
        }
        var envelope: SignatureEnvelope
        do {
            if let existing = FileManager.default.contents(atPath: signaturePath) {
                // Co-signing: add this key to an envelope over the same bytes.
                envelope = try SignatureEnvelope(decoding: existing)
                try envelope.addSignature(document: document, signer: signer.signer, chain: signer.chain)
            } else {
                envelope = try SignatureEnvelope.sign(document: document, payloadType: Self.payloadType, signer: signer.signer, chain: signer.chain)
            }
        } catch let error as SigningError {
            throw CaseError(error.message(file: file), status: .ruleBroken)
        }
        do {
            try envelope.encoded().write(to: URL(fileURLWithPath: signaturePath), options: .atomic)
        } catch {
            throw CaseError(.fileWriteFailed, ["file": signaturePath, "reason": error.localizedDescription])
        }
        if let token {
            Console.say(Message(.cardSigned, ["token": token.tokenLabel, "slot": "\(token.slot)", "keyID": token.keyIDHex]), global.language)
        }
        Console.say(Message(.signatureWrote, ["file": file, "keyid": signer.signer.publicKey.fingerprint, "signature": signaturePath]), global.language)
    }

    /// Writes FILE.p7s: a detached CMS SignedData over the document, by the file key or the card.
    private func writeCMS(document: Data, signer: StepSigner, path: String, card token: PKCS11Card?) throws {
        guard let chain = signer.chain else { throw CaseError(.cmsNeedsCertificate, ["file": file]) }
        let cms: Data
        do {
            cms = try CMSSignature.sign(document: document, signer: signer.signer, chain: chain, signingTime: try signingClock().now())
        } catch let error as SigningError {
            throw CaseError(error.message(file: file), status: .ruleBroken)
        }
        do {
            try cms.write(to: URL(fileURLWithPath: path), options: .withoutOverwriting)
        } catch {
            throw CaseError(.fileWriteFailed, ["file": path, "reason": error.localizedDescription])
        }
        if let token {
            Console.say(Message(.cardSigned, ["token": token.tokenLabel, "slot": "\(token.slot)", "keyID": token.keyIDHex]), global.language)
        }
        Console.say(Message(.cmsWrote, ["file": file, "subject": chain.leafSubject, "keyid": signer.signer.publicKey.fingerprint,
                                        "signature": path]), global.language)
    }

    /// The signing time a CMS signature states: this machine's clock, as the card software's,
    /// or `WEBJCASE_NOW` (tests, the demo). It is the signer's claim, compared with `signedAt`.
    private func signingClock() throws -> any CaseClock {
        guard let value = global.environment["WEBJCASE_NOW"], !value.isEmpty else { return SystemClock() }
        guard let time = Timestamp(value) else { throw CaseError(.clockInvalid, ["value": value]) }
        return FixedClock(time.date)
    }

    private func trustedKeys() throws -> [String: SSHPublicKey] {
        guard let key else { return try global.open().settings().keys.keys }
        let text = String(decoding: try readInputFile(key), as: UTF8.self)
        var keys: [String: SSHPublicKey] = [:]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") && !line.allSatisfy(\.isWhitespace) {
            do {
                let publicKey = try SSHPublicKey(authorizedKeysLine: String(line))
                keys[publicKey.fingerprint] = publicKey
            } catch let error as SigningError {
                throw CaseError(error.message(file: key), status: .badInput)
            }
        }
        return keys
    }
}

struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "case", abstract: "Open cases.", subcommands: [Open.self])

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a case: case.yaml and its signed `open` step in one commit.",
            discussion: """
            Example: webjcase case open REG --org 12345678 --data open.yaml --key keys/chen.clerk
            When the organization's XCA certificate carries another id (an OID such as 2.16.886.111.100001.1.2),
            name it with --xca-oid: its applicant documents may then name either.
            """)

        @Argument(help: "The kind: REG, CHG, PAU, CAN, AUD, ENF or REV.") var kind: String
        @Option(help: "The organization's id (on its letter, or from its XCA certificate).") var org: String
        @Option(name: .customLong("xca-oid"), help: "The organization's OID on its XCA certificate, when --org is another id.") var xcaOID: String?
        @Option(help: "The open step's data (see `webjcase template open`).") var data: String
        @Option(help: "The staff key that signs the step (OpenSSH Ed25519, or a PEM key of a certificate).") var key: String
        @Option(help: "With a PEM key: its certificate chain (PEM, leaf first).") var cert: String?
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let kind = try parseKind(kind)
            let repository = try global.open()
            let clock = try repository.clock(environment: global.environment)
            guard case .open(let open) = try readData(.open, data, kind: kind) else { return }
            let signer = try StepSigner.load(key: key, chain: cert)
            let recorded = try global.writing(repository, "case open") { lock in
                try repository.openCase(kind: kind, organization: org, xcaOID: xcaOID, data: open, key: signer, clock: clock, lock: lock)
            }
            Console.say(Message(.caseOpened, ["case": recorded.caseID.description, "commit": String(recorded.commit.prefix(12))]), global.language)
            Console.data(recorded.caseID.description + "\n")
        }
    }
}

struct Step: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record one signed step of a case as one commit.",
        discussion: """
        Works on a bare repository; a work tree is updated to match.
        Example: webjcase step REG-2026-edu1-0001 submit --data submit.yaml --key keys/chen.clerk --attach letter.pdf
        """)

    @Argument(help: "The case id.") var caseID: String
    @Argument(help: "The action (see `webjcase template --list`).") var action: String
    @Option(help: "The step's data (see `webjcase template ACTION`).") var data: String
    @Option(help: "The staff key that signs the step (OpenSSH Ed25519, or a PEM key of a certificate).") var key: String
    @Option(help: "With a PEM key: its certificate chain (PEM, leaf first).") var cert: String?
    @Option(help: "A file to attach (PDF, PNG or JPEG); repeat for several.") var attach: [String] = []
    @Option(help: "An applicant document (a form signed with the organization's XCA certificate, FILE.sig or FILE.p7s beside it); repeat for several.")
    var document: [String] = []
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let id = try parseCaseID(caseID)
        let action = try parseAction(self.action)
        let repository = try global.open()
        let clock = try repository.clock(environment: global.environment)
        let stepData = try readData(action, data)
        let key = try StepSigner.load(key: self.key, chain: cert)
        let recorded = try global.writing(repository, "step") { lock in
            try repository.recordStep(caseID: id, action: action, data: stepData, attachments: attach, documents: document,
                                      key: key, clock: clock, lock: lock)
        }
        Console.findings(recorded.findings, global.language)
        Console.say(Message(.stepRecorded, ["case": id.description, "sequence": "\(recorded.sequence)",
                                            "action": action.rawValue, "commit": String(recorded.commit.prefix(12))]), global.language)
        Console.data(recorded.commit + "\n")
    }
}

struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Print an example --data file for an action, or the hub's config (hub) or a policy (policy).",
        discussion: "Example: webjcase template initial.correction > correction.yaml   |   webjcase template hub > hub.yaml")

    @Argument(help: "The action, `hub` or `policy`.") var action: String?
    @Option(help: "For `open`: the kind of case (REG CHG PAU CAN AUD ENF REV).") var kind: String = "REG"
    @Flag(help: "List the actions.") var list = false
    @OptionGroup var global: GlobalOptions

    func run() throws {
        guard !list, let action else {
            Console.data((Action.allCases.map(\.rawValue) + ["hub", "policy"]).joined(separator: "\n") + "\n")
            return
        }
        if action == "hub" { return Console.data(ConfigTemplate.hub) }
        if action == "policy" { return Console.data(ConfigTemplate.policy) }
        guard let parsed = Action(rawValue: action) else { _ = try parseAction(action); return }
        Console.data(DataTemplate.yaml(for: parsed, kind: try parseKind(kind)))
    }
}

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the steps of a case with who signed them and the commits.",
        discussion: "Example: webjcase log REG-2026-edu1-0001 --json")

    @Argument(help: "The case id.") var caseID: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let id = try parseCaseID(caseID)
        let entries = try global.open().log(id)
        if json { return try Console.json(entries) }
        for entry in entries {
            let who = entry.actorName.map { "\($0) (\(entry.actor))" } ?? entry.actor
            let files = entry.attachments.isEmpty ? "" : "  [\(entry.attachments.joined(separator: ", "))]"
            Console.data(String(format: "%04d", entry.sequence) + "  \(entry.at)  \(padded(entry.action, 20))  \(who)  \(entry.commit.map { String($0.prefix(12)) } ?? "-")\(files)\n")
        }
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the cases and their states, or one case.",
        discussion: "Example: webjcase status --json")

    @Argument(help: "A case id (default: every case).") var caseID: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let summaries = try global.open().status(try caseID.map(parseCaseID))
        if json { return try Console.json(summaries) }
        if summaries.isEmpty { return Console.say(Message(.statusEmpty), global.language) }
        // One write for the whole table: ten thousand lines are one syscall, not ten thousand.
        Console.data(summaries.map { s in
            "\(s.id)  \(s.organization)  \(padded(s.state, 21))  step \(s.steps) \(s.lastAction)  \(s.lastAt)\n"
        }.joined())
    }
}

struct Due: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What is due next, soonest first: corrections, improvement deadlines, trackings left, termination notices due, the Archives' 18:00 disable times and termination dates.",
        discussion: "Example: webjcase due --within 14 --ics due.ics")

    @Option(help: "Only what falls due within this many days (overdue items are always listed).") var within: Int?
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Also write the items as an iCalendar file (RFC 5545, Asia/Taipei) for calendar programs.") var ics: String?
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let repository = try global.open()
        let now = try repository.clock(environment: global.environment).now()
        let items = try repository.due(now: now, within: within.map { TimeInterval($0) * 86_400 })
        if let ics { try writeAtomically(DueCalendar.ics(items, language: global.language, now: now), to: ics) }
        if json { return try Console.json(items) }
        if items.isEmpty { return Console.say(Message(.dueNothing), global.language) }
        for item in items {
            Console.data((item.overdue ? "! " : "  ") + item.message.render(global.language) + "\n")
        }
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a case's dossier (HTML or Markdown), or the dossiers of every case with an index page.",
        discussion: """
        A dossier shows the case's summary, every step with its signer (name, role, certificate subject), the signer's
        time and the hub's receipt time, a verification mark per document (from a full verification of the history),
        and for enforcement the Annex 8 notice, its tracking table, deadlines, extensions and termination times.
        The HTML is one self-contained page (no network) with a print stylesheet.
        Examples: webjcase report ENF-2026-centre-0001 --format html > dossier.html
                  webjcase report --all --out dossiers --lang zh-TW
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case html, md, json }

    @Argument(help: "The case id (or --all).") var caseID: String?
    @Flag(help: "Every case, and an index page of cases and organizations (needs --out).") var all = false
    @Option(help: "html, md or json.") var format: Format = .html
    @Option(help: "With a case: the file to write (default: stdout). With --all: the directory.") var out: String?
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard (caseID == nil) == all, !all || out != nil else { throw CaseError(.reportCaseOrAll) }
    }

    func run() throws {
        let repository = try global.open()
        let now = try repository.clock(environment: global.environment).now()
        let language = global.language
        if let caseID {
            let dossier = try repository.dossiers([try parseCaseID(caseID)], now: now)[0]
            let text: String
            switch format {
            case .html: text = DossierHTML.render(dossier, language: language)
            case .md: text = DossierMarkdown.render(dossier, language: language)
            case .json: return try Console.json(dossier)
            }
            if let out { try writeAtomically(text, to: out) } else { Console.data(text) }
            return
        }
        guard let out else { return }
        let dossiers = try repository.dossiers(now: now)
        var organizations: [(id: String, status: String)] = []
        for organization in Set(dossiers.map(\.organization)).sorted() {
            organizations.append((organization, try repository.organization(organization, at: now).status))
        }
        let authority = try repository.settings().config.name
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            throw CaseError(.fileWriteFailed, ["file": out, "reason": error.localizedDescription])
        }
        let index: String
        switch format {
        case .html, .json:
            for dossier in dossiers {
                try writeAtomically(format == .json ? String(decoding: try Console.encoded(dossier), as: UTF8.self) : DossierHTML.render(dossier, language: language),
                          to: out + "/" + dossier.id + (format == .json ? ".json" : ".html"))
            }
            index = out + "/index.html"
            try writeAtomically(ReportIndex.render(dossiers, organizations: organizations, authority: authority, language: language), to: index)
        case .md:
            for dossier in dossiers { try writeAtomically(DossierMarkdown.render(dossier, language: language), to: out + "/" + dossier.id + ".md") }
            index = out + "/index.md"
            try writeAtomically(ReportIndex.markdown(dossiers, organizations: organizations, authority: authority, language: language), to: index)
        }
        Console.say(Message(.reportWrote, ["count": "\(dossiers.count)", "index": index]), language)
    }

}

struct Personal: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Personal data kept out of the record: show a value behind a commitment, check a case's commitments.",
        subcommands: [Show.self, Check.self, RequestDeletion.self, Delete.self])

    struct RequestDeletion: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "request-deletion",
            abstract: "Write a request to delete an organization's personal values, for the admins to co-sign.",
            discussion: "Example: webjcase personal request-deletion 12345678 --reason \"PDPA art. 11 request of 2026-11-20\" --out deletion.yaml")
        @Argument(help: "The organization's id.") var organization: String
        @Option(help: "Why (the request under the Personal Data Protection Act).") var reason: String
        @Option(help: "Where to write the request.") var out: String
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let repository = try global.open()
            let bytes = try repository.personalDeletionRequest(organization, reason: reason, clock: try repository.clock(environment: global.environment))
            guard !FileManager.default.fileExists(atPath: out) else { throw CaseError(.fileExists, ["file": out]) }
            do {
                try bytes.write(to: URL(fileURLWithPath: out), options: .withoutOverwriting)
            } catch {
                throw CaseError(.fileWriteFailed, ["file": out, "reason": error.localizedDescription])
            }
            let count = try StrictYAML.decode(PersonalDeletionRequest.self, from: bytes, file: out).commitments.count
            Console.say(Message(.personalRequestWritten, ["file": out, "count": "\(count)", "organization": organization]), global.language)
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "On the hub: carry out a deletion request co-signed by the admin threshold (the personal store is rewritten and pruned).",
            discussion: "Example: webjcase personal delete deletion.yaml --repo /srv/webjcase/edu.git")
        @Argument(help: "The request (REQUEST.sig beside it holds the admins' signatures).") var request: String
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let repository = try global.open()
            let bytes = try readInputFile(request)
            guard FileManager.default.fileExists(atPath: request + ".sig") else {
                throw CaseError(.signatureMissing, ["file": request, "signature": request + ".sig"], status: .ruleBroken)
            }
            let envelope = try readInputFile(request + ".sig")
            let clock = try repository.clock(environment: global.environment)
            let count = try global.writing(repository, "personal delete") { lock in
                try repository.carryOutPersonalDeletion(request: bytes, envelope: envelope, file: request, clock: clock, lock: lock)
            }
            let organization = (try? StrictYAML.decode(PersonalDeletionRequest.self, from: bytes, file: request).organization) ?? "?"
            Console.say(Message(.personalDeleted, ["count": "\(count)", "organization": organization]), global.language)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the value behind a commitment, or say it is withheld.",
            discussion: "Example: webjcase personal show sha256:0c1f…")
        @Argument(help: "The commitment, sha256:<hex>.") var commitment: String
        @OptionGroup var global: GlobalOptions

        func run() throws {
            guard let value = try global.open().personalValue(commitment) else {
                Console.say(Message(.personalWithheld, ["commitment": commitment]), global.language)
                throw ExitCode(ExitStatus.ruleBroken.rawValue)
            }
            Console.data(value + "\n")
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every personal field of a case against the personal store.",
            discussion: "Example: webjcase personal check ENF-2026-centre-0001 --json")
        @Argument(help: "The case id.") var caseID: String
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let checks = try global.open().checkPersonal(try parseCaseID(caseID))
            if json { try Console.json(checks) } else {
                for check in checks {
                    let id: MessageID = switch check.state {
                    case .held: .personalHeld
                    case .withheld: .personalMissing
                    case .mismatch: .personalMismatch
                    }
                    Console.say(Message(id, ["path": check.path, "commitment": check.commitment]), global.language)
                }
            }
            if checks.contains(where: { $0.state == .mismatch }) { throw ExitCode(ExitStatus.ruleBroken.rawValue) }
        }
    }
}

struct Org: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show an organization's status (derived from its cases) and its cases.",
        discussion: "Example: webjcase org 12345678 --json")

    @Argument(help: "The organization's id.") var organization: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    struct Output: Encodable {
        let organization: String
        let status: String
        let cases: [CaseSummary]
    }

    func run() throws {
        let repository = try global.open()
        let (status, cases) = try repository.organization(organization, at: try repository.clock(environment: global.environment).now())
        if json { return try Console.json(Output(organization: organization, status: status, cases: cases)) }
        Console.data("\(organization)  \(status)\n")
        for s in cases {
            Console.data("  \(s.id)  \(s.state)  step \(s.steps) \(s.lastAction)  \(s.lastAt)\n")
        }
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the validator on staged changes or on a range of commits.",
        discussion: "Examples: webjcase validate --staged; webjcase validate --range origin/main..main")

    @Flag(help: "Check the index as the next commit (what the pre-commit hook runs).") var staged = false
    @Option(help: "Check the commits of A..B.") var range: String?
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let repository = try global.open()
        if staged {
            let verdict = try repository.validateStaged(now: try repository.clock(environment: global.environment).now())
            return try finish(count: 1, verdict: verdict, language: global.language)
        }
        let (count, verdict) = try range.map(repository.validate(range:)) ?? repository.verifyHistory()
        try finish(count: count, verdict: verdict, language: global.language, history: true)
    }
}

/// Prints findings and turns refusals into exit 1.
func finish(count: Int, verdict: Verdict, language: Language, history: Bool = false) throws {
    try finish(count: count, verdict: verdict, languages: [language], history: history)
}

/// The same in several languages, each line in each: a hub's hooks answer pushers whose
/// language the hub does not know.
func finish(count: Int, verdict: Verdict, languages: [Language], history: Bool = false) throws {
    let findings = verdict.findings
    for language in languages { Console.findings(findings, language) }
    guard verdict.isAccepted else {
        for language in languages {
            Console.say(Message(history ? .verifyBroken : .validateRefused, ["count": "\(findings.refusals.count)"]), language)
        }
        throw ExitCode(ExitStatus.ruleBroken.rawValue)
    }
    for language in languages {
        Console.say(findings.isEmpty ? Message(.validateClean, ["count": "\(count)"])
                    : Message(.validateRecorded, ["count": "\(count)", "findings": "\(findings.count)"]), language)
    }
}

/// A hub's receive hooks run as workers of a supervisor (``HookSupervisor``); this is the
/// supervisor's part, which never returns, or nothing in the worker.
private func superviseHook(_ environment: [String: String]) {
    guard !HookSupervisor.isWorker(environment) else { return }
    HookSupervisor.supervise(environment: environment, gitDirectory: environment["GIT_DIR"])
}

/// The languages a hub's hooks answer in: both.
private let hubLanguages: [Language] = [.en, .zhTW]

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-check the whole history: every commit, signature and rule.",
        discussion: "Example: webjcase verify --repo edu.git")

    @Flag(help: "Print JSON: every finding with its rule, severity, commit, path and message in both languages.") var json = false
    @OptionGroup var global: GlobalOptions

    struct Output: Encodable {
        struct Item: Encodable {
            let rule: String
            let severity: String
            let commit: String?
            let path: String?
            let message: [String: String]
        }
        let commits: Int
        let refused: Int
        let recorded: Int
        let findings: [Item]
    }

    func run() throws {
        let repository = try global.open()
        let (count, verdict) = try repository.verifyHistory()
        let findings = verdict.findings
        guard json else { return try finish(count: count, verdict: verdict, language: global.language, history: true) }
        try Console.json(Output(commits: count, refused: findings.refusals.count, recorded: findings.count - findings.refusals.count,
                                findings: findings.map { finding in
            Output.Item(rule: finding.rule, severity: finding.severity.rawValue, commit: finding.commit, path: finding.path,
                        message: Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0.rawValue, finding.message.render($0)) }))
        }))
        if !verdict.isAccepted { throw ExitCode(ExitStatus.ruleBroken.rawValue) }
    }
}

struct Trust: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the trust policy; sign, check and commit changes of protected files.",
        discussion: """
        A change of trust/policy.yaml, calendar/, webjcase.yaml, README.md or trust/roots needs the
        signatures of the threshold of the admins of the policy in force. Edit the file (in the work
        tree, or in a directory laid out like the repository: --from DIR), then:
          webjcase trust sign trust/policy.yaml --key keys/lin.admin     # each admin
          webjcase trust verify trust/policy.yaml                         # who signed, how many more
          webjcase trust commit trust/policy.yaml                         # one node-signed commit
        """,
        subcommands: [Show.self, NewPolicy.self, SignChange.self, VerifyChange.self, CommitChange.self, AllowedSigners.self])

    struct ProposalOptions: ParsableArguments {
        @Option(help: "A directory laid out like the repository holding the proposed files (default: the work tree).")
        var from: String?
    }

    struct SignChange: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sign",
            abstract: "Co-sign the proposed version of a protected file (writes PATH.sig beside it).",
            discussion: "Example: webjcase trust sign calendar/2028.yaml --key keys/lin.admin")
        @Argument(help: "The protected file, as a repository path.") var path: String
        @Option(help: "The admin's private key.") var key: String
        @OptionGroup var proposal: ProposalOptions
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let repository = try global.open()
            let status = try repository.signProposal(path, from: try repository.proposalDirectory(proposal.from),
                                                     key: try loadKey(key), clock: try repository.clock(environment: global.environment))
            Console.say(status.message, global.language)
            for note in status.notes { Console.say(note, global.language) }
        }
    }

    struct VerifyChange: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check who has signed proposed protected files; exit 1 until the threshold is met.",
            discussion: "Example: webjcase trust verify trust/policy.yaml calendar/2028.yaml")
        @Argument(help: "The protected files, as repository paths.") var paths: [String]
        @OptionGroup var proposal: ProposalOptions
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let repository = try global.open()
            let directory = try repository.proposalDirectory(proposal.from)
            let clock = try repository.clock(environment: global.environment)
            var ready = true
            for path in paths {
                let status = try repository.verifyProposal(path, from: directory, clock: clock)
                Console.say(status.message, global.language)
                for note in status.notes { Console.say(note, global.language) }
                ready = ready && status.isReady
            }
            if !ready { throw ExitCode(ExitStatus.ruleBroken.rawValue) }
        }
    }

    struct CommitChange: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "commit",
            abstract: "Commit signed proposals of protected files as one node-signed commit.",
            discussion: "Example: webjcase trust commit trust/policy.yaml")
        @Argument(help: "The protected files, as repository paths.") var paths: [String]
        @OptionGroup var proposal: ProposalOptions
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let repository = try global.open()
            let directory = try repository.proposalDirectory(proposal.from)
            let clock = try repository.clock(environment: global.environment)
            let commit = try global.writing(repository, "trust commit") { lock in
                try repository.commitProposal(paths, from: directory, clock: clock, lock: lock)
            }
            Console.say(Message(.trustCommitted, ["paths": paths.joined(separator: ", "), "commit": String(commit.prefix(12))]), global.language)
            Console.data(commit + "\n")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the policy's identities and fingerprint.",
                                                        discussion: "Example: webjcase trust show")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let settings = try global.open().settings()
            Console.data("policy \(settings.policy.version) (\(settings.policy.mode.rawValue)) \(settings.policyFingerprint), threshold \(settings.policy.threshold)\n")
            let fingerprints = Dictionary(uniqueKeysWithValues: settings.keys.byFingerprint.map { ($0.value.identity.name, $0.key) })
            for identity in settings.policy.identities.sorted(by: { $0.name < $1.name }) {
                let roles = identity.roles.map(\.rawValue).joined(separator: ",")
                var state = ""
                if let revoked = identity.revoked { state = "  revoked \(revoked.at.text)" }
                else if let until = identity.validUntil { state = "  until \(until.text)" }
                let credential = identity.certificate.map { "certificate \($0)" } ?? fingerprints[identity.name] ?? "?"
                Console.data("\(identity.name)  \(roles)  \(identity.jurisdiction ?? "*")  \(credential)\(state)\n")
            }
        }
    }

    struct AllowedSigners: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "allowed-signers",
            abstract: "Print an allowed-signers file for `git log --show-signature`.",
            discussion: """
            Example: webjcase trust allowed-signers > allowed_signers
                     git -c gpg.ssh.allowedSignersFile=allowed_signers log --show-signature
            """)
        @OptionGroup var global: GlobalOptions

        func run() throws {
            Console.data(try global.open().allowedSigners())
        }
    }
}

/// The ref updates git gives a receive hook on stdin: `<old> <new> <ref>` per line.
private func readRefUpdates() -> [RefUpdate] {
    String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        .split(whereSeparator: \.isNewline).compactMap(RefUpdate.init(line:))
}

struct Hook: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run as a git hook (installed by init).",
        subcommands: [PreCommit.self, PreReceive.self, PostReceive.self, PersonalPreReceive.self])

    struct PersonalPreReceive: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "personal-pre-receive",
            abstract: "On a hub's personal store: accept only new entries that open their commitments, in commits signed by a node of the jurisdiction.",
            discussion: "Run by the personal store's pre-receive hook (installed by hub init). Example: echo \"$OLD $NEW refs/heads/main\" | webjcase hook personal-pre-receive")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            superviseHook(global.environment)
            let updates = readRefUpdates()
            let environment = global.environment
            let findings = try CaseRepository.checkPersonalPush(updates, pusher: environment["WEBJCASE_PUSHER"],
                                                                quarantine: environment["GIT_QUARANTINE_PATH"])
            try finish(count: updates.count, verdict: Verdict(findings), languages: hubLanguages)
        }
    }

    struct PreCommit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pre-commit", abstract: "Validate the staged changes.",
            discussion: "Run by hooks/pre-commit (installed by init and clone). Example, by hand: webjcase hook pre-commit --repo edu")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let repository = try CaseRepository.fromHookEnvironment()
            let verdict = try repository.validateStaged(now: try repository.hookClock(environment: global.environment).now())
            try finish(count: 1, verdict: verdict, language: global.language)
        }
    }

    struct PreReceive: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pre-receive", abstract: "Validate every pushed commit.",
            discussion: "Run by hooks/pre-receive with git's ref updates on stdin. Example: echo \"$OLD $NEW refs/heads/main\" | webjcase hook pre-receive")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            superviseHook(global.environment)
            let updates = readRefUpdates()
            let repository = try CaseRepository.fromHookEnvironment()
            let environment = global.environment
            let (count, verdict) = try repository.preReceive(updates, now: try repository.hookClock(environment: environment).now(),
                                                             pusher: environment["WEBJCASE_PUSHER"])
            try finish(count: count, verdict: verdict, languages: hubLanguages)
        }
    }

    struct PostReceive: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "post-receive",
            abstract: "After an accepted push: on a hub, a receipt signed by the hub's key on refs/webjcase/receipts.",
            discussion: "Run by hooks/post-receive with git's ref updates on stdin. Example: echo \"$OLD $NEW refs/heads/main\" | webjcase hook post-receive")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            superviseHook(global.environment)
            let updates = readRefUpdates()
            let repository = try CaseRepository.fromHookEnvironment()
            let environment = global.environment
            let pusher = environment["WEBJCASE_PUSHER"] ?? environment["REMOTE_USER"] ?? "unknown"
            let now = try repository.hookClock(environment: environment).now()
            for receipt in try repository.appendReceipts(updates, pusher: pusher, now: now) {
                Console.say(Message(.receiptWritten, ["sequence": "\(receipt.sequence)", "count": "\(receipt.commits.count)",
                                                      "at": receipt.receivedAt.text]), global.language)
            }
        }
    }
}
