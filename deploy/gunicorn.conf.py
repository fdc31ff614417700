"""gunicorn settings for one application server instance (deploy/systemd/kycuong-web@.service).

The port comes from the unit's instance name (kycuong-web@8001 binds 127.0.0.1:8001), so two instances behind
nginx can be restarted one after the other without dropping a request (deploy/deploy.sh)."""
import multiprocessing
import os

bind = f"127.0.0.1:{os.environ.get('KYCUONG_PORT', '8001')}"
workers = int(os.environ.get("KYCUONG_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# Requests are short; a long PDF render is the slowest page. Past this, the worker is killed and replaced.
timeout = 60
# On restart (SIGTERM / systemd stop), requests in flight get this long to finish.
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so slow leaks never accumulate; jitter keeps them from restarting together.
max_requests = 5000
max_requests_jitter = 500
# nginx on the same machine is the only client; it sets X-Forwarded-Proto (settings: KYCUONG_BEHIND_TLS_PROXY).
forwarded_allow_ips = "127.0.0.1"
accesslog = "-"
errorlog = "-"
