import Foundation
import CaseModel
import CaseSigning

/// Rules for commits that change protected files (DESIGN §4): the threshold of the
/// previous policy's admins signs every changed file, each admin counted once; the policy
/// version rises by exactly one; nothing else changes in the same commit.
public enum AdministrativeRules {
    public static let all: [Rule] = [separate, noDeletion, readable, revocationListIssuer, threshold, policyVersion, policyNodes, settings]

    static func refuse(_ rule: String, _ path: String?, _ id: MessageID, _ arguments: [String: String]) -> Finding {
        StructureRules.refuse(rule, path, id, arguments)
    }

    /// An administrative change is a commit of its own: no case files with it.
    static let separate = Rule("A-SEPARATE") { input, _ in
        input.commit.changes.compactMap { change in
            change.kind.caseID == nil ? nil
                : refuse("A-SEPARATE", change.path, .ruleAdminSeparate, ["path": change.path])
        }
    }

    static let noDeletion = Rule("A-DELETE") { input, _ in
        input.commit.changes.compactMap { change in
            change.status == .deleted && change.kind.isProtected
                ? refuse("A-DELETE", change.path, .ruleAdminDelete, ["path": change.path]) : nil
        }
    }

    /// A-DOCUMENT: every proposed file reads as what its path says it is; a signature file
    /// has its file; a calendar is of its year; the issuing CAs chain to a root after a
    /// root or CA changes; a revocation list reads and is never rolled back; production
    /// trusts no test root.
    static let readable = Rule("A-DOCUMENT") { input, context in
        guard let administration = input.administration else { return [] }
        var findings = administration.problems.map { problem -> Finding in
            switch problem {
            case .unreadable(let path, let message):
                return Finding(rule: "A-DOCUMENT", severity: .refuse, path: path, message: message)
            case .signatureWithoutFile(let file):
                return refuse("A-DOCUMENT", file + ".sig", .ruleSignatureWithoutFile, ["path": file + ".sig", "file": file])
            case .calendarYear(let path, let found, let expected):
                return refuse("A-DOCUMENT", path, .ruleCalendarYear, ["path": path, "found": "\(found)", "expected": "\(expected)"])
            }
        }
        if let authorities = administration.authorities {
            findings += administration.changedAuthorities.compactMap { TrustFileRules.issuingCAs($0, authorities) }
            findings += administration.revocationLists.compactMap { list in
                TrustFileRules.crlUnreadable(list.path, bytes: list.bytes, authorities)
                    ?? (TrustFileRules.crlIssuer(list.path, bytes: list.bytes, authorities) == nil
                        ? TrustFileRules.crlRollback(list.path, bytes: list.bytes, previous: list.previous) : nil)
            }
        }
        if (administration.policy?.new ?? context.policy).mode == .production {
            // Loudly: a test root proves nothing, and production must never trust one.
            findings += administration.testRoots.map { path in
                refuse("A-DOCUMENT", path, .certificateTestRoot, ["file": path, "detail": TestPKI.testRootOrganization])
            }
        }
        return findings
    }

    /// A-CRL: a proposed revocation list is signed by a root or issuing CA of the tree.
    static let revocationListIssuer = Rule("A-CRL") { input, _ in
        guard let administration = input.administration, let authorities = administration.authorities else { return [] }
        return administration.revocationLists.compactMap { list in
            TrustFileRules.crlUnreadable(list.path, bytes: list.bytes, authorities) == nil
                ? TrustFileRules.crlIssuer(list.path, bytes: list.bytes, authorities) : nil
        }
    }

    /// The admins who count for `signers` under `policy` at `now`: admin role, not revoked
    /// or retired by then, each identity once however many of its signatures there are.
    public static func countingAdmins(_ signers: [VerifiedSignature], keys: PolicyKeys, at now: Date) -> [String] {
        var names = Set<String>()
        for signer in signers {
            guard let identity = keys.identity(for: signer), identity.roles.contains(.admin) else { continue }
            if let revoked = identity.revoked, now >= revoked.at.date { continue }
            if let until = identity.validUntil, now > until.date { continue }
            names.insert(identity.name)
        }
        return names.sorted()
    }

    static let threshold = Rule("A-THRESHOLD") { input, context in
        guard let administration = input.administration else { return [] }
        return administration.files.compactMap { file in
            if file.selfAuthenticating { return nil }
            if let problem = file.problem {
                return Finding(rule: "A-THRESHOLD", severity: .refuse, path: file.path, message: problem)
            }
            let admins = countingAdmins(file.signers, keys: context.keys, at: context.now)
            guard admins.count < context.policy.threshold else { return nil }
            return refuse("A-THRESHOLD", file.path, .ruleAdminThreshold, [
                "path": file.path, "count": "\(admins.count)", "names": admins.isEmpty ? "—" : admins.joined(separator: ", "),
                "threshold": "\(context.policy.threshold)", "version": "\(context.policy.version)"])
        }
    }

    static let policyVersion = Rule("A-POLICY-VERSION") { input, _ in
        guard let (old, new) = input.administration?.policy, new.version != old.version + 1 else { return [] }
        return [refuse("A-POLICY-VERSION", "trust/policy.yaml", .rulePolicyVersion, [
            "found": "\(new.version)", "old": "\(old.version)", "expected": "\(old.version + 1)"])]
    }

    /// A new policy keeps at least one node that may commit here: otherwise nothing could
    /// ever be committed again, not even the next policy.
    static let policyNodes = Rule("A-POLICY-NODES") { input, context in
        guard let (_, new) = input.administration?.policy else { return [] }
        let nodes = new.identities.filter { $0.revoked == nil && $0.maySignCommits(in: context.jurisdiction) }
        return nodes.isEmpty ? [refuse("A-POLICY-NODES", "trust/policy.yaml", .rulePolicyNodes, ["jurisdiction": context.jurisdiction])] : []
    }

    /// The settings may change their limits, never the jurisdiction or the format.
    static let settings = Rule("A-SETTINGS") { input, _ in
        guard let (old, new) = input.administration?.config else { return [] }
        var findings: [Finding] = []
        for (field, before, after) in [("jurisdiction", old.jurisdiction, new.jurisdiction), ("format", "\(old.format)", "\(new.format)")]
            where before != after {
            findings.append(refuse("A-SETTINGS", "webjcase.yaml", .ruleSettingsFixed, ["field": field, "found": after, "expected": before]))
        }
        return findings
    }
}
