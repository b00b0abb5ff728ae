"""The distributed section: checks, the shard each worker takes, the msrun command line.
Pure Python (no MindSpore); the real multi-worker runs are in tests/cli."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from studio.core import distributed
from studio.core.config import DistributedConfig, from_dict
from studio.core.errors import ConfigError, StudioError


def _config(distributed_section: dict, batch_size: int = 8):
    return from_dict({"model": "m", "dataset": "d.jsonl", "training": {"batch_size": batch_size},
                      "distributed": distributed_section})


def _fields(config) -> dict[str, str]:
    return {p.field: str(p) for p in distributed.check(config)}


def test_a_plain_run_file_has_one_worker_and_records_the_section():
    config = from_dict({"model": "m", "dataset": "d.jsonl"})
    assert config.distributed.workers == 1 and not distributed.check(config)
    assert "distributed" not in config.to_dict()   # run files of one process stay unchanged
    assert _config({"workers": 2}).to_dict()["distributed"]["workers"] == 2


def test_every_bad_setting_is_named():
    problems = _fields(_config({"workers": 3, "master_port": 80,
                                "hosts": ["a", "b c"], "node_rank": 2, "master_addr": " "}))
    assert "a multiple of 3" in problems["training.batch_size"]
    assert "80" in problems["distributed.master_port"]
    assert "'b c'" in problems["distributed.hosts[1]"]
    assert "a multiple of 2" in problems["distributed.workers"]
    assert "0 to 1" in problems["distributed.node_rank"]
    assert "distributed.master_addr" in problems
    assert "distributed.workers" in _fields(_config({"workers": 0}))
    assert "distributed.hosts" in _fields(_config({"workers": 2, "hosts": []}))


def test_wrong_types_and_unknown_keys_are_structural_errors():
    with pytest.raises(ConfigError) as err:
        _config({"workers": "two", "cards": 8})
    assert {p.field for p in err.value.problems} == {"distributed.workers", "distributed.cards"}


def test_valid_sections_pass():
    assert not distributed.check(_config({"workers": 4}))
    assert not distributed.check(_config({"workers": 4, "hosts": ["10.0.0.1", "10.0.0.2"],
                                          "master_port": 29500}))


@pytest.mark.parametrize("rows,workers", [(8, 2), (7, 2), (2, 4), (1, 2), (9, 4)])
def test_shards_cover_the_global_batch_once_in_order(rows, workers):
    parts = [distributed.shard(rows, rank, workers) for rank in range(workers)]
    taken = [i for part in parts for i in range(rows)[part]]
    assert taken == list(range(rows))
    sizes = [len(range(rows)[part]) for part in parts]
    assert max(sizes) - min(sizes) <= 1


def test_topology_of_one_host_and_of_a_cluster():
    one = distributed.topology(DistributedConfig(workers=8))
    assert (one.workers, one.local_workers, one.node_rank, one.master_addr) == \
        (8, 8, 0, "127.0.0.1")
    cluster = DistributedConfig(workers=16, hosts=["10.0.0.1", "10.0.0.2"], master_port=29500)
    second = distributed.topology(cluster, node_rank=1)
    assert (second.local_workers, second.master_addr, list(second.local_ranks)) == \
        (8, "10.0.0.1", list(range(8, 16)))
    with pytest.raises(StudioError, match="--node-rank"):
        distributed.topology(cluster)  # neither address is this machine's


def test_msrun_runs_from_our_interpreter_with_it_first_on_path(tmp_path):
    topo = distributed.topology(DistributedConfig(workers=2, master_port=9000))
    command = distributed.msrun_command(topo, tmp_path, ["--run-id", "x"])
    assert "--worker_num=2" in command and "--local_worker_num=2" in command
    assert "--node_rank=0" in command and f"--log_dir={tmp_path}" in command
    assert command[-5:] == ["python", "-m", "studio.core.worker", "--run-id", "x"]
    env = distributed.launch_env()
    assert env["PATH"].split(":")[0] == str(Path(sys.executable).parent)


def test_loss_items_count_what_the_mean_loss_averages():
    import numpy as np

    labels = np.array([[5, 6, -100], [7, -100, -100]])
    assert distributed.loss_items({"labels": labels}, "causal_lm") == 1  # shifted by one
    assert distributed.loss_items({"labels": labels}, "token_cls") == 3
    assert distributed.loss_items({"labels": np.array([0, 1, 1])}, "seq_cls") == 3


def test_how_a_worker_ended_is_a_coded_message(tmp_path):
    """The run's error when a worker dies keeps the codes (of the worker's own error too), so
    the Runs page tells it in the user's language; its English reads as before."""
    from studio.core import events
    from studio.core.launcher import _Watch, _Worker
    from studio.core.messages import msg

    topo = distributed.Topology(workers=2, local_workers=2, node_rank=0,
                                master_addr="127.0.0.1", master_port=8118, hosts=1)
    watch = _Watch(topo, tmp_path, tmp_path, emit=None, relay_rank=None)
    (tmp_path / "worker_1.log").write_text(
        "[WARNING] noise\n" + events.encode("error", message=msg("engine.out_of_memory"),
                                            kind="known") + "\n", encoding="utf-8")
    why = watch.why(_Worker(1, pid=42, returncode=1))
    assert why == ("worker 1 (process 42) exited with code 1: out of memory: try a smaller "
                   f"batch size or max_length; every other worker was stopped (logs: {tmp_path})")
    assert why.code == "launcher.worker_ended"
    assert why.params["how"].params["message"].code == "engine.out_of_memory"
    killed = watch.why(_Worker(0, pid=41, returncode=-9))
    assert "worker 0 (process 41) was killed by SIGKILL (out of memory" in killed
    assert killed.params["how"].code == "launcher.killed_maybe_memory"
    watch.topo = distributed.Topology(4, 2, 1, "10.0.0.1", 8118, hosts=2)
    assert watch.why(_Worker(2, host="b", pid=7, returncode=-15)).startswith(
        "worker 2 (process 7) on b was killed by SIGTERM;")


def test_a_second_host_joins_the_first_ones_output_folder_which_holds_its_files(tmp_path):
    from studio.core.validate import validate

    output = tmp_path / "run"
    (output / "workers").mkdir(parents=True)   # the first host has started its run there
    cluster = {"workers": 2, "hosts": ["10.0.0.1", "10.0.0.2"]}
    config = from_dict({"model": "m", "dataset": "d.jsonl", "output_dir": str(output),
                        "training": {"batch_size": 8}, "distributed": cluster})

    def output_problems(node_rank):
        return [p for p in validate(config, node_rank) if p.field == "output_dir"]

    assert "already holds files" in str(output_problems(0)[0])
    assert not output_problems(1)
    assert output_problems(None)   # neither address is this machine's: checked as the leader
    config.output_dir = str(tmp_path / "a-file")
    (tmp_path / "a-file").write_text("x")
    assert output_problems(1)      # still a folder, whichever host


def test_a_second_host_calls_the_first_one_gone_after_its_scheduler_is_silent_a_while():
    from studio.core import launcher

    answers = iter([True, False, False, True, False, False, False, False, False, False, False])
    leader = launcher._Leader("10.0.0.1", 8118, probe=lambda address, port: next(answers))
    seen = [leader.gone(float(t)) for t in range(0, 22, 2)]
    # silent at 2 and 4, answering at 6 (a slow moment), silent from 8: gone 10 s later
    assert seen == [False] * 9 + [True, True]
