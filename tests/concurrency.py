"""Run the same piece of work in several threads released at the same moment."""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connection


def run_at_once(work, count: int) -> list:
    """``work(index)`` in ``count`` threads released together; each closes its own connection.

    Returns each thread's result, or the exception it raised, in index order.
    """
    start = threading.Barrier(count)

    def one(index: int):
        try:
            start.wait()
            return work(index)
        except Exception as error:  # returned to the test, which asserts on it
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def errors_of(results: list) -> list[Exception]:
    return [result for result in results if isinstance(result, Exception)]
