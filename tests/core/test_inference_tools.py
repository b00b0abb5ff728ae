"""Tools in the Playground's (and serve's) prompt: rendered by the model's template as in
training, and refused, as training refuses them, by a template that would drop them."""

from __future__ import annotations

import pytest
from factories import TOOL_CHAT_TEMPLATE, make_tokenizer

from studio.core.errors import StudioError
from studio.core.inference.prompts import chat_prompt

TOOLS = [{"type": "function", "function": {"name": "get_weather", "parameters": {}}}]
CALLED = [{"role": "user", "content": "weather?"},
          {"role": "assistant", "content": "", "tool_calls": [
              {"type": "function", "function": {"name": "get_weather", "arguments": {}}}]},
          {"role": "tool", "content": "sunny"}]
PLAIN_TEMPLATE = ("{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}</s>"
                  "{% endfor %}{% if add_generation_prompt %}<|assistant|>{% endif %}")


@pytest.fixture
def tokenizer(tmp_path, runtime):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(make_tokenizer(tmp_path / "tok")))


def test_a_template_that_drops_tools_is_refused(tokenizer):
    tokenizer.chat_template = PLAIN_TEMPLATE
    plain = chat_prompt(tokenizer, CALLED[:1], "template")
    assert plain.text == "<|user|>weather?</s><|assistant|>"
    with pytest.raises(StudioError, match="does not render tools"):
        chat_prompt(tokenizer, CALLED[:1], "template", tools=TOOLS)
    with pytest.raises(StudioError, match="does not render tool calls"):
        chat_prompt(tokenizer, CALLED, "template")


def test_a_template_with_tools_renders_them(tokenizer):
    tokenizer.chat_template = TOOL_CHAT_TEMPLATE
    prompt = chat_prompt(tokenizer, CALLED, "template", tools=TOOLS)
    assert prompt.text == ('<|system|>Tools:\n{"type": "function", "function": {"name": '
                           '"get_weather", "parameters": {}}}</s><|user|>weather?</s>'
                           '<|assistant|><call>{"name": "get_weather", "arguments": {}}</call>'
                           '</s><|tool|>sunny</s><|assistant|>')


def test_a_prompt_without_a_template_refuses_tools_rather_than_drop_them(tokenizer):
    # instruction-trained adapters and bare models: their prompts have no place for tools
    for style in ("plain", "instruction"):
        assert "weather?" in chat_prompt(tokenizer, CALLED[:1], style).text
        with pytest.raises(StudioError, match="does not render tools"):
            chat_prompt(tokenizer, CALLED[:1], style, tools=TOOLS)
        with pytest.raises(StudioError, match="does not render tool calls"):
            chat_prompt(tokenizer, CALLED, style)
    # the fallback template renders both
    assert "get_weather" in chat_prompt(tokenizer, CALLED, "fallback", tools=TOOLS).text
