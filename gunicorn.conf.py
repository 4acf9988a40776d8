"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app` (README, Production).

Four processes with two threads each fill two cores: a page spends part of its time waiting for
the database, when another thread of the same process can run. Each process listens on a socket
of its own (SO_REUSEPORT), so that the kernel spreads new connections over them. On one shared
socket, the process that woke first accepted a burst of keep-alive connections alone: with two
processes, in about one 4-second `wrk -c8` run of ten one of them served all eight on one core
while the other idled, at a third of the throughput; a proxy's few keep-alive connections could
do the same. Another process of the same user on the same port would share it silently;
`GUNICORN_REUSE_PORT=0` turns that off.

Workers are not recycled by a request count: under ordinary load that fired every few seconds
(115 boots in 7.6 minutes, each costing 1.2 s of CPU and dropped connections), and the memory it
guarded against — WeasyPrint after a large PDF — is no reason any more once documents are
rendered in child processes of the job worker. A request that hangs is ended after `timeout`
seconds. Every value can be overridden by the environment variable named beside it.
"""
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread"
reuse_port = os.environ.get("GUNICORN_REUSE_PORT", "1") == "1"
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))  # 0: never recycled by count
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "0"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None  # empty: no access log
