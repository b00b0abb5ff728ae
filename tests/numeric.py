"""Gradient helpers for tests on the mindtorch stack: gradients through value-and-grad (the
path training uses; ``loss.backward()`` is a no-op there) and central finite differences in
float32 along random directions (float64 kernels are patchy on CPU)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np


def value_and_grads(torch: Any, loss_fn: Callable[[], Any],
                    params: Sequence[Any]) -> tuple[float, list[Any]]:
    """Loss and d loss / d param for each param; leaves ``.grad`` cleared."""
    params = list(params)
    for p in params:
        p.grad = None
    loss = torch.autograd.value_and_grad(loss_fn, params)()
    grads = [p.grad.clone() if p.grad is not None else torch.zeros_like(p) for p in params]
    for p in params:
        p.grad = None
    return float(loss), grads


def directional_derivatives(torch: Any, loss_fn: Callable[[], Any], param: Any, grad: Any,
                            directions: int = 3, eps: float = 1e-2, seed: int = 0,
                            coordinates: int | None = None) -> list[tuple[float, float]]:
    """(analytic, numeric) derivative pairs of ``loss_fn`` along random unit directions in
    ``param`` (or along ``coordinates`` random single coordinates). The parameter is
    restored afterwards."""
    rng = np.random.default_rng(seed)
    original = param.detach().clone()
    grad_np = grad.detach().float().numpy()
    pairs = []
    count = coordinates if coordinates is not None else directions
    for _ in range(count):
        if coordinates is not None:
            direction = np.zeros(tuple(param.shape), np.float32)
            direction.flat[rng.integers(direction.size)] = 1.0
        else:
            direction = rng.standard_normal(tuple(param.shape)).astype(np.float32)
            direction /= np.linalg.norm(direction) or 1.0
        step = torch.tensor(direction * eps, dtype=param.dtype)
        with torch.no_grad():
            param.copy_(original + step)
            plus = float(loss_fn())
            param.copy_(original - step)
            minus = float(loss_fn())
            param.copy_(original)
        pairs.append((float((grad_np * direction).sum()), (plus - minus) / (2 * eps)))
    return pairs


def assert_gradient_matches(torch: Any, loss_fn: Callable[[], Any], param: Any, grad: Any,
                            rtol: float = 3e-2, atol: float = 2e-3, **kwargs: Any) -> None:
    """Analytic directional derivatives agree with central differences."""
    pairs = directional_derivatives(torch, loss_fn, param, grad, **kwargs)
    scale = max(1.0, max(abs(n) for _, n in pairs))
    for analytic, numeric in pairs:
        assert abs(analytic - numeric) <= atol * scale + rtol * abs(numeric), (
            f"gradient {analytic:.6g} vs finite difference {numeric:.6g} (all: {pairs})")
