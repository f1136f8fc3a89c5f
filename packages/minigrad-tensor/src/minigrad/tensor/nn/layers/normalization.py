"""Normalization layers: `BatchNorm1d`, `BatchNorm2d` and `LayerNorm`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from minigrad.tensor.autograd.modes import check_not_capturing, under_capture
from minigrad.tensor.autograd.version import bump_version
from minigrad.tensor.nn.functional import batch_norm, layer_norm, rms_norm
from minigrad.tensor.nn.layers._dtype import check_size, float_dtype
from minigrad.tensor.nn.module import Module
from minigrad.tensor.nn.parameter import Parameter
from minigrad.tensor.tensor import Tensor

__all__ = ["BatchNorm1d", "BatchNorm2d", "LayerNorm", "RMSNorm"]


def _count_batch(num_batches_tracked: Tensor, writer: str) -> None:
    """Count one more training batch, in place (a compiled step replays this call)."""
    num_batches_tracked.data += 1
    bump_version(num_batches_tracked, writer)


class _BatchNorm(Module):
    _input_dims: tuple[int, ...] = ()
    _input_text = ""

    weight: Parameter | None
    bias: Parameter | None
    running_mean: Tensor | None
    running_var: Tensor | None
    num_batches_tracked: Tensor | None

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        dtype: npt.DTypeLike | None = None,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        self.num_features = check_size(num_features, name, "num_features")
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        wanted = float_dtype(dtype, name)
        if affine:
            self.weight = Parameter(np.ones(num_features, dtype=wanted))
            self.bias = Parameter(np.zeros(num_features, dtype=wanted))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", Tensor(np.zeros(num_features, dtype=wanted)))
            self.register_buffer("running_var", Tensor(np.ones(num_features, dtype=wanted)))
            self.register_buffer("num_batches_tracked", Tensor(np.array(0, dtype=np.int64)))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def reset_running_stats(self) -> None:
        """Forget the running statistics: mean 0, variance 1, no batches seen."""
        if self.running_mean is not None and self.running_var is not None:
            self.running_mean.data.fill(0)
            self.running_var.data.fill(1)
            bump_version(self.running_mean, f"{type(self).__name__}.reset_running_stats")
            bump_version(self.running_var, f"{type(self).__name__}.reset_running_stats")
        if self.num_batches_tracked is not None:
            self.num_batches_tracked.data.fill(0)
            bump_version(self.num_batches_tracked, f"{type(self).__name__}.reset_running_stats")

    def forward(self, input: Tensor) -> Tensor:
        """Normalize per channel: batch statistics in training, running ones in eval."""
        if input.ndim not in self._input_dims:
            raise ValueError(
                f"{type(self).__name__}: expected input of shape {self._input_text}, "
                f"got {input.shape}"
            )
        if input.shape[1] != self.num_features:
            raise ValueError(
                f"{type(self).__name__}: expected {self.num_features} channels (axis 1), "
                f"got input of shape {input.shape}"
            )
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.num_batches_tracked is not None:
            count = (self.num_batches_tracked, f"{type(self).__name__} (training forward)")
            under_capture(_count_batch, *count)
            _count_batch(*count)
            if self.momentum is None:
                check_not_capturing(f"{type(self).__name__}(momentum=None)")
                # A cumulative average of every batch seen, as in PyTorch.
                factor = 1.0 / float(self.num_batches_tracked.data)
        use_batch_stats = self.training or self.running_mean is None
        return batch_norm(
            input,
            self.running_mean if not self.training or self.track_running_stats else None,
            self.running_var if not self.training or self.track_running_stats else None,
            self.weight,
            self.bias,
            use_batch_stats,
            factor,
            self.eps,
        )

    def extra_repr(self) -> str:
        """The layer's arguments, as PyTorch prints them."""
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    """Batch normalization of ``(N, C)`` or ``(N, C, L)`` input, per channel C.

    In training each channel is normalized with the batch's mean and (biased)
    variance and the running statistics move by ``momentum`` towards the batch's
    (unbiased variance); in eval mode the running statistics normalize.
    ``momentum=None`` keeps a cumulative average instead.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor, nn
        >>> bn = nn.BatchNorm1d(2)
        >>> y = bn(Tensor([[1.0, 10.0], [3.0, 30.0]]))
        >>> np.round(y.data, 3).tolist()
        [[-1.0, -1.0], [1.0, 1.0]]
        >>> bn.running_mean.tolist()
        [0.20000000298023224, 2.0]
    """

    _input_dims = (2, 3)
    _input_text = "(N, C) or (N, C, L)"


class BatchNorm2d(_BatchNorm):
    """Batch normalization of ``(N, C, H, W)`` input, per channel C (see `BatchNorm1d`)."""

    _input_dims = (4,)
    _input_text = "(N, C, H, W)"


class LayerNorm(Module):
    """Normalize each sample over its last axes (``normalized_shape``), then scale and shift.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor, nn
        >>> ln = nn.LayerNorm(4)
        >>> y = ln(Tensor(np.arange(8, dtype=np.float32).reshape(2, 4)))
        >>> np.allclose(y.data.mean(axis=1), 0, atol=1e-6)
        True
    """

    weight: Parameter | None
    bias: Parameter | None

    def __init__(
        self,
        normalized_shape: int | Sequence[int],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        dtype: npt.DTypeLike | None = None,
    ) -> None:
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else normalized_shape
        self.normalized_shape = tuple(check_size(n, "LayerNorm", "normalized_shape") for n in shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        wanted = float_dtype(dtype, "LayerNorm")
        if elementwise_affine:
            self.weight = Parameter(np.ones(self.normalized_shape, dtype=wanted))
            self.register_parameter(
                "bias", Parameter(np.zeros(self.normalized_shape, dtype=wanted)) if bias else None
            )
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, input: Tensor) -> Tensor:
        """Normalize ``input`` of shape ``(*, *normalized_shape)``."""
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        """The layer's arguments, as PyTorch prints them."""
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"
        )


class RMSNorm(Module):
    """Scale each sample by the reciprocal root mean square of its last axes, as PyTorch.

    ``y = x / sqrt(mean(x**2) + eps) * weight`` over ``normalized_shape``; ``eps=None``
    uses the machine epsilon of the input's dtype. ``weight`` starts at ones; with
    ``elementwise_affine=False`` there is none.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor, nn
        >>> norm = nn.RMSNorm(2)
        >>> np.round(norm(Tensor([[3.0, 4.0]])).data, 4).tolist()
        [[0.8485, 1.1314]]
        >>> norm
        RMSNorm((2,), eps=None, elementwise_affine=True)
    """

    weight: Parameter | None

    def __init__(
        self,
        normalized_shape: int | Sequence[int],
        eps: float | None = None,
        elementwise_affine: bool = True,
        dtype: npt.DTypeLike | None = None,
    ) -> None:
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else normalized_shape
        self.normalized_shape = tuple(check_size(n, "RMSNorm", "normalized_shape") for n in shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        wanted = float_dtype(dtype, "RMSNorm")
        self.register_parameter(
            "weight",
            Parameter(np.ones(self.normalized_shape, dtype=wanted)) if elementwise_affine else None,
        )

    def forward(self, input: Tensor) -> Tensor:
        """Normalize ``input`` of shape ``(*, *normalized_shape)``."""
        return rms_norm(input, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        """The layer's arguments, as PyTorch prints them."""
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"
        )
