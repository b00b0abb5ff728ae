"""Data parallel training laid out for MindSpore's ``msrun``: which rows each worker takes,
the checks on the ``distributed`` section, and the ``msrun`` command line. Pure Python: the
parent ``train`` process and ``validate`` use it without importing MindSpore."""

from __future__ import annotations

import contextlib
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from studio.launch import frozen

from .config import DistributedConfig, RunConfig
from .errors import Problem, StudioError
from .messages import msg

WORKER_MODULE = "studio.core.worker"
LOG_FOLDER = "workers"        # inside the run's output folder: msrun's logs, pid and exit files


@dataclass(frozen=True)
class Topology:
    workers: int              # in all
    local_workers: int        # on this host
    node_rank: int
    master_addr: str
    master_port: int
    hosts: int

    @property
    def local_ranks(self) -> range:
        start = self.node_rank * self.local_workers
        return range(start, start + self.local_workers)


def shard(rows: int, rank: int, workers: int) -> slice:
    """The contiguous part of a global batch of ``rows`` that ``rank`` takes (as even as
    possible: an epoch's last, short batch may leave a worker nothing)."""
    base, extra = divmod(rows, workers)
    start = rank * base + min(rank, extra)
    return slice(start, start + base + (1 if rank < extra else 0))


def shard_batch(batch: dict, rank: int, workers: int) -> dict:
    """``rank``'s rows of a collated batch (padded as one process pads the whole batch)."""
    rows = shard(len(batch["input_ids"]), rank, workers)
    return {key: value[rows] for key, value in batch.items()}


def check(config: RunConfig) -> list[Problem]:
    """Problems of the ``distributed`` section, each naming its field."""
    d, problems = config.distributed, []
    if d.workers is None or d.workers < 1:
        problems.append(Problem("distributed.workers", msg("value.at_least", low=1),
                                found=str(d.workers)))
        return problems
    batch = config.training.batch_size
    if batch and batch >= 1 and batch % d.workers:
        problems.append(Problem("training.batch_size",
                                msg("distributed.divide_batch", workers=d.workers),
                                expected=msg("distributed.multiple_of", count=d.workers),
                                found=str(batch)))
    if d.master_port is None or not 1024 <= d.master_port <= 65535:
        problems.append(Problem("distributed.master_port", msg("distributed.port"),
                                found=str(d.master_port)))
    hosts = d.hosts or []
    if d.hosts is not None:
        if not hosts:
            problems.append(Problem("distributed.hosts", msg("distributed.empty"),
                                    expected=msg("distributed.every_address")))
        for i, host in enumerate(hosts):
            if not host.strip() or any(c.isspace() for c in host.strip()):
                problems.append(Problem(f"distributed.hosts[{i}]", msg("distributed.not_a_host"),
                                        found=repr(host)))
        if hosts and d.workers % len(hosts):
            problems.append(Problem("distributed.workers",
                                    msg("distributed.same_on_hosts", hosts=len(hosts)),
                                    expected=msg("distributed.multiple_of", count=len(hosts)),
                                    found=str(d.workers)))
    if d.node_rank is not None and not 0 <= d.node_rank < max(len(hosts), 1):
        problems.append(Problem("distributed.node_rank", msg("distributed.not_host_index"),
                                expected=msg("distributed.index_range",
                                             last=max(len(hosts), 1) - 1),
                                found=str(d.node_rank)))
    if d.master_addr is not None and not d.master_addr.strip():
        problems.append(Problem("distributed.master_addr", msg("distributed.empty"),
                                expected=msg("distributed.leader_address")))
    return problems


def _local_names() -> set[str]:
    names = {"localhost", "127.0.0.1", socket.gethostname(), socket.getfqdn()}
    with contextlib.suppress(OSError):  # no resolvable name: the names above only
        names.update(socket.gethostbyname_ex(socket.gethostname())[2])
    return names


def topology(d: DistributedConfig, node_rank: int | None = None) -> Topology:
    """Where this host stands; ``node_rank`` (from the command line) beats the run file."""
    hosts = d.hosts or []
    nodes = max(len(hosts), 1)
    rank = node_rank if node_rank is not None else d.node_rank
    if rank is None:
        if nodes == 1:
            rank = 0
        else:
            local = _local_names()
            matches = [i for i, host in enumerate(hosts) if host in local]
            if len(matches) != 1:
                raise StudioError(msg("distributed.which_host", hosts=", ".join(hosts)))
            rank = matches[0]
    if not 0 <= rank < nodes:
        raise StudioError(msg("distributed.bad_node_rank", rank=rank, last=nodes - 1))
    master = d.master_addr or (hosts[0] if hosts else "127.0.0.1")
    return Topology(d.workers, d.workers // nodes, rank, master, d.master_port, nodes)


def leads(d: DistributedConfig, node_rank: int | None = None) -> bool:
    """Whether this host owns the run (node rank 0, or one host only). A host that cannot be
    placed counts as leading here: ``train`` reports that on its own."""
    if not d.hosts or len(d.hosts) < 2 or not d.workers or d.workers < 2:
        return True
    try:
        return topology(d, node_rank).node_rank == 0
    except StudioError:
        return True


def msrun_command(topo: Topology, log_dir: Path, worker_args: list[str]) -> list[str]:
    """msrun from our interpreter's folder; it starts every worker (and its scheduler) with
    ``python -m studio.core.worker``. No ``--join``: msrun's join loop polls without
    sleeping, so the ``train`` process watches the workers itself."""
    if frozen():   # msrun starts `python -m ...` workers: the desktop app has no python
        raise StudioError(msg("distributed.frozen"))
    msrun = Path(sys.executable).with_name("msrun")
    return [str(msrun) if msrun.exists() else "msrun", f"--worker_num={topo.workers}",
            f"--local_worker_num={topo.local_workers}", f"--master_addr={topo.master_addr}",
            f"--master_port={topo.master_port}", f"--node_rank={topo.node_rank}",
            f"--log_dir={log_dir}", "--join=False", "python", "-m", WORKER_MODULE, *worker_args]


def launch_env() -> dict[str, str]:
    """msrun starts workers with the ``python`` on PATH: put our interpreter's folder first."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    here = str(Path(__file__).resolve().parents[2])  # this checkout of studio, not another
    env["PYTHONPATH"] = os.pathsep.join(p for p in (here, env.get("PYTHONPATH")) if p)
    return env


def loss_items(batch: dict, task: str) -> int:
    """How many terms the model's mean loss averages over in ``batch`` (label tokens, or
    rows for classification): a shard's loss weighted by its share of the global batch's
    items makes the workers' sum the global batch's mean, whatever the padding."""
    labels = batch["labels"]
    if task == "seq_cls":
        return int(labels.shape[0])
    if task == "causal_lm":  # the model shifts labels by one before its mean
        labels = labels[:, 1:]
    return int((labels != -100).sum())
