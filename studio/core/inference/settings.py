"""Sampling settings for generation, and how they become a transformers GenerationConfig."""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass
from typing import Any

from ..errors import StudioError
from ..messages import lines, msg


@dataclass(frozen=True)
class GenerationSettings:
    max_new_tokens: int = 128
    temperature: float = 0.7
    top_p: float = 0.9
    top_k: int = 50              # 0 = no top-k filtering
    repetition_penalty: float = 1.0
    seed: int | None = None      # None = a different answer every time (when sampling)
    greedy: bool = False         # always the most likely token; ignores temperature/top-p/top-k

    def __post_init__(self) -> None:
        problems: list[str] = []
        if self.max_new_tokens < 1:
            problems.append(msg("inference.max_new_tokens_positive"))
        if self.temperature < 0:
            problems.append(msg("inference.temperature_negative"))
        if not 0 < self.top_p <= 1:
            problems.append(msg("inference.top_p_range"))
        if self.top_k < 0:
            problems.append(msg("inference.top_k_negative"))
        if self.repetition_penalty <= 0:
            problems.append(msg("inference.repetition_penalty_positive"))
        if problems:
            raise StudioError(lines(problems, "text.semicolons"))

    @property
    def sampling(self) -> bool:
        """Temperature 0 means greedy, as in most chat UIs."""
        return not self.greedy and self.temperature > 0

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> GenerationSettings:
        """Unknown keys are ignored (a conversation saved by another version)."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in names})

    def generation_config(self, model_config: Any, tokenizer: Any) -> Any:
        """A copy of the model's GenerationConfig with these settings applied."""
        from transformers import GenerationConfig

        config = copy.deepcopy(model_config) if model_config is not None else GenerationConfig()
        config.max_new_tokens = self.max_new_tokens
        config.max_length = None
        config.num_beams = 1
        config.do_sample = self.sampling
        if self.sampling:
            config.temperature, config.top_p, config.top_k = (
                float(self.temperature), float(self.top_p), int(self.top_k))
        else:  # the neutral values, so transformers does not warn about unused ones
            config.temperature, config.top_p, config.top_k = 1.0, 1.0, 50
        config.repetition_penalty = float(self.repetition_penalty)
        if config.pad_token_id is None:
            config.pad_token_id = tokenizer.pad_token_id
        if config.eos_token_id is None:
            config.eos_token_id = tokenizer.eos_token_id
        return config
