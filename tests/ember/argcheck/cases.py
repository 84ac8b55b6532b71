"""The argument-check table: expressions that PyTorch rejects (or accepts) for their arguments.

Each row is an expression evaluated with ``torch``, ``nn`` and ``F`` bound to the library under
test (``ember``, ``ember.nn``, ``ember.nn.functional`` in the suite; PyTorch 2.13 in
``make_expected.py``). ``expected.json`` stores the exception class PyTorch raised for each row,
or ``"ok"`` when it accepted the call; the test checks ember raises an instance of that class.
"""

from __future__ import annotations

UNARY = [
    "abs", "neg", "exp", "log", "sin", "cos", "tanh", "sigmoid", "sqrt", "rsqrt", "floor",
    "ceil", "round", "trunc", "sign", "reciprocal", "erf", "log1p", "expm1", "square",
    "relu", "isnan", "isfinite", "logical_not", "lgamma", "digamma",
]
REDUCTIONS = [
    "sum", "mean", "prod", "amax", "amin", "argmax", "argmin", "std", "var", "all", "any",
    "max", "min", "median", "logsumexp_dim", "cumsum_dim", "norm", "nansum", "count_nonzero",
]
SHAPE = [
    "squeeze", "flatten", "t", "ravel", "unsqueeze(_, 0)", "reshape(_, (1,))",
    "transpose(_, 0, 1)", "flip(_, (0,))", "clone", "numel", "chunk(_, 2)", "diag",
    "tril", "triu", "diff", "nonzero", "argsort", "sort", "topk(_, 1)", "cumprod(_, 0)",
    "roll(_, 1)", "rot90", "narrow(_, 0, 0, 1)", "movedim(_, 0, 0)",
]
FUNCTIONAL = [
    "relu", "relu6", "gelu", "silu", "mish", "elu", "selu", "celu", "leaky_relu", "softplus",
    "softsign", "hardtanh", "hardswish", "hardsigmoid", "logsigmoid", "tanhshrink",
    "softshrink", "hardshrink", "sigmoid", "tanh", "dropout", "alpha_dropout", "normalize",
    "softmax(_, 0)", "log_softmax(_, 0)", "softmin(_, 0)", "glu", "layer_norm(_, (1,))",
    "rms_norm(_, (1,))", "max_pool1d(_, 2)", "avg_pool2d(_, 2)", "adaptive_avg_pool2d(_, 1)",
    "pad(_, (1, 1))", "interpolate(_, scale_factor=2)", "pixel_shuffle(_, 2)",
    "one_hot", "pdist",
]
BINARY = [
    "add", "sub", "mul", "div", "maximum", "minimum", "atan2", "pow", "eq", "lt", "ge",
    "fmod", "remainder", "hypot", "logaddexp", "copysign", "floor_divide", "bitwise_and",
]
TWO_TENSOR_F = [
    "linear", "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "cross_entropy", "nll_loss", "kl_div",
    "cosine_similarity", "pairwise_distance", "soft_margin_loss", "poisson_nll_loss",
]


def _call(prefix: str, spec: str, arg: str) -> str:
    if "(" in spec:
        name, rest = spec.split("(", 1)
        return f"{prefix}.{name}({rest.replace('_', arg, 1)}"
    return f"{prefix}.{spec}({arg})"


def _rows() -> list[str]:
    rows: list[str] = []
    # A Python scalar (or list) where a Tensor is required: TypeError in PyTorch.
    rows += [f"torch.{op}(1.5)" for op in UNARY]
    rows += [f"torch.{op}([1.0, 2.0])" for op in UNARY[:8]]
    reds = [r.replace("_dim", "") + ("(3.0, 0)" if r.endswith("_dim") else "(3.0)")
            for r in REDUCTIONS]
    rows += [f"torch.{r}" for r in reds]
    rows += [_call("torch", s, "2.0") for s in SHAPE]
    rows += [_call("F", s, "1.0") for s in FUNCTIONAL]
    rows += [f"F.{op}(torch.ones(2, 3), 3)" for op in TWO_TENSOR_F[:2]]
    rows += [f"F.{op}(2.0, torch.ones(2))" for op in TWO_TENSOR_F[1:]]
    rows += [f"torch.{op}(2.0, torch.ones(2))" for op in BINARY]
    rows += [f"torch.{op}(2, 3)" for op in BINARY[:4]]
    # Shapes that do not broadcast / match: RuntimeError.
    rows += [f"torch.{op}(torch.ones(2, 3), torch.ones(3, 2))" for op in BINARY[:-1]]
    rows += [f"F.{op}(torch.rand(2, 3), torch.rand(3, 2))" for op in TWO_TENSOR_F[1:9]]
    rows += [
        "torch.matmul(torch.ones(2, 3), torch.ones(2, 3))", "torch.mm(torch.ones(3), torch.ones(3, 2))",
        "torch.bmm(torch.ones(2, 2, 3), torch.ones(3, 3, 2))", "torch.mv(torch.ones(2, 3), torch.ones(2))",
        "torch.dot(torch.ones(2), torch.ones(3))", "torch.outer(torch.ones(2, 2), torch.ones(2))",
        "torch.cat([torch.ones(2, 3), torch.ones(3)])", "torch.cat([torch.ones(2, 3), torch.ones(2, 4)])",
        "torch.stack([torch.ones(2), torch.ones(3)])", "torch.cat(torch.ones(2))",
        "torch.cat([torch.ones(2), 1.0])", "torch.stack([])", "torch.cat([])",
        "F.conv2d(torch.ones(1, 3, 5, 5), torch.ones(4, 2, 3, 3))",
        "F.conv1d(torch.ones(1, 2, 5), torch.ones(3, 2, 7))",
        "nn.Conv2d(3, 4, 3)(torch.ones(1, 2, 5, 5))", "nn.Linear(3, 4)(torch.ones(2, 5))",
        "F.linear(torch.ones(2, 3), torch.ones(4, 2))", "F.layer_norm(torch.ones(2, 3), (4,))",
        "F.batch_norm(torch.ones(2, 3), torch.zeros(4), torch.ones(4))",
        "nn.BatchNorm1d(3)(torch.ones(2, 4))", "nn.LSTM(3, 4)(torch.ones(2, 2, 5))",
        "torch.ones(2, 3).view(4)", "torch.ones(2, 3).reshape(4)", "torch.ones(3).expand(2, 4)",
        "torch.ones(2).copy_(torch.ones(3))", "torch.ones(2).add_(torch.ones(2, 2))",
        "torch.ones(2, 3).permute(0)", "torch.ones(2, 3).permute(0, 0)", "torch.ones(2, 3).repeat(2)",
        "torch.ones(2, 3).narrow(0, 0, 5)", "torch.ones(3).unfold(0, 5, 1)",
        "torch.diag(torch.ones(2, 2, 2))", "torch.tril(torch.ones(3))",
        "torch.cross(torch.ones(2), torch.ones(2), dim=0)", "torch.chunk(torch.ones(4), 0)",
        "torch.topk(torch.ones(3), 5)", "torch.einsum('ij,jk->ik', torch.ones(2, 3), torch.ones(2, 3))",
        "torch.addmm(torch.ones(2, 2), torch.ones(2, 3), torch.ones(2, 2))",
        "torch.where(torch.ones(2, dtype=torch.bool), torch.ones(2), torch.ones(3))",
        "torch.ones(2, 3).masked_fill(torch.ones(3, 2, dtype=torch.bool), 0.0)",
        "torch.gather(torch.ones(2, 3), 1, torch.zeros(2, 1, 1, dtype=torch.long))",
        "torch.ones(2).index_add(0, torch.zeros(1, dtype=torch.long), torch.ones(2))",
        "F.embedding(torch.tensor([[0, 1]]), torch.ones(3))",
        "F.interpolate(torch.ones(1, 1, 4), size=(2, 2))",
        "F.pad(torch.ones(2, 2), (1,))", "F.pad(torch.ones(2), (1, 1, 1, 1))",
        "F.max_pool2d(torch.ones(1, 1, 2, 2), 3)", "F.conv2d(torch.ones(2, 5, 5), torch.ones(3, 2, 3, 3))",
        "F.grid_sample(torch.ones(1, 1, 3, 3), torch.ones(1, 2, 2, 3))",
        "F.scaled_dot_product_attention(torch.ones(2, 3, 4), torch.ones(2, 3, 5), torch.ones(2, 3, 4))",
    ]
    # Dtypes: RuntimeError (or NotImplementedError, a RuntimeError).
    rows += [
        "torch.dot(torch.ones(2), torch.ones(2, dtype=torch.float64))",
        "torch.mm(torch.ones(2, 2), torch.ones(2, 2, dtype=torch.float64))",
        "torch.ones(3)[torch.tensor([0.0, 1.0])]",
        "torch.gather(torch.ones(2, 3), 1, torch.zeros(2, 1))",
        "torch.index_select(torch.ones(3), 0, torch.zeros(1))",
        "torch.ones(2, 3).scatter(1, torch.zeros(2, 1), 1.0)",
        "torch.where(torch.ones(2), torch.ones(2), torch.ones(2))",
        "torch.ones(3).masked_fill(torch.ones(3), 0.0)",
        "torch.ones(2).bitwise_and(torch.ones(2))", "torch.ones(2, dtype=torch.long) ** -1",
        "torch.ones(2, dtype=torch.long).add_(torch.ones(2))",
        "torch.ones(2, dtype=torch.long).mean()", "torch.ones(2, dtype=torch.long).std()",
        "F.embedding(torch.tensor([0.0]), torch.ones(3, 2))",
        "F.one_hot(torch.ones(2), 3)", "F.nll_loss(torch.ones(2, 3), torch.ones(2))",
        "F.cross_entropy(torch.ones(2, 3), torch.ones(2, dtype=torch.int32) > 0)",
        "F.conv2d(torch.ones(1, 1, 3, 3), torch.ones(1, 1, 2, 2, dtype=torch.float64))",
        "F.linear(torch.ones(2, 3), torch.ones(4, 3, dtype=torch.float64))",
        "F.relu(torch.ones(2, dtype=torch.bool))", "F.softmax(torch.ones(2, dtype=torch.long), 0)",
        "F.gelu(torch.ones(2, dtype=torch.long))", "torch.ones(2).float().lerp(torch.ones(2).double(), 0.5)",
        "torch.ones(2, dtype=torch.long).sqrt_()",
    ]
    # Dimensions out of range: IndexError.
    rows += [f"torch.ones(2, 3).{m}" for m in (
        "sum(5)", "mean(-3)", "argmax(3)", "amax(2)", "softmax(3)", "transpose(0, 2)",
        "unsqueeze(4)", "squeeze(3)", "flip(3)", "cumsum(2)", "sort(2)", "std(dim=3)",
        "max(2)", "flatten(0, 4)", "select(2, 0)", "narrow(3, 0, 1)", "unbind(2)", "split(1, 2)",
        "movedim(0, 3)", "topk(1, 2)", "roll(1, 4)", "diff(dim=2)",
    )]
    rows += ["torch.cat([torch.ones(2), torch.ones(2)], dim=2)", "torch.ones(2)[5]",
             "torch.ones(2)[torch.tensor([5])]", "torch.ones(2)[1.5]",
             "nn.Embedding(3, 2)(torch.tensor([3]))", "F.avg_pool2d(torch.ones(2), 1)"]
    # Sizes and constructor arguments: TypeError for non-ints, RuntimeError for negatives.
    rows += [
        "torch.zeros('a')", "torch.zeros(2.5)", "torch.ones(2, 3.0)", "torch.empty((2, 2.0))",
        "torch.rand(2.0)", "torch.randn(3, 'x')", "torch.empty(True)", "torch.full((2.0,), 1.0)",
        "torch.zeros(-1)", "torch.ones(2, -3)", "torch.rand(-1)", "torch.randn(-2)",
        "torch.empty(-1)", "torch.eye(-1)", "torch.eye(2.0)", "torch.arange(0, 5, 0)",
        "torch.linspace(0, 1, -1)", "torch.ones(2).new_zeros(2.5)", "torch.ones(2).view(2.0)",
        "torch.split(torch.ones(4), 1.5)", "torch.zeros(torch.tensor(2))",
        "torch.ones(2).new_ones(-1)", "torch.randint(0, 5, (2.0,))", "torch.randint(5, 2, (2,))",
        "torch.randperm(-1)", "torch.full((2,), 'a')",
        "nn.Linear(2.5, 2)", "nn.Linear(2, 2.5)", "nn.Linear(-1, 2)", "nn.Conv2d(2.0, 3, 3)",
        "nn.Conv1d(2, 3.5, 3)", "nn.Embedding(3.0, 2)", "nn.Embedding(3, -2)",
        "nn.BatchNorm1d(2.5)", "nn.LayerNorm(2.5)", "nn.GRU(2.0, 3)", "nn.LSTM(2, 3, num_layers=0)",
        "nn.Bilinear(2, 3.0, 4)", "nn.Sequential(1)", "nn.ModuleList([1])",
        "nn.Dropout(1.5)", "nn.Dropout(-0.1)",
        "nn.MultiheadAttention(5, 2)", "nn.GroupNorm(3, 4)", "nn.Conv2d(4, 6, 3, groups=4)",
    ]
    # Accepted by PyTorch (the rows check ember accepts them too).
    rows += ["torch.zeros(torch.Size([2, 3]))", "torch.zeros([2, 3])", "torch.ones(())",
             "torch.add(torch.ones(2), 1)", "torch.mul(2, torch.ones(2))",
             "torch.maximum(torch.ones(2), torch.tensor(1.0))", "F.relu(torch.ones(2))",
             "torch.sum(torch.ones(2), dim=0)", "torch.cat([torch.ones(2), torch.ones(3)])",
             "torch.zeros(0)", "nn.Linear(0, 2)", "F.linear(torch.ones(2, 3), torch.ones(4, 3))",
             "torch.where(torch.ones(2, dtype=torch.bool), 1.0, 0.0)",
             "torch.clamp(torch.ones(2), 0, 1)", "torch.ones(2, 3).sum((0, 1))"]
    return rows


ROWS = _rows()
