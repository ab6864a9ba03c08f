// raftkv: etcd's raftexample as a replicated key-value service. See Chapters/10-raftkv.md.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RaftKV

exit(await RaftKVCLI.run(Array(CommandLine.arguments.dropFirst())))
