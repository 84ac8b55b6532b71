"""embertext on the GPU with no change to user code but the device: the registered models,
forward and backward, give the CPU's results and keep them on the device; the tensor-side
collation makes host tensors that move with ``.to(device)``, as torchtext's. Runs on the
simulated GPU of tests/ember/_fake_cupy.py when there is no real one."""

from __future__ import annotations

import pytest

import ember
from embertext import models
from embertext.models.language import RNNLanguageModel
from embertext.transforms import ToTensor, collate_padded
from tests.ember.cuda._compare import model_same_on_device, on


def _ids(*shape):
    return lambda d: (ember.randint(1, 30, shape, device=d),)


class _LM(ember.nn.Module):
    """RNNLanguageModel with its initial hidden state made on the input's device."""

    def __init__(self) -> None:
        super().__init__()
        self.lm = RNNLanguageModel(30, 8, 8, 2, dropout=0.0)

    def forward(self, ids):
        hidden = tuple(h.to(ids.device) for h in self.lm.init_hidden(ids.shape[1]))
        return self.lm(ids, hidden)


MODELS = {
    "gpt": (
        lambda: models.gpt(
            vocab_size=30, block_size=16, n_layer=1, n_head=2, n_embd=16, dropout=0.0
        ),
        lambda d: (ember.randint(0, 30, (2, 8), device=d), ember.randint(0, 30, (2, 8), device=d)),
    ),
    "bert_encoder": (
        lambda: models.bert_encoder(
            vocab_size=30,
            hidden_size=16,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=32,
            dropout=0.0,
        ),
        lambda d: (
            ember.randint(0, 30, (2, 6), device=d),
            ember.tensor([[1] * 6, [1] * 4 + [0] * 2], device=d),
        ),
    ),
    "rnn_classifier": (
        lambda: models.rnn_classifier(vocab_size=30, embed_dim=8, hidden_size=8, num_class=3),
        lambda d: (ember.randint(1, 30, (2, 6), device=d), ember.tensor([6, 4], device=d)),
    ),
    "text_classifier": (
        lambda: models.text_classifier(vocab_size=30, embed_dim=8, num_class=3),
        lambda d: (ember.randint(0, 30, (10,), device=d), ember.tensor([0, 4], device=d)),
    ),
    "rnn_lm": (_LM, _ids(5, 2)),
}


@pytest.mark.parametrize("name", list(MODELS))
def test_models_forward_backward_on_the_device(name) -> None:
    model_same_on_device(*MODELS[name])


def test_collated_batches_move_to_the_device() -> None:
    with on("cuda"):
        labels, ids, lengths = collate_padded([(1, [5, 6, 7]), (0, [8])])
        ids = ids.to("cuda", non_blocking=True)
        assert ids.device.type == "cuda" and ids.cpu().tolist() == [[5, 6, 7], [8, 0, 0]]
        padded = ToTensor(padding_value=0)([[1, 2], [3]]).to("cuda")
        assert padded.device.type == "cuda" and padded.tolist() == [[1, 2], [3, 0]]
        assert lengths.tolist() == [3, 1] and labels.tolist() == [1, 0]
