"""Probe: is a compiled LoRA training step (forward + backward in one ``mindspore.jit`` graph)
faster than the plain PyNative step for a Llama-architecture decoder? (issue 10, item 2)

    python -m bench.compiledllama --models /work/benchmodels --model llama-tiny --rounds 12

Builds the benchmark's own run (``bench.workload``: LoRA r=8 on q/k/v/o, 8 x 128, lr 1e-3,
clipping 1.0; LoRA dropout set to 0 so both paths compute the same thing), then a
MindSpore-ops Llama reading the peft model's own tensors (frozen ones shared, LoRA A/B as
graph Parameters), with the CPU fast paths' layout choices: rotary in q/k's arrival layout
with ``rotate_half`` as a product, RMSNorm's mean and scale as products, ``x @ W^T`` by
MatMul. It checks the loss and the LoRA gradients against the plain path, then times the two
interleaved: the plain micro-step (``value_and_grad`` over transformers' forward, fast paths
on) with and without its clip + AdamW, and the graph's forward + backward. Prints medians and
writes nothing. ``--profile DIR`` also runs MindSpore's profiler over a few graph steps.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def build_graph(model, plain_norm: bool = False, jit_level: str = "O0"):
    """(cell, frozen tensors, train tensors) for the peft-wrapped LlamaForCausalLM."""
    import mindspore
    from mindspore import nn, ops

    from studio.core.compiledstep import _linear_spec, _Reader

    causal = model.base_model.model
    config = causal.config
    reader = _Reader()
    layers = []
    for layer in causal.model.layers:
        att, mlp = layer.self_attn, layer.mlp
        specs = [_linear_spec(m, reader) for m in (att.q_proj, att.k_proj, att.v_proj,
                                                    att.o_proj, mlp.gate_proj, mlp.up_proj,
                                                    mlp.down_proj)]
        norms = (reader.read(layer.input_layernorm.weight),
                 reader.read(layer.post_attention_layernorm.weight))
        layers.append((specs, norms))
    embed = reader.read(causal.model.embed_tokens.weight)
    final = reader.read(causal.model.norm.weight)
    head = _linear_spec(causal.lm_head, reader)
    ix = reader.index
    layout = {
        "layers": [([(ix(w), ix(b), ix(a), ix(lb), s) for w, b, a, lb, s, _ in specs],
                    tuple(ix(n) for n in norms)) for specs, norms in layers],
        "embed": ix(embed), "final": ix(final), "head": (ix(head[0]), ix(head[1]), None, None, 0.0),
    }
    frozen = tuple(mindspore.Tensor(t) for t in reader.frozen)
    params = mindspore.ParameterTuple(
        mindspore.Parameter(mindspore.Tensor(t.numpy()), name=f"probe.w{i}")
        for i, t in enumerate(reader.train))

    heads, kv_heads = config.num_attention_heads, config.num_key_value_heads
    dim = getattr(config, "head_dim", None) or config.hidden_size // heads
    if kv_heads != heads:
        raise SystemExit("probe covers heads == kv heads only")
    hidden, eps = config.hidden_size, float(config.rms_norm_eps)
    half = dim // 2
    rotation = np.zeros((dim, dim), np.float32)
    rotation[np.arange(half) + half, np.arange(half)] = -1.0
    rotation[np.arange(half), np.arange(half) + half] = 1.0
    rotation_t = mindspore.Tensor(rotation)
    mean_col = mindspore.Tensor(np.full((hidden, 1), 1.0 / hidden, np.float32))
    matmul_t = ops.MatMul(transpose_b=True)
    scores_of, mix = ops.BatchMatMul(transpose_b=True), ops.BatchMatMul()
    scale = float(dim) ** -0.5

    def linear(w, spec, x):
        weight, bias, a, b, lora_scale = spec
        out = matmul_t(x, w[weight])
        if bias is not None:
            out = out + w[bias]
        if a is not None:
            out = out + matmul_t(matmul_t(x, w[a]) * lora_scale, w[b])
        return out

    def rms(x, weight):
        if plain_norm:
            return x * ops.rsqrt((x * x).mean(-1, keep_dims=True) + eps) * weight
        variance = ops.matmul(x * x, mean_col)
        return x * ops.matmul(ops.rsqrt(variance + eps), weight.reshape(1, hidden))

    def rotary(x, cos, sin, rows, length):
        flat = x.reshape(-1, dim)   # (rows*length*heads, dim): the arrival layout
        turned = ops.matmul(flat, rotation_t)
        out = (x.reshape(rows, length, heads, dim) * cos
               + turned.reshape(rows, length, heads, dim) * sin)
        return out.transpose(0, 2, 1, 3)

    def forward(w, ids, cos, sin, mask):
        rows, length = ids.shape
        x = ops.gather(w[layout["embed"]], ids.reshape(-1), 0)
        for specs, (n1, n2) in layout["layers"]:
            h = rms(x, w[n1])
            q = rotary(linear(w, specs[0], h), cos, sin, rows, length)
            k = rotary(linear(w, specs[1], h), cos, sin, rows, length)
            v = linear(w, specs[2], h).reshape(rows, length, heads, dim).transpose(0, 2, 1, 3)
            probs = ops.softmax(scores_of(q, k) * scale + mask, -1)
            ctx = mix(probs, v).transpose(0, 2, 1, 3).reshape(rows * length, heads * dim)
            x = x + linear(w, specs[3], ctx)
            h = rms(x, w[n2])
            x = x + linear(w, specs[6], ops.silu(linear(w, specs[4], h))
                           * linear(w, specs[5], h))
        return linear(w, layout["head"], rms(x, w[layout["final"]]))

    class Step(nn.Cell):
        def __init__(self):
            super().__init__()
            self.weights = params
            self.grad = ops.value_and_grad(self.loss, None, self.weights)

        def loss(self, frozen, ids, cos, sin, mask, labels, weight):
            logits = forward(frozen + self.weights, ids, cos, sin, mask)
            logp = ops.log_softmax(logits, -1)
            picked = ops.gather_elements(logp, 1, labels.reshape(-1, 1)).reshape(-1)
            return -(picked * weight).sum()

        @mindspore.jit(jit_level=jit_level)
        def __call__(self, frozen, ids, cos, sin, mask, labels, weight):
            return self.grad(frozen, ids, cos, sin, mask, labels, weight)

    return Step(), frozen, list(reader.train), config


def graph_inputs(batch, config):
    """ids, cos, sin, causal mask, shifted labels and their weights (as transformers' loss:
    mean over the labels that are not -100)."""
    from mindspore import Tensor

    ids = batch["input_ids"].astype(np.int32)
    rows, length = ids.shape
    dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
    inv = 1.0 / (config.rope_theta ** (np.arange(0, dim, 2, dtype=np.float32) / dim))
    freqs = np.arange(length, dtype=np.float32)[:, None] * inv[None, :]
    emb = np.concatenate([freqs, freqs], -1)
    cos = np.cos(emb).astype(np.float32)[None, :, None, :]
    sin = np.sin(emb).astype(np.float32)[None, :, None, :]
    mask = np.triu(np.full((length, length), np.finfo(np.float32).min, np.float32), 1)
    if not batch["attention_mask"].all():
        raise SystemExit("probe covers unpadded batches only")
    labels = np.full((rows, length), 0, np.int32)
    weight = np.zeros((rows, length), np.float32)
    shifted = batch["labels"][:, 1:]
    valid = shifted != -100
    labels[:, :-1] = np.where(valid, shifted, 0)
    weight[:, :-1] = valid / valid.sum()
    return (Tensor(ids), Tensor(cos), Tensor(sin), Tensor(mask[None, None]),
            Tensor(labels.reshape(-1)), Tensor(weight.reshape(-1)))


def finish(out) -> float:
    """Wait for the loss and every gradient (the loss alone may be ready first)."""
    loss, grads = out
    for g in grads:
        g.asnumpy()
    return float(loss.asnumpy())


def profile(folder, trainer, step, frozen, mconfig, batches) -> None:
    """Kernel time inside each plain and each graph step (MindSpore's profiler over both,
    interleaved; its per-kernel timestamps split by the steps' wall-clock windows)."""
    import torch
    from mindspore import Profiler

    windows = []
    profiler = Profiler(output_path=folder)
    for batch in batches:
        tensors = [torch.tensor(batch[k]) for k in trainer._keys]
        t0 = time.time_ns()
        float(trainer._grad_fn(*tensors).item())
        trainer.loaded.model.zero_grad()
        t1 = time.time_ns()
        finish(step(frozen, *graph_inputs(batch, mconfig)))
        windows += [("plain", t0, t1), ("graph", t1, time.time_ns())]
    profiler.analyse()
    stamps = next(Path(folder).glob("*/FRAMEWORK/cpu_op_execute_timestamp_0.txt"))
    kernels: dict[str, dict[str, list[float]]] = {"plain": {}, "graph": {}}
    for line in stamps.read_text().splitlines():
        name, _, runs = line.split(";", 2)
        kind = name.rsplit("/", 1)[-1].split("-op")[0]
        for run in runs.split():
            start, ms = int(run.split(",")[0]), float(run.split(",")[1])
            for which, a, b in windows:
                if a <= start < b:
                    kernels[which].setdefault(kind, []).append(ms)
    for which in ("plain", "graph"):
        walls = [(b - a) / 1e6 for w, a, b in windows if w == which]
        n = len(walls)
        total = sum(sum(v) for v in kernels[which].values()) / n
        print(f"{which}: wall {statistics.median(walls):.0f} ms a step (median of {n}), "
              f"kernels {total:.0f} ms a step, "
              f"{sum(len(v) for v in kernels[which].values()) / n:.0f} kernels")
        top = sorted(kernels[which].items(), key=lambda kv: -sum(kv[1]))[:8]
        print("   " + ", ".join(f"{k} {sum(v) / n:.0f} ms/{len(v) // n}" for k, v in top))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default="/work/benchmodels")
    parser.add_argument("--model", default="llama-tiny")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--plain-norm", action="store_true",
                        help="RMSNorm by reductions in the graph (not by products)")
    parser.add_argument("--profile", help="MindSpore profiler output folder (graph steps)")
    parser.add_argument("--op-threads", type=int, help="CPU kernel threads (MindSpore: 25)")
    parser.add_argument("--twice", action="store_true", help="time the graph twice a round")
    parser.add_argument("--jit-level", help="O0 (default), O1")
    args = parser.parse_args(argv)
    if args.op_threads:
        import mindspore

        mindspore.device_context.cpu.op_tuning.threads_num(args.op_threads)

    from bench.workload import _run_config
    from studio.core.engine import Trainer

    work = {"steps": args.rounds * 2 + 4, "batch": 8, "length": 128}
    family = "qwen2" if "qwen" in args.model else "llama"
    with tempfile.TemporaryDirectory(prefix="probe-") as tmp:
        config = _run_config(Path(args.models) / args.model, family, "lora", work, Path(tmp))
        config.method.params["lora_dropout"] = 0.0
        trainer = Trainer(config, "probe", Path(tmp) / "out", lambda *a, **k: None)
        trainer.setup()
        import torch

        model = trainer.loaded.model
        batches = [b for _, b in trainer._train_batches(0, 0)]
        # Two plain steps first, so lora_B is not zero and every gradient is checked.
        for batch in batches[:2]:
            trainer._grad_fn(*[torch.tensor(batch[k]) for k in trainer._keys])
            trainer._clip_and_step()
        step, frozen, train, mconfig = build_graph(model, args.plain_norm, args.jit_level or "O0")
        batch = batches[2]
        t0 = time.perf_counter()
        loss_g, grads_g = step(frozen, *graph_inputs(batch, mconfig))
        print(f"compile + first graph step {time.perf_counter() - t0:.1f} s")
        model.zero_grad()
        loss_p = trainer._grad_fn(*[torch.tensor(batch[k]) for k in trainer._keys])
        worst = max(float(np.abs(g.asnumpy() - t.grad.numpy()).max()
                          / (np.abs(t.grad.numpy()).max() + 1e-30)) for g, t in zip(grads_g, train))
        print(f"loss graph {float(loss_g.asnumpy()):.7f} plain {float(loss_p.item()):.7f}; "
              f"largest gradient difference / largest gradient {worst:.2e} "
              f"over {len(train)} tensors")
        model.zero_grad()

        times: dict[str, list[float]] = {"plain fwd+bwd": [], "plain clip+AdamW": [],
                                         "graph fwd+bwd": []}
        for r in range(args.rounds):
            batch = batches[3 + r % (len(batches) - 3)]
            tensors = [torch.tensor(batch[k]) for k in trainer._keys]
            t0 = time.perf_counter()
            float(trainer._grad_fn(*tensors).item())
            t1 = time.perf_counter()
            trainer._clip_and_step()
            t2 = time.perf_counter()
            inputs = graph_inputs(batch, mconfig)
            t3 = time.perf_counter()
            finish(step(frozen, *inputs))
            t4 = time.perf_counter()
            times["plain fwd+bwd"].append(t1 - t0)
            times["plain clip+AdamW"].append(t2 - t1)
            times["graph fwd+bwd"].append(t4 - t3)
            if trainer._compiled is not None:   # the engine's whole compiled step
                t5 = time.perf_counter()
                trainer._compiled.micro(batch, True, 1.0)
                times.setdefault("compiled step (engine)", []).append(time.perf_counter() - t5)
            if args.twice:   # the graph again, right after itself
                inputs = graph_inputs(batch, mconfig)
                t5 = time.perf_counter()
                finish(step(frozen, *inputs))
                times.setdefault("graph again", []).append(time.perf_counter() - t5)
                inputs = graph_inputs(batch, mconfig)
                t5 = time.perf_counter()
                float(step(frozen, *inputs)[0].asnumpy())
                times.setdefault("graph loss only", []).append(time.perf_counter() - t5)
            print(f"round {r}: plain {t1 - t0:.3f}+{t2 - t1:.3f} s, graph {t4 - t3:.3f} s",
                  flush=True)
        med = {k: statistics.median(v) for k, v in times.items()}
        for k, v in med.items():
            print(f"median {k}: {v * 1000:.0f} ms")
        plain = med["plain fwd+bwd"] + med["plain clip+AdamW"]
        # Upper bound for a whole compiled step: its clipping and AdamW taken as free.
        print(f"tokens/s: plain step {8 * 128 / plain:.0f}, graph fwd+bwd "
              f"{8 * 128 / med['graph fwd+bwd']:.0f}; fwd+bwd ratio "
              f"{med['plain fwd+bwd'] / med['graph fwd+bwd']:.2f}x, whole step at most "
              f"{plain / med['graph fwd+bwd']:.2f}x")
        if args.profile:
            profile(args.profile, trainer, step, frozen, mconfig, batches[3:6])
    return 0


if __name__ == "__main__":
    sys.exit(main())
