"""Copy-and-paste examples for a running server, as the window shows them."""

from __future__ import annotations

import json
import shlex


def _body(model: str, task: str | None) -> tuple[str, dict[str, object]]:
    if task == "seq_cls":
        return "/classifications", {"model": model, "input": "Text to classify"}
    return "/chat/completions", {"model": model, "max_tokens": 128,
                                 "messages": [{"role": "user", "content": "Hello"}]}


def curl_example(url: str, model: str, task: str | None = None,
                 api_key: str | None = None) -> str:
    route, body = _body(model, task)
    lines = [f"curl {url}{route}", "  -H 'Content-Type: application/json'"]
    if api_key:
        lines.append(f"  -H {shlex.quote('Authorization: Bearer ' + api_key)}")
    lines.append(f"  -d {shlex.quote(json.dumps(body, ensure_ascii=False))}")
    return " \\\n".join(lines)


def python_example(url: str, model: str, task: str | None = None,
                   api_key: str | None = None) -> str:
    key = repr(api_key or "not-needed")
    if task == "seq_cls":
        return (f"from openai import OpenAI\n\n"
                f"client = OpenAI(base_url={url!r}, api_key={key})\n"
                f"answer = client.post('/classifications', cast_to=object,\n"
                f"                     body={{'model': {model!r}, 'input': 'Text to classify'}})\n"
                f"print(answer['data'][0]['probabilities'])\n")
    return (f"from openai import OpenAI\n\n"
            f"client = OpenAI(base_url={url!r}, api_key={key})\n"
            f"stream = client.chat.completions.create(\n"
            f"    model={model!r}, stream=True,\n"
            f"    messages=[{{'role': 'user', 'content': 'Hello'}}])\n"
            f"for chunk in stream:\n"
            f"    print(chunk.choices[0].delta.content or '', end='', flush=True)\n")
