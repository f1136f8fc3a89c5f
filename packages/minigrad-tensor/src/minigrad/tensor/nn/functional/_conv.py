"""``conv2d`` as one fused operation: im2col and one matrix product per image.

The forward pass copies every window of the (padded) input into the columns
of a matrix, ``(N, C*kh*kw, OH*OW)``, with ``kh * kw`` strided slice copies
(one per kernel position), and multiplies the weight ``(O, C*kh*kw)`` with
it: the product ``(N, O, OH*OW)`` is already the NCHW output, so no transpose
is copied. Its two gradients are themselves small operations:

* the input gradient (``col2im``): the transposed weight times the output
  gradient gives the columns' gradient, whose windows are added back into the
  input's place by ``kh * kw`` strided slice additions;
* the weight gradient: the output gradient times the transposed columns,
  summed over the images.

The three operations are each other's derivatives (conv2d is bilinear), so
when a backward pass records its own graph (``create_graph=True``) the rules
call the recorded versions and derivatives of every order work.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.tensor.autograd.node import Node
from minigrad.tensor.autograd.op import Op
from minigrad.tensor.autograd.record import apply
from minigrad.tensor.nn.functional._checks import as_float_tensor, pair
from minigrad.tensor.tensor import Tensor

__all__ = [
    "conv2d",
    "conv2d_columns",
    "conv2d_from_columns",
    "conv2d_input_grad",
    "conv2d_weight_grad",
    "conv2d_weight_grad_from_columns",
    "convolve",
    "output_size",
    "padded",
    "window_slice",
]

_Pair = tuple[int, int]


def output_size(
    size: _Pair, kernel: _Pair, stride: _Pair, padding: _Pair, op: str, shape: Any
) -> _Pair:
    """The spatial output size of a sliding window; a clear error when the window does not fit."""
    out_h = (size[0] + 2 * padding[0] - kernel[0]) // stride[0] + 1
    out_w = (size[1] + 2 * padding[1] - kernel[1]) // stride[1] + 1
    if out_h < 1 or out_w < 1 or size[0] + 2 * padding[0] < kernel[0]:
        raise ValueError(
            f"{op}: a {kernel[0]}x{kernel[1]} window with padding {padding} does not fit in an "
            f"input of shape {tuple(shape)} (spatial size {size[0]}x{size[1]})"
        )
    return out_h, out_w


# ------------------------------------------------------------- array kernels


def padded(x: np.ndarray, padding: _Pair, fill: float = 0.0) -> np.ndarray:
    """``x`` (N, C, H, W) with ``padding`` rows and columns of ``fill`` on every side."""
    if padding == (0, 0):
        return x
    (ph, pw), (n, c, h, w) = padding, x.shape
    # One fill and one copy: np.pad costs about 10 us more in Python per call.
    result = np.full((n, c, h + 2 * ph, w + 2 * pw), fill, dtype=x.dtype)
    result[:, :, ph : ph + h, pw : pw + w] = x
    return result


def window_slice(i: int, j: int, stride: _Pair, out_size: _Pair) -> tuple[slice, ...]:
    """The index of the element at kernel position ``(i, j)`` of every window, in the padded input.

    ``padded_x[window_slice(i, j, ...)]`` is a strided (N, C, OH, OW) view; for
    one kernel position the windows' elements are all distinct.
    """
    (sh, sw), (out_h, out_w) = stride, out_size
    rows = slice(i, i + sh * (out_h - 1) + 1, sh)
    cols = slice(j, j + sw * (out_w - 1) + 1, sw)
    return (slice(None), slice(None), rows, cols)


def _spatial_out(shape: tuple[int, ...], kernel: _Pair, stride: _Pair) -> _Pair:
    """The output size of windows of ``kernel`` over an already padded (N, C, H, W) shape."""
    return (shape[2] - kernel[0]) // stride[0] + 1, (shape[3] - kernel[1]) // stride[1] + 1


def conv2d_columns(x: np.ndarray, kernel: _Pair, stride: _Pair, padding: _Pair) -> np.ndarray:
    """im2col: every window of the padded input as a column, ``(N, C*kh*kw, OH*OW)`` (a copy).

    The forward pass and the weight gradient both multiply by this matrix; a
    compiled step (``minigrad.tensor.compile``) builds it once for both.
    """
    xp = padded(x, padding)
    (n, c), (kh, kw) = x.shape[:2], kernel
    out_hw = _spatial_out(xp.shape, kernel, stride)
    columns = np.empty((n, c, kh, kw, *out_hw), dtype=x.dtype)
    # One strided copy per kernel position: copying the 6-d window view in one
    # reshape walks a 3x3 inner loop and measured about 20 times slower.
    for i in range(kh):
        for j in range(kw):
            columns[:, :, i, j] = xp[window_slice(i, j, stride, out_hw)]
    return columns.reshape(n, c * kh * kw, out_hw[0] * out_hw[1])


def conv2d_from_columns(columns: np.ndarray, w: np.ndarray, out_hw: _Pair) -> np.ndarray:
    """The convolution from its im2col matrix: ``(O, C*kh*kw) @ (N, C*kh*kw, OH*OW)``.

    One matrix product per image, whose result is already laid out ``(N, O, OH, OW)``.
    """
    out = np.matmul(w.reshape(w.shape[0], -1), columns)
    result: np.ndarray = out.reshape(columns.shape[0], w.shape[0], *out_hw)
    return result


def conv2d_weight_grad_from_columns(
    g: np.ndarray, columns: np.ndarray, w_shape: tuple[int, ...]
) -> np.ndarray:
    """The weight gradient from the im2col matrix: ``g`` (N, O, OH, OW) times the columns."""
    n, o = g.shape[:2]
    # (N, O, OH*OW) @ (N, OH*OW, C*kh*kw), one product per image, summed over the images.
    per_image = np.matmul(g.reshape(n, o, -1), columns.transpose(0, 2, 1))
    result: np.ndarray = per_image.sum(axis=0).reshape(w_shape)
    return result


def _forward_kernel(x: np.ndarray, w: np.ndarray, stride: _Pair, padding: _Pair) -> np.ndarray:
    kernel = (w.shape[2], w.shape[3])
    columns = conv2d_columns(x, kernel, stride, padding)
    return conv2d_from_columns(columns, w, _out_hw(x.shape, kernel, stride, padding))


def _out_hw(x_shape: tuple[int, ...], kernel: _Pair, stride: _Pair, padding: _Pair) -> _Pair:
    padded_shape = (0, 0, x_shape[2] + 2 * padding[0], x_shape[3] + 2 * padding[1])
    return _spatial_out(padded_shape, kernel, stride)


def _input_grad_kernel(
    g: np.ndarray, w: np.ndarray, x_shape: tuple[int, ...], stride: _Pair, padding: _Pair
) -> np.ndarray:
    n, c, h, width = x_shape
    o, _, kh, kw = w.shape
    (ph, pw), out_size = padding, (g.shape[2], g.shape[3])
    # The columns' gradient, (C*kh*kw, O) @ (N, O, OH*OW), one product per image.
    cols = np.matmul(w.reshape(o, -1).T, g.reshape(n, o, -1))
    cols = cols.reshape(n, c, kh, kw, *out_size)
    grad = np.zeros((n, c, h + 2 * ph, width + 2 * pw), dtype=cols.dtype)
    disjoint = stride[0] >= kh and stride[1] >= kw  # no element lies in two windows
    for i in range(kh):
        for j in range(kw):
            where = window_slice(i, j, stride, out_size)
            if disjoint:
                grad[where] = cols[:, :, i, j]
            else:
                grad[where] += cols[:, :, i, j]
    return grad[:, :, ph : ph + h, pw : pw + width]


def _weight_grad_kernel(
    x: np.ndarray, g: np.ndarray, w_shape: tuple[int, ...], stride: _Pair, padding: _Pair
) -> np.ndarray:
    columns = conv2d_columns(x, (w_shape[2], w_shape[3]), stride, padding)
    return conv2d_weight_grad_from_columns(g, columns, w_shape)  # (O, C, kh, kw)


# ---------------------------------------- the three operations and their rules


def _conv_backward(node: Node, g: Any, out: Any, x: Any, w: Any, *bias: Any) -> list[Any]:
    needs = node.needs
    stride, padding = node.args
    grads: list[Any] = [None, None, None]
    if needs[0]:
        grads[0] = conv2d_input_grad(g, w, x.shape, stride, padding)
    if needs[1]:
        grads[1] = conv2d_weight_grad(x, g, w.shape, stride, padding)
    if bias and needs[2]:
        grads[2] = g.sum(axis=(0, 2, 3))
    return grads[: 2 + len(bias)]


def _input_grad_backward(node: Node, h: Any, out: Any, g: Any, w: Any) -> tuple[Any, Any]:
    needs = node.needs
    _x_shape, stride, padding = node.args
    grad_g = convolve(h, w, stride, padding) if needs[0] else None
    grad_w = conv2d_weight_grad(h, g, w.shape, stride, padding) if needs[1] else None
    return grad_g, grad_w


def _weight_grad_backward(node: Node, h: Any, out: Any, x: Any, g: Any) -> tuple[Any, Any]:
    needs = node.needs
    _w_shape, stride, padding = node.args
    grad_x = conv2d_input_grad(g, h, x.shape, stride, padding) if needs[0] else None
    grad_g = convolve(x, h, stride, padding) if needs[1] else None
    return grad_x, grad_g


def _forward_bias_kernel(
    x: np.ndarray, w: np.ndarray, bias: np.ndarray, stride: _Pair, padding: _Pair
) -> np.ndarray:
    out = _forward_kernel(x, w, stride, padding)
    out += bias.reshape(-1, 1, 1)  # in place: the kernel's result is a fresh array
    return out


CONV2D = Op("conv2d", _forward_kernel, _conv_backward)
CONV2D_BIAS = Op("conv2d", _forward_bias_kernel, _conv_backward)
CONV2D_INPUT_GRAD = Op("conv2d_input_grad", _input_grad_kernel, _input_grad_backward)
CONV2D_WEIGHT_GRAD = Op("conv2d_weight_grad", _weight_grad_kernel, _weight_grad_backward)


def convolve(x: Any, w: Any, stride: _Pair, padding: _Pair, bias: Tensor | None = None) -> Any:
    """The convolution of arrays (an array) or of Tensors (a recorded Tensor)."""
    if not isinstance(x, Tensor):
        return _forward_kernel(x, w, stride, padding)
    if bias is None:
        return apply(CONV2D, (x, w), (stride, padding))
    return apply(CONV2D_BIAS, (x, w, bias), (stride, padding))


def conv2d_input_grad(
    grad_output: Any, weight: Any, input_shape: tuple[int, ...], stride: _Pair, padding: _Pair
) -> Any:
    """The gradient of ``conv2d`` with respect to its input (a transposed convolution).

    Takes arrays (returns an array) or Tensors (returns a recorded Tensor).
    """
    if not isinstance(grad_output, Tensor):
        return _input_grad_kernel(grad_output, weight, input_shape, stride, padding)
    return apply(CONV2D_INPUT_GRAD, (grad_output, weight), (input_shape, stride, padding))


def conv2d_weight_grad(
    input: Any, grad_output: Any, weight_shape: tuple[int, ...], stride: _Pair, padding: _Pair
) -> Any:
    """The gradient of ``conv2d`` with respect to its weight.

    Takes arrays (returns an array) or Tensors (returns a recorded Tensor).
    """
    if not isinstance(input, Tensor):
        return _weight_grad_kernel(input, grad_output, weight_shape, stride, padding)
    return apply(CONV2D_WEIGHT_GRAD, (input, grad_output), (weight_shape, stride, padding))


# ------------------------------------------------------------- public function


def resolve_padding(padding: Any, kernel: _Pair, stride: _Pair, op: str) -> _Pair:
    """``padding`` as a pair of ints, or ``"valid"`` (0) or ``"same"`` (stride 1, odd kernels)."""
    if padding == "valid":
        return (0, 0)
    if padding == "same":
        if stride != (1, 1):
            raise ValueError(f"{op}: padding='same' needs stride 1, got stride {stride}")
        if kernel[0] % 2 == 0 or kernel[1] % 2 == 0:
            raise ValueError(
                f"{op}: padding='same' needs an odd kernel size here, got {kernel[0]}x{kernel[1]}"
            )
        return (kernel[0] // 2, kernel[1] // 2)
    return pair(padding, op, "padding", minimum=0)


def conv2d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] | str = 0,
) -> Tensor:
    """2-D cross-correlation over NCHW input, as one graph node (PyTorch's ``conv2d``).

    Args:
        input: shape ``(N, C_in, H, W)``, or ``(C_in, H, W)`` for one image.
        weight: shape ``(C_out, C_in, kh, kw)``.
        bias: shape ``(C_out,)``, or None.
        stride: step of the window, an int or ``(sh, sw)``.
        padding: zeros added on every side, an int, ``(ph, pw)``, ``"valid"`` (0)
            or ``"same"`` (stride 1, odd kernels).

    Returns:
        shape ``(N, C_out, OH, OW)`` with ``OH = (H + 2*ph - kh) // sh + 1``.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor
        >>> from minigrad.tensor.nn import functional as F
        >>> x = Tensor(np.arange(16, dtype=np.float32).reshape(1, 1, 4, 4))
        >>> F.conv2d(x, Tensor(np.ones((1, 1, 2, 2), dtype=np.float32)), stride=2).tolist()
        [[[[10.0, 18.0], [42.0, 50.0]]]]
    """
    input = as_float_tensor(input, "conv2d")
    weight = as_float_tensor(weight, "conv2d", "weight")
    if input.ndim == 3:
        batched = conv2d(input.reshape((1, *input.shape)), weight, bias, stride, padding)
        return batched.reshape(batched.shape[1:])
    if input.ndim != 4:
        raise ValueError(
            f"conv2d: input must have shape (N, C_in, H, W) or (C_in, H, W), got {input.shape}"
        )
    if weight.ndim != 4:
        raise ValueError(
            f"conv2d: weight must have shape (C_out, C_in, kh, kw), got {weight.shape}"
        )
    if input.shape[1] != weight.shape[1]:
        raise ValueError(
            f"conv2d: input has {input.shape[1]} channels (shape {input.shape}) but weight "
            f"of shape {weight.shape} expects C_in={weight.shape[1]}"
        )
    kernel = (weight.shape[2], weight.shape[3])
    stride_hw = pair(stride, "conv2d", "stride")
    padding_hw = resolve_padding(padding, kernel, stride_hw, "conv2d")
    output_size(
        (input.shape[2], input.shape[3]), kernel, stride_hw, padding_hw, "conv2d", input.shape
    )
    if bias is not None:
        bias = as_float_tensor(bias, "conv2d", "bias")
        if bias.shape != (weight.shape[0],):
            raise ValueError(
                f"conv2d: bias must have shape ({weight.shape[0]},) to match weight of shape "
                f"{weight.shape}, got {bias.shape}"
            )
    result: Tensor = convolve(input, weight, stride_hw, padding_hw, bias)
    return result
