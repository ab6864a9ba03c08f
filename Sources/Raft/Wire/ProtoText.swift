// etcd prints some protobuf messages in its log lines with Go's `%v`, which for a message is its
// protobuf text form (`prototext`, on one line). These are those forms, for the messages raft
// prints that way, character for character.

extension ConfState {
    /// The protobuf text form: each repeated field once per value, in field order (`voters`,
    /// `learners`, `voters_outgoing`, `learners_next`), empty ones left out, then `auto_leave`
    /// when it was set, even to false:
    /// `voters:1 voters:2 voters:3 auto_leave:false`.
    ///
    /// etcd: `ConfState.String` (what `%v` prints for a `*raftpb.ConfState`).
    package var protoText: String {
        var parts: [String] = []
        for id in voters { parts.append("voters:\(id)") }
        for id in learners { parts.append("learners:\(id)") }
        for id in votersOutgoing { parts.append("voters_outgoing:\(id)") }
        for id in learnersNext { parts.append("learners_next:\(id)") }
        if let autoLeave = autoLeaveIfSet { parts.append("auto_leave:\(autoLeave)") }
        return parts.joined(separator: " ")
    }
}

/// A conf change as etcd describes it in its log lines: converted to a `ConfChangeV2` first, so
/// a v1 change reads like a v2 one; the transition always (`ConfChangeTransitionAuto` when
/// unset), then each change, then the context when there is one:
/// `transition:ConfChangeTransitionAuto changes:{type:ConfChangeAddNode node_id:2}`.
///
/// etcd: `DescribeConfChange`.
package func describeConfChange(_ cc: any ConfChangeI) -> String {
    let v2 = cc.asV2()
    var out = "transition:\(v2.transition)"
    for c in v2.changes { out += " changes:{type:\(c.type) node_id:\(c.nodeID)}" }
    if !v2.context.isEmpty { out += " context:\(GoQuote.quote(v2.context))" }
    return out
}
