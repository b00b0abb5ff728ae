"""/v1/classifications on a classifier: every label's probability, as the session gives it
(the app in process, over ASGI, on a real session with a tiny BERT)."""

from __future__ import annotations

import pytest


@pytest.mark.slow
def test_classifications_return_every_labels_probability(tiny_models):
    from starlette.testclient import TestClient

    from studio.core.inference import InferenceSession
    from studio.core.serving.app import create_app
    from studio.core.serving.jobs import ServedModels
    from studio.core.serving.worker import ModelWorker

    base = tiny_models("bert", num_labels=3)
    worker = ModelWorker(max_queue=4)
    session = InferenceSession(base, task="seq_cls", label_names=["neg", "neu", "pos"])
    worker.call(session.load)
    log: list[dict] = []
    app = create_app(ServedModels(session, []), worker, log=log.append)
    with TestClient(app) as client:
        answer = client.post("/v1/classifications",
                             json={"model": "base", "input": ["the market rose", "cat"]})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        expected = worker.call(session.classify, "the market rose", None)
        first = body["data"][0]
        assert first["label"] == expected[0][0] and first["index"] == 0
        assert first["probabilities"] == pytest.approx(dict(expected))
        assert set(first["probabilities"]) == {"neg", "neu", "pos"}
        assert sum(body["data"][1]["probabilities"].values()) == pytest.approx(1.0)
        refused = client.post("/v1/chat/completions", json={
            "model": "base", "messages": [{"role": "user", "content": "hi"}]})
        assert refused.status_code == 400
        assert "/v1/classifications" in refused.json()["error"]["message"]
    assert [(e["path"], e["status"]) for e in log] == [("/v1/classifications", 200),
                                                       ("/v1/chat/completions", 400)]
