import Raft

/// Runs etcd's quorum test files: `committed` prints the acknowledged-index table and the
/// committed index of a majority or joint configuration, `vote` prints an election result.
///
/// Arguments: `cfg=(ids)` the (first) majority configuration; `cfgj=(ids)` a second one, making
/// the case joint (`cfgj=zero`: joint with an empty second half); `idx=(...)` acknowledged indexes
/// and `votes=(y|n|_ ...)` votes, one per distinct voter in the order of `cfg` then `cfgj`, `_`
/// meaning unknown. Like etcd's harness it cross-checks every result (alternative computation,
/// symmetric and self-joint configurations...) and prints any disagreement.
///
/// etcd: `quorum/datadriven_test.go`.
public struct QuorumHarness: DatadrivenHarness {
    /// A harness (it keeps no state between blocks).
    ///
    /// etcd: `TestDataDriven` (quorum).
    public init() {}

    /// The quorum rules to judge: the library's (an empty `Parts`), or with a learner's pieces.
    ///
    /// etcd: none (the workbook's).
    package var parts = Parts()

    /// A harness judging the quorum rules with `parts` plugged in.
    package init(parts: Parts) { self.parts = parts }

    /// Runs one block and returns its output (etcd's exact text); throws on malformed arguments.
    ///
    /// etcd: the closure passed to `datadriven.RunTest` in quorum's `TestDataDriven`.
    public mutating func handle(_ d: DatadrivenTestCase) throws -> String {
        var joint = false
        var ids: [UInt64] = []
        var idsj: [UInt64] = []
        // Acknowledged indexes, and votes coded 0 (unknown), 1 (no), 2 (yes), in voter order.
        var idxs: [UInt64] = []
        var votes: [UInt64] = []

        for arg in d.cmdArgs {
            for value in arg.vals {
                switch arg.key {
                case "cfg":
                    ids.append(try scan(d, arg, value))
                case "cfgj":
                    joint = true
                    if value == "zero" {
                        guard arg.vals.count == 1 else {
                            throw DatadrivenError("\(d.pos): cannot mix 'zero' into configuration")
                        }
                    } else {
                        idsj.append(try scan(d, arg, value))
                    }
                case "idx":
                    var n: UInt64 = 0
                    if value != "_" {
                        n = try scan(d, arg, value)
                        // 0 stands for `_` below, so it cannot be given explicitly.
                        guard n != 0 else { throw DatadrivenError("\(d.pos): cannot use 0 as idx") }
                    }
                    idxs.append(n)
                case "votes":
                    switch value {
                    case "y": votes.append(2)
                    case "n": votes.append(1)
                    case "_": votes.append(0)
                    default: throw DatadrivenError("\(d.pos): unknown vote: \(value)")
                    }
                default:
                    throw DatadrivenError("\(d.pos): unknown arg \(arg.key)")
                }
            }
        }

        let c = MajorityConfig(ids)
        let cj = MajorityConfig(idsj)

        let input = d.cmd == "vote" ? votes : idxs
        let voters = JointConfig(incoming: c, outgoing: cj).ids
        if voters.count != input.count {
            let votersText = "map[" + voters.sorted().map { "\($0):{}" }.joined(separator: " ") + "]"
            let inputText = "[" + input.map(Self.indexText).joined(separator: " ") + "]"
            return "error: mismatched input (explicit or _) for voters \(votersText): \(inputText)"
        }

        var out = ""
        switch d.cmd {
        case "committed":
            let l = Self.lookuper(idxs, ids, idsj)
            if !joint {
                let idx = parts.committedIndex(of: c, l)
                out += c.describe(l)
                // Other ways to compute the same index must agree; print any that does not.
                let alternative = Self.naiveCommittedIndex(c, l)
                if alternative != idx {
                    out += "\(Self.indexText(alternative)) <-- via alternative computation\n"
                }
                let zeroJoint = parts.committedIndex(of: JointConfig(incoming: c, outgoing: []), l)
                if zeroJoint != idx {
                    out += "\(Self.indexText(zeroJoint)) <-- via zero-joint quorum\n"
                }
                let selfJoint = parts.committedIndex(of: JointConfig(incoming: c, outgoing: c), l)
                if selfJoint != idx {
                    out += "\(Self.indexText(selfJoint)) <-- via self-joint quorum\n"
                }
                for id in c {
                    let acked = l.ackedIndex(id) ?? 0
                    // Lowering an index that is already below the committed one must not change it.
                    if idx > acked && acked > 0 {
                        let lower = parts.committedIndex(of: c, Self.overlay(c, l, id, acked - 1))
                        if lower != idx {
                            out += "\(Self.indexText(lower)) <-- overlaying \(id)->\(acked)"
                        }
                        let zero = parts.committedIndex(of: c, Self.overlay(c, l, id, 0))
                        if zero != idx {
                            out += "\(Self.indexText(zero)) <-- overlaying \(id)->0"
                        }
                    }
                }
                out += "\(Self.indexText(idx))\n"
            } else {
                let cc = JointConfig(incoming: c, outgoing: cj)
                out += cc.describe(l)
                let idx = parts.committedIndex(of: cc, l)
                let swapped = parts.committedIndex(of: JointConfig(incoming: cj, outgoing: c), l)
                if swapped != idx {
                    out += "\(Self.indexText(swapped)) <-- via symmetry\n"
                }
                out += "\(Self.indexText(idx))\n"
            }
        case "vote":
            let coded = Self.lookuper(votes, ids, idsj)
            let l = coded.indexes.mapValues { $0 != 1 }
            if !joint {
                out += "\(parts.voteResult(of: c, l))\n"
            } else {
                let r = parts.voteResult(of: JointConfig(incoming: c, outgoing: cj), l)
                let swapped = parts.voteResult(of: JointConfig(incoming: cj, outgoing: c), l)
                if swapped != r {
                    out += "\(swapped) <-- via symmetry\n"
                }
                out += "\(r)\n"
            }
        default:
            throw DatadrivenError("\(d.pos): unknown command: \(d.cmd)")
        }
        return out
    }

    private func scan(_ d: DatadrivenTestCase, _ arg: CmdArg, _ value: String) throws -> UInt64 {
        do {
            return try GoParse.uint64(value)
        } catch {
            throw DatadrivenError("\(d.pos): \(arg.key): \(error)")
        }
    }

    /// How etcd prints an index: the number, or `∞` for the "everything" index of an empty
    /// configuration.
    ///
    /// etcd: `quorum.Index.String`.
    static func indexText(_ index: UInt64) -> String {
        index == UInt64.max ? "∞" : String(index)
    }

    /// Maps the values to the distinct voters in order of appearance (first `ids`, then `idsj`),
    /// then drops the zeros, which stand for "unknown".
    private static func lookuper(_ values: [UInt64], _ ids: [UInt64], _ idsj: [UInt64]) -> MapAckIndexer {
        var l: [UInt64: UInt64] = [:]
        var next = 0
        for id in ids + idsj where l[id] == nil {
            if next < values.count {
                l[id] = values[next]
                next += 1
            }
        }
        return MapAckIndexer(l.filter { $0.value != 0 })
    }

    /// `l` restricted to the voters of `c`, with `id`'s index replaced by `index`.
    private static func overlay(_ c: MajorityConfig, _ l: some AckedIndexer, _ id: UInt64, _ index: UInt64)
        -> MapAckIndexer
    {
        var result: [UInt64: UInt64] = [:]
        for voter in c {
            if voter == id {
                result[voter] = index
            } else if let acked = l.ackedIndex(voter) {
                result[voter] = acked
            }
        }
        return MapAckIndexer(result)
    }

    /// The committed index by definition: the largest acknowledged index that a majority has
    /// reached (0 if none, `UInt64.max` for the empty configuration).
    private static func naiveCommittedIndex(_ c: MajorityConfig, _ l: some AckedIndexer) -> UInt64 {
        if c.isEmpty { return UInt64.max }
        let acked = c.compactMap { l.ackedIndex($0) }
        let quorum = c.count / 2 + 1
        var best: UInt64 = 0
        for candidate in acked where candidate > best && acked.filter({ $0 >= candidate }).count >= quorum {
            best = candidate
        }
        return best
    }
}
