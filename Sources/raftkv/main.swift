// raftkv: etcd's raftexample as a replicated key-value service. See Chapters/10-raftkv.md.
import Glibc
import RaftKV

exit(await RaftKVCLI.run(Array(CommandLine.arguments.dropFirst())))
