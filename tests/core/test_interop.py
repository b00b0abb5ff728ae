"""What the studio writes loads unchanged in Hugging Face PEFT on real PyTorch.

The real torch wheel is installed (peft/accelerate require it) but never imported where
mindnlp runs, so the PyTorch side runs in a separate plain-Python process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from factories import write_run_file, write_text_dataset

pytestmark = pytest.mark.slow

TORCH_SIDE = textwrap.dedent("""
    import json, sys
    import numpy as np
    import torch
    assert "mindtorch" not in torch.__file__
    from peft import PeftModel
    from transformers import AutoModelForCausalLM
    base, adapter, ids, out = sys.argv[1:5]
    model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(base), adapter)
    model.eval()
    with torch.no_grad():
        logits = model(input_ids=torch.tensor(json.loads(ids))).logits
    np.save(out, logits.numpy())
""")


@pytest.mark.parametrize("method", [{"name": "lora"}, {"name": "ia3"}, {"name": "loha"}])
def test_adapter_loads_in_pytorch_peft_with_equal_logits(tmp_path, tiny_models, runtime, method):
    from studio.core import runner
    from studio.core.store import RunStore
    from studio.core.validate import load_and_validate

    torch = runtime
    model_dir = tiny_models("llama", init_range=0.2)
    data = write_text_dataset(tmp_path / "lines.txt", n=16)
    out = tmp_path / "out"
    run_file = write_run_file(tmp_path / "run.yaml", model_dir, data, method=method,
                              training={"epochs": 1, "batch_size": 4}, output_dir=str(out))
    assert runner.start(load_and_validate(run_file), lambda *a, **k: None, RunStore()) == 0

    ids = [[3, 17, 42, 99, 7, 250, 11]]
    script = tmp_path / "torch_side.py"
    script.write_text(TORCH_SIDE)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, str(script), str(model_dir), str(out), json.dumps(ids),
                           str(tmp_path / "torch.npy")], capture_output=True, text=True,
                          env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    pytorch_logits = np.load(tmp_path / "torch.npy")

    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    ours = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(str(model_dir)), str(out))
    ours.eval()
    with torch.no_grad():
        mindspore_logits = ours(input_ids=torch.tensor(ids)).logits.numpy()
    base = AutoModelForCausalLM.from_pretrained(str(model_dir)).eval()
    with torch.no_grad():
        base_logits = base(input_ids=torch.tensor(ids)).logits.numpy()
    assert np.abs(mindspore_logits - base_logits).max() > 1e-4   # the adapter does something
    assert np.abs(pytorch_logits - mindspore_logits).max() < 1e-4
