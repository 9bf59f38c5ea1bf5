"""Heavy work off the event loop: a process pool with admission limits and a time budget.

Agreement reports, the HTML reliability report, REFI-QDA and Word parsing, and exports
are pure functions of data already read from PostgreSQL. They run in worker processes so
one request can never stall the others; see :mod:`accord.heavy.pool`.
"""

from accord.heavy.pool import HeavyWork, Offload, inline

__all__ = ["HeavyWork", "Offload", "inline"]
