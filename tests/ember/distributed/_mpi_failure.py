"""Run under mpirun: one rank raises while the others wait in a collective."""

import ember
import ember.distributed as dist

dist.init_process_group("mpi")
if dist.get_rank() == dist.get_world_size() - 1:
    raise ValueError(f"boom from rank {dist.get_rank()}")
dist.all_reduce(ember.ones(3))  # never completes: the raising rank must abort the job
print("unreachable", flush=True)
