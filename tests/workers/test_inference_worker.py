"""RemoteSession: the Playground's model in a real child process. Answers equal the
in-process session's; stop ends an answer; a SIGKILL mid-answer is reported as such and a
reload restores the same base and adapters."""

from __future__ import annotations

import threading

import pytest

from studio.core.errors import StudioError
from workers.inference import InferenceCrashedError, RemoteIncompatible, RemoteSession

CAT = [{"role": "user", "content": "colour of cat"}]


@pytest.fixture(scope="module")
def lora(tmp_path_factory, tiny_models):
    """A random (not zero) LoRA on the tiny llama, the base, and an in-process session."""
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    from studio.core.inference import InferenceSession, resolve_adapter

    base = tiny_models("llama", init_range=0.2)
    folder = tmp_path_factory.mktemp("remote") / "demo"
    model = get_peft_model(AutoModelForCausalLM.from_pretrained(str(base)),
                           LoraConfig(r=4, target_modules=["q_proj", "v_proj"],
                                      init_lora_weights=False))
    model.save_pretrained(str(folder))
    source = resolve_adapter(str(folder))
    local = InferenceSession(base)
    local.load()
    local.add_adapter("demo", source)
    return {"base": base, "source": source, "local": local}


@pytest.fixture(scope="module")
def remote(lora):
    session = RemoteSession(str(lora["base"]))
    stages: list[str] = []
    session.load(stages.append)
    session.add_adapter("demo", lora["source"], progress=stages.append)
    assert "ready" in stages and "loading adapter demo" in stages
    yield session
    session.close()


def _greedy(n: int = 6):
    from studio.core.inference import GenerationSettings

    return GenerationSettings(greedy=True, max_new_tokens=n)


@pytest.mark.slow
def test_answers_equal_the_in_process_session(remote, lora):
    info = remote.info()
    assert info["loaded"] and [a["name"] for a in info["adapters"]] == ["demo"]
    assert remote.adapters == ["demo"] and remote.task == "causal_lm"
    for adapter in ("demo", None):
        expected = lora["local"].stream_chat(CAT, _greedy(), adapter=adapter).read()
        stream = remote.stream_chat(CAT, _greedy(), adapter=adapter)
        pieces = list(stream)
        assert "".join(pieces) == stream.text == expected and expected
        assert stream.finish_reason in ("eos", "length") and stream.prompt["ids"]
    answers = remote.compare("colour of cat", [None, "demo"], _greedy())
    assert answers == {None: lora["local"].stream_chat(CAT, _greedy(), adapter=None).read(),
                       "demo": lora["local"].stream_chat(CAT, _greedy(), adapter="demo").read()}
    stats = remote.stats()
    assert stats["pid"] == remote.pid and stats["rss_bytes"] > 50 << 20


@pytest.mark.slow
def test_errors_come_back_as_studio_errors(remote, lora):
    with pytest.raises(StudioError, match="not sequence classification"):
        remote.classify("hello", adapter=None)
    with pytest.raises(StudioError, match="already loaded"):
        remote.add_adapter("demo", lora["source"])
    from dataclasses import replace

    with pytest.raises(RemoteIncompatible) as raised:
        remote.add_adapter("other", replace(lora["source"], task="seq_cls"))
    assert raised.value.problems
    assert remote.alive and remote.adapters == ["demo"]   # the session is still usable


@pytest.mark.slow
def test_stop_ends_an_answer_after_the_current_token(remote):
    stop = threading.Event()
    stream = remote.stream_chat(CAT, _greedy(200), adapter=None, stop=stop)
    next(stream)
    stop.set()
    rest = list(stream)
    assert stream.finish_reason == "stopped" and stream.tokens < 200
    assert stream.text.endswith("".join(rest))


@pytest.mark.slow
def test_a_killed_child_is_reported_and_a_reload_restores_base_and_adapters(lora):
    session = RemoteSession(str(lora["base"]))
    try:
        session.load()
        session.add_adapter("demo", lora["source"])
        expected = session.stream_chat(CAT, _greedy(), adapter="demo").read()
        stream = session.stream_chat(CAT, _greedy(200), adapter=None)
        next(stream)
        session.kill()   # SIGKILL mid-answer
        with pytest.raises(InferenceCrashedError, match="killed by signal 9"):
            list(stream)
        assert not session.alive and not session.loaded and session.adapters == []
        with pytest.raises(InferenceCrashedError):
            session.stream_chat(CAT, _greedy()).read()
        sources = dict(session.sources)
        session.load()   # Reload: a new child with the same base ...
        for name, source in sources.items():   # ... and the same adapters
            session.add_adapter(name, source)
        assert session.alive and session.adapters == ["demo"]
        assert session.stream_chat(CAT, _greedy(), adapter="demo").read() == expected
    finally:
        session.close()
