/// How to run one raftkv node: who it is, where its peers are, where it keeps its data, and the
/// timing knobs.
public struct NodeOptions: Sendable {
    /// This node's raft id: its 1-based position in `cluster`.
    public var id: UInt64
    /// The peer URLs of the initial members, in id order (id 1 first).
    public var cluster: [Endpoint]
    /// Where the HTTP API listens.
    public var http: Endpoint
    /// Holds `wal/` and `snap/`.
    public var dataDirectory: String
    /// Joining an existing cluster (added with `POST /members/<id>`): start empty and learn the
    /// log from the leader instead of bootstrapping the initial membership.
    public var join = false
    /// One raft tick; elections time out after `electionTicks` of them.
    public var tickMilliseconds = 100
    public var electionTicks = 10
    /// Take a snapshot (and compact) once this many entries were applied since the last one.
    public var snapshotCount: UInt64 = 10_000
    /// Entries kept in memory behind a snapshot, so that slow followers catch up from the log.
    public var catchUpEntries: UInt64 = 5_000
    /// How long a write or a linearizable read may wait for raft before it is answered 503.
    public var requestTimeoutMilliseconds = 5_000
    /// WAL segment size before a new one is cut.
    public var walSegmentBytes = 16 << 20
    public var verbose = false

    public init(id: UInt64, cluster: [Endpoint], http: Endpoint, dataDirectory: String) {
        self.id = id
        self.cluster = cluster
        self.http = http
        self.dataDirectory = dataDirectory
    }

    /// Names the cluster on every peer connection, so that a node never takes frames from a
    /// member of another cluster (or from a stranger): a hash (FNV-1a) of member 1's peer URL,
    /// which every member, joining ones included, has first in `--cluster`.
    ///
    /// etcd derives its cluster id from the initial members' ids (`--initial-cluster-token` and
    /// their URLs) and checks it on every rafthttp request (`X-Etcd-Cluster-ID`).
    public var clusterID: UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (cluster.first?.url ?? "").utf8 {
            h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return h
    }

    /// This node's own peer endpoint, where the transport listens.
    public var peerEndpoint: Endpoint? {
        id >= 1 && id <= UInt64(cluster.count) ? cluster[Int(id - 1)] : nil
    }

    /// The endpoint of member `id` as given on the command line, if it is one of the initial ones.
    func initialEndpoint(of id: UInt64) -> Endpoint? {
        id >= 1 && id <= UInt64(cluster.count) ? cluster[Int(id - 1)] : nil
    }
}
