"""Shared pytest configuration: headless plots, no PyBaMM telemetry prompt, one torch thread."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("PYBAMM_DISABLE_TELEMETRY", "true")
os.environ.setdefault("OMP_NUM_THREADS", "1")
