import Raft

// Drawing the faults of a chaos step: crashes and restarts, partitions and heals. The scenario
// sets the rates; message-level faults (loss, duplication, delay) are drawn per message when it
// is sent (see Simulator+Network).

extension Simulator {
    func planFaults(into actions: inout [Action]) {
        var r = faultRandom
        defer { faultRandom = r }
        let members = self.members
        // Restarts: quick ones when due; the others at the scenario's rate.
        let due = quickRestarts.filter { $0.at <= now }.map(\.id)
        quickRestarts.removeAll { $0.at <= now }
        for node in members where node.life == .down {
            let quick = due.contains(node.id)
            let waiting = quickRestarts.contains { $0.id == node.id }
            if quick || (!waiting && r.chance(scenario.restartRate)) { actions.append(.restart(node.id)) }
        }
        // Crashes, up to the scenario's limit of nodes down at once.
        var down = members.filter { $0.life == .down }.count
        if down < scenario.maxDown, r.chance(scenario.crashRate), let victim = r.pick(members.filter(\.isUp)) {
            actions.append(r.chance(0.25) ? .crashAfterPersist(victim.id) : .crash(victim.id))
            if r.chance(scenario.quickRestartRate) {
                quickRestarts.append((victim.id, now + r.int(1...3)))
                stats.quickRestarts += 1
            }
            down += 1
        }
        // Crashes in the middle of an election: a node that just persisted its vote for another
        // node goes down and comes back while the candidates' requests are still on the wire.
        for node in members where node.isUp && node.votedAt >= now - 2 && down < scenario.maxDown {
            if r.chance(scenario.electionCrashRate) {
                actions.append(.crash(node.id))
                quickRestarts.append((node.id, now + r.int(1...3)))
                node.votedAt = -1
                down += 1
                stats.electionCrashes += 1
            }
        }
        // Partitions: one at a time, healed at the scenario's rate.
        if !network.cut.isEmpty {
            if r.chance(scenario.healRate) { actions.append(.heal) }
        } else if r.chance(scenario.partitionRate) {
            planPartition(members.map(\.id), &r, into: &actions)
        }
    }

    private func planPartition(_ ids: [UInt64], _ r: inout SimRandom, into actions: inout [Action]) {
        guard ids.count >= 2 else { return }
        let leader = currentLeader?.id
        let roll = r.int(0...99)
        switch roll {
        case 0..<35:
            // Cut the leader (or anyone, when there is none) off from everyone.
            let lonely = leader ?? r.pick(ids) ?? ids[0]
            actions.append(.partition([[lonely], ids.filter { $0 != lonely }]))
        case 35..<70:
            // Split into a minority and a majority, or two halves, at random.
            var shuffled = ids
            shuffled.shuffle(using: &r)
            let k = r.int(1...(ids.count - 1))
            actions.append(.partition([Array(shuffled[..<k]).sorted(), Array(shuffled[k...]).sorted()]))
        case 70..<85:
            // The leader can talk but not hear: its heartbeats arrive, the answers do not.
            if let lonely = leader ?? r.pick(ids) {
                for id in ids where id != lonely { actions.append(.cut(id, lonely)) }
            }
        default:
            // A few random one-way cuts.
            for _ in 0..<r.int(1...3) {
                guard let a = r.pick(ids), let b = r.pick(ids.filter({ $0 != a })) else { continue }
                actions.append(.cut(a, b))
            }
        }
    }
}
