"""gunicorn reads this file from the working directory (the image's /app, the benchmarks' root).

Responses name no server software: `Server: gunicorn` tells a scanner what to try."""

import multiprocessing
import os

import gunicorn.http.wsgi

gunicorn.http.wsgi.SERVER = "Polku"

# One sync worker per core. Polku's requests are CPU-bound (the database answers within a
# millisecond or two on the same machine), so more workers only share the same cores: on two
# cores, 250 phones of a training day had a p95 of 1.3 s with two workers and 1.7 s with three
# (bench/load.py, docs/performance.md). WEB_CONCURRENCY overrides it, for a machine whose
# database is far away.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
# A worker is replaced after about 20,000 requests (a few minutes of a training day), so a slow
# leak cannot grow for ever; often enough to matter, rare enough that restarts cost nothing.
max_requests = 20_000
max_requests_jitter = 2_000
