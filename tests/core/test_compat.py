"""Each compat fix, exercised after bootstrap. Every test asserts PyTorch's behaviour and fails
with its fix left out: run with PEFT_STUDIO_COMPAT_DISABLE=<fix name> to see it (the fix each
test guards is named in its docstring)."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest
from numeric import assert_gradient_matches, value_and_grads


def _param(torch, *shape, seed=0):
    rng = np.random.default_rng(seed)
    return torch.nn.Parameter(torch.tensor(rng.standard_normal(shape).astype(np.float32)))


def _const(torch, *shape, seed=1):
    rng = np.random.default_rng(seed)
    return torch.tensor(rng.standard_normal(shape).astype(np.float32))


# ---- gradients -------------------------------------------------------------------------------

def test_to_same_device_returns_same_tensor(runtime):
    """move_to_same_device_is_identity"""
    torch = runtime
    x = torch.ones(3)
    assert x.to("cpu") is x
    assert x.to(torch.device("cpu")) is x
    assert x.cpu() is x


def test_subtraction_gradients_match_finite_differences(runtime):
    """move_to_same_device_is_identity: d(x - y)/dx was 0."""
    torch = runtime
    x, y, w = _param(torch, 5, seed=0), _param(torch, 5, seed=1), _const(torch, 5)

    def loss():
        return ((x - y) ** 2 * w).sum() + (x * y).sum()

    _, (gx, gy) = value_and_grads(torch, loss, [x, y])
    expected_gx = 2 * (x - y) * w + y
    assert np.allclose(gx.numpy(), expected_gx.detach().numpy(), atol=1e-5)
    assert_gradient_matches(torch, loss, x, gx)
    assert_gradient_matches(torch, loss, y, gy)


def test_skew_symmetric_gradients(runtime):
    """move_to_same_device_is_identity: m - m.T, OFT's and BOFT's skew-symmetric matrices."""
    torch = runtime
    m, c = _param(torch, 4, 4), _const(torch, 4, 3)

    def loss():
        return (((m - m.T) @ c) ** 2).sum()

    _, (gm,) = value_and_grads(torch, loss, [m])
    assert float(gm.abs().sum()) > 0
    assert_gradient_matches(torch, loss, m, gm)

    # OFT: scatter a vector into the upper triangle, subtract the transpose, Cayley-Neumann
    rows, cols = np.triu_indices(4, 1)
    vec = _param(torch, 2, len(rows), seed=3)
    target = _const(torch, 2, 4, 4, seed=4)

    def oft_loss():
        matrix = torch.zeros(2, 4, 4)
        matrix[:, torch.tensor(rows), torch.tensor(cols)] = vec
        skew = matrix - matrix.transpose(-2, -1)
        rotation = torch.eye(4).repeat(2, 1, 1) + 2 * skew + 2 * torch.bmm(skew, skew)
        return ((rotation - target) ** 2).sum()

    _, (gv,) = value_and_grads(torch, oft_loss, [vec])
    assert_gradient_matches(torch, oft_loss, vec, gv)

    # BOFT: 0.5 (R - R^T), then the Cayley transform through linalg.solve
    data = _param(torch, 2, 4, 4, seed=5)

    def boft_loss():
        skew = 0.5 * (data - data.transpose(1, 2))
        eye = torch.eye(4).unsqueeze(0).expand(2, 4, 4)
        q = torch.linalg.solve(eye + skew, eye - skew, left=False)
        return ((q - target) ** 2).sum()

    _, (gd,) = value_and_grads(torch, boft_loss, [data])
    assert float(gd.abs().sum()) > 0
    assert_gradient_matches(torch, boft_loss, data, gd)


def test_linalg_solve_values_and_gradient(runtime):
    """linalg_solve_differentiable: the numpy-based solve had a zero gradient."""
    torch = runtime
    a = torch.nn.Parameter(torch.eye(3) + 0.2 * _const(torch, 3, 3, seed=2))
    b = _const(torch, 3, 2, seed=3)
    x = torch.linalg.solve(a, b)
    assert np.allclose(x.detach().numpy(), np.linalg.solve(a.detach().numpy(), b.numpy()),
                       atol=1e-5)
    bt = _const(torch, 2, 3, seed=4)
    xl = torch.linalg.solve(a, bt, left=False)  # X A = B
    assert np.allclose((xl @ a).detach().numpy(), bt.numpy(), atol=1e-5)
    inv = torch.linalg.inv(a)
    assert np.allclose((inv @ a).detach().numpy(), np.eye(3), atol=1e-5)

    def loss():
        return (torch.linalg.solve(a, b) ** 2).sum()

    _, (ga,) = value_and_grads(torch, loss, [a])
    assert_gradient_matches(torch, loss, a, ga)


def test_autograd_function_under_value_and_grad(runtime):
    """autograd_function_devices: LoHa's HadaWeight raised "Tensor must have device"."""
    torch = runtime
    from peft.tuners.loha.layer import HadaWeight

    w1a, w1b = _param(torch, 4, 2, seed=1), _param(torch, 2, 3, seed=2)
    w2a, w2b = _param(torch, 4, 2, seed=3), _param(torch, 2, 3, seed=4)
    weights = [w1a, w1b, w2a, w2b]
    target = _const(torch, 4, 3, seed=5)

    def loss():
        return ((HadaWeight.apply(w1a, w1b, w2a, w2b, torch.tensor(0.5)) - target) ** 2).sum()

    _, grads = value_and_grads(torch, loss, weights)
    for weight, grad in zip(weights, grads):
        assert_gradient_matches(torch, loss, weight, grad)


def test_bidirectional_lstm_gradient(runtime):
    """rnn_reverse_devices: P-tuning's bidirectional LSTM raised "Tensor must have device"."""
    torch = runtime
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(4, 3, num_layers=2, bidirectional=True, batch_first=True)
    x, target = _const(torch, 2, 5, 4, seed=1), _const(torch, 2, 5, 6, seed=2)
    assert tuple(lstm(x)[0].shape) == (2, 5, 6)
    weight = lstm.weight_ih_l0_reverse

    def loss():
        return ((lstm(x)[0] - target) ** 2).sum()

    _, (grad,) = value_and_grads(torch, loss, [weight])
    assert_gradient_matches(torch, loss, weight, grad)


# ---- indexing and operators ------------------------------------------------------------------

def test_bool_list_index(runtime):
    """bool_list_index: a list of bools was read as integer indices 1/0."""
    torch = runtime
    assert torch.arange(4)[[True, False, True, False]].tolist() == [0, 2]
    grid = torch.arange(8).reshape(2, 4)
    assert grid[:, [True, False, False, True]].tolist() == [[0, 3], [4, 7]]
    assert grid[[False, True]].tolist() == [[4, 5, 6, 7]]
    assert torch.arange(4)[[1, 0]].tolist() == [1, 0]  # integer lists untouched


def test_kthvalue(runtime):
    """missing_kthvalue"""
    torch = runtime
    values = torch.tensor([3.0, 1.0, 2.0, 5.0])
    out = torch.kthvalue(values, 2)
    assert float(out[0]) == 2.0 and int(out.indices) == 2
    rows = torch.tensor([[3.0, 1.0, 2.0], [0.0, 9.0, 4.0]])
    assert torch.kthvalue(rows, 3, dim=1).values.tolist() == [3.0, 9.0]
    assert tuple(torch.kthvalue(rows, 1, dim=0, keepdim=True).values.shape) == (1, 3)


def test_kron_values_and_gradient(runtime):
    """missing_kron: LoKr trains through torch.kron."""
    torch = runtime
    a, b = _param(torch, 2, 3, seed=1), _param(torch, 3, 2, seed=2)
    assert np.allclose(torch.kron(a, b).detach().numpy(),
                       np.kron(a.detach().numpy(), b.detach().numpy()), atol=1e-6)
    v = torch.tensor([1.0, 2.0])
    assert torch.kron(v, torch.tensor([1.0, 10.0])).tolist() == [1.0, 10.0, 2.0, 20.0]
    target = _const(torch, 6, 6, seed=3)

    def loss():
        return ((torch.kron(a, b) - target) ** 2).sum()

    _, (ga, gb) = value_and_grads(torch, loss, [a, b])
    assert_gradient_matches(torch, loss, a, ga)
    assert_gradient_matches(torch, loss, b, gb)


def test_block_diag_values_and_gradient(runtime):
    """missing_block_diag: BOFT's forward and OFT's merge use torch.block_diag."""
    torch = runtime
    a, b = _param(torch, 2, 2, seed=1), _param(torch, 3, 1, seed=2)
    out = torch.block_diag(a, b).detach().numpy()
    expected = np.zeros((5, 3), np.float32)
    expected[:2, :2], expected[2:, 2:] = a.detach().numpy(), b.detach().numpy()
    assert np.array_equal(out, expected)
    target = _const(torch, 5, 3, seed=3)

    def loss():
        return ((torch.block_diag(a, b) - target) ** 2).sum()

    _, (ga, gb) = value_and_grads(torch, loss, [a, b])
    assert_gradient_matches(torch, loss, a, ga)
    assert_gradient_matches(torch, loss, b, gb)


def test_linalg_svd(runtime):
    """missing_linalg_svd: LoRA's add_weighted_adapter(..., "svd")."""
    torch = runtime
    m = _const(torch, 5, 3, seed=1)
    u, s, vh = torch.linalg.svd(m, full_matrices=False)
    assert tuple(u.shape) == (5, 3) and tuple(s.shape) == (3,) and tuple(vh.shape) == (3, 3)
    rebuilt = (u * s.unsqueeze(0)) @ vh
    assert np.allclose(rebuilt.numpy(), m.numpy(), atol=1e-5)
    assert np.allclose(s.numpy(), np.linalg.svd(m.numpy(), compute_uv=False), atol=1e-5)


def test_fft_ifft2_values_and_gradient(runtime):
    """fft_module_ops: FourierFT's torch.fft.ifft2 raised NameError."""
    torch = runtime
    spectrum = _param(torch, 4, 6, seed=1)
    out = torch.fft.ifft2(spectrum).real
    assert np.allclose(out.detach().numpy(),
                       np.fft.ifft2(spectrum.detach().numpy()).real, atol=1e-6)
    target = _const(torch, 4, 6, seed=2)

    def loss():
        return ((torch.fft.ifft2(spectrum).real * 10 - target) ** 2).sum()

    _, (grad,) = value_and_grads(torch, loss, [spectrum])
    assert_gradient_matches(torch, loss, spectrum, grad)


def test_zero_size_matmul_and_linear(runtime):
    """zero_size_matmul: AdaLoRA ranks pruned to 0 gave "Unknown Error" / garbage."""
    torch = runtime
    x = torch.ones(3, 4)
    assert tuple((x @ torch.ones(4, 0)).shape) == (3, 0)
    assert (torch.ones(3, 0) @ torch.ones(0, 4)).tolist() == [[0.0] * 4] * 3
    assert tuple(torch.bmm(torch.ones(2, 3, 0), torch.ones(2, 0, 5)).shape) == (2, 3, 5)
    assert float(torch.bmm(torch.ones(2, 3, 0), torch.ones(2, 0, 5)).abs().sum()) == 0
    linear = torch.nn.functional.linear(torch.ones(3, 0), torch.ones(4, 0), torch.arange(4.0))
    assert linear.tolist() == [[0.0, 1.0, 2.0, 3.0]] * 3
    assert tuple(torch.nn.functional.linear(x, torch.ones(0, 4)).shape) == (3, 0)
    assert tuple((torch.ones(2, 3, 4) @ torch.ones(4, 0)).shape) == (2, 3, 0)


def test_addmm_scalars_values_and_gradient(runtime):
    """cpu_addmm_scalars: beta and alpha were swapped."""
    torch = runtime
    bias, m1, m2 = _const(torch, 4, seed=1), _param(torch, 3, 5, seed=2), _const(torch, 5, 4)
    expected = 0.5 * bias.numpy() + 2.0 * m1.detach().numpy() @ m2.numpy()
    got = torch.addmm(bias, m1, m2, beta=0.5, alpha=2.0)
    np.testing.assert_allclose(got.detach().numpy(), expected, rtol=1e-5, atol=1e-5)
    plain = torch.addmm(bias, m1, m2).detach().numpy()
    np.testing.assert_allclose(plain, bias.numpy() + m1.detach().numpy() @ m2.numpy(),
                               rtol=1e-5, atol=1e-5)

    def loss():
        return (torch.addmm(bias, m1, m2, beta=0.5, alpha=2.0) ** 2).sum()

    _, (grad,) = value_and_grads(torch, loss, [m1])
    assert_gradient_matches(torch, loss, m1, grad)


def test_repr_of_parameter_containers(runtime):
    """module_repr"""
    torch = runtime

    class Holder(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.named = torch.nn.ParameterDict({"a": torch.nn.Parameter(torch.ones(2))})
            self.listed = torch.nn.ParameterList([torch.nn.Parameter(torch.ones(3))])

    text = repr(Holder())
    assert "ParameterDict" in text and "ParameterList" in text
    assert torch.ones(2).type() == "torch.FloatTensor"
    assert torch.ones(2, dtype=torch.int64).type() == "torch.LongTensor"


def test_random_draws_are_seeded_and_independent(runtime):
    """seeded_random_streams: every uniform_ after manual_seed returned the same numbers
    (identical same-shaped weights), randn/rand/randint ignored the seed."""
    torch = runtime

    def draws():
        torch.manual_seed(123)
        return [torch.empty(4).uniform_().tolist(), torch.empty(4).uniform_().tolist(),
                torch.randn(4).tolist(), torch.empty(4).normal_().tolist(),
                torch.rand(4).tolist(), torch.randint(0, 1000, (4,)).tolist(),
                torch.randperm(6).tolist(), torch.randperm(6).tolist(),
                torch.nn.Linear(4, 3).weight.tolist(), torch.nn.Linear(4, 3).weight.tolist()]

    first, second = draws(), draws()
    assert first == second  # reproducible from the seed
    assert first[0] != first[1] and first[6] != first[7] and first[8] != first[9]
    assert torch.randint(0, 10, (2,)).dtype == torch.int64
    state = torch.get_rng_state()
    after = [torch.randn(3).tolist(), torch.empty(3).uniform_().tolist()]
    torch.set_rng_state(state)
    assert [torch.randn(3).tolist(), torch.empty(3).uniform_().tolist()] == after


def test_dropout_and_bernoulli_follow_the_seed(runtime):
    """seeded_random_streams: dropout ignored the seed, bernoulli its probabilities."""
    torch = runtime
    x = torch.ones(400)

    def masks():
        torch.manual_seed(7)
        return [torch.nn.functional.dropout(x, 0.25, training=True).tolist() for _ in range(2)]

    first, second = masks(), masks()
    assert first == second and first[0] != first[1]
    kept = np.array(first[0]) != 0
    assert set(np.unique(np.array(first[0])[kept]).round(4)) == {round(1 / 0.75, 4)}
    assert 0.6 < kept.mean() < 0.9
    draws = torch.bernoulli(torch.full((2000,), 0.1))
    assert 0.05 < float(draws.mean()) < 0.15


# ---- files -----------------------------------------------------------------------------------

def test_safetensors_load_file(runtime, tmp_path):
    """safetensors_open: load_file passed backend= and needed get_tensors."""
    torch = runtime
    import safetensors.torch as st

    path = tmp_path / "a.safetensors"
    st.save_file({"w": torch.arange(6.0).reshape(2, 3)}, str(path))
    loaded = st.load_file(str(path))
    assert loaded["w"].tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]


def _write_safetensors(path, tensors: dict[str, tuple[str, list[int], bytes]]) -> None:
    header, offset, blobs = {}, 0, []
    for name, (dtype, shape, blob) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))


def _bf16(values: list[float]) -> bytes:
    return b"".join(struct.pack("<f", v)[2:] for v in values)  # top 16 bits of float32


def test_checkpoint_dtype(tmp_path):
    from studio.core.compat import checkpoint_dtype

    assert checkpoint_dtype(tmp_path) is None
    _write_safetensors(tmp_path / "model-00001-of-00002.safetensors", {
        "big": ("BF16", [2, 2], _bf16([1.0, 2.0, 3.0, 4.0])),
        "ids": ("I64", [8], bytes(64))})
    _write_safetensors(tmp_path / "model-00002-of-00002.safetensors", {
        "small": ("F32", [1], struct.pack("<f", 1.0))})
    assert checkpoint_dtype(tmp_path) == "bfloat16"
    assert checkpoint_dtype(tmp_path / "model-00002-of-00002.safetensors") == "float32"


def test_bf16_safetensors_load_without_overflow(runtime, tmp_path):
    """safetensors_bf16_as_float32: bf16 was narrowed to float16 (1e5 -> inf)."""
    torch = runtime
    import safetensors.torch as st

    path = tmp_path / "bf16.safetensors"
    _write_safetensors(path, {"w": ("BF16", [3], _bf16([1.0e5, -2.5, 0.5]))})
    w = st.load_file(str(path))["w"]
    assert w.dtype == torch.float32
    assert np.isfinite(w.numpy()).all()
    assert w.tolist() == [99840.0, -2.5, 0.5]  # 1e5 rounded to bf16


def _tiny_lora(torch, folder):
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(0)
    base = AutoModelForCausalLM.from_pretrained(str(folder))
    config = LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"],
                        lora_dropout=0.0, init_lora_weights=False)
    return get_peft_model(base, config)


def test_lora_adapter_roundtrip(runtime, tiny_models, tmp_path):
    """safetensors_open: PeftModel.from_pretrained reads adapter_model.safetensors."""
    torch = runtime
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    folder = tiny_models("llama")
    model = _tiny_lora(torch, folder).eval()
    ids = torch.tensor([[5, 6, 7, 8, 9]])
    with torch.no_grad():
        expected = model(input_ids=ids).logits.numpy()
    model.save_pretrained(str(tmp_path / "adapter"))
    assert (tmp_path / "adapter" / "adapter_model.safetensors").is_file()
    base = AutoModelForCausalLM.from_pretrained(str(folder))
    loaded = PeftModel.from_pretrained(base, str(tmp_path / "adapter")).eval()
    with torch.no_grad():
        got = loaded(input_ids=ids).logits.numpy()
    assert np.array_equal(got, expected)


def test_prefix_tuning_seq2seq_forward(runtime, tiny_models):
    """cache_key_cache: peft read DynamicCache().key_cache (removed in transformers 4.56)."""
    torch = runtime
    from peft import PrefixTuningConfig, TaskType, get_peft_model
    from transformers import AutoModelForSeq2SeqLM

    base = AutoModelForSeq2SeqLM.from_pretrained(str(tiny_models("t5")))
    model = get_peft_model(base, PrefixTuningConfig(task_type=TaskType.SEQ_2_SEQ_LM,
                                                    num_virtual_tokens=3))
    ids = torch.tensor([[5, 6, 7, 2]])
    out = model(input_ids=ids, attention_mask=torch.ones_like(ids),
                labels=torch.tensor([[8, 9, 2]]))
    assert np.isfinite(float(out.loss))


# ---- optimisation ----------------------------------------------------------------------------

def test_adamw_step_clip_and_zero_grad(runtime):
    """cpu_addcdiv, cpu_vector_norm_all_dims, optimizer_zero_grad."""
    torch = runtime
    w = _param(torch, 3, 4)
    x, target = _const(torch, 5, 3, seed=2), _const(torch, 5, 4, seed=3)
    optimizer = torch.optim.AdamW([w], lr=0.1)
    before = w.detach().numpy().copy()
    torch.autograd.value_and_grad(lambda: ((x @ w - target) ** 2).sum(), [w])()
    norm = torch.nn.utils.clip_grad_norm_([w], max_norm=1.0)
    assert float(norm) > 1.0
    assert np.linalg.norm(w.grad.numpy()) == pytest.approx(1.0, rel=1e-3)
    optimizer.step()
    assert not np.allclose(w.detach().numpy(), before)
    optimizer.zero_grad()
    assert w.grad is None or float(w.grad.abs().sum()) == 0


def test_gradients_after_a_failed_step(runtime):
    """value_and_grad_resets_after_error: after an exception inside value-and-grad, tensors
    created later got zero gradients."""
    torch = runtime
    a = _param(torch, 2, 2)

    def failing():
        (a * 2).sum()
        raise RuntimeError("bad batch")

    with pytest.raises(RuntimeError, match="bad batch"):
        torch.autograd.value_and_grad(failing, [a])()
    linear = torch.nn.Linear(3, 2)
    _, grads = value_and_grads(torch, lambda: (linear(torch.ones(1, 3)) ** 2).sum(),
                               list(linear.parameters()))
    assert all(float(g.abs().sum()) > 0 for g in grads)


def test_training_step_changes_parameters(runtime, tiny_models):
    """The training path (value_and_grad + AdamW) moves every trainable tensor and lowers the
    loss; ``loss.backward()`` is a silent no-op on this stack, so never rely on it."""
    torch = runtime
    model = _tiny_lora(torch, tiny_models("llama"))
    params = [p for p in model.parameters() if p.requires_grad]
    before = [p.detach().numpy().copy() for p in params]
    ids = torch.tensor([[5, 6, 7, 8, 9, 10]])
    optimizer = torch.optim.AdamW(params, lr=1e-2, weight_decay=0.0)

    def loss_fn():
        return model(input_ids=ids, labels=ids).loss

    grad_fn = torch.autograd.value_and_grad(loss_fn, params)
    losses = []
    for _ in range(3):
        losses.append(float(grad_fn()))
        optimizer.step()
        optimizer.zero_grad()
    assert losses[-1] < losses[0]
    for p, old in zip(params, before):
        assert not np.allclose(p.detach().numpy(), old)


def test_safetensors_slices_read_from_the_file(runtime, tmp_path):
    """safetensors_bf16_as_float32: a slice of a bf16 or float32 tensor, read from the map."""
    torch = runtime
    import safetensors

    path = tmp_path / "mixed.safetensors"
    _write_safetensors(path, {"b": ("BF16", [2, 3], _bf16([1.0, -2.0, 3.5, 1.0e5, 0.25, 8.0])),
                              "f": ("F32", [3], struct.pack("<3f", 1.5, -7.0, 2.0))})
    with safetensors.safe_open(str(path), framework="pt") as handle:
        assert handle.get_tensor("f").tolist() == [1.5, -7.0, 2.0]
        assert handle.get_slice("f")[1:].tolist() == [-7.0, 2.0]
        part = handle.get_slice("b")[1:, :2]
    assert part.dtype == torch.float32
    assert part.tolist() == [[99840.0, 0.25]]


def test_meta_tensor_indexing_reads_no_data(runtime, monkeypatch):
    """meta_getitem_reads_no_data: indexing a meta tensor materialised all of it."""
    torch = runtime
    with torch.device("meta"):
        weight = torch.empty(4096, 64)

    def no_data(self, *args, **kwargs):
        raise AssertionError("a meta tensor has no data to read")

    monkeypatch.setattr(type(weight), "asnumpy", no_data)
    assert tuple(weight[3].shape) == (64,)
    assert tuple(weight[1:4].shape) == (3, 64)
    assert tuple(weight[:, 0].shape) == (4096,)
    assert weight[3].device.type == "meta"
