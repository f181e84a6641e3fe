import CaseModel
import CaseStore

/// A dossier as Markdown (GitHub-flavoured tables), for mail and wikis.
public enum DossierMarkdown {
    public static func render(_ dossier: Dossier, language: Language) -> String {
        let w = Words(language: language)
        var md = "# \(w(.reportTitle, ["case": dossier.id]))\n\n\(w.mark(dossier.mark))\n\n## \(w(.reportSummary))\n\n"
        md += list([
            (w(.reportKind), "\(w.kind(dossier.kind)) (\(dossier.kind))"),
            (w(.reportOrganization), dossier.organization),
            (w(.reportAuthority), "\(dossier.authority) (\(dossier.jurisdiction))"),
            (w(.reportState), "\(w.state(dossier.state)) (\(dossier.state))"),
            (w(.reportSubject), dossier.subject ?? "—"),
            (w(.reportOpenedBy), dossier.openedBy),
        ])
        md += "\n## \(w(.reportTimeline))\n\n"
        md += table([w(.reportStep), w(.reportAction), w(.reportSigner), w(.reportCertificate), w(.reportSignedAt), w(.reportReceivedAt), w(.reportDocuments)],
                    dossier.entries.map { entry in
                        [
                            "\(entry.sequence)", "\(w.action(entry.action)) (`\(entry.action)`)",
                            w.signer(entry.signer) + (entry.node.map { "; \(w(.reportNode)): \($0)" } ?? ""),
                            entry.signer.subject ?? "—", entry.signedAt, entry.receivedAt ?? w(.reportNoReceipt),
                            entry.documents.map { document in
                                "`\(document.path)` \(w.mark(document.mark))"
                                    + (document.certificate.map { c in
                                        "<br>" + w.certificate(c).map { "\($0.0): \($0.1)" }.joined(separator: "<br>")
                                    } ?? document.subject.map { " (\($0))" } ?? "")
                            }.joined(separator: "<br>"),
                        ]
                    })
        let problems = dossier.entries.flatMap { entry in
            (entry.problems + entry.documents.flatMap(\.problems)).map { (entry.sequence, $0) }
        }
        if !problems.isEmpty || !dossier.problems.isEmpty {
            md += "\n## \(w(.reportFindings))\n\n"
            for (sequence, problem) in problems { md += "- \(w(.reportStep)) \(sequence): `[\(problem.rule)]` \(problem.text(language))\n" }
            for problem in dossier.problems { md += "- `[\(problem.rule)]` \(problem.text(language))\n" }
        }
        if let e = dossier.enforcement {
            md += "\n## \(w(.reportNotice))\n\n"
            md += list([
                (w(.reportNoticeLetter), e.noticeLetter ?? "—"),
                (w(.reportTracker), e.tracker ?? "—"),
                (w(.reportDeadline), [e.deadline, e.deadlineEnds.map { "\(w(.reportDeadlineEnds)): \(w.period($0))" }].compactMap { $0 }.joined(separator: " · ")),
                (w(.reportDeadlineInForce), [e.deadlineInForce, e.deadlineInForceEnds.map { "\(w(.reportDeadlineEnds)): \(w.period($0))" }].compactMap { $0 }.joined(separator: " · ")),
            ])
            if !e.items.isEmpty { md += "\n### \(w(.reportItems))\n\n" + e.items.map { "- \($0)\n" }.joined() }
            if !e.extensions.isEmpty {
                md += "\n### \(w(.reportExtensions))\n\n"
                md += table([w(.reportRequestedAt), w(.reportRequestedUntil), w(.reportReason), w(.reportDecidedAt), w(.reportDecision)],
                            e.extensions.map { [$0.requestedAt, $0.requestedUntil, $0.reason, $0.decidedAt ?? "—", w.decision($0)] })
            }
            if !e.replies.isEmpty {
                md += "\n### \(w(.reportReplies))\n\n"
                md += table([w(.reportChannel), w(.reportReceived), w(.reportConfirmed)], e.replies.map { [$0.channel, $0.receivedAt, $0.confirmedAt ?? "—"] })
            }
            md += "\n### \(w(.reportTrackingTable))\n\n\(w(.reportTrackingCount, ["count": "\(e.trackings.count)", "limit": "\(e.trackingLimit)"]))\n\n"
            md += table([w(.reportRound), w(.reportDate), w(.reportTracker), w(.reportResult), w(.reportNotes)],
                        e.trackings.map { ["\($0.round)", $0.at, $0.tracker, w.result($0.result), $0.notes] })
            if e.terminationDate != nil || e.serviceDisabledAt != nil {
                md += "\n## \(w(.reportTermination))\n\n"
                md += list([(w(.reportTerminationDate), e.terminationDate ?? "—"), (w(.reportDisableFrom), e.serviceDisableFrom ?? "—"),
                            (w(.reportDisabledAt), e.serviceDisabledAt ?? "—")])
            }
        }
        if !dossier.due.isEmpty {
            md += "\n## \(w(.reportDue))\n\n" + dossier.due.map { "- \($0.overdue ? "**!** " : "")\($0.message.render(language))\n" }.joined()
        }
        md += next(dossier, language: language)
        let v = dossier.verification
        md += "\n---\n\n\(w(.reportVerification, ["head": String(v.head.prefix(12)), "commits": "\(v.commits)", "refused": "\(v.refused)", "recorded": "\(v.recorded)"]))\n"
        md += "\(w(.reportGenerated, ["at": dossier.generatedAt]))\n"
        return md
    }

    private static func list(_ pairs: [(String, String)]) -> String {
        pairs.map { "- **\($0.0)**: \(cell($0.1))\n" }.joined()
    }

    private static func table(_ headers: [String], _ rows: [[String]]) -> String {
        "| " + headers.joined(separator: " | ") + " |\n|" + headers.map { _ in "---|" }.joined() + "\n"
            + rows.map { "| " + $0.map(cell).joined(separator: " | ") + " |\n" }.joined()
    }

    /// A table cell: pipes escaped, line breaks as <br>.
    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: "<br>")
    }
}
