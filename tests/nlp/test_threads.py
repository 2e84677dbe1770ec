"""One BLAS thread inside the context, the previous count restored after it."""

import numpy as np
from threadpoolctl import threadpool_info

from nlp.threads import one_blas_thread


def _numpy_blas_threads() -> int:
    numpy_directory = np.__file__.rsplit("/", 1)[0]
    pools = [pool for pool in threadpool_info()
             if pool["user_api"] == "blas" and numpy_directory.rsplit("/", 1)[0] in pool["filepath"]]
    assert pools, "NumPy's BLAS library was not found among the loaded thread pools"
    return max(pool["num_threads"] for pool in pools)


def test_one_blas_thread_inside_and_restored_after() -> None:
    before = _numpy_blas_threads()
    with one_blas_thread():
        assert _numpy_blas_threads() == 1
        product = np.ones((300, 40)) @ np.ones((40, 20))
    assert _numpy_blas_threads() == before
    assert product[0, 0] == 40.0
