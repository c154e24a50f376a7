"""The gunicorn deployment docs/server.md describes: `gunicorn -c server/gunicorn.conf.py`.

Command-line options override these (for example `--bind 0.0.0.0:8000`). gunicorn never buffers a request body: it
hands the app a stream that is read only on demand, and the app refuses any body over MAX_CONTENT_LENGTH, or of
unknown length, from its headers alone (server/security.py). These settings bound what gunicorn itself reads: the
request line and the headers.
"""

from server.limits import MAX_HEADER_FIELD_BYTES, MAX_HEADER_FIELDS, MAX_REQUEST_LINE_BYTES

wsgi_app = "server:create_app()"
bind = "127.0.0.1:8000"
workers = 2
worker_class = "gthread"
threads = 4
# Build the app once before forking: every worker serves the same bundle bytes and ETag.
preload_app = True
keepalive = 5
timeout = 30
limit_request_line = MAX_REQUEST_LINE_BYTES
limit_request_fields = MAX_HEADER_FIELDS
limit_request_field_size = MAX_HEADER_FIELD_BYTES
