// The story `webjcase demo` plays (docs/architecture.md, "The demo"). Edit the YAML here;
// `DemoStory.load` decodes it strictly and checks it before anything runs.
// swiftlint:disable all

extension DemoStory {
    /// The story as YAML; `DemoStoryTests` checks that it decodes and holds together.
    public static let text = #"""
    # The story `webjcase demo` plays: who takes part, then the chapters of the rules, each a
    # list of beats played in order through the hub. A beat is exactly one of:
    #   open:             {name, kind, org, clone, signer, at, data}  opens a case, bound to `name`
    #   step:             {case, action, clone, signer, at, data, annexes?, documents?, expect?}
    #                     records a step on the case opened as `case`; `annexes` are scanned and
    #                     attached, `documents` are forms an applicantSigns beat signed; with
    #                     `expect: RULE` the step must be refused with that rule
    #   sync:             {clone, at}
    #   showOrganization: {organization, clone, at, syncFirst?}
    #   showDue:          {clone, at}
    #   trustTestXCA:     {admins, clone, at}  the admins add the test XCA by a threshold change
    #   applicantSigns:   {organization, at, form}  the organization signs its form on a card
    # Clones: edu1, social1, centre/edu, centre/social. Times: YYYY-MM-DDTHH:MM in Taipei time;
    # within a chapter they never go backwards. `data` and `form` are written to DIR/data.
    start: "2026-03-01T09:00"
    cast:
      - {name: "centre", role: "centre-node"}
      - {name: "edu1", role: "agency-node", jurisdiction: "edu"}
      - {name: "social1", role: "agency-node", jurisdiction: "social"}
      - {name: "hub", role: "hub"}
      - {name: "chen.clerk", role: "clerk", jurisdiction: "edu"}
      - {name: "wang.reviewer", role: "authority-reviewer", jurisdiction: "edu"}
      - {name: "tsai.clerk", role: "clerk", jurisdiction: "social"}
      - {name: "hsu.reviewer", role: "authority-reviewer", jurisdiction: "social"}
      - {name: "wu.clerk", role: "clerk"}
      - {name: "lee.centre", role: "centre-reviewer"}
      - {name: "kao.staff", role: "centre-staff"}
      - {name: "lin.admin", role: "admin"}
      - {name: "kim.admin", role: "admin"}
    chapters:
      - title: "demo.chapter.registration"
        beats:
          - applicantSigns:
              organization: "12345678"
              at: "2026-02-27T15:00"
              form: |-
                kind: "annex-1"
                format: 1
                organization: "12345678"
                application: {number: "南市例字第1150000123號", date: 2026-02-27}
                signedAt: 2026-02-27T15:00:00+08:00
                request: "registration"
                organizationName: "臺南市範例協會"
                registeredWith: "臺南市政府教育局"
                address: "臺南市安平區永華路二段6號"
                contact: {name: {value: "王小明"}, phone: {value: "06-2991111"}, email: {value: "contact@example.org.tw"}}
          - trustTestXCA: {admins: ["lin.admin", "kim.admin"], clone: "centre/edu", at: "2026-03-01T10:00"}
          - sync: {clone: "centre/edu", at: "2026-03-01T10:05"}
          - sync: {clone: "edu1", at: "2026-03-02T08:55"}
          - open:
              name: "reg"
              kind: "REG"
              org: "12345678"
              clone: "edu1"
              signer: "chen.clerk"
              at: "2026-03-02T09:00"
              data: |-
                subject: "Registration of the Tainan Example Association"
                letter: {number: "南市例字第1150000123號", date: 2026-02-27}
          - step:
              case: "reg"
              action: "submit"
              clone: "edu1"
              signer: "chen.clerk"
              at: "2026-03-02T09:30"
              annexes: [2, 3, 4, 5]
              documents: [{annex: 1, organization: "12345678"}]
              data: |-
                letter: {number: "南市例字第1150000123號", date: 2026-02-27}
                note: "Annex 1 signed on the association's card (CMS); Annexes 2-5 received on paper, signed by its representative."
          - step:
              case: "reg"
              action: "initial.correction"
              clone: "edu1"
              signer: "wang.reviewer"
              at: "2026-03-03T10:00"
              data: |-
                items: ["Annex 4 (security self-assessment) is not signed"]
                correctBy: 2026-03-20
          - sync: {clone: "edu1", at: "2026-03-03T10:05"}
          - step:
              case: "reg"
              action: "correct"
              clone: "edu1"
              signer: "chen.clerk"
              at: "2026-03-10T09:15"
              annexes: [4]
              data: |-
                letter: {number: "南市例字第1150000150號", date: 2026-03-09}
          - step:
              case: "reg"
              action: "initial.forward"
              clone: "edu1"
              signer: "wang.reviewer"
              at: "2026-03-11T10:00"
              data: |-
                note: "Registered in Tainan City under our jurisdiction; all annexes complete."
          - sync: {clone: "edu1", at: "2026-03-11T10:05"}
          - sync: {clone: "centre/edu", at: "2026-03-12T09:00"}
          - step: {case: "reg", action: "secondary.approve", clone: "centre/edu", signer: "lee.centre", at: "2026-03-12T10:00", data: 'note: "Approved."'}
          - sync: {clone: "centre/edu", at: "2026-03-12T10:05"}
          - showOrganization: {organization: "12345678", clone: "edu1", at: "2026-03-12T11:00", syncFirst: true}

      - title: "demo.chapter.change"
        beats:
          - open:
              name: "change"
              kind: "CHG"
              org: "12345678"
              clone: "edu1"
              signer: "chen.clerk"
              at: "2026-04-01T09:00"
              data: |-
                subject: "Change of the association's contact and exchange terminal"
                letter: {number: "南市例字第1150000310號", date: 2026-03-30}
          - step:
              case: "change"
              action: "submit"
              clone: "edu1"
              signer: "chen.clerk"
              at: "2026-04-01T09:30"
              annexes: [1, 4, 6]
              data: |-
                letter: {number: "南市例字第1150000310號", date: 2026-03-30}
          - step: {case: "change", action: "initial.forward", clone: "edu1", signer: "wang.reviewer", at: "2026-04-02T10:00", data: 'note: "Forwarded."'}
          - sync: {clone: "edu1", at: "2026-04-02T10:05"}
          - sync: {clone: "centre/edu", at: "2026-04-03T09:00"}
          - step: {case: "change", action: "secondary.approve", clone: "centre/edu", signer: "lee.centre", at: "2026-04-03T10:00", data: 'note: "Change approved."'}
          - sync: {clone: "centre/edu", at: "2026-04-03T10:05"}

      - title: "demo.chapter.pause"
        beats:
          - open:
              name: "sports"
              kind: "REG"
              org: "55667788"
              clone: "social1"
              signer: "tsai.clerk"
              at: "2026-03-16T09:00"
              data: |-
                subject: "Registration of the Tainan Example Sports Association"
                letter: {number: "南市社字第1150000201號", date: 2026-03-13}
          - step:
              case: "sports"
              action: "submit"
              clone: "social1"
              signer: "tsai.clerk"
              at: "2026-03-16T09:30"
              annexes: [1, 2, 3, 4, 5]
              data: |-
                letter: {number: "南市社字第1150000201號", date: 2026-03-13}
          - step: {case: "sports", action: "initial.forward", clone: "social1", signer: "hsu.reviewer", at: "2026-03-17T10:00", data: 'note: "Forwarded."'}
          - sync: {clone: "social1", at: "2026-03-17T10:05"}
          - sync: {clone: "centre/social", at: "2026-03-18T09:00"}
          - step: {case: "sports", action: "secondary.approve", clone: "centre/social", signer: "lee.centre", at: "2026-03-18T10:00", data: 'note: "Approved."'}
          - sync: {clone: "centre/social", at: "2026-03-18T10:05"}
          - sync: {clone: "social1", at: "2026-05-04T08:55"}
          - open:
              name: "pause"
              kind: "PAU"
              org: "55667788"
              clone: "social1"
              signer: "tsai.clerk"
              at: "2026-05-04T09:00"
              data: |-
                subject: "Pause while the association moves its office"
                letter: {number: "南市社字第1150000400號", date: 2026-04-30}
          - step:
              case: "pause"
              action: "submit"
              clone: "social1"
              signer: "tsai.clerk"
              at: "2026-05-04T09:30"
              annexes: [1, 4, 6]
              data: |-
                letter: {number: "南市社字第1150000400號", date: 2026-04-30}
          - step: {case: "pause", action: "initial.forward", clone: "social1", signer: "hsu.reviewer", at: "2026-05-05T10:00", data: 'note: "Forwarded."'}
          - sync: {clone: "social1", at: "2026-05-05T10:05"}
          - sync: {clone: "centre/social", at: "2026-05-06T09:00"}
          - step: {case: "pause", action: "secondary.approve", clone: "centre/social", signer: "lee.centre", at: "2026-05-06T10:00", data: 'note: "Pause approved."'}
          - sync: {clone: "centre/social", at: "2026-05-06T10:05"}
          - showOrganization: {organization: "55667788", clone: "centre/social", at: "2026-05-06T11:00"}

      - title: "demo.chapter.transfer"
        beats:
          - open:
              name: "misfiled"
              kind: "REG"
              org: "87654321"
              clone: "social1"
              signer: "tsai.clerk"
              at: "2026-05-07T09:00"
              data: |-
                subject: "Registration of the Tainan Example Education Foundation"
                letter: {number: "南市社字第1150000420號", date: 2026-05-05}
          - step:
              case: "misfiled"
              action: "submit"
              clone: "social1"
              signer: "tsai.clerk"
              at: "2026-05-07T09:30"
              annexes: [1, 2, 3, 4, 5]
              data: |-
                letter: {number: "南市社字第1150000420號", date: 2026-05-05}
          - step:
              case: "misfiled"
              action: "initial.transfer"
              clone: "social1"
              signer: "hsu.reviewer"
              at: "2026-05-08T10:00"
              data: |-
                to: "edu"
                note: "An education foundation: the Education Bureau is its competent authority (APA art. 17)."
          - sync: {clone: "social1", at: "2026-05-08T10:05"}

      - title: "demo.chapter.audit"
        beats:
          - sync: {clone: "centre/edu", at: "2026-05-11T08:55"}
          - open:
              name: "audit"
              kind: "AUD"
              org: "12345678"
              clone: "centre/edu"
              signer: "kao.staff"
              at: "2026-05-11T09:00"
              data: |-
                subject: "Audit of the Tainan Example Association's use of the system"
                audit: {scope: "Exchange logs of April 2026", method: "documents"}
          - step:
              case: "audit"
              action: "audit.finding"
              clone: "centre/edu"
              signer: "kao.staff"
              at: "2026-05-12T10:00"
              data: |-
                observations: ["Commercial advertising sent through the exchange to 40 agencies on 2026-05-04"]
                items: [6]
          - step:
              case: "audit"
              action: "audit.close"
              clone: "centre/edu"
              signer: "kao.staff"
              at: "2026-05-13T10:00"
              data: |-
                result: "violation"
                items: [6]
                note: "Point 7 item 6: the system used for purposes other than official documents."
          - sync: {clone: "centre/edu", at: "2026-05-13T10:05"}

      - title: "demo.chapter.suspension"
        beats:
          - open:
              name: "enforcement"
              kind: "ENF"
              org: "12345678"
              clone: "centre/edu"
              signer: "kao.staff"
              at: "2026-05-14T09:00"
              data: |-
                subject: "Advertising sent through the exchange"
                grounds:
                  items: [6]
                  facts: "Sent commercial advertising to 40 agencies through the exchange on 2026-05-04."
                  evidence: ["Exchange log extract of 2026-05-04", "Audit AUD-2026-centre-0001"]
                  verified: true
                  audit: "AUD-2026-centre-0001"
          - step:
              case: "enforcement"
              action: "suspend"
              clone: "centre/edu"
              signer: "kao.staff"
              at: "2026-05-15T09:00"
              data: |-
                letter: {number: "南市智字第1150000200號", date: 2026-05-15}
                items:
                  - {number: 1, requirement: "Stop sending advertising through the exchange"}
                  - {number: 2, requirement: "Name a contact responsible for the exchange terminal"}
                deadline: 2026-06-15
                tracker: "kao.staff"
                contact: {value: "王小明"}
          - sync: {clone: "centre/edu", at: "2026-05-15T09:05"}
          - showOrganization: {organization: "12345678", clone: "edu1", at: "2026-05-15T10:00", syncFirst: true}
          - step:
              case: "enforcement"
              action: "improvement.report"
              clone: "centre/edu"
              signer: "wu.clerk"
              at: "2026-05-29T11:00"
              annexes: [8]
              data: |-
                channel: "email"
                receivedAt: 2026-05-29T10:00:00+08:00
                sender: {value: "contact@example.org.tw"}
                items:
                  - {number: 1, handled: "The campaign module was removed from the exchange terminal"}
                  - {number: 2, handled: "Mr Wang is the contact for the terminal"}
          - step:
              case: "enforcement"
              action: "improvement.phone-confirmation"
              clone: "centre/edu"
              signer: "wu.clerk"
              at: "2026-05-29T16:00"
              data: |-
                calledAt: 2026-05-29T15:30:00+08:00
                contact: {value: "王小明"}
                phone: {value: "06-2991111"}
                note: "The contact confirmed the e-mailed Annex 8 reply."
          - sync: {clone: "centre/edu", at: "2026-05-29T16:05"}
          - step:
              case: "enforcement"
              action: "extension.request"
              clone: "centre/edu"
              signer: "wu.clerk"
              at: "2026-06-05T10:00"
              data: |-
                requestedUntil: 2026-07-06
                reason: "The vendor needs three more weeks to remove the module from the backup terminal."
                letter: {number: "例字第1150000060號", date: 2026-06-04}
          - sync: {clone: "centre/edu", at: "2026-06-05T10:05"}
          - step:
              case: "enforcement"
              action: "extension.decision"
              clone: "centre/edu"
              signer: "kao.staff"
              at: "2026-06-08T10:00"
              data: |-
                granted: true
                until: 2026-07-06
                note: "Granted once."
          - sync: {clone: "centre/edu", at: "2026-06-08T10:05"}
          - step:
              case: "enforcement"
              action: "tracking"
              clone: "centre/edu"
              signer: "kao.staff"
              at: "2026-06-10T10:00"
              data: |-
                result: "incomplete"
                notes: "Tracking 1: advertising still leaves the backup terminal."
          - sync: {clone: "centre/edu", at: "2026-06-10T10:05"}
          - step:
              case: "enforcement"
              action: "tracking"
              clone: "centre/edu"
              signer: "kao.staff"
              at: "2026-06-22T10:00"
              data: |-
                result: "incomplete"
                notes: "Tracking 2: advertising still leaves the backup terminal."
          - sync: {clone: "centre/edu", at: "2026-06-22T10:05"}
          - step:
              case: "enforcement"
              action: "tracking"
              clone: "centre/edu"
              signer: "kao.staff"
              at: "2026-07-03T10:00"
              data: |-
                result: "incomplete"
                notes: "Tracking 3: advertising still leaves the backup terminal."
          - sync: {clone: "centre/edu", at: "2026-07-03T10:05"}
          - step:
              case: "enforcement"
              action: "resolve"
              clone: "centre/edu"
              signer: "kao.staff"
              at: "2026-07-03T11:00"
              expect: "P8-THIRD-TRACKING-TERMINATES"
              data: 'note: "Closing as improved."'

      - title: "demo.chapter.termination"
        beats:
          - step:
              case: "enforcement"
              action: "termination.notice"
              clone: "centre/edu"
              signer: "kao.staff"
              at: "2026-07-06T10:00"
              data: |-
                letter: {number: "南市智字第1150000300號", date: 2026-07-06}
                terminationDate: 2026-07-21
                archivesReport: {number: "南市智字第1150000301號", date: 2026-07-06}
          - sync: {clone: "centre/edu", at: "2026-07-06T10:05"}
          - showDue: {clone: "centre/edu", at: "2026-07-06T11:00"}
          - step:
              case: "enforcement"
              action: "archives.service-disabled"
              clone: "centre/edu"
              signer: "kao.staff"
              at: "2026-07-21T09:00"
              data: |-
                disabledAt: 2026-07-20T18:30:00+08:00
                archivesReply: {number: "檔應字第1150004567號", date: 2026-07-21}
          - sync: {clone: "centre/edu", at: "2026-07-21T09:05"}
          - showOrganization: {organization: "12345678", clone: "edu1", at: "2026-07-21T10:00", syncFirst: true}

      - title: "demo.chapter.reapplication"
        beats:
          - open:
              name: "again"
              kind: "REG"
              org: "12345678"
              clone: "edu1"
              signer: "chen.clerk"
              at: "2026-08-03T09:00"
              data: |-
                subject: "Re-application of the Tainan Example Association"
                letter: {number: "南市例字第1150000800號", date: 2026-07-31}
          - step:
              case: "again"
              action: "submit"
              clone: "edu1"
              signer: "chen.clerk"
              at: "2026-08-03T09:30"
              annexes: [1, 2, 3, 4, 5]
              data: |-
                letter: {number: "南市例字第1150000800號", date: 2026-07-31}
          - step: {case: "again", action: "initial.forward", clone: "edu1", signer: "wang.reviewer", at: "2026-08-04T10:00", data: 'note: "Forwarded; the association was terminated in July."'}
          - sync: {clone: "edu1", at: "2026-08-04T10:05"}
          - sync: {clone: "centre/edu", at: "2026-08-05T09:00"}
          - step: {case: "again", action: "secondary.approve", clone: "centre/edu", signer: "lee.centre", at: "2026-08-05T10:00", expect: "P9-EVALUATION", data: 'note: "Approved."'}
          - step:
              case: "again"
              action: "reapplication.evaluation"
              clone: "centre/edu"
              signer: "lee.centre"
              at: "2026-08-05T10:20"
              expect: "P9-EVALUATION-CASES"
              data: |-
                cases: ["ENF-2026-centre-0001"]
                severity: "serious"
                improvement: "The module is gone from both terminals."
                verdict: "feasible"
          - step:
              case: "again"
              action: "reapplication.evaluation"
              clone: "centre/edu"
              signer: "lee.centre"
              at: "2026-08-05T10:30"
              data: |-
                cases: ["AUD-2026-centre-0001", "ENF-2026-centre-0001"]
                severity: "serious"
                improvement: "The module is gone from both terminals; the Centre's site visit of 2026-08-04 confirmed it."
                verdict: "feasible"
          - step: {case: "again", action: "secondary.approve", clone: "centre/edu", signer: "lee.centre", at: "2026-08-05T11:00", data: 'note: "Approved after the evaluation."'}
          - sync: {clone: "centre/edu", at: "2026-08-05T11:05"}
          - sync: {clone: "edu1", at: "2026-08-05T11:10"}
          - sync: {clone: "social1", at: "2026-08-05T11:15"}
          - sync: {clone: "centre/social", at: "2026-08-05T11:20"}
          - showOrganization: {organization: "12345678", clone: "edu1", at: "2026-08-05T12:00"}
    """#
}
