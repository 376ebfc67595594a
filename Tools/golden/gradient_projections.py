"""The ±1 vectors a large gradient is projected on, so that a fixture keeps 16 numbers per tensor instead of
the tensor: sign i of element j is bit i of splitmix64(j) (1 -> +1, 0 -> -1), j counting the flattened
elements from 0. The tests (MiniLMTrainingStepTests.projections) compute the same projections."""
import numpy as np


def signs(n):
    """(n, 16) ±1 from the bits of splitmix64(j)."""
    z = np.arange(n, dtype=np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    bits = (z[:, None] >> np.arange(16, dtype=np.uint64)[None, :]) & np.uint64(1)
    return bits.astype(np.float64) * 2 - 1
