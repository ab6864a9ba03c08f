import Raft

// Carrying out the actions of a step. An action that makes no sense when its step comes (the node
// is down, or was removed) does nothing: a shortened replay may ask for such things.

extension Simulator {
    func execute(_ action: Action) {
        trace.add(now, .action(action))
        switch action {
        case .crash(let id):
            if let node = node(id), node.isUp { crash(node, afterPersist: false) }
        case .crashAfterPersist(let id):
            if let node = node(id), node.isUp { node.crashAfterNextPersist = true }
        case .restart(let id):
            if let node = node(id), node.life == .down { start(node) }
        case .partition(let groups):
            if let leader = currentLeader, groups.contains([leader.id]) { stats.leaderIsolations += 1 }
            network.partition(groups, nodes: nodes.map(\.id))
            stats.partitionsSymmetric += 1
        case .cut(let from, let to):
            network.cutOneWay(from, to)
            stats.partitionsOneWay += 1
        case .heal:
            network.heal()
            stats.heals += 1
        case .propose(let id, let w, let size):
            propose(write: w, size: size, through: id)
        case .read(let id, let r):
            guard let node = node(id), let raw = node.raw else { return }
            stats.readsIssued += 1
            checker.readIssued(r, node: id)
            raw.readIndex(Payload.readContext(r))
            observe(node)
        case .confChange(let id, let spec):
            guard let node = node(id), let raw = node.raw else { return }
            stats.confChangesProposed += 1
            do { try raw.proposeConfChange(spec.confChange) } catch { stats.proposalsDropped += 1 }
            observe(node)
        case .transfer(let id, let to):
            guard let node = node(id), let raw = node.raw else { return }
            stats.transfersRequested += 1
            raw.transferLeader(to)
            observe(node)
        case .compact(let id, let keep):
            guard let node = node(id), node.isUp else { return }
            do {
                if try node.compact(keep: keep) { stats.compactions += 1 }
            } catch {
                checker.fail(.brokenReady, "node \(id) cannot compact its log: \(error)")
            }
        case .campaign(let id):
            guard let node = node(id), let raw = node.raw else { return }
            stats.nudges += 1
            try? raw.campaign()
            observe(node)
        case .forgetLeader(let id):
            guard let node = node(id), let raw = node.raw else { return }
            stats.nudges += 1
            try? raw.forgetLeader()
            observe(node)
        }
    }

    /// A client proposes write `w` through node `id` (for the first time, or again).
    func propose(write w: UInt64, size: Int, through id: UInt64) {
        guard let node = node(id), let raw = node.raw else {
            // The client could not reach the node; it will try again.
            clients.retry(w, at: now + scenario.electionTick)
            return
        }
        let attempts = clients.write(w)?.attempts.count ?? 0
        let backoff = scenario.retryAfter << min(attempts, 1)
        let (pending, isNew) = clients.proposed(w, size: size, through: id, now: now, retryAt: now + backoff,
                                                known: { acknowledgedWrites.contains($0) })
        guard pending else { return }
        if isNew { stats.writesProposed += 1 } else { stats.writesRetried += 1 }
        // A retry through a node that already applied the write is answered from its state.
        if let index = checker.writeIndex[w], node.app.appliedIndex >= index {
            acknowledge(w, index: index, node: id)
            return
        }
        do {
            try raw.propose(Payload.write(w, size: size))
            if scenario.livenessChecked, let calm = timeline.calmStart(containing: now) {
                // This copy queues behind what the slowest member of the fastest majority has yet
                // to receive; clients' retries can grow that queue faster than a slow
                // configuration drains it, so the bound is taken when the copy joins the queue.
                let due = now + scenario.writeBound + scenario.backlogTicks(replicationBacklog)
                clients.noteCalmDeadline(w, calm: calm, step: due)
            }
        } catch {
            stats.proposalsDropped += 1
            clients.retry(w, at: now + scenario.electionTick)
        }
        observe(node)
    }
}
