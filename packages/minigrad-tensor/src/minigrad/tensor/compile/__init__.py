"""Capture and replay: run a training step at the speed of hand-written NumPy.

An eager step spends much of its time on bookkeeping rather than on arithmetic:
a Tensor and a graph node per operation, argument checks, a walk of the graph
to order the backward pass. None of it changes from one step to the next when
the shapes do not. :func:`compile` therefore runs a step once, eagerly, writing
down every array operation it makes (the *recording*), and turns that list into
a plain Python function on NumPy arrays (the *plan*). Later calls run the plan
(the *replay*). The same idea drives tinygrad's TinyJit, JAX's ``jit``,
PyTorch's CUDA graphs and ReverseDiff's compiled tapes.

Read the modules in this order:

1. :mod:`~minigrad.tensor.compile.record`: how one eager run is recorded (arrays
   are named by identity; the backward pass is mirrored);
2. :mod:`~minigrad.tensor.compile.instructions`: the kinds of line a plan has;
3. :mod:`~minigrad.tensor.compile.plan`: the plan written out as Python source,
   dead code dropped, arrays freed at their last use;
4. :mod:`~minigrad.tensor.compile.inline` and :mod:`~minigrad.tensor.compile.fuse`:
   where a plan does better than replay (simple rules written as expressions;
   a forward that keeps work for its rule: one softmax, one im2col per step);
5. :mod:`~minigrad.tensor.compile.guards`: what is checked before each replay;
6. :mod:`~minigrad.tensor.compile.compiled`: ``compile`` itself.

Example:
    >>> import numpy as np
    >>> from minigrad.tensor import Tensor
    >>> from minigrad.tensor.compile import compile
    >>> @compile
    ... def loss_of(a, b):
    ...     loss = (a * b).sum()
    ...     loss.backward()
    ...     return loss
    >>> a = Tensor(np.ones(3), requires_grad=True)
    >>> b = Tensor(np.arange(3.0))
    >>> loss_of(a, b).item()      # the first call runs eagerly and records
    3.0
    >>> a.grad = None
    >>> loss_of(a, b).item(), a.grad.tolist()   # the second replays the plan
    (3.0, [0.0, 1.0, 2.0])
    >>> print(loss_of.plan)
    def replay(t0, t1):
        x0 = t0.data
        x1 = t1.data
        adopted = set()  # gradients handed to a leaf (see accumulate_leaf)
        v0 = x0 * x1
        v1 = asarray(v0.sum(axis=(0,), keepdims=False))
        del v0
        g0 = ONES_float64.copy()  # the seed: d(loss)/d(loss) = 1
        g1 = empty((3,), float64)
        g1[...] = g0
        del g0
        g2 = g1 * x1
        del g1
        accumulate_leaf(t0, g2, adopted)
        del g2
        return Tensor(v1)
    <BLANKLINE>

**What a replay runs** is exactly the recorded array operations, in order:
each op's forward, each backward rule, the backward pass's sums and casts, the
storing of leaf gradients, and the in-place updates that are not ops (the
optimizer's ``step`` and ``zero_grad``, an lr scheduler's ``step``, batch
norm's running statistics; each is called again, so hyperparameters are read
live and a scheduler's new learning rate is used). So
a replay agrees with the eager step bit for bit, random numbers included: an op
that draws from a generator (dropout's mask) draws again, from the same
generator, in the same order.

**What a replay does not run** is the Python around those operations, which is
frozen at recording:

* an ``if`` or loop on a tensor's value: reading one (``.item()``,
  ``bool(t)``, ``.tolist()``, ``.numpy()``, ``float(t)``, ``np.asarray(t)``)
  inside a compiled function raises :class:`CompileError`;
* NumPy code on ``.data`` (its result is a constant; a tensor made from a
  reshape of an input's ``.data`` is followed, from any other view refused),
  Python numbers passed to ops (a dropout ``p``, a loss scale), argument checks
  on shapes and types (guarded instead; checks on values, such as a target class
  out of range, sit in the op's forward and run on every replay), random tensors
  drawn with ``rand``/``randn`` (refused: draw them outside and pass them in);
* anything done to Python objects: call ``model.train()``/``eval()`` and set
  ``.grad`` outside the function, or through ``zero_grad()``, which is recorded.

What is guarded (re-recorded when it changes) is listed in
:mod:`~minigrad.tensor.compile.guards`. Under ``detect_anomaly()`` a compiled
function runs eagerly, so that every result is checked. Tensors returned by a replay are new
leaves without a graph.
"""

from __future__ import annotations

from minigrad.tensor.compile.compiled import CompiledFunction, compile
from minigrad.tensor.compile.plan import Plan
from minigrad.tensor.compile.record import CompileError

__all__ = ["CompileError", "CompiledFunction", "Plan", "compile"]
