print("raft-conformance: not yet implemented")
