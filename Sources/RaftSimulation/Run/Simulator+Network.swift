import Raft

// Sending and delivering messages: each message's fate (lost, delayed, duplicated) is decided when
// it is sent; cut links and stopped nodes are checked when it arrives.

extension Simulator {
    /// Puts a message from a Ready (or a storage thread) on the network.
    func send(_ m: Message) {
        stats.messagesSent += 1
        if m.type == .msgReadIndexResp, let e = m.entries.first, let id = Payload.readID(e.data) {
            checker.readAnswered(id, index: m.index, by: m.from, term: m.term)
        }
        let fate = decideFate()
        if fate.drop {
            stats.droppedAtRandom += 1
            if trace.verbose { trace.add(now, .dropped(m, reason: "network")) }
            if m.type == .msgSnap { deferred.append(.snapshotStatus(node: m.from, to: m.to, failed: true)) }
            return
        }
        if fate.duplicateDelay != nil { stats.duplicated += 1 }
        if fate.delay > scenario.maxDelay || (fate.duplicateDelay ?? 0) > scenario.maxDelay { stats.delayedLong += 1 }
        network.send(m, fate: fate, now: now)
    }

    /// Delivers one message that is due, unless its link is cut or an end is down.
    func deliver(_ f: Network.InFlight) {
        let m = f.message
        guard let to = node(m.to), to.isUp, let raw = to.raw,
              let from = node(m.from), from.life != .removed else {
            stats.droppedNodeDown += 1
            if trace.verbose { trace.add(now, .dropped(m, reason: "node down")) }
            if m.type == .msgSnap { deferred.append(.snapshotStatus(node: m.from, to: m.to, failed: true)) }
            return
        }
        guard network.isOpen(m.from, m.to) else {
            stats.droppedByPartition += 1
            if trace.verbose { trace.add(now, .dropped(m, reason: "partition")) }
            // The sender's transport notices that the peer is unreachable.
            if m.type == .msgApp || m.type == .msgSnap {
                deferred.append(m.type == .msgSnap
                    ? .snapshotStatus(node: m.from, to: m.to, failed: true)
                    : .unreachable(node: m.from, to: m.to))
            }
            return
        }
        if !f.isCopy {
            let k = Int(m.from) * 1024 + Int(m.to)
            if k >= lastDelivered.count { lastDelivered.append(contentsOf: repeatElement(0, count: k + 1 - lastDelivered.count)) }
            // Send numbers start at 0; the table keeps number + 1 so that 0 means nothing yet.
            if lastDelivered[k] > f.sequence + 1 {
                stats.reordered += 1
            } else {
                lastDelivered[k] = f.sequence + 1
            }
        }
        stats.messagesDelivered += 1
        if trace.verbose { trace.add(now, .delivered(m, copy: f.isCopy)) }
        if m.type == .msgSnap && !to.applyQueue.isEmpty {
            // Raft would restore the snapshot's membership at once, and the apply thread would
            // then hand it the older conf changes it still has queued (see `SimNode.heldSnapshots`).
            to.heldSnapshots.append(m)
            stats.snapshotsHeld += 1
            if trace.verbose { trace.add(now, .note("n\(to.id) holds the snapshot until its apply thread has caught up")) }
        } else {
            do { try raw.step(m) } catch { stats.messagesRefused += 1 }
            observe(to)
        }
        if m.type == .msgSnap {
            stats.snapshotsSent += 1
            deferred.append(.snapshotStatus(node: m.from, to: m.to, failed: false))
        }
    }

    /// The fate of the next message: from the schedule when replaying, else drawn for the phase.
    func decideFate() -> Fate {
        let number = messageNumber
        messageNumber += 1
        let fate: Fate
        if let replay {
            fate = replay.fates[number] ?? .default
        } else {
            fate = drawFate()
        }
        if recording != nil && fate != .default { recording?.fates[number] = fate }
        return fate
    }

    private func drawFate() -> Fate {
        var r = networkRandom
        defer { networkRandom = r }
        if timeline.phase(at: now) == .calm { return Fate(delay: r.int(0...1)) }
        if r.chance(scenario.dropRate) { return Fate(drop: true) }
        let long = 3 * scenario.electionTick
        let delay = r.chance(scenario.slowRate) ? r.int(0...long) : r.int(0...scenario.maxDelay)
        var dup: Int?
        if r.chance(scenario.duplicateRate) {
            dup = r.chance(0.5) ? r.int(0...scenario.maxDelay) : r.int(0...long)
        }
        return Fate(delay: delay, duplicateDelay: dup)
    }

    /// How long the next storage write waits, numbered with the messages (a replay gives it its
    /// fate's delay; storage writes are never lost or duplicated, only late).
    func decideStorageDelay() -> Int {
        let number = messageNumber
        messageNumber += 1
        let delay: Int
        if let replay {
            delay = replay.fates[number]?.delay ?? Fate.default.delay
        } else if timeline.phase(at: now) == .calm {
            // A slow disk is a fault: in calm, storage work is done at once.
            delay = 0
        } else {
            delay = networkRandom.int(0...scenario.maxStorageDelay)
        }
        let fate = Fate(delay: delay)
        if recording != nil && fate != .default { recording?.fates[number] = fate }
        return delay
    }
}
