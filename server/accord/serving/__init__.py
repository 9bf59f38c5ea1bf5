"""Serving one port from several processes (`accord serve --workers N`).

The supervisor (``supervisor.py``) is the process `accord serve` starts in. It opens the
database once (the embedded PostgreSQL is started, migrated and watched there and only
there), checks that N pools fit PostgreSQL's connection limit (``capacity.py``), binds the
listening socket, and starts N worker processes that each serve that socket with uvicorn
(``worker.py``). The workers share nothing but the socket and PostgreSQL, where sessions,
login limits and events already live, so any worker can answer any request, and an event
raised in one reaches subscribers of every other through LISTEN/NOTIFY.
"""
