import Foundation
import Testing
import CaseModel
import CaseSigning
@testable import CaseRules
import TestSupport

/// No case is ever stuck: explored from `open` for every kind of case, against the
/// organizations a case meets (new, registered, paused, cancelled, terminated, improved,
/// revoked, with an audit behind it), every world the rules let a case reach has a step
/// some role may take at some time, and every end the rules name is reached. The steps are
/// the candidates `webjcase next` judges (``Candidates``), judged by the validator's own
/// rules; who may sign each is checked against real signatures of every identity.
@Suite(.serialized) struct ExplorationTests {
    /// The ends the seed names, by kind of case.
    static let ends: [CaseKind: Set<String>] = [
        .registration: ["approved", "rejected", "withdrawn", "transferred"],
        .change: ["approved", "rejected", "withdrawn", "transferred"],
        .pause: ["approved", "rejected", "withdrawn", "transferred"],
        .cancel: ["approved", "rejected", "withdrawn", "transferred"],
        .audit: ["closed"],
        .enforcement: ["improved", "terminated", "closed no-measure", "closed user-cancelled"],
        .revocation: ["revoked"],
    ]

    /// How many stuck worlds a failure tells in full (each with its history and refusals).
    static let told = 3

    @Test func breadthFirstEveryWorldHasANextStepAndEveryEndIsReached() throws {
        let explorer = Explorer(cast: try Cast())
        var explored = 0, steps = 0, checkedSigners = 0
        var reached: [CaseKind: Set<String>] = [:]
        var cancelled = false
        var stuck: [String] = [], mismatches: [String] = []
        var everything: [CaseKind: Set<String>] = [:]
        let began = Date()
        // Who may sign is compared once for each kind, stage, action and outcome.
        var compared = Set<String>()
        for kind in CaseKind.allCases {
            // One set of worlds per kind: after `open`, the organizations differ only in what
            // the key keeps of them.
            var seen = Set<String>()
            for start in try explorer.starts(for: kind) {
                let first = explorer.world(kind, start)
                guard seen.insert(explorer.key(first)).inserted else { continue }
                var queue = [first]
                var index = 0
                while index < queue.count {
                    let world = queue[index]
                    index += 1
                    if world.isFinal {
                        var end = world.situation.stage?.rawValue ?? "?"
                        if case .enforcementClose(let close)? = world.situation.state.lastStep?.data { end += " \(close.reason.rawValue)" }
                        reached[kind, default: []].insert(end)
                        if OrganizationHistory.status(world.situation.organization, at: world.time.addingTimeInterval(60)) == .cancelled,
                           kind == .cancel { cancelled = true }
                        continue
                    }
                    let times = explorer.times(world)
                    let (accepted, refused) = explorer.transitions(world, times: times)
                    steps += accepted.count
                    if accepted.isEmpty {
                        stuck.append(explorer.describe(stuck: world, refused: refused))
                        continue
                    }
                    // Who may sign, as the CLI says it without signatures, against every
                    // identity's real signature, for each step accepted now.
                    for transition in accepted where !transition.external {
                        let candidate = transition.judgement.candidate
                        guard compared.insert("\(kind) \(world.situation.stage?.rawValue ?? "-") \(candidate.action) \(candidate.outcome)").inserted else { continue }
                        checkedSigners += 1
                        let signed = explorer.signedSigners(transition.judgement, in: world)
                        if signed != transition.judgement.signers, mismatches.count < Self.told {
                            mismatches.append("\(world.trail.joined(separator: " → ")) → \(transition.judgement.candidate.action.rawValue) "
                                              + "(\(transition.judgement.candidate.outcome)): signers \(transition.judgement.signers) without signatures, \(signed) signed")
                        }
                    }
                    for transition in accepted where seen.insert(explorer.key(transition.next)).inserted {
                        queue.append(transition.next)
                    }
                    if queue.count > 40_000 {
                        Issue.record("\(kind.rawValue) from \(start.name): more than 40,000 worlds; the key lets the exploration run away")
                        break
                    }
                }
                explored += queue.count
            }
            everything[kind] = seen
        }
        // A whole enforcement, step by step, stays among the worlds explored: a suspension,
        // a reply by email and its call, an extension asked and granted, three trackings, the
        // termination notice and the Archives' act.
        let story: [(Action, String)] = [
            (.suspend, ""), (.improvementReport, "email"), (.phoneConfirmation, ""), (.extensionRequest, ""),
            (.extensionDecision, "granted"), (.tracking, "incomplete"), (.tracking, "incomplete"), (.tracking, "incomplete"),
            (.terminationNotice, "case-grounds"), (.serviceDisabled, ""),
        ]
        let registered = try explorer.starts(for: .enforcement)[0]
        var world = explorer.world(.enforcement, registered)
        for (action, outcome) in [(Action.open, "direct")] + story {
            let judged = explorer.judgements(world, at: explorer.times(world)).filter {
                $0.isAccepted && $0.candidate.action == action && $0.candidate.outcome == outcome
            }
            let judgement = try #require(judged.first { $0.records.isEmpty } ?? judged.first, "\(action.rawValue) \(outcome) after \(world.trail)")
            world = explorer.after(world, judgement)
            #expect(everything[.enforcement, default: []].contains(explorer.key(world)), "not explored: \(world.trail.joined(separator: " → "))")
        }
        #expect(world.situation.stage == .terminated)
        print("explored \(explored) states (\(steps) accepted steps, signers checked with real signatures on \(checkedSigners)) "
              + "in \(Int(Date().timeIntervalSince(began))) s; \(stuck.count) stuck")
        #expect(stuck.isEmpty, "\(stuck.count) stuck worlds; the first:\n\(stuck.prefix(Self.told).joined(separator: "\n"))")
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        for (kind, ends) in Self.ends {
            let missing = ends.subtracting(reached[kind] ?? [])
            #expect(missing.isEmpty, "\(kind.rawValue): never reached \(missing.sorted()) (reached \((reached[kind] ?? []).sorted()))")
        }
        #expect(cancelled, "no approved cancellation left the organization cancelled")
    }

    /// A thousand walks with random choices among the steps the rules accept, at random
    /// times besides the moments the rules name: concrete histories the breadth-first
    /// exploration merges (several extensions, late replies, long waits).
    @Test func randomWalksNeverGetStuck() throws {
        let seed: UInt64 = 0x5745_424A_2026
        print("random walks: seed \(seed)")
        var generator = SeededGenerator(seed: seed)
        let explorer = Explorer(cast: try Cast())
        var starts: [CaseKind: [(name: String, others: [OrganizationCase], time: Date)]] = [:]
        for kind in CaseKind.allCases { starts[kind] = try explorer.starts(for: kind) }
        var stuck: [String] = [], mismatches: [String] = []
        var compared = Set<String>()
        var taken = 0, ended = 0
        for _ in 0..<1_000 {
            // Half the walks are enforcement, the longest story.
            let any = CaseKind.allCases.randomElement(using: &generator)
            guard let kind = Bool.random(using: &generator) ? .enforcement : any,
                  let start = starts[kind]?.randomElement(using: &generator) else { continue }
            var world = explorer.world(kind, start)
            for _ in 0..<40 where !world.isFinal {
                let wait = TimeInterval(Int.random(in: 1...(20 * 24), using: &generator)) * 3600
                let times = explorer.times(world, extra: [world.time.addingTimeInterval(wait)])
                // Now and then something happens elsewhere in the organization first.
                if kind == .enforcement, world.situation.isOpened, Int.random(in: 0..<10, using: &generator) == 0,
                   let elsewhere = explorer.transitions(world, times: [times[0]]).accepted.first(where: \.external) {
                    world = elsewhere.next
                    continue
                }
                // Candidates in random order; the first the rules accept is taken.
                let candidates = times.flatMap { explorer.candidates(world, at: $0, inOrder: true) }.shuffled(using: &generator)
                // A step that ends the case is taken one time in four while others are
                // possible, so that walks go deep (an enforcement through its trackings).
                var next: (Judgement, World)?, ending: (Judgement, World)?
                for candidate in candidates {
                    let judgement = NextSteps.judge(candidate, in: world.situation)
                    guard judgement.isAccepted else { continue }
                    if candidate.action.isFinal && Int.random(in: 0..<4, using: &generator) > 0 {
                        if ending == nil { ending = (judgement, explorer.after(world, judgement)) }
                        continue
                    }
                    next = (judgement, explorer.after(world, judgement))
                    break
                }
                next = next ?? ending
                guard let (judgement, after) = next else {
                    // Nothing of this case: something elsewhere in the organization, maybe.
                    if let elsewhere = explorer.transitions(world, times: times).accepted.first(where: \.external) {
                        world = elsewhere.next
                        continue
                    }
                    if stuck.count < Self.told { stuck.append(explorer.describe(stuck: world, refused: explorer.judgements(world, at: times))) }
                    break
                }
                let signed = compared.insert("\(kind) \(world.situation.stage?.rawValue ?? "-") \(judgement.candidate.action) \(judgement.candidate.outcome)").inserted
                    ? explorer.signedSigners(judgement, in: world) : judgement.signers
                if signed != judgement.signers, mismatches.count < Self.told {
                    mismatches.append("\(world.trail.joined(separator: " → ")) → \(judgement.candidate.action.rawValue): \(judgement.signers) vs \(signed)")
                }
                taken += 1
                world = after
            }
            if world.isFinal { ended += 1 }
        }
        print("random walks: \(taken) steps, \(ended) of 1000 walks ended")
        #expect(stuck.isEmpty, "\(stuck.joined(separator: "\n"))")
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }
}
