import Foundation
import CaseModel

/// `webjcase template ACTION`: a commented skeleton of the `--data` file for an action,
/// filled with example values. Every skeleton decodes as the action's data (a test
/// checks each one), so a clerk can start from it.
public enum DataTemplate {
    static let letter = "letter: {number: \"南市教字第1150012345號\", date: 2026-03-02}   # the letter's number (文號) and date"

    public static func yaml(for action: Action, kind: CaseKind = .registration) -> String {
        switch action {
        case .open:
            let subject = "subject: \"Registration of the Example Association\"   # one line: what the case is about\n"
            switch kind {
            case .registration, .change, .pause, .cancel:
                return subject + letter + "\nnote: \"optional\"\n"
            case .audit:
                return subject + """
                audit:
                  scope: "Exchange logs of 2026-Q1"   # what is examined
                  method: "documents"                 # on-site | documents | remote

                """
            case .enforcement:
                return subject + """
                grounds:
                  items: [6]             # the acts of point 7 paragraph 1 (1 to 8)
                  facts: "Sent commercial exchange files to 40 agencies without their consent."
                  evidence: ["Exchange log extract of 2026-05-04", "Complaint letter 南市教字第1150012399號"]
                  verified: true         # point 7: the city acts on acts committed and verified
                  # audit: "AUD-2026-centre-0001"   # for item 7: the audit whose deadline passed

                """
            case .revocation:
                return subject + """
                revocation:
                  finding: "forged"       # forged | altered | false | concealed
                  cases: ["REG-2026-edu1-0001"]   # the cases whose documents were found so
                  evidence: ["Letter of the registering authority 南市社字第1150001234號"]

                """
            }
        case .submit, .correct:
            return letter + """

            note: "optional"
            documents:                  # the annexes received, each once
              - {annex: 1, file: "attachments/annex-1.pdf"}
              # a scan of paper lives in attachments/ (add it with --attach); an XCA-signed
              # form lives in documents/<name>.yaml with its .sig or .p7s (add it with
              # --document); webjcase writes each file's sha256 itself

            """
        case .initialForward, .secondaryApprove, .resolve:
            return "note: \"optional\"\n"
        case .initialCorrection, .secondaryCorrection:
            return """
            items: ["Annex 4 (security self-assessment) is not signed"]   # what to correct, one item each
            correctBy: 2026-03-20       # the last day to correct by
            note: "optional"

            """
        case .initialReject, .secondaryReject:
            return """
            reason: "ineligible"        # ineligible | incomplete-uncorrectable | false-statement
            note: "The organization is not registered in Tainan City."
            basis: "The Civil Affairs Bureau's register of associations, checked 2026-03-03"   # ineligible, false-statement: what it rests on
            # missing: [4]              # incomplete-uncorrectable, when no correction request lapsed: the annexes never received

            """
        case .initialTransfer:
            return """
            to: "social"                # the competent jurisdiction (Administrative Procedure Act art. 17)
            note: "The competent authority is the Social Affairs Bureau."

            """
        case .withdraw:
            return letter + "\nnote: \"optional\"\n"
        case .reapplicationEvaluation:
            return """
            cases: ["ENF-2026-centre-0001"]   # every case with a point 7 act: enforcement cases, audits closed as violation (point 9)
            severity: "serious"         # minor | serious | grave
            improvement: "The user replaced its mail gateway and trained its staff."
            verdict: "feasible"         # feasible | not-feasible

            """
        case .auditFinding:
            return """
            observations: ["Commercial advertising sent to 40 agencies on 2026-05-04"]
            items: [6]                  # optional: the acts of point 7 they point to

            """
        case .auditClose:
            return """
            result: "improvement-required"   # compliant | improvement-required | violation
            deadline: 2026-06-30        # for improvement-required: the last day to improve by
            # items: [6]                # for violation: the acts of point 7 (an enforcement case follows)
            note: "optional"

            """
        case .suspend:
            return letter + """

            items:                      # Annex 8: what to improve
              - {number: 1, requirement: "Stop sending advertising without consent"}
            deadline: 2026-06-30        # the last day of the improvement period
            tracker: "kao.staff"        # the Centre staff (in the policy) who tracks it

            """
        case .improvementReport:
            return """
            channel: "email"            # email | letter (an email reply needs a phone confirmation)
            receivedAt: 2026-06-10T10:00:00+08:00
            sender: {value: "contact@example.org.tw"}   # personal: kept in the personal store
            items:                      # the user's Annex 8: how each item of the notice was handled, each by its number
              - {number: 1, handled: "Advertising disabled", explanation: "The campaign module was removed."}
            documents:                  # the evidence that came with it (point 8 ¶3): add the scans with --attach
              - {annex: 8, file: "attachments/annex-8.pdf"}

            """
        case .phoneConfirmation:
            return """
            calledAt: 2026-06-10T15:00:00+08:00
            contact: {value: "王小明"}        # personal: kept in the personal store, signed as a commitment
            phone: {value: "06-2991111"}      # personal, likewise
            note: "The user's contact confirmed the emailed Annex 8."

            """
        case .extensionRequest:
            return """
            requestedUntil: 2026-07-31  # the later last day asked for
            reason: "The vendor needs four more weeks."

            """
        case .extensionDecision:
            return """
            granted: true
            until: 2026-07-31           # the new last day, when granted
            note: "optional"

            """
        case .tracking:
            return """
            result: "incomplete"        # completed | incomplete (Annex 8 tracking table)
            notes: "Item 1 not done yet."

            """
        case .terminationNotice:
            return letter + """

            terminationDate: 2026-08-20 # the day exchange service ends
            archivesReport: {number: "南市智字第1150000321號", date: 2026-08-01}   # the report to the Archives
            # grounds:                  # while suspended, for a new act of point 7 (verified): terminate directly
            #   items: [2]
            #   facts: "Denial-of-service traffic from the user's terminal on 2026-06-03."
            #   evidence: ["Exchange log extract of 2026-06-03"]
            #   verified: true

            """
        case .serviceDisabled:
            return """
            disabledAt: 2026-08-19T18:30:00+08:00   # from the Archives' reply
            archivesReply: {number: "檔應字第1150004567號", date: 2026-08-20}

            """
        case .enforcementClose:
            return """
            reason: "no-measure"        # no-measure (before any measure) | user-cancelled (the user's use was cancelled)
            note: "The act was minor and the user stopped at once; the city takes no measure (point 7: may)."

            """
        case .revoke:
            return letter + "\nnote: \"Annex 1 was found forged; the qualification is revoked.\"\n"
        }
    }
}
