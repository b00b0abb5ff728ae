"""The one collective a data parallel step needs: a sum across every worker of one flat
buffer (all trainable gradients, the loss and the stop flag together), through MindSpore's
``AllReduce`` primitive inside a small Cell. ``comm_func.all_reduce`` has no CPU kernel
(see STACK-NOTES), the primitive works on CPU, GPU and Ascend."""

from __future__ import annotations

import os

import numpy as np


def is_scheduler() -> bool:
    """msrun also runs our worker module as its scheduler (``MS_ROLE=MS_SCHED``)."""
    return os.environ.get("MS_ROLE") == "MS_SCHED"


def run_scheduler_if_asked() -> bool:
    """As the scheduler, ``init()`` serves the cluster until the workers leave. True when
    this process was it."""
    if not is_scheduler():
        return False
    from mindspore.communication import init

    init()
    return True


class Collective:
    """This worker's place in the job and the fused sum.

    The rank and size come from msrun's environment (``RANK_ID``, ``MS_WORKER_NUM``); the
    communication backend is joined at the first sum, after the model is loaded, because
    mindnlp's ``from_pretrained`` turns to ``torch.distributed`` (which we do not set up) once
    MindSpore's communication is initialised."""

    def __init__(self) -> None:
        self.rank = int(os.environ["RANK_ID"])
        self.size = int(os.environ["MS_WORKER_NUM"])
        self._sum = None

    def _connect(self) -> None:
        import mindspore
        from mindspore import nn, ops
        from mindspore.communication import get_group_size, get_rank, init

        init()
        if (get_rank(), get_group_size()) != (self.rank, self.size):
            raise RuntimeError(f"msrun said rank {self.rank} of {self.size}, MindSpore's "
                               f"communication says {get_rank()} of {get_group_size()}")

        class _Sum(nn.Cell):
            def __init__(self) -> None:
                super().__init__()
                self.op = ops.AllReduce(ops.ReduceOp.SUM)

            def construct(self, x):
                return self.op(x)

        self._sum = _Sum()
        self._tensor = mindspore.Tensor

    def sum(self, flat: np.ndarray) -> np.ndarray:
        """Element-wise sum of ``flat`` over every worker (float32, one call)."""
        if self._sum is None:
            self._connect()
        out = self._sum(self._tensor(np.ascontiguousarray(flat, dtype=np.float32)))
        return out.asnumpy()
