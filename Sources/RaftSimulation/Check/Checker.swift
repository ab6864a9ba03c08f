import Raft

/// The safety invariants, checked as the run goes: the simulator reports what it sees (roles,
/// commit indexes, persisted entries, applied entries, served reads) and the checker compares it
/// with what it has seen before. The first broken invariant ends the run.
///
/// What it keeps:
/// - the leader of every term seen (Election Safety: at most one per term);
/// - the committed log: the term of every entry any node reported committed (entries committed
///   never change, and every new leader holds them all: Leader Completeness);
/// - the one global applied sequence, as the application digest after each index (State Machine
///   Safety: every node's applied sequence is a prefix of it);
/// - the index of each acknowledged write and the newest one, for the linearizability of reads.
struct Checker {
    private(set) var violation: Violation?
    /// The step being checked, for reports.
    var step = 0

    private var leaderOfTerm: [UInt64: UInt64] = [:]
    /// `committedTerms[i]` is the term of the committed entry at index `i`; 0 when no node showed
    /// it (it reached every node that committed it inside a snapshot). Index 0 is a placeholder.
    private(set) var committedTerms: [UInt64] = [0]
    /// `digests[i]` is the application digest after applying index `i`, nil when unknown.
    private var digests: [UInt64?] = [0]
    /// The membership raft reported after applying the conf change at each index, as the first
    /// node to apply it saw it.
    private var membershipAfter: [UInt64: ConfState] = [:]
    /// The conf changes up to this index are not compared: they bootstrap the cluster, and the
    /// nodes that bootstrapped (`RawNode.bootstrap`) already hold every initial member when they
    /// apply them, while a member added later replays them one by one from an empty membership.
    var bootstrapConfChanges: UInt64 = 0
    /// The index at which each write was first applied anywhere.
    private(set) var writeIndex: [UInt64: UInt64] = [:]
    /// The highest index of a write acknowledged to its client so far.
    private(set) var maxAcknowledgedIndex: UInt64 = 0
    /// Every read issued: the index its answer must reach.
    private var readRequirements: [UInt64: (node: UInt64, step: Int, required: UInt64)] = [:]
    /// Who answered each read (by read id and read index), and whether a leader of a later term
    /// had been seen by then.
    private var readAnswers: [ReadAnswerKey: (leader: UInt64, term: UInt64, deposed: Bool)] = [:]
    /// Whether reads are lease-based in this run.
    var leaseReads = false
    /// Count stale lease reads from a deposed leader as violations (see `readServed`).
    var strictLease = false
    /// Stale lease reads served by a deposed leader, counted but not violations unless strict.
    private(set) var leaseAnomalies = 0
    private(set) var firstLeaseAnomaly: String?

    struct ReadAnswerKey: Hashable {
        var read: UInt64
        var index: UInt64
    }

    var failed: Bool { violation != nil }

    mutating func fail(_ kind: Violation.Kind, _ detail: String) {
        guard violation == nil else { return }
        violation = Violation(kind: kind, step: step, detail: detail)
    }

    /// The highest index known committed.
    var committedIndex: UInt64 { UInt64(committedTerms.count - 1) }

    // MARK: - Roles and terms

    /// Records that `node` leads `term`. Returns true when this is news (a new leader).
    mutating func leader(_ node: UInt64, term: UInt64) -> Bool {
        if let other = leaderOfTerm[term] {
            if other != node { fail(.twoLeadersInTerm, "nodes \(other) and \(node) both led term \(term)") }
            return false
        }
        leaderOfTerm[term] = node
        return true
    }

    /// The highest term any leader was seen in.
    var highestLeaderTerm: UInt64 { leaderOfTerm.keys.max() ?? 0 }

    /// A node's term must not go back while it runs.
    mutating func term(of node: UInt64, was old: UInt64, now new: UInt64) {
        if new < old { fail(.termWentBack, "node \(node) went from term \(old) to \(new) without a restart") }
    }

    /// The term on a node's disk must not go back either.
    mutating func persistedTerm(of node: UInt64, was old: UInt64, now new: UInt64) {
        if new < old { fail(.termWentBack, "node \(node) persisted term \(new) after term \(old)") }
    }

    // MARK: - The committed log

    /// Compares a node's log up to its commit index with the committed log, extending the latter.
    /// Only the part not compared before (`from` on) is looked at.
    mutating func committed(node: UInt64, raw: RawNode, from: UInt64, to commit: UInt64) {
        guard commit > from else { return }
        for i in (from + 1)...commit {
            let t = raw.logTerm(at: i) ?? 0
            record(i, term: t, node: node)
            if failed { return }
        }
    }

    private mutating func record(_ index: UInt64, term t: UInt64, node: UInt64) {
        let i = Int(index)
        if i < committedTerms.count {
            let known = committedTerms[i]
            if known == 0 {
                committedTerms[i] = t
            } else if t != 0 && t != known {
                fail(.committedEntryChanged,
                     "node \(node) has term \(t) at committed index \(index), which was committed at term \(known)")
            }
        } else {
            while committedTerms.count < i { committedTerms.append(0) }
            committedTerms.append(t)
        }
    }

    /// Entries a node writes at or below its own commit index must be the committed ones.
    mutating func persisting(node: UInt64, entries: [Entry], commit: UInt64) {
        for e in entries where e.index <= commit {
            let i = Int(e.index)
            if i < committedTerms.count, committedTerms[i] != 0, committedTerms[i] != e.term {
                fail(.committedEntryChanged, "node \(node) writes \(e.term)/\(e.index) over committed term \(committedTerms[i])")
                return
            }
        }
    }

    /// A snapshot covers committed entries: its index and term must be the committed ones.
    mutating func snapshot(node: UInt64, _ s: Snapshot) {
        record(s.metadata.index, term: s.metadata.term, node: node)
        applied(node: node, index: s.metadata.index, digest: Payload.digest(ofSnapshotData: s.data), what: "snapshot")
    }

    /// A new leader must hold every entry committed so far (they were all committed in earlier
    /// terms).
    mutating func newLeader(_ node: UInt64, term: UInt64, raw: RawNode) {
        let (first, last) = raw.logBounds
        let top = committedIndex
        if top > last {
            fail(.leaderMissesCommittedEntry,
                 "node \(node) leads term \(term) with last index \(last), but index \(top) is committed")
            return
        }
        guard top >= first else { return }
        for i in first...top {
            let want = committedTerms[Int(i)]
            guard want != 0 else { continue }
            let have = raw.logTerm(at: i)
            if have != want {
                fail(.leaderMissesCommittedEntry,
                     "node \(node) leads term \(term) with term \(have.map(String.init) ?? "none") at index \(i), committed at term \(want)")
                return
            }
        }
    }

    // MARK: - The applied sequence

    /// A node applied `e`, its applied index going from `previous` to `e.index`, giving `digest`.
    mutating func applied(node: UInt64, previous: UInt64, entry e: Entry, digest: UInt64) {
        if e.index != previous + 1 {
            fail(.appliedSequenceDiverged, "node \(node) applied index \(e.index) after \(previous)")
            return
        }
        let i = Int(e.index)
        if i < committedTerms.count, committedTerms[i] != 0, committedTerms[i] != e.term {
            fail(.appliedSequenceDiverged,
                 "node \(node) applied \(e.term)/\(e.index), but the entry committed there has term \(committedTerms[i])")
            return
        }
        applied(node: node, index: e.index, digest: digest, what: "entry \(e.term)/\(e.index)")
        if let w = Payload.writeID(e), writeIndex[w] == nil { writeIndex[w] = e.index }
    }

    private mutating func applied(node: UInt64, index: UInt64, digest: UInt64, what: String) {
        let i = Int(index)
        if i < digests.count {
            if let known = digests[i] {
                if known != digest {
                    fail(.appliedSequenceDiverged, "node \(node) applied \(what) and its state differs from the state other nodes reached at index \(index)")
                }
            } else {
                digests[i] = digest
            }
        } else {
            while digests.count < i { digests.append(nil) }
            digests.append(digest)
        }
    }

    /// A node applied the conf change at `index` and raft's membership became `confState` (or
    /// stayed as it was, the change refused). Every node must reach the same one: the digest does
    /// not cover raft's own configuration, which a node can lose track of without any entry
    /// differing (a snapshot restored under conf changes still queued for the apply thread).
    mutating func appliedConfChange(node: UInt64, index: UInt64, confState: ConfState) {
        guard index > bootstrapConfChanges else { return }
        guard let known = membershipAfter[index] else {
            membershipAfter[index] = confState
            return
        }
        if !known.isEquivalent(to: confState) {
            fail(.appliedSequenceDiverged, "node \(node) applied the conf change at index \(index) and its membership \(confState) differs from the membership other nodes reached there, \(known)")
        }
    }

    /// Seeds the applied sequence with the initial state (the bootstrap snapshot).
    mutating func initialState(index: UInt64, digest: UInt64) {
        applied(node: 0, index: index, digest: digest, what: "the initial snapshot")
    }

    // MARK: - Writes and reads

    /// A client's write was acknowledged: it landed at `index`.
    mutating func acknowledged(index: UInt64) {
        maxAcknowledgedIndex = max(maxAcknowledgedIndex, index)
    }

    /// A read is issued now: its answer must cover every write acknowledged so far.
    mutating func readIssued(_ id: UInt64, node: UInt64) {
        readRequirements[id] = (node, step, maxAcknowledgedIndex)
    }

    /// A leader answered read `id` with `index`.
    mutating func readAnswered(_ id: UInt64, index: UInt64, by leader: UInt64, term: UInt64, unlessKnown: Bool = false) {
        let key = ReadAnswerKey(read: id, index: index)
        if unlessKnown && readAnswers[key] != nil { return }
        readAnswers[key] = (leader, term, highestLeaderTerm > term)
    }

    /// A read was served at `readIndex` once its node had applied that far.
    ///
    /// A read index below a write acknowledged before the read was issued is a stale read. One
    /// case is etcd's design rather than a bug: with lease-based reads, a leader cut off from the
    /// others keeps answering from its lease until its next quorum check, up to two election
    /// timeouts after it last heard from a quorum, while the others may elect a new leader after
    /// one (etcd-io/raft#166). A stale lease read answered by a leader when a later term already
    /// had a leader is counted as a lease anomaly, and is a violation only under `strictLease`.
    mutating func readServed(_ id: UInt64, node: UInt64, readIndex: UInt64) -> Bool {
        guard let r = readRequirements[id] else { return false }
        guard readIndex < r.required else { return true }
        let detail = "read r\(id) issued at node \(r.node) at step \(r.step) got read index \(readIndex), "
            + "but a write acknowledged before it was issued is at index \(r.required)"
        if leaseReads, !strictLease, let answer = readAnswers[ReadAnswerKey(read: id, index: readIndex)], answer.deposed {
            leaseAnomalies += 1
            if firstLeaseAnomaly == nil {
                firstLeaseAnomaly = "step \(step): \(detail), answered by node \(answer.leader) from its lease in term "
                    + "\(answer.term) after a leader of a later term was elected"
            }
        } else {
            fail(.staleRead, detail)
        }
        return true
    }
}
