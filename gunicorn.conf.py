"""gunicorn reads this file from the working directory (the image's /app, the benchmarks' root).

Responses name no server software: `Server: gunicorn` tells a scanner what to try."""

import gunicorn.http.wsgi

gunicorn.http.wsgi.SERVER = "Polku"
