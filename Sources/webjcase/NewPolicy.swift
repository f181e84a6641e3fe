import ArgumentParser
import CaseModel
import CaseSigning
import CaseStore
import CaseYAML
import Foundation

/// `webjcase trust new-policy`: a first policy from people's and nodes' public keys, so
/// that no one writes identities by hand. The name of each identity is its key file's
/// name without `.pub` (`keys/chen.clerk.pub` → `chen.clerk`); a key given for several
/// roles is one identity holding them all.
struct NewPolicy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new-policy",
        abstract: "Write a first policy from public keys: one option per role, each repeatable.",
        discussion: """
        FILE is a public key file (`webjcase keys new NAME` writes NAME.pub); the identity is named after it.
        Agency roles name their jurisdiction after a colon: --clerk keys/chen.clerk.pub:edu.
        The policy is checked as `init` and `hub init` check it before it is written.
        Example: webjcase trust new-policy --admin keys/lin.admin.pub --admin keys/kim.admin.pub --threshold 2 \\
                   --centre-node keys/centre.pub --hub keys/hub.pub --agency-node keys/edu1.pub:edu \\
                   --clerk keys/chen.clerk.pub:edu --authority-reviewer keys/wang.reviewer.pub:edu --out policy.yaml
        """)

    @Option(help: "An admin's key (signs changes of trust).") var admin: [String] = []
    @Option(help: "A clerk's key, FILE:JURISDICTION for an agency's clerk.") var clerk: [String] = []
    @Option(name: .customLong("authority-reviewer"), help: "A competent authority's reviewer: FILE:JURISDICTION.") var authorityReviewer: [String] = []
    @Option(name: .customLong("centre-reviewer"), help: "A reviewer of the Smart Development Centre.") var centreReviewer: [String] = []
    @Option(name: .customLong("centre-staff"), help: "A member of the Centre's staff (audits, enforcement).") var centreStaff: [String] = []
    @Option(name: .customLong("agency-node"), help: "An agency's node: FILE:JURISDICTION.") var agencyNode: [String] = []
    @Option(name: .customLong("centre-node"), help: "A node of the Centre.") var centreNode: [String] = []
    @Option(help: "The hub's key (signs receipts).") var hub: [String] = []
    @Option(help: "An auditor's key (reads the hub).") var auditor: [String] = []
    @Option(help: "How many admins must sign each change of trust.") var threshold: Int = 1
    @Option(help: "`production` (real cases) or `test`.") var mode: String = "production"
    @Option(help: "Write the policy to this new file (default: stdout).") var out: String?
    @OptionGroup var global: GlobalOptions

    func run() throws {
        guard let policyMode = PolicyMode(rawValue: mode) else {
            throw CaseError(.optionInvalid, ["option": "--mode", "value": mode, "expected": "`production` or `test`"])
        }
        struct Entry { var name: String; var key: String; var roles: [Role]; var jurisdiction: String? }
        var entries: [Entry] = []
        let given: [(Role, [String])] = [(.admin, admin), (.clerk, clerk), (.authorityReviewer, authorityReviewer),
                                         (.centreReviewer, centreReviewer), (.centreStaff, centreStaff), (.agencyNode, agencyNode),
                                         (.centreNode, centreNode), (.hub, hub), (.auditor, auditor)]
        for (role, values) in given {
            for value in values {
                // FILE or FILE:JURISDICTION (a path holds no colon here).
                let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
                let file = parts[0]
                let jurisdiction = parts.count > 1 ? parts[1] : nil
                let text = String(decoding: try readInputFile(file, limit: 16 << 10), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                let key: SSHPublicKey
                do {
                    key = try SSHPublicKey(authorizedKeysLine: text)
                } catch {
                    throw CaseError(.policyKeyFileUnusable, ["file": file, "option": "--" + role.rawValue])
                }
                var name = (file as NSString).lastPathComponent
                if name.hasSuffix(".pub") { name = String(name.dropLast(4)) }
                let line = key.authorizedKeysLine(comment: nil)
                if let index = entries.firstIndex(where: { $0.key == line }) {
                    guard entries[index].jurisdiction == jurisdiction || jurisdiction == nil || entries[index].jurisdiction == nil else {
                        throw CaseError(.policyJurisdictionsDiffer, ["name": entries[index].name, "file": file])
                    }
                    entries[index].roles.append(role)
                    entries[index].jurisdiction = entries[index].jurisdiction ?? jurisdiction
                } else {
                    entries.append(Entry(name: name, key: line, roles: [role], jurisdiction: jurisdiction))
                }
            }
        }
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        var text = "kind: \"policy\"\nversion: 1\nmode: \(quoted(policyMode.rawValue))\nthreshold: \(threshold)\nidentities:\n"
        for entry in entries {
            text += "  - {name: \(quoted(entry.name)), key: \(quoted(entry.key)), roles: [\(entry.roles.map { quoted($0.rawValue) }.joined(separator: ", "))]"
                + (entry.jurisdiction.map { ", jurisdiction: \(quoted($0))" } ?? "") + "}\n"
        }
        // The same checks as init and hub init, before anything is written.
        _ = try PolicyFile.check(Data(text.utf8), file: out ?? "new policy")
        if let out {
            try writeNew(out, Data(text.utf8), mode: 0o644)
            Console.say(Message(.policyWritten, ["file": out, "count": "\(entries.count)", "threshold": "\(threshold)"]), global.language)
        } else {
            Console.data(text)
        }
    }
}
