"""Every Tensor method the op modules install, gathered for the type checker.

At run time each op module installs its own methods on Tensor
(:func:`~minigrad.tensor.ops.registry.install_methods`); ``tensor.py`` imports
this class only while type checking, so that ``x.exp()`` is known to return
a Tensor. Nothing here runs an op.
"""

from __future__ import annotations

from minigrad.tensor.ops.comparison import ComparisonMethods
from minigrad.tensor.ops.cumulative import CumulativeMethods
from minigrad.tensor.ops.elementwise import ElementwiseMethods
from minigrad.tensor.ops.indexing import IndexingMethods
from minigrad.tensor.ops.linalg import LinalgMethods
from minigrad.tensor.ops.masking import MaskingMethods
from minigrad.tensor.ops.reduction import ReductionMethods
from minigrad.tensor.ops.shape import ShapeMethods
from minigrad.tensor.ops.softmax import SoftmaxMethods

__all__ = ["TensorMethods"]


class TensorMethods(
    ElementwiseMethods,
    ComparisonMethods,
    ReductionMethods,
    SoftmaxMethods,
    ShapeMethods,
    IndexingMethods,
    LinalgMethods,
    MaskingMethods,
    CumulativeMethods,
):
    """The union of the op modules' methods (a typing view of Tensor's operations)."""
