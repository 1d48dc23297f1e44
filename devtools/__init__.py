"""Development only: the demo seed and its command. Never in production's INSTALLED_APPS; the
benchmarks reuse its programme builder. It sits above every layer (see .importlinter)."""
